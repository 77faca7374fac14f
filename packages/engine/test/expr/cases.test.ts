import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ExpressionError, compileTemplate } from '../../src/expr/index.ts';

// Runs every data-driven case in test/expr/cases/*.json (format: cases/README.md).
interface Case {
  readonly expr?: string;
  readonly template?: string;
  readonly data?: object;
  readonly result?: unknown;
  readonly undefined?: boolean;
  readonly code?: string;
  readonly description?: string;
}

const dir = join(import.meta.dirname, 'cases');

for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const suite = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    data?: object;
    cases: Case[];
  };
  describe(file, () => {
    for (const c of suite.cases) {
      const source = c.template ?? `$<${c.expr ?? ''}>`;
      test(source + (c.description ? ` (${c.description})` : ''), () => {
        const data = structuredClone(c.data ?? suite.data ?? {});
        const pristine = structuredClone(data);
        if (c.code !== undefined) {
          assert.throws(
            () => compileTemplate(source).evaluate(data),
            (err: unknown) => {
              assert.ok(
                err instanceof ExpressionError,
                `expected an ExpressionError, got ${String(err)}`,
              );
              assert.equal(err.code, c.code, err.message);
              return true;
            },
          );
        } else {
          const actual = compileTemplate(source).evaluate(data);
          if (c.undefined === true) assert.equal(actual, undefined);
          else
            assert.deepEqual(
              actual === undefined ? undefined : JSON.parse(JSON.stringify(actual)),
              c.result,
            );
        }
        assert.deepEqual(data, pristine, 'expressions never modify their scope');
      });
    }
  });
}
