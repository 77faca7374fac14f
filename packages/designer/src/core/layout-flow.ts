import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { indexFlow, type ActionCatalog, type FlowDefinition } from '@millrace/engine/model';
import type { LayoutCache } from './layout-cache.ts';
import { layoutKey } from './layout-key.ts';
import { buildLayoutGraph, type LayoutGraph, type LayoutGraphOptions } from './layout-graph.ts';
import { applyPins } from './layout-pins.ts';
import { layoutInParts, type PartCache } from './layout-split.ts';
import { toLayoutResult, type LayoutResult } from './layout-result.ts';

/**
 * The layout pipeline without its transport: build the ELK graph, look the key up, run ELK
 * (in a worker, on the main thread, or elkjs in Node), convert, apply pins, store.
 */

/** Runs ELK on a graph: `elk.layout` of an elkjs instance, or a worker proxy of it. */
export type ElkLayoutFn = (graph: ElkNode) => Promise<ElkNode>;

export interface PreparedLayout {
  readonly graph: LayoutGraph;
  /** Cache key (layout-cache.ts). */
  readonly key: string;
}

/** Step 1: the ELK graph of a flow and its cache key. */
export function prepareLayout(
  flow: FlowDefinition | unknown,
  catalog?: ActionCatalog,
  options?: LayoutGraphOptions,
): PreparedLayout {
  const index = indexFlow(flow);
  const graph = buildLayoutGraph(flow, catalog, options, index);
  return { graph, key: layoutKey(flow, catalog, options, index) };
}

/** Step 2: ELK's answer -> the result the renderer draws (absolute, pins applied). */
export function finishLayout(laidOut: ElkNode, graph: LayoutGraph): LayoutResult {
  return applyPins(toLayoutResult(laidOut, graph), graph);
}

/**
 * Lays a flow out with the given ELK function, through `cache` when given; a large flow in parts
 * (core/layout-split.ts, each part through `parts` when given), which gives the same picture.
 *
 * @example
 * const elk = new ELK(); // elkjs/lib/elk.bundled.js
 * const result = await layoutFlow(flow, catalog, (g) => elk.layout(g));
 */
export async function layoutFlow(
  flow: FlowDefinition | unknown,
  catalog: ActionCatalog | undefined,
  run: ElkLayoutFn,
  cache?: LayoutCache,
  parts?: PartCache,
): Promise<LayoutResult> {
  const { graph, key } = prepareLayout(flow, catalog);
  const hit = cache?.get(key);
  if (hit) return hit;
  // elkjs writes its answer into the graph it is given, and the parts of a split layout share
  // objects with the whole: each call gets its own copy.
  const laidOut = await layoutInParts(graph.elk, (g) => run(structuredClone(g)), parts);
  const result = { ...finishLayout(laidOut, graph), key };
  cache?.set(key, result);
  return result;
}
