import { DEFAULT_PORT } from '../../model/ports.ts';
import type { NodeError, WaitInfo } from '../events.ts';
import type { NodeRecord } from '../run-state.ts';

/**
 * What the executor does with a node whose incoming edges are all resolved. A node without a
 * record is new; a node with one continues from it, which is how recovery after a crash is the
 * same code as running live.
 */
export type ReadyStep =
  /** No active incoming edge (or not all of them for `join: "all"`): skip it, and the skip propagates. */
  | { readonly kind: 'skip' }
  /** Run an attempt (a new node, or one that was only scheduled when the log ended). */
  | { readonly kind: 'run'; readonly attempt: number }
  /** It finished before: resolve it with the recorded port (`null`: inactive, a dead skip). */
  | { readonly kind: 'resolve'; readonly port: string | null }
  /** It failed before: its frame fails again with the recorded error. */
  | { readonly kind: 'fail'; readonly error: NodeError }
  /** It was aborted by a failure in its scope: nothing to do, that failure replays too. */
  | { readonly kind: 'none' }
  /** It waits for a retry timer: re-arm it (`dueAt` undefined: due now). */
  | { readonly kind: 'retry'; readonly attempt: number; readonly dueAt: number | undefined }
  /** It is parked: wait again for the token (the signal may already be recorded). */
  | {
      readonly kind: 'park';
      readonly attempt: number;
      readonly wait: WaitInfo;
      readonly signal: { readonly payload: unknown } | undefined;
    }
  /** It was running: a container continues its body, an action runs again (same idempotency key). */
  | { readonly kind: 'continue'; readonly attempt: number; readonly input: unknown };

// The two common answers are shared constants: this runs once for every node of every run.
const SKIP: ReadyStep = { kind: 'skip' };
const RUN_FIRST: ReadyStep = { kind: 'run', attempt: 1 };
const RESOLVE_DEFAULT: ReadyStep = { kind: 'resolve', port: DEFAULT_PORT };
const RESOLVE_DEAD: ReadyStep = { kind: 'resolve', port: null };
const NONE: ReadyStep = { kind: 'none' };

/**
 * Decides what a ready node does, from whether its incoming edges let it run (`shouldRun`,
 * see `Frame.shouldRun`) and its record in the run state, if any.
 *
 * @example
 * readyStep(true, undefined, 'a');                          // { kind: 'run', attempt: 1 }
 * readyStep(true, { status: 'succeeded', port: 'true', ... }, 'a'); // { kind: 'resolve', port: 'true' }
 */
export function readyStep(
  shouldRun: boolean,
  record: NodeRecord | undefined,
  path: string,
): ReadyStep {
  // A dead node is skipped whatever its record says: a skip is all it can have recorded.
  if (!shouldRun) return SKIP;
  if (!record) return RUN_FIRST;
  switch (record.status) {
    case 'succeeded':
      return record.port === undefined || record.port === DEFAULT_PORT
        ? RESOLVE_DEFAULT
        : { kind: 'resolve', port: record.port };
    case 'skipped':
      // A skipIf skip chose the default port (successors run); a dead skip chose none.
      return record.skipReason === 'skipIf' ? RESOLVE_DEFAULT : RESOLVE_DEAD;
    case 'failed':
      // An aborted node waits for the failure that aborted it, which replays too.
      if (record.aborted) return NONE;
      return { kind: 'fail', error: { ...record.error!, nodePath: path } };
    case 'retrying':
      // A missing timer record was either never written (crash) or already fired; in both
      // cases arming at retryAt is right (a due timer fires at once).
      return { kind: 'retry', attempt: record.attempt, dueAt: record.retryAt };
    case 'waiting':
      return {
        kind: 'park',
        attempt: record.attempt,
        wait: record.wait!,
        signal: record.signal === undefined ? undefined : { payload: record.signal },
      };
    case 'running':
      return { kind: 'continue', attempt: record.attempt, input: record.input };
    default:
      // `scheduled`: it waited for a slot and never started; run it as new.
      return record.attempt === 1 ? RUN_FIRST : { kind: 'run', attempt: record.attempt };
  }
}
