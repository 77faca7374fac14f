import { ExpressionError } from './expression-error.ts';
import type { Caller, CallSite, EvalContext } from './eval-context.ts';
import { checkedArray, describeType } from './property-access.ts';

/** A whitelisted global function (`len(x)`, `join(items, ', ')`...). */
export interface FunctionSpec {
  readonly name: string;
  /** The signature shown in completions and docs, e.g. `(array, separator?)`. */
  readonly params: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Argument index -> most parameters the arrow function at that index may declare. */
  readonly callbacks?: Readonly<Record<number, number>>;
  readonly summary: string;
  readonly call: (args: unknown[], site: CallSite, ctx: EvalContext) => unknown;
}

/** A whitelisted method of one receiver type (`items.map(...)`, `name.trim()`...). */
export interface MethodSpec {
  readonly name: string;
  readonly params: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly callbacks?: Readonly<Record<number, number>>;
  readonly summary: string;
  readonly call: (receiver: never, args: unknown[], site: CallSite, ctx: EvalContext) => unknown;
}

export function typeError(site: CallSite, message: string): ExpressionError {
  return new ExpressionError('E_EXPR_TYPE', `${site.name}: ${message}`, site.at);
}

function argName(i: number): string {
  return `argument ${i + 1}`;
}

/** An array argument, checked element by element (see checkedArray). */
export function expectArray(args: unknown[], i: number, site: CallSite): readonly unknown[] {
  const v = args[i];
  if (Array.isArray(v)) return checkedArray(v, site.at);
  throw typeError(site, `${argName(i)} must be an array, got ${describeType(v)}`);
}

export function expectString(args: unknown[], i: number, site: CallSite): string {
  const v = args[i];
  if (typeof v === 'string') return v;
  throw typeError(site, `${argName(i)} must be a string, got ${describeType(v)}`);
}

export function optionalString(
  args: unknown[],
  i: number,
  site: CallSite,
  fallback: string,
): string {
  return args[i] === undefined ? fallback : expectString(args, i, site);
}

export function expectNumber(args: unknown[], i: number, site: CallSite): number {
  const v = args[i];
  if (typeof v === 'number') return v;
  throw typeError(site, `${argName(i)} must be a number, got ${describeType(v)}`);
}

/** An integer argument (fractions are truncated as in JavaScript); NaN is refused. */
export function expectInteger(
  args: unknown[],
  i: number,
  site: CallSite,
  fallback?: number,
): number {
  if (args[i] === undefined && fallback !== undefined) return fallback;
  const v = expectNumber(args, i, site);
  if (Number.isNaN(v)) throw typeError(site, `${argName(i)} must be a number, got NaN`);
  return Math.trunc(v);
}

export function expectObject(args: unknown[], i: number, site: CallSite): Record<string, unknown> {
  const v = args[i];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  throw typeError(site, `${argName(i)} must be an object, got ${describeType(v)}`);
}

/** The arrow function at `i` (the compiler guarantees callback positions hold arrows). */
export function callbackAt(args: unknown[], i: number): Caller {
  return args[i] as Caller;
}

/** Checks the number of arguments of a call against its spec. */
export function checkArity(
  spec: { minArgs: number; maxArgs: number; params: string },
  count: number,
  site: CallSite,
): void {
  if (count >= spec.minArgs && count <= spec.maxArgs) return;
  const expected =
    spec.minArgs === spec.maxArgs
      ? `${spec.minArgs}`
      : spec.maxArgs === Infinity
        ? `at least ${spec.minArgs}`
        : `${spec.minArgs} to ${spec.maxArgs}`;
  throw typeError(
    site,
    `expected ${expected} argument${expected === '1' ? '' : 's'} ${site.name}${spec.params}, got ${count}`,
  );
}
