import type { Span } from './ast.ts';
import { ExpressionError } from './expression-error.ts';
import type { ExpressionLimits } from './limits.ts';
import { describeType, ownEntries } from './property-access.ts';
import { toJson } from './safe-json.ts';

/**
 * Value semantics shared by operators and functions. Truthiness is JavaScript's; equality and
 * ordering are stricter than JavaScript's: no type coercion, so surprises such as
 * `'10' < '9'` being true for numbers read from text, or `[] == false`, cannot happen silently.
 */

export function truthy(value: unknown): boolean {
  return Boolean(value);
}

/** `==`: strict equality, except that null and undefined are equal to each other. */
export function looseEquals(a: unknown, b: unknown): boolean {
  return a === b || (a == null && b == null);
}

/**
 * Orders two values for `<`, `<=`, `>`, `>=` and sorting: both numbers, or both strings
 * (by UTF-16 code units). Anything else is `E_EXPR_TYPE`.
 */
export function compareValues(a: unknown, b: unknown, op: string, at: Span): number {
  if (
    (typeof a === 'number' && typeof b === 'number') ||
    (typeof a === 'string' && typeof b === 'string')
  ) {
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  }
  throw new ExpressionError(
    'E_EXPR_TYPE',
    `'${op}' compares two numbers or two strings, got ${describeType(a)} and ${describeType(b)}`,
    at,
  );
}

/**
 * The text a value becomes inside a template with surrounding text, and what `string(x)`
 * returns: strings as they are, numbers and booleans as in JavaScript, null and undefined as
 * the empty string, arrays and objects as JSON.
 */
export function toText(value: unknown, limits: ExpressionLimits, at: Span): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return '';
    case 'object':
      return value === null ? '' : (toJson(value, limits, at) ?? '');
    default:
      return '';
  }
}

/** Deep structural equality for `equals(a, b)`: arrays by elements, objects by own keys. */
export function deepEquals(
  a: unknown,
  b: unknown,
  limits: ExpressionLimits,
  at: Span,
  depth = 0,
): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (depth >= limits.maxDataDepth) {
    throw new ExpressionError(
      'E_EXPR_LIMIT',
      `The data is nested deeper than ${limits.maxDataDepth} levels`,
      at,
    );
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ea = ownEntries(a, at);
  const eb = ownEntries(b, at);
  if (ea.length !== eb.length) return false;
  const bMap = new Map(eb);
  for (const [key, value] of ea) {
    if (!bMap.has(key) || !deepEquals(value, bMap.get(key), limits, at, depth + 1)) return false;
  }
  return true;
}

/** True for objects that are records (not arrays, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a value for error messages (never the whole thing). */
export function preview(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 30 ? value.slice(0, 30) + '…' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  return describeType(value);
}

/** Fails with E_EXPR_LIMIT when a produced string is too long. */
export function checkString(s: string, limits: ExpressionLimits, at: Span): string {
  if (s.length > limits.maxStringLength) throw stringLimitError(limits, at);
  return s;
}

export function stringLimitError(limits: ExpressionLimits, at: Span): ExpressionError {
  return new ExpressionError(
    'E_EXPR_LIMIT',
    `The result would be a string longer than ${limits.maxStringLength} characters`,
    at,
  );
}

export function arrayLimitError(limits: ExpressionLimits, at: Span): ExpressionError {
  return new ExpressionError(
    'E_EXPR_LIMIT',
    `The result would be an array longer than ${limits.maxArrayLength} elements`,
    at,
  );
}

/** Fails with E_EXPR_LIMIT when a produced array is too long. */
export function checkArray<T>(arr: T[], limits: ExpressionLimits, at: Span): T[] {
  if (arr.length > limits.maxArrayLength) throw arrayLimitError(limits, at);
  return arr;
}
