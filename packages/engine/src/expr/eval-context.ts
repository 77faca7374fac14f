import type { Span } from './ast.ts';
import { ExpressionError } from './expression-error.ts';
import type { ExpressionLimits } from './limits.ts';

/**
 * What compiled closures share at run time. Kept tiny on purpose: expressions without arrow
 * functions cannot loop, so they run with a shared context and allocate nothing per
 * evaluation; only callbacks count steps.
 */
export interface EvalContext {
  steps: number;
  readonly maxSteps: number;
}

/** Arrow-function parameters: `frame[0]` is the enclosing frame, parameters from index 1. */
export type Frame = unknown[] | null;

/** The scope an expression reads its roots from (`flow`, `nodes`, `vars`, ...). */
export type ScopeRecord = object;

/** A compiled expression (or sub-expression). */
export type Evaluator = (scope: ScopeRecord, frame: Frame, ctx: EvalContext) => unknown;

/** A function value made from an arrow passed to a whitelisted function or method. */
export type Caller = (a?: unknown, b?: unknown, c?: unknown) => unknown;

/** A compiled arrow function, turned into a `Caller` once per call of its method. */
export interface CompiledArrow {
  readonly body: Evaluator;
  /** Steps charged per call: the size of the body. */
  readonly cost: number;
  readonly at: Span;
}

/** Fixed facts about one call site, built at compile time so calls allocate less. */
export interface CallSite {
  readonly name: string;
  readonly at: Span;
  readonly limits: ExpressionLimits;
}

/** A context for expressions that have no callbacks: nothing ever writes to it. */
export const NO_STEPS: EvalContext = Object.freeze({ steps: 0, maxSteps: Infinity }) as EvalContext;

export function createContext(limits: ExpressionLimits): EvalContext {
  return { steps: 0, maxSteps: limits.maxSteps };
}

export function stepLimitError(ctx: EvalContext, at: Span): ExpressionError {
  return new ExpressionError(
    'E_EXPR_LIMIT',
    `The expression ran out of steps (budget ${ctx.maxSteps}); it does too much work, e.g. callbacks over very large arrays`,
    at,
  );
}

/**
 * Makes the function a whitelisted method calls for each element. One parameter frame is
 * reused for every call: arrows cannot escape (they are only ever arguments), and each call
 * finishes before the next starts, so no call can observe another's parameters.
 */
export function makeCaller(
  arrow: CompiledArrow,
  scope: ScopeRecord,
  parent: Frame,
  ctx: EvalContext,
): Caller {
  const frame: unknown[] = [parent, undefined, undefined, undefined];
  const { body, cost, at } = arrow;
  return (a, b, c) => {
    ctx.steps += cost;
    if (ctx.steps > ctx.maxSteps) throw stepLimitError(ctx, at);
    frame[1] = a;
    frame[2] = b;
    frame[3] = c;
    return body(scope, frame, ctx);
  };
}
