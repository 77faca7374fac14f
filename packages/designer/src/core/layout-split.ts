import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { partKey } from './layout-cache.ts';
import { createLruMap, type LruMap } from './lru-map.ts';

/**
 * Splitting a flow's ELK graph into consecutive parts that ELK lays out on their own (in
 * parallel workers, each part cached by its own key), then joining ELK's answers into the
 * answer for the whole graph.
 *
 * Flows are block-structured: the top level is a chain of blocks (a card, an if or switch with
 * its arms up to where they meet, a container) joined at *cut nodes*, cards that every path from
 * the triggers to the end passes through. In a layered layout a cut node is alone in its layer
 * and everything before it lies above, everything after below; so laying out the part before a
 * cut node and the part after it (each holding the cut node) separately, and stacking the two so
 * that the cut node's two copies coincide, gives the picture ELK gives for the whole: the same
 * layers, spacing, port sides and edge routes (the main column is one column either way, as
 * BALANCED placement keeps it). ELK's time is per element, so the parts cost what the whole
 * does, but they run in parallel and an edit re-lays out only the part it touched.
 *
 * Where parts end is decided by content (a hash of the cut node's id, within size bounds), not
 * by counting from the top, so inserting a node moves no boundary but those next to it and
 * every other part keeps its cache key.
 */

export interface SplitOptions {
  /** A part holds at least this many cards and boxes (nested ones count). */
  readonly minWeight?: number;
  /** A part is cut at the first cut node after this weight, hash or not. */
  readonly maxWeight?: number;
  /** A cut node ends a part when its id's hash is divisible by this (content-defined chunks). */
  readonly modulus?: number;
}

/**
 * Parts of ~20–40 cards: an edit re-lays out only its part, and ELK's time grows faster than a
 * part's size (a 1,000-card flow in Node: median part 36 ms at 30–40 cards, 17 ms at 20–30).
 */
export const DEFAULT_SPLIT: Required<SplitOptions> = { minWeight: 20, maxWeight: 60, modulus: 4 };

function weightOf(node: ElkNode): number {
  let w = 1;
  for (const c of node.children ?? []) w += weightOf(c);
  return w;
}

/** FNV-1a over the id: stable across sessions and engines. */
function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The parts of a root ELK graph, in order, or undefined when it does not split (too small, no
 * cut node, a cycle, disconnected pieces). Each part is a root graph with the root's options,
 * the consecutive top-level nodes from one cut node (or the start) to the next (or the end), and
 * the edges between them; a part after the first starts with its cut node.
 */
