import { joinArray, flatten } from './array-methods.ts';
import {
  callbackAt,
  expectArray,
  expectInteger,
  expectNumber,
  expectObject,
  expectString,
  optionalString,
  typeError,
  type FunctionSpec,
} from './callable.ts';
import type { CallSite } from './eval-context.ts';
import { ExpressionError } from './expression-error.ts';
import { FORBIDDEN_KEYS, describeType, forbiddenKeyError, ownEntries } from './property-access.ts';
import { toJson } from './safe-json.ts';
import { replaceAllLiteral, splitString } from './string-methods.ts';
import {
  arrayLimitError,
  compareValues,
  deepEquals,
  isRecord,
  preview,
  toText,
  truthy,
} from './values.ts';

/**
 * The global functions expressions may call. All are pure and deterministic: no clock, no
 * randomness, no I/O, so an expression gives the same answer when a run is replayed.
 */
function fn(
  name: string,
  params: string,
  minArgs: number,
  maxArgs: number,
  summary: string,
  call: FunctionSpec['call'],
  callbacks?: Readonly<Record<number, number>>,
): [string, FunctionSpec] {
  return [
    name,
    { name, params, minArgs, maxArgs, summary, call, ...(callbacks ? { callbacks } : {}) },
  ];
}

/** Converts to a number the way `number(x)` and unary `+` do: strictly. */
export function toNumber(value: unknown, site: CallSite): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (!Number.isNaN(n)) return n;
  }
  throw typeError(site, `cannot convert ${preview(value)} to a number`);
}

function numbersOf(args: unknown[], site: CallSite): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? expectArray(args, 0, site) : args;
  return list.map((v, i) => {
    if (typeof v !== 'number')
      throw typeError(site, `item ${i + 1} must be a number, got ${describeType(v)}`);
    return v;
  });
}

function round(n: number, digits: number, mode: (x: number) => number): number {
  if (digits === 0 || !Number.isFinite(n)) return Math.sign(n) * mode(Math.abs(n));
  // Shifting through the decimal exponent avoids 1.005 * 100 = 100.49999.
  const shifted = mode(Number(`${Math.abs(n)}e${digits}`));
  return Math.sign(n) * Number(`${shifted}e${-digits}`);
}

function setKey(out: Record<string, unknown>, key: unknown, value: unknown, site: CallSite): void {
  if (typeof key !== 'string' && typeof key !== 'number') {
    throw typeError(site, `keys must be strings or numbers, got ${describeType(key)}`);
  }
  const k = String(key);
  if (FORBIDDEN_KEYS.has(k)) throw forbiddenKeyError(k, site.at);
  out[k] = value;
}

function collectionLength(value: unknown, site: CallSite): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (isRecord(value)) return ownEntries(value, site.at).length;
  throw typeError(site, `expected a string, array or object, got ${describeType(value)}`);
}

function entriesOf(args: unknown[], site: CallSite): [string, unknown][] {
  const v = args[0];
  if (Array.isArray(v)) return expectArray(args, 0, site).map((x, i) => [String(i), x]);
  return ownEntries(expectObject(args, 0, site), site.at);
}

