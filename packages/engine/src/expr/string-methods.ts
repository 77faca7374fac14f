import {
  expectInteger,
  expectNumber,
  expectString,
  optionalString,
  typeError,
  type MethodSpec,
} from './callable.ts';
import type { CallSite } from './eval-context.ts';
import { arrayLimitError, checkString, stringLimitError } from './values.ts';

/**
 * Methods of strings and numbers. Patterns are plain strings, never regular expressions
 * (a user-supplied RegExp can backtrack for minutes), and replacement text is literal: `$&`
 * and friends are not expanded, so a replacement cannot grow a string quadratically. Every
 * method that can produce a long string checks the size BEFORE allocating it.
 */
type StringMethod = Omit<MethodSpec, 'call'> & {
  call(s: string, args: unknown[], site: CallSite): unknown;
};
type NumberMethod = Omit<MethodSpec, 'call'> & {
  call(n: number, args: unknown[], site: CallSite): unknown;
};

function simple(name: string, summary: string, fn: (s: string) => unknown): [string, MethodSpec] {
  return [
    name,
    { name, params: '()', minArgs: 0, maxArgs: 0, summary, call: fn } as unknown as MethodSpec,
  ];
}

function method(spec: StringMethod): [string, MethodSpec] {
  return [spec.name, spec as unknown as MethodSpec];
}

function countOccurrences(s: string, pattern: string): number {
  let count = 0;
  for (let i = s.indexOf(pattern); i !== -1; i = s.indexOf(pattern, i + pattern.length)) count++;
  return count;
}

/** Literal replace-all, sized before it is built. An empty pattern is refused (ambiguous). */
export function replaceAllLiteral(
  s: string,
  pattern: string,
  replacement: string,
  site: CallSite,
): string {
  if (pattern === '') throw typeError(site, 'the pattern must not be empty');
  const count = countOccurrences(s, pattern);
  if (s.length + count * (replacement.length - pattern.length) > site.limits.maxStringLength) {
    throw stringLimitError(site.limits, site.at);
  }
  return s.split(pattern).join(replacement);
}

function pad(s: string, args: unknown[], site: CallSite, atStart: boolean): string {
  const length = expectInteger(args, 0, site);
  const fill = optionalString(args, 1, site, ' ');
  if (length > site.limits.maxStringLength) throw stringLimitError(site.limits, site.at);
  return atStart ? s.padStart(length, fill) : s.padEnd(length, fill);
}

/** split with the size checked: at most maxArrayLength parts are ever materialised. */
export function splitString(
  s: string,
  separator: string,
  limit: number | undefined,
  site: CallSite,
): string[] {
  const max = site.limits.maxArrayLength;
  const parts = s.split(separator, Math.min(limit ?? max + 1, max + 1));
  if (parts.length > max) throw arrayLimitError(site.limits, site.at);
  return parts;
}

