import type { Span } from './ast.ts';
import { ExpressionError } from './expression-error.ts';
import type { ExpressionLimits } from './limits.ts';
import { FORBIDDEN_KEYS } from './property-access.ts';

/**
 * JSON.stringify without its escape hatches. The built-in calls `toJSON` methods and getters
 * found in the data, follows no size budget and throws a bare TypeError on cycles; this one
 * reads own data properties only, fails with `E_EXPR_FORBIDDEN` on accessors, `E_EXPR_TYPE` on
 * cycles and BigInts, and `E_EXPR_LIMIT` once the output passes `maxStringLength`.
 * Keys named `__proto__`, `constructor` or `prototype` are left out, as everywhere else.
 */
export function toJson(
  value: unknown,
  limits: ExpressionLimits,
  at: Span,
  indent: string = '',
): string | undefined {
  const writer = new JsonWriter(limits, at, indent);
  return writer.value(value, '', 0) ? writer.parts.join('') : undefined;
}

class JsonWriter {
  readonly parts: string[] = [];
  private length = 0;
  private readonly ancestors: object[] = [];

  constructor(
    private readonly limits: ExpressionLimits,
    private readonly at: Span,
    private readonly indent: string,
  ) {}

  private push(text: string): void {
    this.length += text.length;
    if (this.length > this.limits.maxStringLength) {
      throw new ExpressionError(
        'E_EXPR_LIMIT',
        `The JSON text would be longer than ${this.limits.maxStringLength} characters`,
        this.at,
      );
    }
    this.parts.push(text);
  }

  private fail(code: 'E_EXPR_TYPE' | 'E_EXPR_FORBIDDEN' | 'E_EXPR_LIMIT', message: string): never {
    throw new ExpressionError(code, message, this.at);
  }

  /** Writes `value`; returns false when it has no JSON form (undefined, functions). */
  value(value: unknown, prefix: string, depth: number): boolean {
    switch (typeof value) {
      case 'string':
        this.push(JSON.stringify(value));
        return true;
      case 'number':
        this.push(Number.isFinite(value) ? String(value) : 'null');
        return true;
      case 'boolean':
        this.push(value ? 'true' : 'false');
        return true;
      case 'bigint':
        return this.fail(
          'E_EXPR_TYPE',
          'A BigInt has no JSON form; convert it with string() first',
        );
      case 'undefined':
      case 'function':
      case 'symbol':
        return false;
    }
    if (value === null) {
      this.push('null');
      return true;
    }
    const obj = value as object;
    if (obj instanceof Date) {
      this.push(Number.isNaN(obj.getTime()) ? 'null' : JSON.stringify(obj.toISOString()));
      return true;
    }
    if (depth >= this.limits.maxDataDepth) {
      this.fail(
        'E_EXPR_LIMIT',
        `The data is nested deeper than ${this.limits.maxDataDepth} levels`,
      );
    }
    if (this.ancestors.includes(obj))
      this.fail('E_EXPR_TYPE', 'The data contains a cycle and has no JSON form');
    this.ancestors.push(obj);
    const inner = this.indent === '' ? '' : prefix + this.indent;
    if (Array.isArray(obj)) this.array(obj, inner, prefix, depth);
    else this.object(obj, inner, prefix, depth);
    this.ancestors.pop();
    return true;
  }

  private array(arr: readonly unknown[], inner: string, prefix: string, depth: number): void {
    if (arr.length === 0) return this.push('[]');
    this.push('[');
    for (let i = 0; i < arr.length; i++) {
      if (i > 0) this.push(',');
      if (inner !== '') this.push('\n' + inner);
      if (!this.value(this.read(arr, String(i)), inner, depth + 1)) this.push('null');
    }
    this.push(inner === '' ? ']' : '\n' + prefix + ']');
  }

  private object(obj: object, inner: string, prefix: string, depth: number): void {
    let first = true;
    this.push('{');
    for (const key of Object.keys(obj)) {
      if (FORBIDDEN_KEYS.has(key)) continue;
      const v = this.read(obj, key);
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      if (!first) this.push(',');
      first = false;
      if (inner !== '') this.push('\n' + inner);
      this.push(JSON.stringify(key) + (inner === '' ? ':' : ': '));
      this.value(v, inner, depth + 1);
    }
    this.push(first || inner === '' ? '}' : '\n' + prefix + '}');
  }

  private read(obj: object, key: string): unknown {
    const desc = Object.getOwnPropertyDescriptor(obj, key);
    if (desc === undefined) return undefined;
    if (!('value' in desc)) {
      this.fail(
        'E_EXPR_FORBIDDEN',
        `Property '${key}' is an accessor (getter/setter); expressions only read plain data properties`,
      );
    }
    return desc.value as unknown;
  }
}
