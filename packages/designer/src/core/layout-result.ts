import type { ElkEdgeSection, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { LayoutEdgeKind, LayoutGraph, LayoutRegion } from './layout-graph.ts';
import { inputPortId, outputPortId } from './layout-graph.ts';
import type { CardKind } from './node-size.ts';

/**
 * The layout the renderer draws: every box, port and edge in absolute canvas coordinates.
 * ELK answers with coordinates relative to each node's parent (and edges relative to the node
 * that holds them); `toLayoutResult` adds the offsets up. Pure: ELK output + the graph in, data out.
 */

export interface LayoutPoint {
  readonly x: number;
  readonly y: number;
}

export interface LayoutNode {
  /** Layout id: the flow node's id, `trigger:<id>`, `<containerId>#<region>` or `#onFailure`. */
  readonly id: string;
  /** Top-left corner, absolute. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly kind: CardKind;
  /** The flow node's type, the trigger's kind, or the region name of a region box. */
  readonly type: string;
  /** Layout id of the box this node is drawn in: a container, or a try's region box. */
  readonly parentId?: string;
  /** The sub-graph the node belongs to; absent in the main graph. */
  readonly region?: LayoutRegion;
  /** True when the node sits at its pinned `ui.position`. */
  readonly pinned?: true;
}

export interface LayoutPortPosition extends LayoutPoint {
  readonly port: string;
}

/** Port anchors of one node: where edges attach, on the card's border (absolute). */
export interface LayoutPorts {
  /** Centre of the top edge (absent on trigger cards and region boxes). */
  readonly input?: LayoutPoint;
  /** On the bottom edge, in display (`portsOf`) order. */
  readonly outputs: readonly LayoutPortPosition[];
}

export interface LayoutLabel {
  readonly text: string;
  /** Top-left of the label box, absolute; the renderer clips the text to `width`. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface LayoutEdge {
  readonly id: string;
  readonly kind: LayoutEdgeKind;
  readonly from: string;
  readonly to: string;
  /** The port named by the flow's edge. */
  readonly port?: string;
  /** Orthogonal polyline, absolute: source port anchor, bend points, target port anchor. */
  readonly points: readonly LayoutPoint[];
  readonly label?: LayoutLabel;
}

export interface LayoutResult {
  /** Bounding box of everything drawn (x and y are 0 unless a node is pinned further out). */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Every node, parents before children. */
  readonly nodes: ReadonlyMap<string, LayoutNode>;
  readonly edges: readonly LayoutEdge[];
  /** Port anchors per layout node id. */
  readonly ports: ReadonlyMap<string, LayoutPorts>;
  /** The structure it was computed for (`layoutKey`), when the layout engine made it. */
  readonly key?: string;
}

function sectionPoints(sections: readonly ElkEdgeSection[] | undefined): LayoutPoint[] {
  const points: LayoutPoint[] = [];
  for (const s of sections ?? []) {
    for (const p of [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]) {
      const last = points[points.length - 1];
      if (!last || last.x !== p.x || last.y !== p.y) points.push({ x: p.x, y: p.y });
    }
  }
  return points;
}

/**
 * Converts ELK's answer for `graph.elk` into a LayoutResult with absolute coordinates. Nodes,
 * ports and edges that ELK left out (it never should) are skipped rather than thrown on.
 *
 * @example
 * const result = toLayoutResult(await elk.layout(structuredClone(graph.elk)), graph);
 * result.nodes.get('approve'); // { x, y, width, height, kind: 'branch', ... }
 */
export function toLayoutResult(laidOut: ElkNode, graph: LayoutGraph): LayoutResult {
  const boxes = new Map<string, LayoutNode>();
  const portsAt = new Map<string, LayoutPoint>();
  const edgesById = new Map<string, { edge: ElkExtendedEdge; dx: number; dy: number }>();

  // Iterative walk: offsets of each ELK node's parent.
  const stack: { node: ElkNode; dx: number; dy: number; isRoot: boolean }[] = [
    { node: laidOut, dx: 0, dy: 0, isRoot: true },
  ];
  while (stack.length > 0) {
    const { node, dx, dy, isRoot } = stack.pop()!;
    const x = isRoot ? 0 : dx + (node.x ?? 0);
    const y = isRoot ? 0 : dy + (node.y ?? 0);
    const info = isRoot ? undefined : graph.nodes.get(node.id);
    if (info) {
      boxes.set(info.id, {
        id: info.id,
        x,
        y,
        width: node.width ?? 0,
        height: node.height ?? 0,
        kind: info.kind,
        type: info.type,
        ...(info.parentId === undefined ? {} : { parentId: info.parentId }),
        ...(info.region === undefined ? {} : { region: info.region }),
      });
    }
    for (const port of node.ports ?? []) {
      // Ports are zero-size anchors; the centre is the anchor whatever size a caller gave.
      portsAt.set(port.id, {
        x: x + (port.x ?? 0) + (port.width ?? 0) / 2,
        y: y + (port.y ?? 0) + (port.height ?? 0) / 2,
      });
    }
    // Edges are relative to the node that holds them (their ends' common parent here).
    for (const edge of node.edges ?? []) edgesById.set(edge.id, { edge, dx: x, dy: y });
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ node: children[i]!, dx: x, dy: y, isRoot: false });
    }
  }

  // Parents before children, in the builder's order (not ELK's).
  const nodes = new Map<string, LayoutNode>();
  const ports = new Map<string, LayoutPorts>();
  for (const info of graph.nodes.values()) {
    const box = boxes.get(info.id);
    if (!box) continue;
    nodes.set(info.id, box);
    if (info.kind === 'region') continue;
    const input = info.kind === 'trigger' ? undefined : portsAt.get(inputPortId(info.id));
    const outputs: LayoutPortPosition[] = [];
    for (const port of info.ports) {
      const at = portsAt.get(outputPortId(info.id, port));
      if (at) outputs.push({ port, x: at.x, y: at.y });
    }
    ports.set(info.id, { ...(input ? { input } : {}), outputs });
  }

  const edges: LayoutEdge[] = [];
  for (const info of graph.edges) {
    const found = edgesById.get(info.id);
    if (!found) continue;
    const { edge, dx, dy } = found;
    const points = sectionPoints(edge.sections).map((p) => ({ x: p.x + dx, y: p.y + dy }));
    const elkLabel = edge.labels?.[0];
    edges.push({
      id: info.id,
      kind: info.kind,
      from: info.from,
      to: info.to,
      ...(info.port === undefined ? {} : { port: info.port }),
      points,
      ...(info.label !== undefined && elkLabel
        ? {
            label: {
              text: info.label,
              x: dx + (elkLabel.x ?? 0),
              y: dy + (elkLabel.y ?? 0),
              width: elkLabel.width ?? 0,
              height: elkLabel.height ?? 0,
            },
          }
        : {}),
    });
  }

  return {
    x: 0,
    y: 0,
    width: laidOut.width ?? 0,
    height: laidOut.height ?? 0,
    nodes,
    edges,
    ports,
  };
}