export function splitElkGraph(root: ElkNode, options: SplitOptions = {}): ElkNode[] | undefined {
  const { minWeight, maxWeight, modulus } = { ...DEFAULT_SPLIT, ...options };
  const children = root.children ?? [];
  const edges = root.edges ?? [];
  // onFailure (layer LAST, no edges) goes with the last part; it takes no part in the cut test.
  const floating = children.filter((c) => c.id === '#onFailure');
  const nodes = children.filter((c) => c.id !== '#onFailure');
  const weights = nodes.map(weightOf);
  const total = weights.reduce((a, b) => a + b, 0);
  if (total < 2 * minWeight) return undefined;

  // The top-level node that owns each ELK port id (`<id>#in`, `<id>#out:<port>`) or node id.
  const ports = new Map<string, string>();
  for (const n of nodes) {
    for (const p of n.ports ?? []) ports.set(p.id, n.id);
    ports.set(n.id, n.id);
  }
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const out: number[][] = nodes.map(() => []);
  const indegree = nodes.map(() => 0);
  const ends: [number, number][] = [];
  for (const e of edges) {
    const from = index.get(ports.get(e.sources[0] ?? '') ?? '');
    const to = index.get(ports.get(e.targets[0] ?? '') ?? '');
    if (from === undefined || to === undefined) return undefined;
    out[from]!.push(to);
    indegree[to]!++;
    ends.push([from, to]);
  }
  // Kahn's algorithm, ties by model order (the builder's children order).
  const order: number[] = [];
  const ready: number[] = [];
  const remaining = [...indegree];
  for (let i = 0; i < nodes.length; i++) if (remaining[i] === 0) ready.push(i);
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift()!;
    order.push(i);
    for (const j of out[i]!) if (--remaining[j] === 0) ready.push(j);
  }
  if (order.length !== nodes.length) return undefined; // a cycle: ELK's business
  const position = new Array<number>(nodes.length);
  order.forEach((node, k) => (position[node] = k));
  // jumped[k] > 0: an edge passes over position k.
  const jumped = new Array<number>(nodes.length + 1).fill(0);
  for (const [from, to] of ends) {
    const a = position[from]!;
    const b = position[to]!;
    if (b > a + 1) {
      jumped[a + 1]!++;
      jumped[b]!--;
    }
  }
  const sinksBefore = new Array<number>(nodes.length).fill(0);
  for (let k = 1; k < order.length; k++) {
    sinksBefore[k] = sinksBefore[k - 1]! + (out[order[k - 1]!]!.length === 0 ? 1 : 0);
  }
  const sourcesAfter = new Array<number>(nodes.length).fill(0);
  for (let k = order.length - 2; k >= 0; k--) {
    sourcesAfter[k] = sourcesAfter[k + 1]! + (indegree[order[k + 1]!] === 0 ? 1 : 0);
  }

  const cuts: number[] = [];
  let over = 0;
  let seen = 0; // weight of positions 0..k
  let since = 0; // weight of the part being built, its opening cut node included
  for (let k = 0; k < order.length; k++) {
    over += jumped[k]!;
    const node = nodes[order[k]!]!;
    const weight = weights[order[k]!]!;
    seen += weight;
    since += weight;
    const isCut =
      k > 0 &&
      k < order.length - 1 &&
      over === 0 &&
      sinksBefore[k] === 0 &&
      sourcesAfter[k] === 0 &&
      (node.children?.length ?? 0) === 0;
    if (!isCut || since < minWeight || total - seen < minWeight) continue;
    if (since >= maxWeight || idHash(node.id) % modulus === 0) {
      cuts.push(k);
      since = weight;
    }
  }
  if (cuts.length === 0) return undefined;

  const bounds = [0, ...cuts, order.length - 1];
  const parts: ElkNode[] = [];
  for (let p = 0; p + 1 < bounds.length; p++) {
    const first = bounds[p]!;
    const last = bounds[p + 1]!;
    const members = new Set<number>();
    for (let k = first; k <= last; k++) members.add(order[k]!);
    // Model order kept: the members in the builder's order.
    const partChildren = nodes.filter((_, i) => members.has(i));
    const partEdges = edges.filter((_, i) => {
      const [from, to] = ends[i]!;
      // The cut node that opens this part keeps no incoming edge (it belongs to the part before).
      return members.has(from) && members.has(to) && !(p > 0 && position[to] === first);
    });
    parts.push({
      id: root.id,
      ...(root.layoutOptions ? { layoutOptions: root.layoutOptions } : {}),
      children: p + 2 === bounds.length ? [...partChildren, ...floating] : partChildren,
      edges: partEdges,
    });
  }
  return parts;
}

function shiftEdge(edge: ElkExtendedEdge, dx: number, dy: number): ElkExtendedEdge {
  return {
    ...edge,
    ...(edge.sections
      ? {
          sections: edge.sections.map((s) => ({
            ...s,
            startPoint: { x: s.startPoint.x + dx, y: s.startPoint.y + dy },
            endPoint: { x: s.endPoint.x + dx, y: s.endPoint.y + dy },
            ...(s.bendPoints
              ? { bendPoints: s.bendPoints.map((b) => ({ x: b.x + dx, y: b.y + dy })) }
              : {}),
          })),
        }
      : {}),
    ...(edge.labels
      ? {
          labels: edge.labels.map((l) => ({ ...l, x: (l.x ?? 0) + dx, y: (l.y ?? 0) + dy })),
        }
      : {}),
  };
}

