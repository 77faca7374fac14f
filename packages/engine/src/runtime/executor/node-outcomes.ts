import { DEFAULT_PORT } from '../../model/ports.ts';
import type { CNode, Evaluable } from '../compile-flow.ts';
import {
  attemptFailureStep,
  isRetryable,
  nodeFailureStep,
  type NodeFailureStep,
} from '../decisions/failure-step.ts';
import { checkOutput } from '../decisions/output-check.ts';
import { recordsInside } from '../decisions/retry-reset.ts';
import type { NewRunEvent, NodeError, NodeSucceeded } from '../events.ts';
import type { Frame } from '../frame.ts';
import { toNodeError } from '../node-errors.ts';
import type { RunContext } from './run-context.ts';
import { frameDone, frameFailed } from './run-frames.ts';
import { scope } from './run-scope.ts';
import { ensureTimer } from './timers.ts';

// What a node's result or failure leads to, applied: the events recorded, the successors made
// ready, the retry timer armed, the frame failed. The decisions themselves are in
// ../decisions/ (failure-step.ts, output-check.ts); this file performs them.

const NO_EXTRA = {} as const;

/** Extra facts of a success, recorded in NodeSucceeded. */
export interface SuccessExtra {
  readonly port?: string | undefined;
  readonly vars?: Record<string, unknown> | undefined;
  readonly returned?: boolean | undefined;
  readonly cached?: boolean | undefined;
  readonly input?: unknown;
  /** Not executed: the output came from a mock, a pin or a rerun's reuse. */
  readonly replaced?: 'mocked' | 'pinned' | 'reused' | undefined;
}

/** Marks a node resolved with the port it chose (`null`: inactive) and readies successors. */
export function resolveNode(ctx: RunContext, frame: Frame, node: CNode, port: string | null): void {
  if (frame.failed || frame.finished) return;
  frame.unresolved--;
  for (const e of node.outEdges) {
    const t = e.to.index;
    if (port !== null && e.port === port) frame.activeIn[t]!++;
    if (--frame.pending[t]! === 0) ctx.pushReady(frame, e.to);
  }
  if (frame.unresolved === 0) ctx.push(() => frameDone(frame));
}

/** Records a skip (once) and resolves the node: `skipIf` on the default port, dead on none. */
export function skipNode(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  reason: 'skipIf' | 'dead',
): void {
  const path = frame.pathOf(node);
  if (ctx.state.nodes.get(path)?.status !== 'skipped') {
    ctx.emit({ type: 'NodeSkipped', path, reason }, frame);
  }
  resolveNode(ctx, frame, node, reason === 'skipIf' ? DEFAULT_PORT : null);
}

/** Records success (once) and resolves the node; an output that cannot be stored fails it. */
export function succeedNode(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  output: unknown,
  extra: SuccessExtra = NO_EXTRA,
): void {
  if (frame.failed || frame.finished || ctx.ended) return;
  const checked = checkOutput(output, ctx.services.limits.maxOutputBytes);
  if ('error' in checked) {
    failNode(ctx, frame, node, path, attempt, checked.error);
    return;
  }
  const rec = ctx.state.nodes.get(path);
  if (rec?.status !== 'succeeded') {
    // Optional fields assigned one by one: spreading conditional literals allocates several
    // objects per node, and this runs once for every node of every run.
    const event: { -readonly [K in keyof NodeSucceeded]?: NodeSucceeded[K] } = {
      type: 'NodeSucceeded',
      path,
      attempt,
      output: checked.value,
    };
    if (extra.port !== undefined && extra.port !== DEFAULT_PORT) event.port = extra.port;
    if (extra.vars) event.vars = extra.vars;
    if (extra.returned) event.returned = true;
    if (extra.cached) event.cached = true;
    if (extra.input !== undefined) event.input = extra.input;
    if (extra.replaced !== undefined) event[extra.replaced] = true;
    ctx.emit(event as NewRunEvent, frame);
    if (extra.returned) {
      const value = checked.value;
      ctx.effects.push(() => ctx.services.returned(ctx, value));
    }
  }
  resolveNode(ctx, frame, node, extra.port ?? DEFAULT_PORT);
}

/** An attempt failed: retry it per its policy (arming the retry timer), or fail the node. */
export function failAttempt(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  error: NodeError,
): void {
  if (frame.failed || frame.finished || ctx.ended) return;
  const step = attemptFailureStep(
    node.def,
    path,
    attempt,
    error,
    ctx.services.clock.now(),
    ctx.services.ids.random,
    (e) => isRetryable(e, node.def.retry?.retryOn, retryOnExpression(ctx, frame, node, e)),
  );
  if (step.kind !== 'retry') {
    applyFailure(ctx, frame, node, path, attempt, error, step);
    return;
  }
  ctx.retryFrames.set(path, frame);
  ctx.emit(
    {
      type: 'NodeRetryScheduled',
      path,
      attempt,
      error,
      delayMs: step.delayMs,
      dueAt: step.dueAt,
      ...(node.body
        ? { reset: recordsInside(ctx.state.nodes.keys(), frame.prefix, node, path) }
        : {}),
    },
    frame,
  );
  ensureTimer(
    ctx,
    path,
    'retry',
    step.dueAt,
    attempt,
    () => retryDue(ctx, frame, node, path, attempt + 1),
    frame,
  );
}

/** A retry timer fired: the next attempt runs, unless its scope ended meanwhile. */
export function retryDue(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
): void {
  ctx.retryFrames.delete(path);
  if (frame.failed || frame.finished || ctx.ended) return;
  ctx.runNode(frame, node, path, attempt);
}

/** The node failed for good: continueOnError turns the error into its output, else its frame fails. */
export function failNode(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  error: NodeError,
): void {
  if (frame.failed || frame.finished || ctx.ended) return;
  applyFailure(ctx, frame, node, path, attempt, error, nodeFailureStep(node.def, path, error));
}

function applyFailure(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  error: NodeError,
  step: NodeFailureStep,
): void {
  if (step.kind === 'recover') {
    if (ctx.state.nodes.get(path)?.status !== 'succeeded') {
      ctx.emit(
        { type: 'NodeSucceeded', path, attempt, output: step.output, recovered: true },
        frame,
      );
    }
    resolveNode(ctx, frame, node, DEFAULT_PORT);
    return;
  }
  if (ctx.state.nodes.get(path)?.status !== 'failed') {
    ctx.emit({ type: 'NodeFailed', path, attempt, error }, frame);
  }
  frameFailed(ctx, frame, step.error);
}

/** A `retryOn` expression, evaluated with `$<error>`; one that fails to evaluate says no. */
function retryOnExpression(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  error: NodeError,
): (() => boolean) | undefined {
  const retryOn = node.retryOn;
  if (!retryOn) return undefined;
  return () => {
    try {
      return Boolean(retryOn.value.evaluate({ ...scope(ctx, frame, retryOn, node), error }));
    } catch {
      return false;
    }
  };
}

/** Evaluates an expression of a node; an expression error fails the node (returns undefined). */
export function evaluateAt(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  ev: Evaluable,
  path: string,
  attempt: number,
): { value: unknown } | undefined {
  try {
    return { value: ev.value.evaluate(scope(ctx, frame, ev, node)) };
  } catch (err) {
    failNode(ctx, frame, node, path, attempt, toNodeError(err));
    return undefined;
  }
}
