// @millrace/engine/model: what an editor needs of the engine without its run-time or the
// expression evaluator — the flow format, its graph, validation and diagnostics, parsing of
// expressions and templates (references, highlighting, completion), and folding a run's events
// into its state and view. Everything here is also exported by `@millrace/engine`; importing
// this entry instead keeps a bundle's up-front code small (the designer's page bundle loads
// the evaluator only with the panels that preview expressions).

export { ERROR_CODES, isErrorCode } from '../errors/error-codes.ts';
export type { ErrorCode, ErrorFamily } from '../errors/error-codes.ts';
export { MillraceError, isMillraceError } from '../errors/millrace-error.ts';
export type {
  MillraceErrorData,
  MillraceErrorOptions,
  SourcePosition,
} from '../errors/millrace-error.ts';

export { FLOW_FORMAT, BUILTIN_NODE_TYPES, CONTAINER_TYPES, isContainer, isLoop } from './flow.ts';
export type * from './flow.ts';
export { BUILTIN_ACTIONS } from './builtin-actions.ts';
export { catalogMap } from './catalog.ts';
export type { ActionCatalog, ActionDescriptor } from './catalog.ts';
export { DEFAULT_PORT, portsOf } from './ports.ts';
export { DIAGNOSTIC_CODES, hasErrors, pointer, severityOf } from './diagnostic.ts';
export type { Diagnostic, DiagnosticCode, Severity } from './diagnostic.ts';
export { validateFlow } from './validate-flow.ts';
export type { ValidateOptions } from './validate-flow.ts';
export { EXPRESSION_ROOTS } from './validate/check-expressions.ts';
export { FLOW_MIGRATIONS, migrateFlow } from './migrate-flow.ts';
export type { FlowMigration, MigrateResult } from './migrate-flow.ts';
export {
  adjacencyOf,
  downstreamOf,
  findCycles,
  indexFlow,
  rootsOf,
  scopeChain,
  sinksOf,
  topologicalOrder,
  upstreamOf,
} from './graph.ts';
export type { Adjacency, EdgeInfo, FlowIndex, GraphInfo, NodeInfo, Region } from './graph.ts';

// Expressions: parsing only (no compiler, no evaluation).
export { ExpressionError, isExpressionError } from '../expr/expression-error.ts';
export { parseExpression } from '../expr/parser.ts';
export { parseTemplate } from '../expr/template-parse.ts';
export type {
  TemplateExpression,
  TemplateParseOptions,
  TemplatePart,
  TemplateText,
} from '../expr/template-parse.ts';
export { collectReferences, templateReferences } from '../expr/references.ts';
export { ROOTS } from '../expr/roots.ts';
export type { Completion, CompletionScope } from '../expr/complete.ts';

// A run's events folded into its state and its view (the designer's run overlay).
export {
  applyEvent,
  cloneState,
  foldEvents,
  reduce,
  stateFromSnapshot,
  stateToSnapshot,
} from '../runtime/run-state.ts';
export type {
  LogEntry,
  NodeRecord,
  NodeStatus,
  RunState,
  RunStateSnapshot,
  RunStatus,
  ScriptCallRecord,
  TimerRecord,
} from '../runtime/run-state.ts';
export type {
  NewRunEvent,
  NodeError,
  NodeOverride,
  ParentLink,
  RunEvent,
  RunEventType,
  SuspensionKind,
  TriggerInfo,
  WaitInfo,
} from '../runtime/events.ts';
export { toRunView } from '../runtime/run-view.ts';
export type { NodeView, RunView } from '../runtime/run-view.ts';
