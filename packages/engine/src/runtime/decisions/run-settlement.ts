import { RunError } from '../node-errors.ts';
import type { RunState } from '../run-state.ts';

/** How `RunHandle.result()` answers for a run. */
export type RunSettlement =
  | { readonly kind: 'resolve'; readonly value: unknown }
  | { readonly kind: 'reject'; readonly error: RunError }
  /** Not yet: the run is still going and has not returned early. */
  | { readonly kind: 'pending' };

/**
 * The answer to `result()` from a run's state: its output once it succeeded, a RunError (with
 * the failing node's path, and the onFailure output) once it failed or was cancelled, and the
 * value of a `return` node as soon as one ran, before the run ends.
 */
export function runSettlement(state: RunState): RunSettlement {
  switch (state.status) {
    case 'succeeded':
      return { kind: 'resolve', value: state.output };
    case 'failed':
      return {
        kind: 'reject',
        error: new RunError(
          state.runId,
          state.error ?? { code: 'E_NODE_FAILED', message: 'The run failed.' },
          state.output,
        ),
      };
    case 'cancelled':
      return {
        kind: 'reject',
        error: new RunError(state.runId, {
          code: 'E_RUN_CANCELLED',
          message: `Run "${state.runId}" was cancelled.`,
        }),
      };
    default:
      return state.returned
        ? { kind: 'resolve', value: state.returned.value }
        : { kind: 'pending' };
  }
}
