import {
  compileTemplate,
  isExpressionError,
  parseTemplate,
  type ExpressionErrorCode,
  type ExpressionLimits,
} from '@millrace/engine';

/**
 * What an expression field shows under its editor: the template's value on sample data (the
 * preview) and its syntax errors. Pure and DOM-free, so both run in Node tests; the field calls
 * them on every keystroke, so neither may throw.
 */

/** The outcome of evaluating a template on sample data: the value, or why there is none. */
export type ExpressionPreview =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly code: ExpressionErrorCode; readonly message: string };

export interface PreviewOptions {
  /** Budgets of the evaluation (default: the engine's, so the preview fails where a run would). */
  readonly limits?: Partial<ExpressionLimits>;
}

/**
 * Compiles and evaluates `template` against `scope` (a run's sample data: `flow`, `nodes`,
 * `vars`...). Never throws: every failure, syntax errors included, comes back as its code and
 * message. Compiles afresh rather than through the engine's shared template cache, which a
 * field would otherwise fill with one entry per keystroke.
 *
 * @example
 * previewExpression('$<nodes.a.output.n * 2>', { nodes: { a: { output: { n: 3 } } } })
 * // { ok: true, value: 6 }
 */
export function previewExpression(
  template: string,
  scope: Readonly<Record<string, unknown>>,
  options: PreviewOptions = {},
): ExpressionPreview {
  try {
    const compiled = compileTemplate(
      template,
      options.limits === undefined ? {} : { limits: options.limits },
    );
    return { ok: true, value: compiled.evaluate(scope) };
  } catch (err) {
    if (isExpressionError(err)) return { ok: false, code: err.code, message: err.message };
    // Only a bad `limits` option (RangeError) gets here: evaluation errors are normalised.
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, code: 'E_EXPR_TYPE', message: `The preview failed: ${message}` };
  }
}

/** A syntax error of a template, with its place in the template text (0-based offsets). */
export interface SyntaxDiagnostic {
  readonly from: number;
  readonly to: number;
  readonly code: ExpressionErrorCode;
  readonly message: string;
}

/**
 * The parser's errors for a template (every one of them, from a recovering parse), clamped to
 * the template's length. Never throws.
 *
 * @example
 * syntaxDiagnostics('$<nodes.>')
 * // [{ from: 8, to: 8, code: 'E_EXPR_SYNTAX', message: "Expected a property name after '.', ..." }]
 */
export function syntaxDiagnostics(template: string): SyntaxDiagnostic[] {
  try {
    return parseTemplate(template, { recover: true }).errors.map((err) => {
      const from = clamp(err.position.start, 0, template.length);
      return {
        from,
        to: clamp(err.position.end, from, template.length),
        code: err.code,
        message: err.message,
      };
    });
  } catch {
    return [];
  }
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(Math.max(n, min), max) : min;
}

const ELLIPSIS = '…';

/**
 * A short, JSON-like rendering of a preview value, at most `maxLength` characters (an
 * ellipsis marks the cut): strings quoted, `undefined`, `NaN` and `Infinity` spelled out,
 * cycles as `[Circular]`. Reads own enumerable data properties only — never getters or
 * `toJSON` — and stops walking once the text is long enough, so a huge sample costs little.
 *
 * @example
 * formatPreview({ count: 2, items: ['a', 'b'] }, 40) // '{"count": 2, "items": ["a", "b"]}'
 */
export function formatPreview(value: unknown, maxLength = 120): string {
  const max = Math.max(1, Math.floor(maxLength));
  const out = new PreviewWriter(max + 1);
  let cut = false;
  try {
    out.value(value);
  } catch {
    // Over the budget (BudgetSpent), or a Proxy in the sample data threw from a trap: either
    // way, show what was written so far.
    cut = true;
  }
  const text = out.text;
  if (!cut) return text;
  return (text.length < max ? text : text.slice(0, max - 1)) + ELLIPSIS;
}

class BudgetSpent extends Error {}

/** Writes until `budget` characters, then throws BudgetSpent to unwind the walk. */
class PreviewWriter {
  text = '';
  private readonly ancestors: object[] = [];

  constructor(private readonly budget: number) {}

  private push(s: string): void {
    this.text += s;
    if (this.text.length >= this.budget) throw new BudgetSpent();
  }

  value(v: unknown): void {
    switch (typeof v) {
      case 'string':
        return this.push(JSON.stringify(v));
      case 'number':
        return this.push(String(v));
      case 'boolean':
        return this.push(String(v));
      case 'undefined':
        return this.push('undefined');
      case 'bigint':
        return this.push(`${v}n`);
      case 'symbol':
        return this.push(v.toString());
      case 'function':
        return this.push('[Function]');
    }
    if (v === null) return this.push('null');
    if (v === GETTER) return this.push('[Getter]');
    const obj = v as object;
    if (this.ancestors.includes(obj)) return this.push('[Circular]');
    this.ancestors.push(obj);
    if (Array.isArray(obj)) {
      this.push('[');
      for (let i = 0; i < obj.length; i++) {
        if (i > 0) this.push(', ');
        this.value(dataAt(obj, String(i)));
      }
      this.push(']');
    } else {
      this.push('{');
      let first = true;
      for (const key of Object.keys(obj)) {
        if (!first) this.push(', ');
        first = false;
        this.push(`${JSON.stringify(key)}: `);
        this.value(dataAt(obj, key));
      }
      this.push('}');
    }
    this.ancestors.pop();
  }
}

/** An own data property's value; accessors are not run (they are shown as `[Getter]`). */
function dataAt(obj: object, key: string): unknown {
  const desc = Object.getOwnPropertyDescriptor(obj, key);
  if (desc === undefined) return undefined;
  return 'value' in desc ? desc.value : GETTER;
}

/** Stands for an accessor property in the walk. */
const GETTER: object = Object.freeze({});
