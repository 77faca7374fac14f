export { ERROR_CODES, isErrorCode } from './errors/error-codes.ts';
export type { ErrorCode, ErrorFamily } from './errors/error-codes.ts';
export { MillraceError, isMillraceError } from './errors/millrace-error.ts';
export type {
  MillraceErrorData,
  MillraceErrorOptions,
  SourcePosition,
} from './errors/millrace-error.ts';
