import { MillraceError } from '../../errors/millrace-error.ts';
import type { NodeError, TimerPurpose, WaitInfo } from '../events.ts';
import { schemaValidator } from '../schema-validator.ts';

/** How a parked node ends. */
export type WaitOutcome =
  | { readonly kind: 'succeed'; readonly output: unknown; readonly port?: string }
  /** The attempt failed (a child run that failed or was cancelled): it may be retried. */
  | { readonly kind: 'fail'; readonly error: NodeError }
  /** Nothing happens (a deadline timer of a kind that has no timeout port). */
  | { readonly kind: 'none' };

/** An approval decision from a signal payload (`decision`, else the boolean `approved`). */
export function decisionOf(p: Record<string, unknown>): 'approved' | 'rejected' | undefined {
  if (p['decision'] === 'approved' || p['decision'] === 'rejected') return p['decision'];
  if (p['approved'] === true) return 'approved';
  if (p['approved'] === false) return 'rejected';
  return undefined;
}

/**
 * What a signal's payload is rejected for, or undefined when it is acceptable. Only approvals
 * check: a decision must be given, by one of the approvers when they are listed, with form
 * data matching the form's JSON Schema when it is approved.
 */
export function signalProblem(wait: WaitInfo, payload: unknown): MillraceError | undefined {
  if (wait.kind !== 'approval') return undefined;
  const p = (payload ?? {}) as Record<string, unknown>;
  const decision = decisionOf(p);
  if (!decision) {
    return new MillraceError(
      'E_SIGNAL_INVALID',
      'An approval needs { approved: true|false } or { decision: "approved"|"rejected" }.',
    );
  }
  const approvers = wait.approvers;
  if (approvers && approvers.length > 0 && !approvers.includes(String(p['by'] ?? ''))) {
    return new MillraceError(
      'E_SIGNAL_INVALID',
      `Only ${approvers.join(', ')} may decide this approval; "by" was ${JSON.stringify(p['by'] ?? null)}.`,
    );
  }
  const form = wait.form;
  if (decision === 'approved' && typeof form === 'object' && form !== null) {
    const result = schemaValidator(form).validate(p['data'] ?? {});
    if (!result.valid) {
      return new MillraceError(
        'E_SIGNAL_INVALID',
        `The approval form data is invalid: ${result.errors.map((e) => `${e.instanceLocation} ${e.error}`).join('; ')}.`,
        {
          details: {
            errors: result.errors.map((e) => ({ at: e.instanceLocation, error: e.error })),
          },
        },
      );
    }
  }
  return undefined;
}

/**
 * How a parked node ends when its signal arrives (or, for a `wait`, its time comes):
 * an approval outputs its decision on the port of that name, a subflow its child's output
 * (or fails when the child did not succeed), a `wait` the time it waited, a waitForEvent
 * the event's payload.
 */
export function waitOutcome(wait: WaitInfo, payload: unknown, waitedMs: number): WaitOutcome {
  const p = (payload ?? {}) as Record<string, unknown>;
  switch (wait.kind) {
    case 'approval': {
      const decision = decisionOf(p) ?? 'rejected';
      const output: Record<string, unknown> = { decision };
      if (p['by'] !== undefined) output['by'] = p['by'];
      if (p['comment'] !== undefined) output['comment'] = p['comment'];
      if (p['data'] !== undefined) output['data'] = p['data'];
      return { kind: 'succeed', output, port: decision };
    }
    case 'subflow': {
      if (p['status'] === 'succeeded') return { kind: 'succeed', output: p['output'] ?? null };
      const childError = (p['error'] ?? {}) as NodeError;
      return {
        kind: 'fail',
        error: {
          code: 'E_SUBFLOW_FAILED',
          message: `The subflow run ${wait.childRunId ?? ''} ${String(p['status'] ?? 'failed')}: ${childError.message ?? ''}`,
          details: { childRunId: wait.childRunId, error: childError },
        },
      };
    }
    case 'wait':
      return { kind: 'succeed', output: { waitedMs } };
    default:
      return { kind: 'succeed', output: payload ?? null };
  }
}

/**
 * How a parked node ends when its deadline timer fires: an approval or a waitForEvent
 * leaves on its `timeout` port (an approval with `{ decision: 'timeout' }`).
 */
export function deadlineOutcome(wait: WaitInfo, purpose: TimerPurpose): WaitOutcome {
  if (purpose !== 'deadline') return { kind: 'none' };
  if (wait.kind === 'approval')
    return { kind: 'succeed', output: { decision: 'timeout' }, port: 'timeout' };
  if (wait.kind === 'waitForEvent') return { kind: 'succeed', output: null, port: 'timeout' };
  return { kind: 'none' };
}
