/**
 * The catalogue of the engine's error codes. Codes are stable: hosts match on them, the
 * designer translates them, and docs link to them. Add codes; never rename or reuse one.
 *
 * Families (after jsonata's S/T/D split): `flow` (a definition is malformed), `expr` (the
 * expression language), `run` (something went wrong while running), `store` (persistence),
 * `host` (the host called the API wrongly).
 */
export const ERROR_CODES = {
  E_INTERNAL: { family: 'run', summary: 'An invariant of the engine was broken; this is a bug.' },
  E_INVALID_ARGUMENT: {
    family: 'host',
    summary: 'An API function was called with a bad argument.',
  },

  E_FLOW_INVALID: { family: 'flow', summary: 'The flow definition has validation errors.' },
  E_FLOW_FORMAT: { family: 'flow', summary: 'The document is not a millrace.flow/v1 flow.' },
  E_FLOW_NOT_FOUND: { family: 'host', summary: 'No flow with that id is deployed.' },

  E_EXPR_SYNTAX: { family: 'expr', summary: 'An expression could not be parsed.' },
  E_EXPR_TYPE: {
    family: 'expr',
    summary: 'An operator or function got a value of the wrong type.',
  },
  E_EXPR_REFERENCE: {
    family: 'expr',
    summary: 'An expression read a name or path that does not exist.',
  },
  E_EXPR_LIMIT: {
    family: 'expr',
    summary: 'An expression exceeded its step, depth or size budget.',
  },
  E_EXPR_FORBIDDEN: {
    family: 'expr',
    summary: 'An expression tried to reach a forbidden property.',
  },

  E_NODE_FAILED: { family: 'run', summary: 'A node failed after its retries were exhausted.' },
  E_NODE_TIMEOUT: { family: 'run', summary: 'A node attempt took longer than its timeoutMs.' },
  E_RUN_CANCELLED: { family: 'run', summary: 'The run was cancelled.' },

  E_STORE_CONFLICT: { family: 'store', summary: 'A concurrent writer changed the same record.' },
  E_STORE_CORRUPT: { family: 'store', summary: 'A stored record could not be read back.' },
} as const satisfies Record<string, { family: ErrorFamily; summary: string }>;

export type ErrorFamily = 'flow' | 'expr' | 'run' | 'store' | 'host';

/** Every stable error code the engine can produce. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `code` is one of the engine's stable codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}
