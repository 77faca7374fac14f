export { defineFlowDesigner } from './define-flow-designer.ts';
export { FlowDesignerBase, DEFAULT_STRINGS } from './elements/flow-designer.ts';
export type { DesignerStrings, FlowLike } from './elements/flow-designer.ts';
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
