import type { CNode } from '../compile-flow.ts';
import { planWait } from '../decisions/wait-plan.ts';
import { deadlineOutcome, waitOutcome, type WaitOutcome } from '../decisions/wait-outcome.ts';
import type { ParentLink, TimerPurpose, WaitInfo } from '../events.ts';
import type { Frame } from '../frame.ts';
import { toNodeError } from '../node-errors.ts';
import { redact } from '../redact.ts';
import type { Waiter } from './executor-support.ts';
import type { RunContext } from './run-context.ts';
import { evaluateAt, failAttempt, failNode, succeedNode } from './node-outcomes.ts';
import { secretValues } from './run-scope.ts';
import { clearTimersOf, ensureTimer } from './timers.ts';

// Parked nodes: approval, waitForEvent, wait and subflow, woken by signals and timers. What a
// wait is and how it ends are decided in ../decisions/ (wait-plan.ts, wait-outcome.ts).

/** Starts a parking node: records NodeSuspended (the token to wake it) and arms its deadline. */
export function startWait(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
): void {
  const r = evaluateAt(ctx, frame, node, node.input, path, attempt);
  if (!r) return;
  const input = (r.value ?? {}) as Record<string, unknown>;
  const raw = (node.def.input as Record<string, unknown> | undefined)?.['filter'];
  const plan = planWait(node.type, input, {
    runId: ctx.runId,
    nodeId: node.id,
    path,
    attempt,
    now: ctx.services.clock.now(),
    token: ctx.services.ids.token(),
    rawFilter: node.type === 'waitForEvent' && typeof raw === 'string' ? raw : undefined,
  });
  if (plan.kind === 'done') {
    succeedNode(ctx, frame, node, path, attempt, plan.output);
    return;
  }
  if (plan.kind === 'fail') {
    failNode(ctx, frame, node, path, attempt, plan.error);
    return;
  }
  const wait = plan.wait;
  if (wait.kind === 'subflow') ensureChild(ctx, frame, node, path, attempt, wait, input);
  ctx.emit(
    {
      type: 'NodeSuspended',
      path,
      attempt,
      wait,
      input: redact(input, secretValues(ctx, node.input)),
    },
    frame,
  );
  park(ctx, { frame, node, path, attempt, wait });
}

/** Waits for the waiter's token, arming its deadline timer if it has one. */
export function park(ctx: RunContext, waiter: Waiter): void {
  ctx.waiters.set(waiter.wait.token, waiter);
  armDeadline(ctx, waiter);
}

/** Arms (again, after a reload) the timer that ends a wait or times it out. */
export function armDeadline(ctx: RunContext, waiter: Waiter): void {
  const { wait, path, attempt, frame } = waiter;
  if (wait.deadline === undefined) return;
  const purpose: TimerPurpose = wait.kind === 'wait' ? 'wait' : 'deadline';
  ensureTimer(
    ctx,
    path,
    purpose,
    wait.deadline,
    attempt,
    () => waitExpired(ctx, wait.token, purpose),
    frame,
  );
}

/** Starts the child run of a subflow node (idempotent: the child's id is derived). */
export function ensureChild(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  wait: WaitInfo,
  input: Record<string, unknown>,
): void {
  const version = typeof input['version'] === 'number' ? input['version'] : undefined;
  const parent: ParentLink = { runId: ctx.runId, path, token: wait.token };
  const request = {
    runId: wait.childRunId!,
    flowId: String(input['flowId']),
    ...(version === undefined ? {} : { version }),
    input: input['input'] ?? {},
    parent,
  };
  ctx.busy++;
  ctx.effects.push(() => {
    ctx.services.startChild(request).then(
      () => ctx.enqueue(() => ctx.busy--),
      (err) =>
        ctx.enqueue(() => {
          ctx.busy--;
          if (!ctx.waiters.has(wait.token)) return;
          ctx.waiters.delete(wait.token);
          failNode(ctx, frame, node, path, attempt, toNodeError(err));
        }),
    );
  });
}

/** A signal (or the recorded one, after a reload) wakes the waiter. */
export function completeWait(ctx: RunContext, waiter: Waiter, payload: unknown): void {
  const { path, wait } = waiter;
  ctx.waiters.delete(wait.token);
  clearTimersOf(ctx, path);
  const waitedMs = ctx.services.clock.now() - (ctx.state.nodes.get(path)?.startedAt ?? 0);
  applyWaitOutcome(ctx, waiter, waitOutcome(wait, payload, waitedMs));
}

/** A wait's timer fired: a `wait` is over, an approval or waitForEvent timed out. */
export function waitExpired(ctx: RunContext, token: string, purpose: TimerPurpose): void {
  const waiter = ctx.waiters.get(token);
  if (!waiter) return;
  ctx.waiters.delete(token);
  if (purpose === 'wait') {
    completeWait(ctx, waiter, {});
    return;
  }
  applyWaitOutcome(ctx, waiter, deadlineOutcome(waiter.wait, purpose));
}

function applyWaitOutcome(ctx: RunContext, waiter: Waiter, outcome: WaitOutcome): void {
  const { frame, node, path, attempt } = waiter;
  if (outcome.kind === 'succeed') {
    succeedNode(ctx, frame, node, path, attempt, outcome.output, { port: outcome.port });
  } else if (outcome.kind === 'fail') {
    failAttempt(ctx, frame, node, path, attempt, outcome.error);
  }
}
