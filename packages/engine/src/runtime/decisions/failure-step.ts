import type { RetryPolicy } from '../../model/flow.ts';
import type { NodeError } from '../events.ts';
import { NOT_RETRYABLE, retryDelay } from '../retry.ts';

/** What a failure implies for its node. */
export type FailureStep =
  /** Try again after `delayMs` (the attempt that failed is `attempt`; the next is `attempt + 1`). */
  { readonly kind: 'retry'; readonly delayMs: number; readonly dueAt: number } | NodeFailureStep;

/** What a node's final failure (no retry left) implies. */
export type NodeFailureStep =
  /** `continueOnError`: the node succeeds with `{ error }` as its output. */
  | { readonly kind: 'recover'; readonly output: { readonly error: NodeError } }
  /** The node fails for good; its frame fails with `error` (which names the node's path). */
  | { readonly kind: 'fail'; readonly error: NodeError };

/** The parts of a node definition that decide what its failure implies. */
export interface FailurePolicy {
  readonly retry?: RetryPolicy | undefined;
  readonly continueOnError?: boolean | undefined;
}

/**
 * Whether `error` may be retried under `retryOn`: never for codes that retrying cannot fix
 * (expression and input errors, aborts...), only listed codes for a list, and for an
 * expression whatever `retryOnExpression` answers (the executor evaluates it with `$<error>`).
 */
export function isRetryable(
  error: NodeError,
  retryOn: RetryPolicy['retryOn'],
  retryOnExpression?: () => boolean,
): boolean {
  if (NOT_RETRYABLE.has(error.code)) return false;
  if (Array.isArray(retryOn)) return retryOn.includes(error.code);
  if (retryOnExpression) return retryOnExpression();
  return true;
}

/**
 * Decides what a failed attempt implies: a retry while the policy allows one and the error is
 * retryable, else what `nodeFailureStep` says. `retryable` is asked only when a retry is
 * possible at all, so a `retryOn` expression is not evaluated needlessly.
 *
 * @example
 * attemptFailureStep({ retry: { maxAttempts: 3, delayMs: 100 } }, 'a', 1, error, 0, Math.random, () => true);
 * // { kind: 'retry', delayMs: 100, dueAt: 100 }
 */
export function attemptFailureStep(
  policy: FailurePolicy,
  path: string,
  attempt: number,
  error: NodeError,
  now: number,
  random: () => number,
  retryable: (error: NodeError) => boolean,
): FailureStep {
  const retry = policy.retry;
  if (retry && attempt < retry.maxAttempts && retryable(error)) {
    const delayMs = retryDelay(retry, attempt, random);
    return { kind: 'retry', delayMs, dueAt: now + delayMs };
  }
  return nodeFailureStep(policy, path, error);
}

/**
 * Decides what a node's final failure implies: `continueOnError` turns it into an output,
 * else the failure goes up to the node's frame, carrying the path where it happened (an
 * error that already names a deeper path, from inside a container, keeps it).
 */
export function nodeFailureStep(
  policy: FailurePolicy,
  path: string,
  error: NodeError,
): NodeFailureStep {
  if (policy.continueOnError) return { kind: 'recover', output: { error } };
  return { kind: 'fail', error: { ...error, nodePath: error.nodePath ?? path } };
}
