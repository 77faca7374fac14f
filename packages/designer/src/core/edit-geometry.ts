import type { ActionCatalog } from '@millrace/engine/model';
import { outputPortsOf } from './connect-rules.ts';
import type { EdgeRef, FlowDocument, InsertAt } from './flow-edit.ts';
import { edgesIn, locate } from './flow-graphs.ts';
import type { LayoutEdge, LayoutNode, LayoutPoint, LayoutResult } from './layout-result.ts';
import type { Rect } from './viewport.ts';

/**
 * Where things go on the canvas while editing: which edge, container or card lies under a
 * point (a palette item or a moved card dropped there), where the "+" buttons sit, which
 * cards a lasso holds. Pure geometry over the layout, in canvas coordinates.
 */

/** The flow edge a layout edge draws; a trigger's edge means "before its first step". */
export function insertAtEdge(edge: LayoutEdge): InsertAt | undefined {
  if (edge.kind === 'trigger') return { kind: 'before', node: edge.to };
  return { kind: 'edge', edge: edgeRefOf(edge) };
}

export function edgeRefOf(edge: LayoutEdge): EdgeRef {
  return edge.port === undefined
    ? { from: edge.from, to: edge.to }
    : { from: edge.from, to: edge.to, port: edge.port };
}

function segmentDistance(p: LayoutPoint, a: LayoutPoint, b: LayoutPoint): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Distance from a point to a polyline. */
export function polylineDistance(p: LayoutPoint, points: readonly LayoutPoint[]): number {
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    best = Math.min(best, segmentDistance(p, points[i - 1]!, points[i]!));
  }
  return best;
}

/** The point halfway along a polyline (where an edge's "+" sits). */
export function polylineMidpoint(points: readonly LayoutPoint[]): LayoutPoint {
  if (points.length === 0) return { x: 0, y: 0 };
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    total += Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y);
  }
  let left = total / 2;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len >= left && len > 0) {
      return { x: a.x + ((b.x - a.x) * left) / len, y: a.y + ((b.y - a.y) * left) / len };
    }
    left -= len;
  }
  return points[points.length - 1]!;
}

function contains(n: LayoutNode, p: LayoutPoint): boolean {
  return p.x >= n.x && p.x <= n.x + n.width && p.y >= n.y && p.y <= n.y + n.height;
}

/** The graph a container box or region box holds: `t#body` is the try's own body. */
export function graphOfBox(n: LayoutNode): string | undefined {
  if (n.kind === 'container') return n.id;
  if (n.kind !== 'region') return undefined;
  if (n.id === '#onFailure') return 'onFailure';
  const [owner, region] = n.id.split('#');
  return region === 'body' ? owner : n.id;
}

/** The card (not a container or region box) under a point, innermost first. */
export function cardAt(layout: LayoutResult, p: LayoutPoint): LayoutNode | undefined {
  let found: LayoutNode | undefined;
  // Parents come before children in the layout: the last hit is the innermost.
  for (const n of layout.nodes.values()) {
    if (contains(n, p) && n.kind !== 'region') found = n;
  }
  return found?.kind === 'container' ? undefined : found;
}

/**
 * Where a drop at `p` puts a step: on an edge within `tolerance`, into the innermost container
 * or region under it, after the card under it, else into the main graph. Cards and edges of
 * `exclude` (the nodes being moved) are not targets.
 */
export function dropTargetAt(
  layout: LayoutResult,
  p: LayoutPoint,
  tolerance: number,
  exclude: ReadonlySet<string> = new Set(),
): InsertAt {
  let nearest: { edge: LayoutEdge; d: number } | undefined;
  for (const e of layout.edges) {
    if (exclude.has(e.from) || exclude.has(e.to)) continue;
    const d = polylineDistance(p, e.points);
    if (d <= tolerance && (!nearest || d < nearest.d)) nearest = { edge: e, d };
  }
  if (nearest) {
    const at = insertAtEdge(nearest.edge);
    if (at) return at;
  }
  let box: LayoutNode | undefined;
  let card: LayoutNode | undefined;
  for (const n of layout.nodes.values()) {
    if (!contains(n, p) || exclude.has(n.id)) continue;
    if (graphOfBox(n) !== undefined) {
      box = n;
      card = undefined;
    } else if (n.kind !== 'trigger') card = n;
  }
  if (card) return { kind: 'port', from: card.id };
  if (box) {
    // A container's header is the container itself: a drop there goes inside, like the body.
    return { kind: 'graph', graph: graphOfBox(box)! };
  }
  return { kind: 'graph', graph: '' };
}

/** Output ports with no edge out of them: where a branch ends and a "+" continues it. */
export function openPorts(
  flow: FlowDocument,
  layout: LayoutResult,
  catalog?: ActionCatalog,
  only?: ReadonlySet<string>,
): { readonly from: string; readonly port: string; readonly at: LayoutPoint }[] {
  const out: { from: string; port: string; at: LayoutPoint }[] = [];
  for (const [id, ports] of layout.ports) {
    if (only && !only.has(id)) continue;
    const found = locate(flow, id);
    if (!found) continue;
    const used = new Set(
      edgesIn(found.graph)
        .filter((e) => e.from === id)
        .map((e) => e.port ?? 'out'),
    );
    const { ports: names } = outputPortsOf(found.node, catalog);
    for (const p of ports.outputs) {
      if (!used.has(p.port) && names.includes(p.port)) out.push({ from: id, port: p.port, at: p });
    }
  }
  return out;
}

/** Where "add a step after this one" puts it: its first free port, else on its single edge out. */
export function insertionAfter(flow: FlowDocument, id: string, catalog?: ActionCatalog): InsertAt {
  const found = locate(flow, id);
  if (!found) return { kind: 'graph', graph: '' };
  const edges = edgesIn(found.graph).filter((e) => e.from === id);
  const { ports } = outputPortsOf(found.node, catalog);
  const used = new Set(edges.map((e) => e.port ?? 'out'));
  const free = ports.find((p) => !used.has(p));
  if (free !== undefined) return { kind: 'port', from: id, port: free };
  if (edges.length === 1) return { kind: 'edge', edge: edges[0]! };
  return { kind: 'port', from: id, port: ports[0]! };
}

/** Where a step added with nothing selected goes: after the flow's single end, else beside. */
export function insertionAtEnd(flow: FlowDocument, catalog?: ActionCatalog): InsertAt {
  const nodes = Array.isArray(flow.nodes) ? flow.nodes : [];
  const edges = Array.isArray(flow.edges) ? flow.edges : [];
  const sinks = nodes.filter((n) => !edges.some((e) => e.from === n.id));
  if (sinks.length === 1) return insertionAfter(flow, sinks[0]!.id, catalog);
  return { kind: 'graph', graph: '' };
}

/** Cards that lie wholly inside a rectangle (a lasso), in layout order. */
export function nodesInRect(layout: LayoutResult, r: Rect): string[] {
  const out: string[] = [];
  for (const n of layout.nodes.values()) {
    if (n.kind === 'region' || n.kind === 'trigger') continue;
    if (
      n.x >= r.x &&
      n.y >= r.y &&
      n.x + n.width <= r.x + r.width &&
      n.y + n.height <= r.y + r.height
    )
      out.push(n.id);
  }
  return out;
}