export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map([
  fn(
    'len',
    '(value)',
    1,
    1,
    'Length of a string or array, or the number of keys of an object.',
    (a, s) => collectionLength(a[0], s),
  ),
  fn(
    'string',
    '(value)',
    1,
    1,
    "The value as text: as in templates (null -> '', objects -> JSON).",
    (a, s) => toText(a[0], s.limits, s.at),
  ),
  fn(
    'number',
    '(value)',
    1,
    1,
    "A number from a number, numeric string or boolean; 'abc' fails.",
    (a, s) => toNumber(a[0], s),
  ),
  fn(
    'boolean',
    '(value)',
    1,
    1,
    "true for truthy values, false for false, 0, '', null, undefined, NaN.",
    (a) => truthy(a[0]),
  ),
  fn(
    'json',
    '(value, indent?)',
    1,
    2,
    'The value as JSON text, optionally indented by `indent` spaces.',
    (a, s) => {
      const indent = a[1] === undefined ? 0 : Math.min(10, Math.max(0, expectInteger(a, 1, s)));
      return toJson(a[0], s.limits, s.at, ' '.repeat(indent));
    },
  ),
  fn('parseJson', '(text)', 1, 1, 'The value encoded by a JSON text.', (a, s) => {
    const text = expectString(a, 0, s);
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new ExpressionError(
        'E_EXPR_TYPE',
        `parseJson: not valid JSON (${(cause as Error).message})`,
        s.at,
      );
    }
  }),
  fn(
    'keys',
    '(object)',
    1,
    1,
    'The own keys of an object (indexes of an array), as strings.',
    (a, s) => entriesOf(a, s).map(([k]) => k),
  ),
  fn('values', '(object)', 1, 1, 'The own values of an object (items of an array).', (a, s) =>
    entriesOf(a, s).map(([, v]) => v),
  ),
  fn('entries', '(object)', 1, 1, 'The [key, value] pairs of an object.', (a, s) =>
    entriesOf(a, s),
  ),
  fn('fromEntries', '(pairs)', 1, 1, 'An object built from [key, value] pairs.', (a, s) => {
    const out: Record<string, unknown> = {};
    for (const pair of expectArray(a, 0, s)) {
      if (!Array.isArray(pair))
        throw typeError(s, `each entry must be a [key, value] array, got ${describeType(pair)}`);
      setKey(out, pair[0], pair[1], s);
    }
    return out;
  }),
  fn(
    'min',
    '(...numbers | array)',
    1,
    Infinity,
    'The smallest number; undefined for an empty array.',
    (a, s) => {
      const ns = numbersOf(a, s);
      return ns.length === 0 ? undefined : ns.reduce((x, y) => (y < x ? y : x));
    },
  ),
  fn(
    'max',
    '(...numbers | array)',
    1,
    Infinity,
    'The largest number; undefined for an empty array.',
    (a, s) => {
      const ns = numbersOf(a, s);
      return ns.length === 0 ? undefined : ns.reduce((x, y) => (y > x ? y : x));
    },
  ),
  fn('sum', '(array)', 1, 1, 'The sum of an array of numbers (0 when empty).', (a, s) =>
    numbersOf([expectArray(a, 0, s)], s).reduce((x, y) => x + y, 0),
  ),
  fn('avg', '(array)', 1, 1, 'The mean of an array of numbers; undefined when empty.', (a, s) => {
    const ns = numbersOf([expectArray(a, 0, s)], s);
    return ns.length === 0 ? undefined : ns.reduce((x, y) => x + y, 0) / ns.length;
  }),
  fn(
    'round',
    '(number, digits?)',
    1,
    2,
    'Rounds half away from zero, to `digits` decimals (default 0).',
    (a, s) => round(expectNumber(a, 0, s), expectInteger(a, 1, s, 0), Math.round),
  ),
  fn('floor', '(number)', 1, 1, 'The largest integer <= the number.', (a, s) =>
    Math.floor(expectNumber(a, 0, s)),
  ),
  fn('ceil', '(number)', 1, 1, 'The smallest integer >= the number.', (a, s) =>
    Math.ceil(expectNumber(a, 0, s)),
  ),
  fn('abs', '(number)', 1, 1, 'The absolute value.', (a, s) => Math.abs(expectNumber(a, 0, s))),
  fn('clamp', '(number, min, max)', 3, 3, 'The number limited to the range [min, max].', (a, s) =>
    Math.min(Math.max(expectNumber(a, 0, s), expectNumber(a, 1, s)), expectNumber(a, 2, s)),
  ),
  fn('upper', '(text)', 1, 1, 'The text in upper case.', (a, s) =>
    expectString(a, 0, s).toUpperCase(),
  ),
  fn('lower', '(text)', 1, 1, 'The text in lower case.', (a, s) =>
    expectString(a, 0, s).toLowerCase(),
  ),
  fn('trim', '(text)', 1, 1, 'The text without surrounding whitespace.', (a, s) =>
    expectString(a, 0, s).trim(),
  ),
  fn('split', '(text, separator)', 2, 2, 'The parts of the text between separators.', (a, s) =>
    splitString(expectString(a, 0, s), expectString(a, 1, s), undefined, s),
  ),
  fn(
    'join',
    '(array, separator?)',
    1,
    2,
    "The items as text joined by `separator` (default ',').",
    (a, s) => joinArray(expectArray(a, 0, s), optionalString(a, 1, s, ','), s),
  ),
  fn(
    'replace',
    '(text, pattern, replacement)',
    3,
    3,
    'The text with every occurrence of `pattern` replaced.',
    (a, s) =>
      replaceAllLiteral(expectString(a, 0, s), expectString(a, 1, s), expectString(a, 2, s), s),
  ),
  fn(
    'contains',
    '(textOrArray, value)',
    2,
    2,
    'True when the text contains the substring, or the array the item.',
    (a, s) => {
      if (typeof a[0] === 'string') return a[0].includes(expectString(a, 1, s));
      return expectArray(a, 0, s).includes(a[1]);
    },
  ),
  fn('startsWith', '(text, prefix)', 2, 2, 'True when the text begins with `prefix`.', (a, s) =>
    expectString(a, 0, s).startsWith(expectString(a, 1, s)),
  ),
  fn('endsWith', '(text, suffix)', 2, 2, 'True when the text ends with `suffix`.', (a, s) =>
    expectString(a, 0, s).endsWith(expectString(a, 1, s)),
  ),
  fn('isArray', '(value)', 1, 1, 'True for arrays.', (a) => Array.isArray(a[0])),
  fn('isObject', '(value)', 1, 1, 'True for objects that are not arrays or null.', (a) =>
    isRecord(a[0]),
  ),
  fn('isString', '(value)', 1, 1, 'True for strings.', (a) => typeof a[0] === 'string'),
  fn(
    'isNumber',
    '(value)',
    1,
    1,
    'True for numbers other than NaN.',
    (a) => typeof a[0] === 'number' && !Number.isNaN(a[0]),
  ),
  fn('isBoolean', '(value)', 1, 1, 'True for true and false.', (a) => typeof a[0] === 'boolean'),
  fn('isNull', '(value)', 1, 1, 'True for null and undefined.', (a) => a[0] == null),
  fn(
    'isEmpty',
    '(value)',
    1,
    1,
    "True for null, undefined, '', [] and {}.",
    (a, s) =>
      a[0] == null ||
      a[0] === '' ||
      ((Array.isArray(a[0]) || isRecord(a[0])) && collectionLength(a[0], s) === 0),
  ),
  fn(
    'typeOf',
    '(value)',
    1,
    1,
    "'null', 'array', 'object', 'string', 'number', 'boolean' or 'undefined'.",
    (a) => describeType(a[0]),
  ),
  fn(
    'default',
    '(value, fallback)',
    2,
    2,
    "The value, or `fallback` when it is null, undefined or ''.",
    (a) => (a[0] == null || a[0] === '' ? a[1] : a[0]),
  ),
  fn(
    'coalesce',
    '(...values)',
    1,
    Infinity,
    'The first argument that is not null or undefined.',
    (a) => a.find((v) => v != null),
  ),
  fn(
    'equals',
    '(a, b)',
    2,
    2,
    'Deep equality: arrays by items, objects by own keys and values.',
    (a, s) => deepEquals(a[0], a[1], s.limits, s.at),
  ),
  fn(
    'unique',
    '(array)',
    1,
    1,
    'The items without duplicates (=== equality), first occurrence kept.',
    (a, s) => [...new Set(expectArray(a, 0, s))],
  ),
  fn(
    'flatten',
    '(array, depth?)',
    1,
    2,
    'Nested arrays flattened `depth` levels (default 1).',
    (a, s) => flatten(expectArray(a, 0, s), Math.max(0, expectInteger(a, 1, s, 1)), s),
  ),
  fn('first', '(array)', 1, 1, 'The first item, or undefined.', (a, s) => expectArray(a, 0, s)[0]),
  fn('last', '(array)', 1, 1, 'The last item, or undefined.', (a, s) => {
    const arr = expectArray(a, 0, s);
    return arr[arr.length - 1];
  }),
  fn(
    'range',
    '(start, end?, step?)',
    1,
    3,
    'Numbers from start (inclusive) to end (exclusive); range(3) is [0, 1, 2].',
    (a, s) => {
      const [start, end] =
        a.length === 1
          ? [0, expectNumber(a, 0, s)]
          : [expectNumber(a, 0, s), expectNumber(a, 1, s)];
      const step = a[2] === undefined ? 1 : expectNumber(a, 2, s);
      if (step === 0 || !Number.isFinite(step))
        throw typeError(s, 'step must be a finite number other than 0');
      const count = Math.max(0, Math.ceil((end - start) / step));
      if (!(count <= s.limits.maxArrayLength)) throw arrayLimitError(s.limits, s.at);
      return Array.from({ length: count }, (_, i) => start + i * step);
    },
  ),
  fn('pick', '(object, keys)', 2, 2, 'A copy of the object with only the given keys.', (a, s) => {
    const wanted = new Set(expectArray(a, 1, s).map(String));
    return Object.fromEntries(
      ownEntries(expectObject(a, 0, s), s.at).filter(([k]) => wanted.has(k)),
    );
  }),
  fn('omit', '(object, keys)', 2, 2, 'A copy of the object without the given keys.', (a, s) => {
    const unwanted = new Set(expectArray(a, 1, s).map(String));
    return Object.fromEntries(
      ownEntries(expectObject(a, 0, s), s.at).filter(([k]) => !unwanted.has(k)),
    );
  }),
  fn(
    'merge',
    '(...objects)',
    1,
    Infinity,
    'A shallow merge; later objects win; null and undefined are skipped.',
    (a, s) => {
      const out: Record<string, unknown> = {};
      a.forEach((_, i) => {
        if (a[i] == null) return;
        for (const [k, v] of ownEntries(expectObject(a, i, s), s.at)) out[k] = v;
      });
      return out;
    },
  ),
  fn(
    'sortBy',
    '(array, item => key)',
    2,
    2,
    'A copy sorted by the key (numbers or strings); stable.',
    (a, s) => {
      const by = callbackAt(a, 1);
      const keyed = expectArray(a, 0, s).map((item, i) => ({ item, key: by(item, i) }));
      keyed.sort((x, y) => compareValues(x.key, y.key, 'sortBy', s.at));
      return keyed.map((k) => k.item);
    },
    { 1: 2 },
  ),
  fn(
    'groupBy',
    '(array, item => key)',
    2,
    2,
    'An object of arrays, keyed by the callback result.',
    (a, s) => {
      const by = callbackAt(a, 1);
      const out: Record<string, unknown[]> = {};
      expectArray(a, 0, s).forEach((item, i) => {
        const key = by(item, i);
        const k = String(key);
        if (!Object.prototype.hasOwnProperty.call(out, k)) setKey(out, key, [], s);
        (out[k] as unknown[]).push(item);
      });
      return out;
    },
    { 1: 2 },
  ),
  fn(
    'count',
    '(array, item => condition?)',
    1,
    2,
    'The number of items (for which the callback is truthy).',
    (a, s) => {
      const arr = expectArray(a, 0, s);
      if (a[1] === undefined) return arr.length;
      const test = callbackAt(a, 1);
      return arr.reduce<number>((n, item, i) => (truthy(test(item, i)) ? n + 1 : n), 0);
    },
    { 1: 2 },
  ),
  fn(
    'encodeUriComponent',
    '(text)',
    1,
    1,
    'The text percent-encoded for use in a URL component.',
    (a, s) => encodeURIComponent(expectString(a, 0, s)),
  ),
  fn(
    'decodeUriComponent',
    '(text)',
    1,
    1,
    'Decodes percent-encoding; fails on malformed input.',
    (a, s) => {
      try {
        return decodeURIComponent(expectString(a, 0, s));
      } catch {
        throw typeError(s, 'malformed percent-encoding');
      }
    },
  ),
]);
