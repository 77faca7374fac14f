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
  E_RUN_TIMEOUT: { family: 'run', summary: 'The run took longer than its timeoutMs.' },
  E_RUN_NOT_FOUND: { family: 'host', summary: 'No run with that id exists in the store.' },
  E_RUN_STALLED: {
    family: 'run',
    summary: 'A run had nothing in flight, nothing parked and no timer; this is a bug.',
  },
  E_NODE_ABORTED: {
    family: 'run',
    summary: 'A node was aborted because its scope failed or the run ended.',
  },
  E_ACTION_FAILED: {
    family: 'run',
    summary: 'An action threw an error without a code of its own.',
  },
  E_ACTION_UNKNOWN: { family: 'run', summary: 'No action is registered for a node type.' },
  E_INPUT_INVALID: {
    family: 'run',
    summary:
      "A node's evaluated input does not match the action's input schema, or a start's input does not match the flow's input schema (details.errors: one { pointer, message } per field).",
  },
  E_OUTPUT_TOO_LARGE: {
    family: 'run',
    summary: "A node's output is larger than the engine's maxOutputBytes limit.",
  },
  E_OUTPUT_NOT_JSON: { family: 'run', summary: "A node's output cannot be stored as JSON." },
  E_LOOP_LIMIT: { family: 'run', summary: 'A while loop reached its maxIterations.' },
  E_FLOW_FAILED: { family: 'run', summary: 'A fail node ended the run on purpose.' },
  E_SUBFLOW_FAILED: { family: 'run', summary: 'A child run started by a subflow node failed.' },
  E_CODE_RUNNER_MISSING: {
    family: 'host',
    summary: 'A code node ran on an engine without a code runner.',
  },
  E_CODE_TIMEOUT: {
    family: 'run',
    summary: 'Code of a code node ran longer than its time limit and was stopped.',
  },
  E_CODE_MEMORY: {
    family: 'run',
    summary: "Code of a code node ran out of its sandbox's memory (memoryLimitBytes).",
  },
  E_CODE_STACK_OVERFLOW: { family: 'run', summary: 'Code of a code node recursed too deeply.' },
  E_CODE_OUTPUT_TOO_LARGE: {
    family: 'run',
    summary: "A code node's output is larger than the code runner's maxOutputBytes.",
  },
  E_CODE_ERROR: {
    family: 'run',
    summary:
      'Code of a code node threw (or failed to parse); details hold name, message and stack.',
  },
  E_CODE_ENTRY_MISSING: {
    family: 'run',
    summary: 'Code of a code node exports neither a default function nor main.',
  },
  E_CODE_FETCH_FORBIDDEN: {
    family: 'run',
    summary: "Code called ctx.fetch for a URL outside the runner's allow-list (or without one).",
  },
  E_CODE_FETCH_FAILED: {
    family: 'run',
    summary: 'A ctx.fetch of code failed (network error, response too large).',
  },
  E_CODE_WORKER_FAILED: {
    family: 'host',
    summary: "The code runner's sandbox worker could not start or crashed.",
  },
  E_NONDETERMINISM: {
    family: 'run',
    summary:
      "A code node's flow script made other ctx.action/ctx.subflow calls (or fewer) than its recorded run, when it ran again after a restart.",
  },
  E_HTTP_STATUS: { family: 'run', summary: 'An HTTP request answered with a non-2xx status.' },
  E_HTTP_NETWORK: { family: 'run', summary: 'An HTTP request failed before a response arrived.' },
  E_SIGNAL_UNKNOWN: {
    family: 'host',
    summary: 'No parked node waits for that token (it is wrong, used, or expired).',
  },
  E_SIGNAL_INVALID: {
    family: 'host',
    summary: 'A signal payload does not match what the parked node expects.',
  },
  E_FLOW_VERSION_NOT_FOUND: { family: 'host', summary: 'The flow exists but not in that version.' },
  E_FLOW_DELETED: {
    family: 'host',
    summary: 'The flow was deleted: it starts no runs (its runs stay readable).',
  },
  E_ALIAS_NOT_FOUND: { family: 'host', summary: 'The flow has no alias of that name.' },
  E_WEBHOOK_SIGNATURE: {
    family: 'host',
    summary: 'A webhook delivery has no valid x-millrace-signature for its timestamp and body.',
  },
  E_WEBHOOK_STALE: {
    family: 'host',
    summary:
      "A webhook delivery's x-millrace-timestamp is missing or outside the tolerance (replay).",
  },
  E_WEBHOOK_DUPLICATE: {
    family: 'host',
    summary: 'A webhook delivery repeats an idempotency key already accepted.',
  },
  E_WEBHOOK_SECRET: {
    family: 'host',
    summary: "A webhook trigger's secret is missing or names a secret the host does not have.",
  },

  E_CLI_USAGE: {
    family: 'host',
    summary: 'The command line is wrong (unknown command or option).',
  },
  E_CLI_FILE: { family: 'host', summary: 'A file named on the command line cannot be read.' },
  E_CLI_JSON: { family: 'host', summary: 'A file or option given as JSON is not JSON.' },
  E_CLI_MODULE: {
    family: 'host',
    summary: 'A module named on the command line fails to load or does not export what it must.',
  },
  E_STORE_CONFLICT: { family: 'store', summary: 'A concurrent writer changed the same record.' },
  E_RUN_OWNED: {
    family: 'store',
    summary: "Another live engine executes this run (it holds the run's lease).",
  },
  E_STORE_LOCKED: {
    family: 'store',
    summary: 'The embedded database directory is in use by another process.',
  },
  E_STORE_CORRUPT: { family: 'store', summary: 'A stored record could not be read back.' },
  E_STORE_QUOTA: {
    family: 'store',
    summary:
      "The browser's storage quota is used up; the write was aborted, stored data is intact.",
  },
  E_STORE_UNAVAILABLE: {
    family: 'store',
    summary:
      'The database cannot be reached (connection refused or terminated); retry: nothing was lost.',
  },

  // The HTTP API (@millrace/adapters/http): what a request got wrong, with its status.
  E_HTTP_MALFORMED_JSON: { family: 'host', summary: 'A request body is not valid JSON (400).' },
  E_HTTP_UNAUTHORIZED: {
    family: 'host',
    summary: 'A request has no valid credentials (401).',
  },
  E_HTTP_FORBIDDEN: {
    family: 'host',
    summary: 'The credentials do not allow this request or tenant (403).',
  },
  E_HTTP_NOT_FOUND: { family: 'host', summary: 'No route or resource at that path (404).' },
  E_HTTP_METHOD_NOT_ALLOWED: {
    family: 'host',
    summary: 'The route exists but not with that method (405).',
  },
  E_HTTP_BODY_TOO_LARGE: {
    family: 'host',
    summary: "A request body is larger than the server's limits.bodyBytes (413).",
  },
  E_HTTP_CONTENT_TYPE: {
    family: 'host',
    summary: 'A request body is not application/json (415).',
  },
  E_HTTP_BODY_CONSUMED: {
    family: 'host',
    summary:
      'A body parser mounted before the HTTP handler read the request body and kept no raw bytes (500: mount the handler before body parsers).',
  },
  E_NOT_SUPPORTED: {
    family: 'host',
    summary: 'This engine method cannot work through this transport (e.g. a remote engine).',
  },
} as const satisfies Record<string, { family: ErrorFamily; summary: string }>;

export type ErrorFamily = 'flow' | 'expr' | 'run' | 'store' | 'host';

/** Every stable error code the engine can produce. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `code` is one of the engine's stable codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}