/** The smallest box holding every node, edge point and label of a result (and the origin). */
export function boundsOf(result: Pick<LayoutResult, 'nodes' | 'edges'>): {
  x: number;
  y: number;
  width: number;
  height: number;
} {
  let x0 = 0;
  let y0 = 0;
  let x1 = 0;
  let y1 = 0;
  const add = (x: number, y: number, w = 0, h = 0): void => {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + w);
    y1 = Math.max(y1, y + h);
  };
  for (const n of result.nodes.values()) add(n.x, n.y, n.width, n.height);
  for (const e of result.edges) {
    for (const p of e.points) add(p.x, p.y);
    if (e.label) add(e.label.x, e.label.y, e.label.width, e.label.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The top row of a layout's outermost cards (where a flow starts), as one box. */
export function startOf(result: LayoutResult): {
  x: number;
  y: number;
  width: number;
  height: number;
} {
  let top = Infinity;
  for (const n of result.nodes.values()) if (n.parentId === undefined) top = Math.min(top, n.y);
  let x1 = Infinity;
  let x2 = -Infinity;
  let y2 = top;
  for (const n of result.nodes.values()) {
    if (n.parentId !== undefined || n.y > top + 1) continue;
    x1 = Math.min(x1, n.x);
    x2 = Math.max(x2, n.x + n.width);
    y2 = Math.max(y2, n.y + n.height);
  }
  if (!Number.isFinite(top)) return { x: result.x, y: result.y, width: 0, height: 0 };
  return { x: x1, y: top, width: x2 - x1, height: y2 - top };
}
