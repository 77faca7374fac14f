import { isMillraceError, MillraceError, type ErrorCode } from '@millrace/engine';

/** The status each error code answers with; codes not listed are 500. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  E_HTTP_MALFORMED_JSON: 400,
  E_INVALID_ARGUMENT: 400,
  E_FLOW_INVALID: 400,
  E_FLOW_FORMAT: 400,
  E_INPUT_INVALID: 400,
  E_SIGNAL_INVALID: 400,
  E_HTTP_UNAUTHORIZED: 401,
  E_WEBHOOK_SIGNATURE: 401,
  E_WEBHOOK_STALE: 401,
  E_HTTP_FORBIDDEN: 403,
  E_HTTP_NOT_FOUND: 404,
  E_FLOW_NOT_FOUND: 404,
  E_FLOW_VERSION_NOT_FOUND: 404,
  E_RUN_NOT_FOUND: 404,
  E_ALIAS_NOT_FOUND: 404,
  E_SIGNAL_UNKNOWN: 404,
  E_HTTP_METHOD_NOT_ALLOWED: 405,
  E_FLOW_DELETED: 409,
  E_STORE_CONFLICT: 409,
  E_WEBHOOK_DUPLICATE: 409,
  E_HTTP_BODY_TOO_LARGE: 413,
  E_HTTP_CONTENT_TYPE: 415,
  E_NOT_SUPPORTED: 501,
  E_STORE_UNAVAILABLE: 503,
  E_STORE_LOCKED: 503,
};

// Connection failures of `pg` and PostgreSQL: refused/reset sockets, SQLSTATE class 08
// (connection exception) and 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now),
// and the messages `pg` throws when a connection drops under a query.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection error|terminating connection|Client was closed|Cannot use a pool after calling end|PGlite is closed/i;

/** True when `error` (or one of its causes) says the database cannot be reached. */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08')))
      return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** An error answer: status and the JSON `{ code, message, path, details? }`. */
export interface HttpErrorAnswer {
  readonly status: number;
  readonly body: {
    readonly code: string;
    readonly message: string;
    readonly path: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

/**
 * The answer for anything thrown while handling a request: a MillraceError keeps its code (and
 * its path, else `requestPath`); a lost database connection becomes E_STORE_UNAVAILABLE 503;
 * anything else is E_INTERNAL 500 with a message that leaks nothing of the error.
 */
export function toHttpError(error: unknown, requestPath: string): HttpErrorAnswer {
  if (isMillraceError(error) && !(error.code === 'E_INTERNAL' && isStoreUnavailable(error))) {
    return {
      status: STATUS[error.code] ?? 500,
      body: {
        code: error.code,
        message: error.message,
        path: error.path ?? requestPath,
        ...(error.details === undefined ? {} : { details: error.details }),
      },
    };
  }
  if (isStoreUnavailable(error)) {
    return {
      status: 503,
      body: {
        code: 'E_STORE_UNAVAILABLE',
        message:
          'The database cannot be reached (the connection was refused or terminated); retry the request: nothing stored was lost.',
        path: requestPath,
      },
    };
  }
  return {
    status: 500,
    body: {
      code: 'E_INTERNAL',
      message: 'The server failed while handling this request; this is a bug (see the server log).',
      path: requestPath,
    },
  };
}

/** A request error with its code (the status follows from the code). */
export function httpError(code: ErrorCode, message: string, path?: string): MillraceError {
  return new MillraceError(code, message, path === undefined ? {} : { path });
}
