import { readdirSync, readFileSync } from 'node:fs';

/** The OpenFlow fixtures (fixtures/README.md): a document, an input and Windmill's result. */
export interface Fixture {
  readonly description: string;
  readonly document: unknown;
  readonly input: unknown;
  readonly expected: unknown;
  readonly compare?: 'subset';
  readonly expectedStatus?: 'succeeded' | 'failed';
}

const dir = new URL('./fixtures/', import.meta.url);

export const FIXTURE_FILES: readonly string[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

export function loadFixture(file: string): Fixture {
  return JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Fixture;
}

/** `expected` matches `actual`; with `subset`, objects in `expected` name only the keys to check. */
export function matches(actual: unknown, expected: unknown, subset: boolean): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => matches(actual[i], e, subset))
    );
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    if (!subset && Object.keys(a).length !== Object.keys(e).length) return false;
    return Object.keys(e).every((k) => matches(a[k], e[k], subset));
  }
  return Object.is(actual, expected);
}
