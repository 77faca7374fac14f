import { MillraceError } from '@millrace/engine';

/** Whether `error` is the platform's "storage quota used up" DOMException. */
export function isQuotaExceeded(error: unknown): boolean {
  // By name, not `instanceof DOMException`: fake-indexeddb and other realms have their own class.
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'QuotaExceededError'
  );
}

/**
 * Maps a QuotaExceededError to `E_STORE_QUOTA` (other errors pass through). The transaction
 * that hit the quota was aborted, so nothing of the write landed and earlier data is intact.
 * `where` names the write in `details` (`{ runId }` of an append, `{ operation }` otherwise).
 */
export function mapQuotaError(
  error: unknown,
  what: string,
  where: Readonly<Record<string, unknown>>,
): unknown {
  if (!isQuotaExceeded(error)) return error;
  return new MillraceError(
    'E_STORE_QUOTA',
    `${what}: the browser's storage quota for this origin is used up, so nothing of it was written (stored data is intact). Free space (delete old runs or flows) or ask for more with navigator.storage.persist().`,
    { cause: error, details: where },
  );
}

/** Wraps a writing store method so a quota error comes out as `E_STORE_QUOTA`. */
export function withQuotaError<A extends unknown[], R>(
  what: string,
  write: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await write(...args);
    } catch (error) {
      throw mapQuotaError(error, what, { operation: what });
    }
  };
}
