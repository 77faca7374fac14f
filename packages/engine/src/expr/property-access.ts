import { ExpressionError } from './expression-error.ts';
import type { Span } from './ast.ts';

/**
 * Reading properties safely. Expressions only ever see OWN DATA properties: nothing inherited
 * (so no prototype, no `constructor`, no `toString`), and no accessors (a getter in scope data
 * is never invoked; reading it fails with `E_EXPR_FORBIDDEN`). Functions found in data are
 * opaque. These rules, together with the whitelist of callable methods, are the sandbox.
 */

/**
 * Names an expression may never read, write or define, whatever the object. Only the first
 * three could ever matter (own-property reads cannot reach the legacy accessor helpers), but
 * refusing those too makes attempts fail loudly instead of yielding undefined.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

const hasOwn = Object.prototype.hasOwnProperty;
const getOwnDescriptor = Object.getOwnPropertyDescriptor;
// `__lookupGetter__` answers "is this an accessor?" without allocating a descriptor; it is
// used on arrays, where getOwnPropertyDescriptor is several times slower. Hosts that removed
// it (hardened JavaScript) get the descriptor path.
const lookupGetter = (Object.prototype as unknown as Record<string, unknown>)[
  '__lookupGetter__'
] as ((this: object, key: PropertyKey) => unknown) | undefined;

/** Canonical array index for a string key ('3' -> 3), or -1. */
export function indexFromKey(key: string): number {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return -1; // cheap exit for ordinary names
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && String(n) === key ? n : -1;
}

export function forbiddenKeyError(key: string, at: Span): ExpressionError {
  return new ExpressionError(
    'E_EXPR_FORBIDDEN',
    `Property '${key}' is forbidden in expressions (no access to __proto__, constructor, prototype or the legacy accessor helpers)`,
    { start: at.start, end: at.end },
  );
}

function accessorError(key: string | number, at: Span): ExpressionError {
  return new ExpressionError(
    'E_EXPR_FORBIDDEN',
    `Property '${String(key)}' is an accessor (getter/setter); expressions only read plain data properties`,
    { start: at.start, end: at.end },
  );
}

function functionError(key: string | number, at: Span): ExpressionError {
  return new ExpressionError(
    'E_EXPR_FORBIDDEN',
    `Cannot read '${String(key)}' of a function: functions in data are opaque to expressions`,
    { start: at.start, end: at.end },
  );
}

function ownData(obj: object, key: string, at: Span): unknown {
  const desc = getOwnDescriptor(obj, key);
  if (desc === undefined) return undefined;
  if (!('value' in desc)) throw accessorError(key, at);
  return desc.value;
}

/** Element `i` (a non-negative integer) of an array, string or object; undefined if absent. */
export function readIndex(obj: unknown, i: number, at: Span): unknown {
  if (Array.isArray(obj)) {
    if (i >= obj.length || !hasOwn.call(obj, i)) return undefined;
    if (lookupGetter === undefined) return ownData(obj, String(i), at);
    if (lookupGetter.call(obj, i) !== undefined) throw accessorError(i, at);
    return obj[i] as unknown;
  }
  if (typeof obj === 'string') return i < obj.length ? obj[i] : undefined;
  if (typeof obj === 'object' && obj !== null) return ownData(obj, String(i), at);
  if (typeof obj === 'function') throw functionError(i, at);
  return undefined;
}

/**
 * Property `key` of a value. `key` is never an array-index string (callers convert those to
 * numbers) and never a forbidden key (callers check, statically where they can).
 */
export function readKey(obj: unknown, key: string, at: Span): unknown {
  if (typeof obj === 'object' && obj !== null) {
    if (key === 'length' && Array.isArray(obj)) return obj.length;
    return ownData(obj, key, at);
  }
  if (typeof obj === 'string') return key === 'length' ? obj.length : undefined;
  if (typeof obj === 'function') throw functionError(key, at);
  return undefined;
}

/** A computed key (`obj[expr]`) checked and normalised: numbers and strings only. */
export function readComputed(obj: unknown, key: unknown, at: Span, keyAt: Span): unknown {
  if (typeof key === 'number') {
    if (Number.isInteger(key) && key >= 0) return readIndex(obj, key, at);
    return readKey(obj, String(key), at);
  }
  if (typeof key !== 'string') {
    throw new ExpressionError(
      'E_EXPR_TYPE',
      `A property key must be a string or a number, got ${describeType(key)}`,
      { start: keyAt.start, end: keyAt.end },
    );
  }
  if (FORBIDDEN_KEYS.has(key)) throw forbiddenKeyError(key, keyAt);
  const index = indexFromKey(key);
  return index >= 0 ? readIndex(obj, index, at) : readKey(obj, key, at);
}

/**
 * The array itself when every element is an own data property, a dense copy when it has
 * holes (so a hole can never read Array.prototype), and `E_EXPR_FORBIDDEN` for accessors.
 * Methods and functions run their native loops only on arrays that passed this check.
 */
export function checkedArray(arr: readonly unknown[], at: Span): readonly unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < arr.length; i++) {
    if (!hasOwn.call(arr, i)) {
      copy ??= arr.slice(0, i);
      copy.push(undefined);
      continue;
    }
    const value = lookupGetter === undefined ? ownData(arr, String(i), at) : readIndex(arr, i, at);
    if (copy !== undefined) copy.push(value);
  }
  return copy ?? arr;
}

/** Own, enumerable data properties of a plain object or array, in insertion order. */
export function ownEntries(obj: object, at: Span): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const key of Object.keys(obj)) {
    if (FORBIDDEN_KEYS.has(key)) continue;
    out.push([key, ownData(obj, key, at)]);
  }
  return out;
}

/** The type name used in messages: `null`, `array`, `object`, `string`... */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