export const STRING_METHODS: ReadonlyMap<string, MethodSpec> = new Map([
  simple('toUpperCase', 'The string in upper case.', (s) => s.toUpperCase()),
  simple('toLowerCase', 'The string in lower case.', (s) => s.toLowerCase()),
  simple('trim', 'The string without leading and trailing whitespace.', (s) => s.trim()),
  simple('trimStart', 'The string without leading whitespace.', (s) => s.trimStart()),
  simple('trimEnd', 'The string without trailing whitespace.', (s) => s.trimEnd()),
  method({
    name: 'split',
    params: '(separator, limit?)',
    minArgs: 1,
    maxArgs: 2,
    summary: "The parts between occurrences of `separator` ('' splits into characters).",
    call: (s, args, site) =>
      splitString(
        s,
        expectString(args, 0, site),
        args[1] === undefined ? undefined : expectInteger(args, 1, site),
        site,
      ),
  }),
  method({
    name: 'slice',
    params: '(start?, end?)',
    minArgs: 0,
    maxArgs: 2,
    summary: 'The characters from `start` up to `end`; negative counts from the end.',
    call: (s, args, site) =>
      s.slice(expectInteger(args, 0, site, 0), expectInteger(args, 1, site, s.length)),
  }),
  method({
    name: 'substring',
    params: '(start, end?)',
    minArgs: 1,
    maxArgs: 2,
    summary: 'The characters between two indexes (negative counts as 0).',
    call: (s, args, site) =>
      s.substring(expectInteger(args, 0, site), expectInteger(args, 1, site, s.length)),
  }),
  method({
    name: 'startsWith',
    params: '(prefix)',
    minArgs: 1,
    maxArgs: 1,
    summary: 'True when the string begins with `prefix`.',
    call: (s, args, site) => s.startsWith(expectString(args, 0, site)),
  }),
  method({
    name: 'endsWith',
    params: '(suffix)',
    minArgs: 1,
    maxArgs: 1,
    summary: 'True when the string ends with `suffix`.',
    call: (s, args, site) => s.endsWith(expectString(args, 0, site)),
  }),
  method({
    name: 'includes',
    params: '(text)',
    minArgs: 1,
    maxArgs: 1,
    summary: 'True when `text` occurs in the string.',
    call: (s, args, site) => s.includes(expectString(args, 0, site)),
  }),
  method({
    name: 'indexOf',
    params: '(text)',
    minArgs: 1,
    maxArgs: 1,
    summary: 'The index of the first occurrence of `text`, or -1.',
    call: (s, args, site) => s.indexOf(expectString(args, 0, site)),
  }),
  method({
    name: 'lastIndexOf',
    params: '(text)',
    minArgs: 1,
    maxArgs: 1,
    summary: 'The index of the last occurrence of `text`, or -1.',
    call: (s, args, site) => s.lastIndexOf(expectString(args, 0, site)),
  }),
  method({
    name: 'replace',
    params: '(pattern, replacement)',
    minArgs: 2,
    maxArgs: 2,
    summary: 'The string with the FIRST occurrence of `pattern` replaced (literally, no regex).',
    call: (s, args, site) => {
      const pattern = expectString(args, 0, site);
      const replacement = expectString(args, 1, site);
      const at = s.indexOf(pattern);
      if (at === -1) return s;
      return checkString(
        s.slice(0, at) + replacement + s.slice(at + pattern.length),
        site.limits,
        site.at,
      );
    },
  }),
  method({
    name: 'replaceAll',
    params: '(pattern, replacement)',
    minArgs: 2,
    maxArgs: 2,
    summary: 'The string with EVERY occurrence of `pattern` replaced (literally, no regex).',
    call: (s, args, site) =>
      replaceAllLiteral(s, expectString(args, 0, site), expectString(args, 1, site), site),
  }),
  method({
    name: 'padStart',
    params: '(length, fill?)',
    minArgs: 1,
    maxArgs: 2,
    summary: "The string padded at the start to `length` with `fill` (default ' ').",
    call: (s, args, site) => pad(s, args, site, true),
  }),
  method({
    name: 'padEnd',
    params: '(length, fill?)',
    minArgs: 1,
    maxArgs: 2,
    summary: "The string padded at the end to `length` with `fill` (default ' ').",
    call: (s, args, site) => pad(s, args, site, false),
  }),
  method({
    name: 'repeat',
    params: '(count)',
    minArgs: 1,
    maxArgs: 1,
    summary: 'The string repeated `count` times.',
    call: (s, args, site) => {
      const count = expectInteger(args, 0, site);
      if (count < 0 || !Number.isFinite(count))
        throw typeError(site, `the count must be a finite number >= 0, got ${count}`);
      if (s.length * count > site.limits.maxStringLength)
        throw stringLimitError(site.limits, site.at);
      return s.repeat(count);
    },
  }),
  method({
    name: 'charAt',
    params: '(index)',
    minArgs: 1,
    maxArgs: 1,
    summary: "The character at `index`, or '' past the end.",
    call: (s, args, site) => s.charAt(expectInteger(args, 0, site)),
  }),
  method({
    name: 'at',
    params: '(index)',
    minArgs: 1,
    maxArgs: 1,
    summary: 'The character at `index`; negative counts from the end; undefined past the end.',
    call: (s, args, site) => s.at(expectInteger(args, 0, site)),
  }),
  method({
    name: 'concat',
    params: '(...strings)',
    minArgs: 0,
    maxArgs: Infinity,
    summary: 'The string followed by the arguments (each must be a string).',
    call: (s, args, site) => {
      let total = s.length;
      for (let i = 0; i < args.length; i++) total += expectString(args, i, site).length;
      if (total > site.limits.maxStringLength) throw stringLimitError(site.limits, site.at);
      return s.concat(...(args as string[]));
    },
  }),
]);

function numberMethod(spec: NumberMethod): [string, MethodSpec] {
  return [spec.name, spec as unknown as MethodSpec];
}

export const NUMBER_METHODS: ReadonlyMap<string, MethodSpec> = new Map([
  numberMethod({
    name: 'toFixed',
    params: '(digits?)',
    minArgs: 0,
    maxArgs: 1,
    summary: 'The number as text with `digits` decimals (0 to 100).',
    call: (n, args, site) => {
      const digits = expectInteger(args, 0, site, 0);
      if (digits < 0 || digits > 100)
        throw typeError(site, `digits must be between 0 and 100, got ${digits}`);
      return n.toFixed(digits);
    },
  }),
  numberMethod({
    name: 'toPrecision',
    params: '(digits)',
    minArgs: 1,
    maxArgs: 1,
    summary: 'The number as text with `digits` significant digits (1 to 100).',
    call: (n, args, site) => {
      const digits = expectInteger(args, 0, site);
      if (digits < 1 || digits > 100)
        throw typeError(site, `digits must be between 1 and 100, got ${digits}`);
      return n.toPrecision(digits);
    },
  }),
  numberMethod({
    name: 'toString',
    params: '(radix?)',
    minArgs: 0,
    maxArgs: 1,
    summary: 'The number as text, in base `radix` (2 to 36, default 10).',
    call: (n, args, site) => {
      const radix = args[0] === undefined ? 10 : expectNumber(args, 0, site);
      if (!Number.isInteger(radix) || radix < 2 || radix > 36) {
        throw typeError(site, `radix must be an integer between 2 and 36, got ${radix}`);
      }
      return n.toString(radix);
    },
  }),
]);
