import {
  callbackAt,
  expectInteger,
  optionalString,
  typeError,
  type MethodSpec,
} from './callable.ts';
import type { CallSite, EvalContext } from './eval-context.ts';
import { arrayLimitError, compareValues, stringLimitError, toText, truthy } from './values.ts';

/**
 * The methods expressions may call on arrays. None mutates its receiver: `sort` and
 * `reverse` return sorted / reversed copies, because scope data (node outputs) is shared
 * between expressions and must look the same to all of them.
 */
type ArrayMethod = Omit<MethodSpec, 'call'> & {
  call(arr: readonly unknown[], args: unknown[], site: CallSite, ctx: EvalContext): unknown;
};

const ITEM_INDEX = { 0: 2 } as const;

function method(spec: ArrayMethod): [string, MethodSpec] {
  return [spec.name, spec as MethodSpec];
}

/** Joins with the same stringification as templates, checking the size before building. */
export function joinArray(arr: readonly unknown[], sep: string, site: CallSite): string {
  const parts = arr.map((v) => toText(v, site.limits, site.at));
  let total = sep.length * Math.max(0, parts.length - 1);
  for (const p of parts) total += p.length;
  if (total > site.limits.maxStringLength) throw stringLimitError(site.limits, site.at);
  return parts.join(sep);
}

/** Flattens up to `depth` levels, failing as soon as the result passes maxArrayLength. */
export function flatten(arr: readonly unknown[], depth: number, site: CallSite): unknown[] {
  const out: unknown[] = [];
  const max = site.limits.maxArrayLength;
  const walk = (items: readonly unknown[], level: number): void => {
    if (level > site.limits.maxDataDepth)
      throw typeError(site, `the data is nested deeper than ${site.limits.maxDataDepth} levels`);
    for (const item of items) {
      if (Array.isArray(item) && level < depth) walk(item, level + 1);
      else if (out.push(item) > max) throw arrayLimitError(site.limits, site.at);
    }
  };
  walk(arr, 0);
  return out;
}

function sortCopy(arr: readonly unknown[], args: unknown[], site: CallSite): unknown[] {
  const copy = arr.slice();
  if (args[0] === undefined) return copy.sort((a, b) => compareValues(a, b, 'sort', site.at));
  const compare = callbackAt(args, 0);
  return copy.sort((a, b) => {
    const r = compare(a, b);
    if (typeof r !== 'number')
      throw typeError(site, `the compare function must return a number, got ${typeof r}`);
    return r;
  });
}

