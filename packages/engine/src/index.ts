// The public API of @millrace/engine. Anything not exported here is internal.

// Errors, the flow format and its graph, validation, and (further down) run-state folding: the
// model entry (@millrace/engine/model), which an editor can import alone.
export * from './model/index.ts';

// Expressions
export {
  DEFAULT_LIMITS as DEFAULT_EXPRESSION_LIMITS,
  ExpressionError,
  TemplateCache,
  ARRAY_METHODS,
  FUNCTIONS,
  NUMBER_METHODS,
  ROOTS,
  STRING_METHODS,
  collectReferences,
  compileTemplate,
  completeAt,
  tokensForHighlighting,
  createTemplateCache,
  evaluateTemplate,
  isExpressionError,
  parseExpression,
  parseTemplate,
  printExpression,
  printTemplate,
  templateReferences,
} from './expr/index.ts';
export type {
  AstNode,
  CompiledTemplate,
  Completion,
  CompletionScope,
  Expression as ExpressionAst,
  ExpressionErrorCode,
  ExpressionLimits,
  ParseResult,
  Reference,
  TemplatePart,
} from './expr/index.ts';

// Importers
export {
  DEFAULT_IMPORTED_FLOW_ID,
  DEFAULT_SUSPEND_TIMEOUT_S,
  PLACEHOLDER_PREFIX,
  UNBOUNDED_PARALLELISM,
  importOpenFlow,
  openFlowPathToFlowId,
} from './import/index.ts';
export type {
  ImportOpenFlowOptions,
  ImportOpenFlowResult,
  OpenFlowDocument,
  OpenFlowModule,
  OpenFlowModuleValue,
  OpenFlowValue,
} from './import/index.ts';

// Running flows
export { createEngine } from './runtime/engine.ts';
export type {
  Engine,
  EngineLimits,
  EngineLogger,
  EngineOptions,
  RunHandle,
  RunListener,
  StartOptions,
  WorkOptions,
  EngineWorker,
} from './runtime/engine.ts';
export type {
  DeployOptions,
  FlowListing,
  FlowListingStatus,
  ListFlowsQuery,
} from './runtime/engine/flow-listing.ts';
export type { AliasTarget } from './runtime/engine/aliases.ts';
export type { ReplayOptions, RerunOptions } from './runtime/engine/test-run-options.ts';
export { flowMetrics } from './runtime/engine/metrics.ts';
export type { ErrorCount, FlowMetrics, MetricsOptions } from './runtime/engine/metrics.ts';
export { RunError } from './runtime/node-errors.ts';
export { ActionError } from './actions/action.ts';
export type { ActionContext, ActionDefinition } from './actions/action.ts';
export type {
  CodeRunner,
  CodeRunRequest,
  FlowScriptCall,
  FlowScriptCalls,
} from './actions/code.ts';
export type { FetchLike } from './actions/http.ts';
export { isTerminalEvent } from './runtime/events.ts';
export { retryDelay } from './runtime/retry.ts';

// Stores
export { createMemoryStore } from './store/memory-store.ts';
export type { MemoryStore } from './store/memory-store.ts';
export { isFinished } from './store/run-store.ts';
export type {
  CacheEntry,
  ClaimOnceOptions,
  LoadedRun,
  RunQuery,
  RunStore,
  RunSummary,
  WaitingEntry,
} from './store/run-store.ts';
export type { FlowStore, FlowSummary, StoredDraft, StoredFlow } from './store/flow-store.ts';
export { hasLeases, memoryLeases } from './store/run-lease.ts';
export type { RunLeaseStore } from './store/run-lease.ts';
export type {
  AliasWeight,
  FlowLifecycleStore,
  FlowStatus,
  StoredAlias,
  StoredFlowState,
} from './store/flow-state.ts';

// Triggers: webhook verification (for any host), schedule catch-up
export {
  WEBHOOK_IDEMPOTENCY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  signWebhook,
  verifyWebhook,
} from './triggers/verify-webhook.ts';
export type {
  VerifyWebhookOptions,
  WebhookRequest,
  WebhookVerification,
} from './triggers/verify-webhook.ts';
export { createWebhookDedupe } from './triggers/webhook-dedupe.ts';
export type { WebhookDedupe, WebhookDedupeOptions } from './triggers/webhook-dedupe.ts';
export { catchUpFire } from './triggers/schedule-catch-up.ts';

// Platform seams
export { SimulatedClock, settle, systemClock } from './platform/clock.ts';
export type { Clock, TimerHandle } from './platform/clock.ts';
export { cryptoIds, sequentialIds } from './platform/ids.ts';
export type { IdSource } from './platform/ids.ts';
export type { AbortSignalLike } from './platform/globals.ts';