/** The padding ELK leaves around a root graph (its default, which the designer keeps). */
const ROOT_PADDING = 12;

/**
 * ELK's answers for the parts of `splitElkGraph`, stacked into the answer for the whole graph:
 * each part moved so that its first node (the cut node it shares with the part before) lands
 * where the part before placed it, then everything moved right so that nothing is left of the
 * padding. Only the root level moves; whatever is inside a node is relative to it anyway.
 */
export function joinElkGraphs(root: ElkNode, laidOut: readonly ElkNode[]): ElkNode {
  const children: ElkNode[] = [];
  const edges: ElkExtendedEdge[] = [];
  const placed = new Map<string, ElkNode>();
  let dx = 0;
  let dy = 0;
  laidOut.forEach((part, p) => {
    const kids = part.children ?? [];
    if (p > 0) {
      const cut = kids[0] ? placed.get(kids[0].id) : undefined;
      const copy = kids[0];
      if (!cut || !copy) throw new Error(`joinElkGraphs: part ${p} does not start at a cut node`);
      dx = (cut.x ?? 0) - (copy.x ?? 0);
      dy = (cut.y ?? 0) - (copy.y ?? 0);
    }
    for (const child of kids) {
      if (placed.has(child.id)) continue;
      const moved = { ...child, x: (child.x ?? 0) + dx, y: (child.y ?? 0) + dy };
      placed.set(child.id, moved);
      children.push(moved);
    }
    for (const edge of part.edges ?? []) edges.push(shiftEdge(edge, dx, dy));
  });
  // Normalise: the leftmost / topmost thing sits at the padding.
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const extend = (x: number, y: number, w = 0, h = 0): void => {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + w);
    maxY = Math.max(maxY, y + h);
  };
  for (const c of children) extend(c.x ?? 0, c.y ?? 0, c.width ?? 0, c.height ?? 0);
  for (const e of edges) {
    for (const s of e.sections ?? []) {
      for (const q of [s.startPoint, s.endPoint, ...(s.bendPoints ?? [])]) extend(q.x, q.y);
    }
    for (const l of e.labels ?? []) extend(l.x ?? 0, l.y ?? 0, l.width ?? 0, l.height ?? 0);
  }
  if (children.length === 0) return { ...root, children, edges, width: 0, height: 0 };
  const sx = ROOT_PADDING - minX;
  const sy = ROOT_PADDING - minY;
  return {
    ...root,
    x: 0,
    y: 0,
    width: maxX - minX + 2 * ROOT_PADDING,
    height: maxY - minY + 2 * ROOT_PADDING,
    children: children.map((c) => ({ ...c, x: (c.x ?? 0) + sx, y: (c.y ?? 0) + sy })),
    edges: edges.map((e) => shiftEdge(e, sx, sy)),
  };
}

/** ELK's answers for parts, by part key (LRU): an edit re-lays out only the parts it changed. */
export type PartCache = Pick<LruMap<ElkNode>, 'get' | 'set' | 'size'>;

export function createPartCache(maxEntries = 1024): PartCache {
  return createLruMap<ElkNode>(maxEntries);
}

/**
 * Lays out a root ELK graph with `run`: split into parts when it splits (each part answered
 * from `cache` when it can be, the others run concurrently, so a pool of workers runs them in
 * parallel), joined into the whole graph's answer; otherwise in one piece.
 *
 * @example
 * const laidOut = await layoutInParts(graph.elk, (g) => elk.layout(g), createPartCache());
 */
export async function layoutInParts(
  root: ElkNode,
  run: (graph: ElkNode) => Promise<ElkNode>,
  cache?: PartCache,
  options?: SplitOptions,
): Promise<ElkNode> {
  const parts = splitElkGraph(root, options);
  if (!parts) return run(root);
  const answers = await Promise.all(
    parts.map(async (part) => {
      const key = partKey(part);
      const hit = cache?.get(key);
      if (hit) return hit;
      const laidOut = await run(part);
      cache?.set(key, laidOut);
      return laidOut;
    }),
  );
  return joinElkGraphs(root, answers);
}
