import type { EditResult, FlowDocument } from './flow-edit.ts';
import {
  deserializeLayoutResult,
  serializeLayoutResult,
  type SerializedLayoutResult,
} from './layout-cache.ts';
import type { LayoutResult } from './layout-result.ts';

/**
 * The layout travels with the flow (like a BPMN diagram's DI): the designer records the
 * layout it drew in the flow document under `ui.layout`, keyed by the structure it was
 * computed for (the layout cache key: ELK graph, card sizes, ports, pins). A flow whose
 * recorded key matches its structure is drawn straight from it, without ELK; a stale or
 * missing one is laid out again. The engine ignores `ui`.
 */

export interface RecordedLayout extends SerializedLayoutResult {
  /** The structure the layout was computed for (`layoutKey`). */
  readonly key: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The recorded key of a flow's layout, if any. */
export function recordedKey(flow: unknown): string | undefined {
  const ui = isObject(flow) ? flow['ui'] : undefined;
  const layout = isObject(ui) ? ui['layout'] : undefined;
  return isObject(layout) && typeof layout['key'] === 'string' ? layout['key'] : undefined;
}

/** The layout recorded in a flow for `key`; undefined when none, stale, or malformed. */
export function recordedLayout(flow: unknown, key: string): LayoutResult | undefined {
  if (recordedKey(flow) !== key) return undefined;
  const layout = ((flow as Record<string, unknown>)['ui'] as Record<string, unknown>)['layout'];
  return deserializeLayoutResult(layout);
}

/**
 * Records `layout` (computed for `key`) in the flow's `ui.layout`. Written by hand rather than
 * through immer: the recorded layout is a large value (~0.4 MB at 1,000 steps) that immer would
 * copy into its patches; here the patches share it (it is never changed afterwards).
 */
export function recordLayout(flow: FlowDocument, key: string, layout: LayoutResult): EditResult {
  const record: RecordedLayout = { key, ...serializeLayoutResult(layout) };
  const ui = (flow as { ui?: Record<string, unknown> }).ui;
  const next = { ...flow, ui: { ...(ui ?? {}), layout: record } } as unknown as FlowDocument;
  const change = { kind: 'layout-recorded', key } as const;
  if (ui === undefined) {
    return {
      flow: next,
      patches: [{ op: 'add', path: ['ui'], value: { layout: record } }],
      inversePatches: [{ op: 'remove', path: ['ui'] }],
      change,
    };
  }
  const had = 'layout' in ui;
  return {
    flow: next,
    patches: [{ op: had ? 'replace' : 'add', path: ['ui', 'layout'], value: record }],
    inversePatches: had
      ? [{ op: 'replace', path: ['ui', 'layout'], value: ui['layout'] }]
      : [{ op: 'remove', path: ['ui', 'layout'] }],
    change,
  };
}
