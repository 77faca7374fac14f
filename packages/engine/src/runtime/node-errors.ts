import { isMillraceError, MillraceError } from '../errors/millrace-error.ts';
import type { ErrorCode } from '../errors/error-codes.ts';
import type { NodeError } from './events.ts';

/** Builds a recorded error from an engine error code. */
export function engineError(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): NodeError {
  return details === undefined
    ? { name: 'MillraceError', code, message }
    : { name: 'MillraceError', code, message, details };
}

/**
 * Turns anything an action threw into a recorded error: MillraceErrors keep their fields,
 * errors with a string `code` keep it (that is what `retryOn` matches), anything else becomes
 * `E_ACTION_FAILED` with its message.
 */
export function toNodeError(err: unknown): NodeError {
  if (isMillraceError(err)) {
    const data = err instanceof MillraceError ? err.toJSON() : (err as unknown as NodeError);
    return { ...data };
  }
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; message?: unknown; name?: unknown; details?: unknown };
    const message = typeof e.message === 'string' ? e.message : safeString(err);
    const out: { -readonly [K in keyof NodeError]: NodeError[K] } = {
      code: typeof e.code === 'string' && e.code !== '' ? e.code : 'E_ACTION_FAILED',
      message,
    };
    if (typeof e.name === 'string') out.name = e.name;
    if (typeof e.details === 'object' && e.details !== null)
      out.details = e.details as Record<string, unknown>;
    return out;
  }
  return { code: 'E_ACTION_FAILED', message: safeString(err) };
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

/** The exception `RunHandle.result()` rejects with: the run's error, with the failing node path. */
export class RunError extends Error {
  readonly code: string;
  readonly nodePath: string | undefined;
  readonly runId: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /** The onFailure region's output, when it ran. */
  readonly output: unknown;

  constructor(runId: string, error: NodeError, output?: unknown) {
    super(error.nodePath ? `${error.message} (at node ${error.nodePath})` : error.message);
    this.name = 'RunError';
    this.runId = runId;
    this.code = error.code;
    this.nodePath = error.nodePath;
    this.details = error.details;
    this.output = output;
  }
}
