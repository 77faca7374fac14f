/**
 * Errors of the layout engine. A stale layout is an expected outcome (the designer asked for a
 * newer one), so it is typed and easy to tell apart from a real failure.
 */

/** Why a layout request was not answered. */
export type StaleReason =
  /** A newer request was issued before this one finished (or started). */
  | 'superseded'
  /** The engine was disposed. */
  | 'disposed';

/**
 * The outcome of a layout request that a newer request (or `dispose()`) made moot. Callers
 * usually ignore it: `if (isLayoutStale(error)) return;`.
 */
export class LayoutStaleError extends Error {
  readonly code = 'E_LAYOUT_STALE';
  readonly outcome = 'stale';
  /** Sequence number of the request, and of the newest request when it was dropped. */
  readonly seq: number;
  readonly latest: number;
  readonly reason: StaleReason;

  constructor(seq: number, latest: number, reason: StaleReason) {
    super(
      reason === 'disposed'
        ? `Layout request ${seq} was dropped: the layout engine was disposed.`
        : `Layout request ${seq} is stale: request ${latest} was issued after it; use that one's result.`,
    );
    this.name = 'LayoutStaleError';
    this.seq = seq;
    this.latest = latest;
    this.reason = reason;
  }
}

/** ELK failed on a graph (a bug in the graph builder or in ELK); `cause` holds ELK's error. */
export class LayoutFailedError extends Error {
  readonly code = 'E_LAYOUT_FAILED';
  readonly outcome = 'failed';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LayoutFailedError';
  }
}

/** True for a stale layout outcome (also one from another copy of this package). */
export function isLayoutStale(value: unknown): value is LayoutStaleError {
  return (
    value instanceof LayoutStaleError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { code?: unknown }).code === 'E_LAYOUT_STALE')
  );
}