export const ARRAY_METHODS: ReadonlyMap<string, MethodSpec> = new Map([
  method({
    name: 'map',
    params: '(item => value)',
    minArgs: 1,
    maxArgs: 1,
    callbacks: ITEM_INDEX,
    summary: 'A new array with the callback applied to every item.',
    call: (arr, args) => {
      const fn = callbackAt(args, 0);
      const out = new Array<unknown>(arr.length);
      for (let i = 0; i < arr.length; i++) out[i] = fn(arr[i], i);
      return out;
    },
  }),
  method({
    name: 'filter',
    params: '(item => condition)',
    minArgs: 1,
    maxArgs: 1,
    callbacks: ITEM_INDEX,
    summary: 'The items for which the callback is truthy.',
    call: (arr, args) => {
      const fn = callbackAt(args, 0);
      const out: unknown[] = [];
      for (let i = 0; i < arr.length; i++) if (truthy(fn(arr[i], i))) out.push(arr[i]);
      return out;
    },
  }),
  method({
    name: 'find',
    params: '(item => condition)',
    minArgs: 1,
    maxArgs: 1,
    callbacks: ITEM_INDEX,
    summary: 'The first item for which the callback is truthy, or undefined.',
    call: (arr, args) => {
      const fn = callbackAt(args, 0);
      for (let i = 0; i < arr.length; i++) if (truthy(fn(arr[i], i))) return arr[i];
      return undefined;
    },
  }),
  method({
    name: 'findIndex',
    params: '(item => condition)',
    minArgs: 1,
    maxArgs: 1,
    callbacks: ITEM_INDEX,
    summary: 'The index of the first matching item, or -1.',
    call: (arr, args) => {
      const fn = callbackAt(args, 0);
      for (let i = 0; i < arr.length; i++) if (truthy(fn(arr[i], i))) return i;
      return -1;
    },
  }),
  method({
    name: 'findLast',
    params: '(item => condition)',
    minArgs: 1,
    maxArgs: 1,
    callbacks: ITEM_INDEX,
    summary: 'The last item for which the callback is truthy, or undefined.',
    call: (arr, args) => {
      const fn = callbackAt(args, 0);
      for (let i = arr.length - 1; i >= 0; i--) if (truthy(fn(arr[i], i))) return arr[i];
      return undefined;
    },
  }),
  method({
    name: 'findLastIndex',
    params: '(item => condition)',
    minArgs: 1,
    maxArgs: 1,
    callbacks: ITEM_INDEX,
    summary: 'The index of the last matching item, or -1.',
    call: (arr, args) => {
      const fn = callbackAt(args, 0);
      for (let i = arr.length - 1; i >= 0; i--) if (truthy(fn(arr[i], i))) return i;
      return -1;
    },
  }),
  method({
    name: 'some',
    params: '(item => condition)',
    minArgs: 1,
    maxArgs: 1,
    callbacks: ITEM_INDEX,
    summary: 'True when the callback is truthy for at least one item.',
    call: (arr, args) => {
      const fn = callbackAt(args, 0);
      for (let i = 0; i < arr.length; i++) if (truthy(fn(arr[i], i))) return true;
      return false;
    },
  }),
  method({
    name: 'every',
    params: '(item => condition)',
    minArgs: 1,
    maxArgs: 1,
    callbacks: ITEM_INDEX,
    summary: 'True when the callback is truthy for every item (and for an empty array).',
    call: (arr, args) => {
      const fn = callbackAt(args, 0);
      for (let i = 0; i < arr.length; i++) if (!truthy(fn(arr[i], i))) return false;
      return true;
    },
  }),
  method({
    name: 'reduce',
    params: '((acc, item) => acc, initial?)',
    minArgs: 1,
    maxArgs: 2,
    callbacks: { 0: 3 },
    summary: 'Folds the items into one value, starting from `initial` (or the first item).',
    call: (arr, args, site) => {
      const fn = callbackAt(args, 0);
      let i = 0;
      let acc: unknown;
      if (args.length >= 2) acc = args[1];
      else if (arr.length === 0)
        throw typeError(site, 'cannot reduce an empty array without an initial value');
      else acc = arr[i++];
      for (; i < arr.length; i++) acc = fn(acc, arr[i], i);
      return acc;
    },
  }),
  method({
    name: 'flatMap',
    params: '(item => array)',
    minArgs: 1,
    maxArgs: 1,
    callbacks: ITEM_INDEX,
    summary: 'Maps every item, then flattens the results one level.',
    call: (arr, args, site) => {
      const fn = callbackAt(args, 0);
      const mapped = new Array<unknown>(arr.length);
      for (let i = 0; i < arr.length; i++) mapped[i] = fn(arr[i], i);
      return flatten(mapped, 1, site);
    },
  }),
  method({
    name: 'sort',
    params: '((a, b) => number)?',
    minArgs: 0,
    maxArgs: 1,
    callbacks: { 0: 2 },
    summary: 'A sorted copy; without a callback numbers sort numerically and strings by code unit.',
    call: (arr, args, site) => sortCopy(arr, args, site),
  }),
  method({
    name: 'reverse',
    params: '()',
    minArgs: 0,
    maxArgs: 0,
    summary: 'A reversed copy (the original is unchanged).',
    call: (arr) => arr.slice().reverse(),
  }),
  method({
    name: 'includes',
    params: '(value)',
    minArgs: 1,
    maxArgs: 1,
    summary: 'True when an item is === the value (NaN matches NaN).',
    call: (arr, args) => arr.includes(args[0]),
  }),
  method({
    name: 'indexOf',
    params: '(value)',
    minArgs: 1,
    maxArgs: 1,
    summary: 'The index of the first item === the value, or -1.',
    call: (arr, args) => arr.indexOf(args[0]),
  }),
  method({
    name: 'lastIndexOf',
    params: '(value)',
    minArgs: 1,
    maxArgs: 1,
    summary: 'The index of the last item === the value, or -1.',
    call: (arr, args) => arr.lastIndexOf(args[0]),
  }),
  method({
    name: 'join',
    params: '(separator?)',
    minArgs: 0,
    maxArgs: 1,
    summary: "The items as text, separated by `separator` (default ','); objects become JSON.",
    call: (arr, args, site) => joinArray(arr, optionalString(args, 0, site, ','), site),
  }),
  method({
    name: 'slice',
    params: '(start?, end?)',
    minArgs: 0,
    maxArgs: 2,
    summary: 'The items from `start` up to (not including) `end`; negative counts from the end.',
    call: (arr, args, site) =>
      arr.slice(expectInteger(args, 0, site, 0), expectInteger(args, 1, site, arr.length)),
  }),
  method({
    name: 'concat',
    params: '(...arraysOrValues)',
    minArgs: 0,
    maxArgs: Infinity,
    summary: 'A new array with the arguments appended (arrays are spread one level).',
    call: (arr, args, site) => {
      let total = arr.length;
      for (const a of args) total += Array.isArray(a) ? a.length : 1;
      if (total > site.limits.maxArrayLength) throw arrayLimitError(site.limits, site.at);
      return arr.concat(...args.map((a) => (Array.isArray(a) ? a : [a])));
    },
  }),
  method({
    name: 'flat',
    params: '(depth?)',
    minArgs: 0,
    maxArgs: 1,
    summary: 'Flattens nested arrays `depth` levels deep (default 1).',
    call: (arr, args, site) => flatten(arr, Math.max(0, expectInteger(args, 0, site, 1)), site),
  }),
  method({
    name: 'at',
    params: '(index)',
    minArgs: 1,
    maxArgs: 1,
    summary: 'The item at `index`; negative counts from the end.',
    call: (arr, args, site) => {
      const i = expectInteger(args, 0, site);
      const k = i < 0 ? arr.length + i : i;
      return k >= 0 && k < arr.length && Object.prototype.hasOwnProperty.call(arr, k)
        ? arr[k]
        : undefined;
    },
  }),
]);
