export { defineFlowDesigner } from './define-flow-designer.ts';
export type { DefineOptions } from './define-flow-designer.ts';
export { FlowDesignerBase } from './elements/flow-designer.ts';
export type { FlowLike } from './elements/flow-designer.ts';
export type {
  EditRefusedDetail,
  ErrorDetail,
  FlowDesignerEventMap,
  FlowValidateDetail,
  IterationChangeDetail,
  NodeOpenDetail,
  SelectionChangeDetail,
} from './elements/flow-designer-events.ts';
export type { MinimapMode } from './core/minimap.ts';
export { DEFAULT_STRINGS } from './elements/designer-strings.ts';
export type { DesignerStrings } from './elements/designer-strings.ts';
export {
  IDENTITY_VIEWPORT,
  MAX_ZOOM,
  MIN_ZOOM,
  clampZoom,
  fitRect,
  panBy,
  toWorld,
  zoomAt,
} from './core/viewport.ts';
export type { Rect, Viewport } from './core/viewport.ts';
export {
  ACTION_CARD_HEIGHT,
  CARD_WIDTH,
  CONTAINER_HEADER_HEIGHT,
  CONTAINER_PADDING,
  REGION_HEADER_HEIGHT,
  TRIGGER_CARD_HEIGHT,
  cardKindOf,
  cardSize,
  edgeLabelSize,
  nodeGeometry,
  portOffsets,
  triggerGeometry,
} from './core/node-size.ts';
export type { CardKind, NodeGeometry, Size } from './core/node-size.ts';
export { boundsOf, toLayoutResult } from './core/layout-result.ts';
export type {
  LayoutEdge,
  LayoutLabel,
  LayoutNode,
  LayoutPoint,
  LayoutPortPosition,
  LayoutPorts,
  LayoutResult,
} from './core/layout-result.ts';
export {
  LAYOUT_VERSION,
  createLayoutCache,
  deserializeLayoutResult,
  serializeLayoutResult,
} from './core/layout-cache.ts';
export { layoutKey } from './core/layout-key.ts';
export type { LayoutCache, LayoutCacheOptions, PersistedLayoutCache } from './core/layout-cache.ts';
export { layoutFlow, prepareLayout } from './core/layout-flow.ts';
export type { ElkLayoutFn, PreparedLayout } from './core/layout-flow.ts';
export { nextFocus } from './core/focus-graph.ts';
export type { FocusDirection } from './core/focus-graph.ts';
export { overlayOf, parsePath, runFromEvents } from './core/run-overlay.ts';
export type { IterationChoice, NodeOverlay } from './core/run-overlay.ts';
export {
  loopIterationsOf,
  loopSegments,
  resolvedChoice,
  stepIteration,
} from './core/iteration-choice.ts';
export type { IterationStep, LoopIterations } from './core/iteration-choice.ts';
export { createRunFeed, isEventStream } from './core/run-feed.ts';
export type { RunFeed, RunInput } from './core/run-feed.ts';
export { TimelineBuilder, tickStep, timelineOf, timelineOfView } from './core/run-timeline.ts';
export type {
  AttemptOutcome,
  Timeline,
  TimelineOptions,
  TimelineRow,
  TimelineSegment,
  TimelineSegmentKind,
  TimelineTick,
} from './core/run-timeline.ts';
export { formatClockIntl, formatDurationIntl, formatTickIntl } from './core/time-format.ts';
export { renderRunTimeline } from './elements/run-timeline-view.ts';
export type {
  RunTimelineContext,
  TimelineRowText,
  TimelineSegmentText,
} from './elements/run-timeline-view.ts';
export { outlineOf } from './core/outline.ts';
export type { OutlineItem } from './core/outline.ts';
export {
  arrowHeadPath,
  clipText,
  edgePath,
  indexFlow,
  inputSummary,
  triggerSummary,
  viewportTransform,
} from './core/canvas-geometry.ts';

// Editing: the types of the editing contract (flow-change, flow-before-change, the methods' `at`)
// and its typed error.
export { EditError, isEditError } from './core/flow-edit.ts';
export type {
  EdgeRef,
  EditErrorCode,
  EditResult,
  EditTarget,
  FlowChange,
  FlowChangeKind,
  InsertAt,
} from './core/flow-edit.ts';
export type { FlowChangeDetail } from './core/flow-editor.ts';
export type { PropertyRenderer, PropertyRendererContext } from './panels/property-panel.ts';
