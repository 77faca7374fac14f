// The public API of the importers; src/index.ts re-exports these by name.
export { DEFAULT_IMPORTED_FLOW_ID, importOpenFlow } from './openflow/import-openflow.ts';
export type { ImportOpenFlowOptions, ImportOpenFlowResult } from './openflow/import-openflow.ts';
export { openFlowPathToFlowId } from './openflow/ids.ts';
export { UNBOUNDED_PARALLELISM } from './openflow/loops.ts';
export { PLACEHOLDER_PREFIX } from './openflow/steps.ts';
export { DEFAULT_SUSPEND_TIMEOUT_S } from './openflow/after-step.ts';
export type {
  OpenFlowAiAgent,
  OpenFlowBranchAll,
  OpenFlowBranchOne,
  OpenFlowDocument,
  OpenFlowForLoop,
  OpenFlowIdentity,
  OpenFlowInputTransform,
  OpenFlowInputTransforms,
  OpenFlowModule,
  OpenFlowModuleValue,
  OpenFlowPathFlow,
  OpenFlowPathScript,
  OpenFlowRawScript,
  OpenFlowRetry,
  OpenFlowStopAfterIf,
  OpenFlowSuspend,
  OpenFlowValue,
  OpenFlowWhileLoop,
} from './openflow/types.ts';
