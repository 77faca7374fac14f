import type { SourcePosition } from '../errors/millrace-error.ts';

/**
 * Stable diagnostic codes of `validateFlow` and the importers. `E_` codes are errors (the flow
 * cannot be deployed), `W_` codes warnings (it can, but probably does not do what was meant).
 * Add codes; never rename or reuse one.
 */
export const DIAGNOSTIC_CODES = {
  E_NOT_OBJECT: 'The document (or a part of it) is not a JSON object.',
  E_FORMAT: 'The `format` field is missing or names a format this engine does not read.',
  E_REQUIRED: 'A required field is missing.',
  E_TYPE: 'A field has the wrong JSON type.',
  E_VALUE: 'A field has a value outside its allowed range or set.',
  E_UNKNOWN_FIELD: 'A field this format does not define.',
  E_ID_INVALID: 'An id is empty or uses characters other than letters, digits, - _ .',
  E_DUPLICATE_ID: 'Two nodes (also in different containers) or two triggers share an id.',
  E_UNKNOWN_NODE_TYPE: 'A node type that is neither built in nor in the action catalog.',
  E_UNKNOWN_NODE: 'An edge names a node that is not in its graph.',
  E_UNKNOWN_PORT: 'An edge leaves a port the source node does not have.',
  E_PORT_REQUIRED: 'An edge out of a branching node does not say which port it leaves.',
  E_EDGE_SCOPE: 'An edge connects nodes of different graphs (a container and the outside).',
  E_DUPLICATE_EDGE: 'The same edge is declared twice.',
  E_CYCLE: 'The edges form a cycle; flows are acyclic (use a while loop to repeat).',
  E_MISSING_INPUT: 'A required input of the action is missing.',
  E_INPUT_INVALID: 'A literal input value does not match the action input schema.',
  E_EXPR_SYNTAX: 'An expression could not be parsed.',
  E_EXPR_UNKNOWN_ROOT: 'An expression reads a name that is not one of the roots.',
  E_REF_UNKNOWN_NODE: 'An expression reads `nodes.x` for a node that does not exist.',
  E_REF_NOT_UPSTREAM: 'An expression reads a node that does not run before this one.',
  E_REF_OUT_OF_SCOPE: 'An expression reads a node inside a loop body from outside that loop.',
  E_REF_ITEM_OUTSIDE_LOOP: '`item` or `index` is used outside a loop body.',
  E_REF_ERROR_OUTSIDE_CATCH: '`error` is used outside a catch, finally or onFailure region.',
  E_CRON_INVALID: 'A schedule trigger has an invalid cron string or time zone.',
  E_RETRY_INVALID: 'A retry policy has impossible settings.',
  E_DUPLICATE_PORT: 'A switch declares the same port twice (or the reserved port `default`).',
  E_DUPLICATE_WEBHOOK: 'Two webhook triggers share a path.',
  W_UNREACHABLE: 'A node can never run: every path into it is dead.',
  W_DISCONNECTED:
    'A node has no edges while the rest of its graph is connected; it starts with the run.',
  W_UNUSED_PORT: 'A branching node has a port with no outgoing edge.',
  W_CONSTANT_CONDITION: 'A condition is a constant, so one branch never runs.',
  W_LOOP_REF:
    'An expression reads a loop body node from its own loop condition before the first iteration.',
  I_IMPORT_PLACEHOLDER: 'An imported step could not be mapped exactly and became a placeholder.',
  W_IMPORT_LOSSY: 'An imported setting has no exact equivalent and was approximated or dropped.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
export type Severity = 'error' | 'warning' | 'info';

/** One problem found in a document. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** JSON pointer to the offending value, e.g. `/nodes/3/input/url`. */
  readonly path: string;
  /** A message that names the thing, what was expected and how to fix it. */
  readonly message: string;
  /** The node the problem belongs to, for the designer's markers. */
  readonly nodeId?: string;
  /** Position inside the string at `path` (expressions). */
  readonly position?: SourcePosition;
  /** Other things involved (the nodes on a cycle, the first holder of a duplicate id). */
  readonly related?: readonly string[];
}

/** The severity a code implies: E_ errors, W_ warnings, I_ information. */
export function severityOf(code: DiagnosticCode): Severity {
  return code.startsWith('E_') ? 'error' : code.startsWith('W_') ? 'warning' : 'info';
}

/** Builds a diagnostic whose severity follows its code. */
export function diagnostic(
  code: DiagnosticCode,
  path: string,
  message: string,
  extra: Partial<Pick<Diagnostic, 'nodeId' | 'position' | 'related'>> = {},
): Diagnostic {
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    code,
    severity: severityOf(code),
    path,
    message,
  };
  if (extra.nodeId !== undefined) d.nodeId = extra.nodeId;
  if (extra.position !== undefined) d.position = extra.position;
  if (extra.related !== undefined) d.related = extra.related;
  return d;
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Joins segments into a JSON pointer. */
export function pointer(...segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + pointerSegment(s)).join('');
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
