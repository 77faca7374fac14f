import type { NodeError, WaitInfo } from '../events.ts';
import { engineError } from '../node-errors.ts';

/** What a parking node (`wait`, `approval`, `waitForEvent`, `subflow`) does when it starts. */
export type WaitPlan =
  /** Park on `wait` (NodeSuspended), with a deadline timer when it has one. */
  | { readonly kind: 'park'; readonly wait: WaitInfo }
  /** Nothing to wait for (a `wait` whose time has passed): succeed at once. */
  | { readonly kind: 'done'; readonly output: unknown }
  | { readonly kind: 'fail'; readonly error: NodeError };

/** Where and when the node parks. */
export interface WaitSite {
  readonly runId: string;
  readonly nodeId: string;
  readonly path: string;
  readonly attempt: number;
  readonly now: number;
  /** The token a signal must name to wake the node. */
  readonly token: string;
  /** A waitForEvent's filter as written (`$<...>`), for listWaiting(). */
  readonly rawFilter: string | undefined;
}

/**
 * Plans the wait of a parking node from its evaluated input: a `wait` until a time or for a
 * duration, an `approval` with approvers, form and timeout, a `waitForEvent` with its event
 * name and timeout, or a `subflow` waiting for its child run (whose id derives from the
 * parent's run, path and attempt, so starting it again after a crash starts nothing new).
 *
 * @example
 * planWait('wait', { durationMs: 1000 }, site); // { kind: 'park', wait: { kind: 'wait', deadline: now + 1000, ... } }
 */
export function planWait(type: string, input: Record<string, unknown>, site: WaitSite): WaitPlan {
  const { token, path, now } = site;
  switch (type) {
    case 'wait': {
      const until =
        typeof input['until'] === 'string' ? Date.parse(input['until']) : num(input['until']);
      const duration = num(input['durationMs']);
      const deadline = until !== undefined && !Number.isNaN(until) ? until : now + (duration ?? 0);
      if (deadline <= now) return { kind: 'done', output: { waitedMs: 0 } };
      return { kind: 'park', wait: { kind: 'wait', token, path, deadline } };
    }
    case 'approval': {
      const wait: { -readonly [K in keyof WaitInfo]: WaitInfo[K] } = {
        kind: 'approval',
        token,
        path,
      };
      const timeout = num(input['timeoutMs']);
      if (timeout !== undefined) wait.deadline = now + timeout;
      if (Array.isArray(input['approvers']))
        wait.approvers = input['approvers'].filter((a): a is string => typeof a === 'string');
      if (typeof input['message'] === 'string') wait.message = input['message'];
      if (input['form'] !== undefined) wait.form = input['form'];
      return { kind: 'park', wait };
    }
    case 'waitForEvent': {
      const wait: { -readonly [K in keyof WaitInfo]: WaitInfo[K] } = {
        kind: 'waitForEvent',
        token,
        path,
        event: String(input['event'] ?? ''),
      };
      const timeout = num(input['timeoutMs']);
      if (timeout !== undefined) wait.deadline = now + timeout;
      if (site.rawFilter !== undefined) wait.filter = site.rawFilter;
      return { kind: 'park', wait };
    }
    default: {
      const flowId = input['flowId'];
      if (typeof flowId !== 'string' || flowId === '') {
        return {
          kind: 'fail',
          error: engineError('E_INPUT_INVALID', `subflow "${site.nodeId}" needs input.flowId.`),
        };
      }
      const childRunId = `${site.runId}.${path.replaceAll('/', '.')}.${site.attempt}`;
      return { kind: 'park', wait: { kind: 'subflow', token, path, childRunId } };
    }
  }
}

/** A finite, non-negative number, else undefined. */
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}
