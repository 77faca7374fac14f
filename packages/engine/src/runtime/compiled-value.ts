import { compileTemplate, type CompiledTemplate } from '../expr/index.ts';
import type { Reference } from '../expr/index.ts';

/**
 * A JSON value whose strings may hold `$<...>` templates, compiled once per flow version.
 * Static parts are kept as they are (and shared: nothing downstream mutates them); only the
 * dynamic parts are rebuilt on each evaluation.
 */
export interface CompiledValue {
  readonly isStatic: boolean;
  evaluate(scope: object): unknown;
  readonly references: readonly Reference[];
}

const EMPTY: readonly Reference[] = [];

function constant(value: unknown): CompiledValue {
  return { isStatic: true, evaluate: () => value, references: EMPTY };
}

/** Compiles a value; throws ExpressionError (with its position) for a syntax error. */
export function compileValue(value: unknown): CompiledValue {
  if (typeof value === 'string') {
    if (!value.includes('$<')) return constant(value);
    const template: CompiledTemplate = compileTemplate(value);
    return template.isStatic
      ? constant(template.evaluate({}))
      : {
          isStatic: false,
          evaluate: (scope) => template.evaluate(scope),
          references: template.references,
        };
  }
  if (Array.isArray(value)) {
    const items = value.map(compileValue);
    if (items.every((i) => i.isStatic)) return constant(value);
    return {
      isStatic: false,
      evaluate: (scope) => items.map((i) => i.evaluate(scope)),
      references: items.flatMap((i) => i.references),
    };
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, compileValue(v)] as const);
    if (entries.every(([, v]) => v.isStatic)) return constant(value);
    return {
      isStatic: false,
      evaluate(scope) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries) {
          // A JSON key "__proto__" is data; assigning it would set the prototype instead.
          if (k === '__proto__')
            Object.defineProperty(out, k, {
              value: v.evaluate(scope),
              enumerable: true,
              writable: true,
              configurable: true,
            });
          else out[k] = v.evaluate(scope);
        }
        return out;
      },
      references: entries.flatMap(([, v]) => v.references),
    };
  }
  return constant(value);
}
