import { ERROR_CODES, type ErrorCode, type ErrorFamily } from './error-codes.ts';

/** A position inside an expression source string (0-based offsets). */
export interface SourcePosition {
  readonly start: number;
  readonly end: number;
}

export interface MillraceErrorOptions {
  /** JSON pointer to the offending place in a document, e.g. `/nodes/3/input/url`. */
  readonly path?: string;
  /** Where in an expression source the problem is. */
  readonly position?: SourcePosition;
  /** The error that caused this one. */
  readonly cause?: unknown;
  /** Extra machine-readable facts (never secrets). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The plain-data form of a MillraceError: what crosses a Worker or HTTP boundary. */
export interface MillraceErrorData {
  readonly name: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly path?: string;
  readonly position?: SourcePosition;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The base of every error the engine throws: a stable `code`, a message that names the thing,
 * what was expected and how to fix it, and where (`path` and/or `position`).
 *
 * @example
 * throw new MillraceError('E_FLOW_NOT_FOUND', 'No flow "billing" is deployed; call deploy() first.');
 */
export class MillraceError extends Error {
  readonly code: ErrorCode;
  readonly path: string | undefined;
  readonly position: SourcePosition | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: MillraceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MillraceError';
    this.code = code;
    this.path = options.path;
    this.position = options.position;
    this.details = options.details;
  }

  /** The family the code belongs to (`flow`, `expr`, `run`, `store`, `host`). */
  get family(): ErrorFamily {
    return ERROR_CODES[this.code].family;
  }

  /** Plain data, safe to postMessage, store in an event or send as JSON. */
  toJSON(): MillraceErrorData {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.path === undefined ? {} : { path: this.path }),
      ...(this.position === undefined ? {} : { position: this.position }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }

  /** Rebuilds an error from its plain-data form (the other side of a boundary). */
  static fromJSON(data: MillraceErrorData): MillraceError {
    const options: { -readonly [K in keyof MillraceErrorOptions]: MillraceErrorOptions[K] } = {};
    if (data.path !== undefined) options.path = data.path;
    if (data.position !== undefined) options.position = data.position;
    if (data.details !== undefined) options.details = data.details;
    return new MillraceError(data.code, data.message, options);
  }
}

/** True for any MillraceError, also one from another copy of this package. */
export function isMillraceError(value: unknown): value is MillraceError {
  return (
    value instanceof MillraceError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'MillraceError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
