import type { RetryPolicy } from '../model/flow.ts';

/**
 * The delay before attempt `attempt + 1` after attempt `attempt` failed. Fixed: `delayMs`
 * every time. Exponential: `delayMs * multiplier^(attempt-1)`, capped by `maxDelayMs`. Jitter
 * draws the delay uniformly from [delay/2, delay] ("equal jitter"), which spreads retries of
 * many runs without ever retrying sooner than half the planned delay.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const base = Math.max(0, policy.delayMs ?? 1000);
  let delay = base;
  if (policy.backoff === 'exponential') {
    delay = base * Math.pow(policy.multiplier ?? 2, Math.max(0, attempt - 1));
    if (policy.maxDelayMs !== undefined) delay = Math.min(delay, policy.maxDelayMs);
  }
  if (!Number.isFinite(delay)) delay = policy.maxDelayMs ?? base;
  if (policy.jitter) delay = delay / 2 + random() * (delay / 2);
  return Math.round(delay);
}

/** Error codes that retrying cannot fix: the same input gives the same failure. */
export const NOT_RETRYABLE: ReadonlySet<string> = new Set([
  'E_EXPR_SYNTAX',
  'E_EXPR_TYPE',
  'E_EXPR_REFERENCE',
  'E_EXPR_LIMIT',
  'E_EXPR_FORBIDDEN',
  'E_INPUT_INVALID',
  'E_OUTPUT_TOO_LARGE',
  'E_NODE_ABORTED',
  'E_RUN_CANCELLED',
  'E_FLOW_FAILED',
  'E_ACTION_UNKNOWN',
]);
