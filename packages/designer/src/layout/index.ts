// The layout subpath of @millrace/designer (`@millrace/designer/layout`): the worker-backed
// layout engine. Its own entry so that hosts that never lay out pay nothing for it; elkjs itself
// is only ever loaded by the worker or, lazily, by the main-thread fallback.
export {
  createLayoutEngine,
  peekLayout,
  preloadLayout,
  sharedLayoutCache,
} from './layout-client.ts';
export type { LayoutBackendKind, LayoutEngine, LayoutEngineOptions } from './layout-client.ts';
export { LayoutFailedError, LayoutStaleError, isLayoutStale } from './layout-errors.ts';
export type { StaleReason } from './layout-errors.ts';
export type { LayoutWorkerApi } from './layout-worker.ts';
