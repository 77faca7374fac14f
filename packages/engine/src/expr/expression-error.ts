import { MillraceError, type SourcePosition } from '../errors/millrace-error.ts';

/** The codes an expression can fail with (all in the `expr` family). */
export type ExpressionErrorCode =
  'E_EXPR_SYNTAX' | 'E_EXPR_TYPE' | 'E_EXPR_REFERENCE' | 'E_EXPR_LIMIT' | 'E_EXPR_FORBIDDEN';

/**
 * An error in an expression: at parse time (`E_EXPR_SYNTAX`, `E_EXPR_LIMIT` for nesting),
 * at compile time (unknown names, forbidden properties, misplaced arrow functions) or while
 * evaluating. `position` is always set and is relative to the whole template string, so an
 * editor can underline it without knowing where the expression started.
 */
export class ExpressionError extends MillraceError {
  declare readonly code: ExpressionErrorCode;
  declare readonly position: SourcePosition;

  constructor(
    code: ExpressionErrorCode,
    message: string,
    position: SourcePosition,
    options: {
      readonly cause?: unknown;
      readonly details?: Readonly<Record<string, unknown>>;
    } = {},
  ) {
    // Copy the two offsets: callers often pass an AST node, which must not leak into the error.
    super(code, message, { ...options, position: { start: position.start, end: position.end } });
  }
}

/** True for an ExpressionError (also one rebuilt from plain data in the `expr` family). */
export function isExpressionError(value: unknown): value is ExpressionError {
  return (
    value instanceof ExpressionError ||
    (value instanceof MillraceError && value.family === 'expr' && value.position !== undefined)
  );
}

/** Describes a token or character for "found ..." parts of messages. */
export function describeFound(text: string | undefined): string {
  if (text === undefined || text === '') return 'end of expression';
  return `'${text.length > 20 ? text.slice(0, 20) + '…' : text}'`;
}
