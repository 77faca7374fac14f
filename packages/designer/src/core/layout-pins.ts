import type { LayoutGraph } from './layout-graph.ts';
import { boundsOf } from './layout-result.ts';
import type {
  LayoutEdge,
  LayoutNode,
  LayoutPoint,
  LayoutPorts,
  LayoutResult,
} from './layout-result.ts';
import { CONTAINER_BOX_PADDING, EDGE_LABEL_PADDING_X, REGION_BOX_PADDING } from './node-size.ts';
import { LAYER_SPACING } from './layout-options.ts';

/**
 * Pinned positions, applied after ELK. ELK's layered algorithm has no per-node fixed position:
 * its interactive strategies need a position for every node and still re-layer and shift them
 * (measured: a node asked for at (400, 30) landed at (412, 162), in another layer). So ELK lays
 * the flow out as if nothing were pinned, and this pass moves each pinned node (with everything
 * inside it) to its `ui.position`, grows the boxes around it, and re-routes the edges whose
 * ends moved. The result is exact and deterministic, and costs nothing when nothing is pinned.
 *
 * `ui.position` is the top-left of the card relative to the top-left of its parent box (the
 * `parentId` of its layout node: a container or a try region), or to the canvas origin at the top
 * level; so a pinned node inside a container moves with the container.
 */

/** Clearance of re-routed edges from the ports they leave and enter. */
const STUB = Math.round(LAYER_SPACING / 2);

type MutableNode = { -readonly [K in keyof LayoutNode]: LayoutNode[K] };

function translatePoint(p: LayoutPoint, dx: number, dy: number): LayoutPoint {
  return { x: p.x + dx, y: p.y + dy };
}

function translatePorts(ports: LayoutPorts, dx: number, dy: number): LayoutPorts {
  return {
    ...(ports.input ? { input: translatePoint(ports.input, dx, dy) } : {}),
    outputs: ports.outputs.map((p) => ({ port: p.port, x: p.x + dx, y: p.y + dy })),
  };
}

/**
 * An orthogonal route from a bottom port to a top port: down, across, down; or, when the
 * target is not below the source, down, out to a lane beside both boxes, up, across, down.
 */
export function routeOrthogonal(
  from: LayoutPoint,
  to: LayoutPoint,
  lane: { readonly right: number },
): LayoutPoint[] {
  if (to.y >= from.y + 2 * STUB || (to.y > from.y && to.x === from.x)) {
    if (to.x === from.x) return [from, to];
    const midY = from.y + Math.round((to.y - from.y) / 2);
    return [from, { x: from.x, y: midY }, { x: to.x, y: midY }, to];
  }
  const laneX = lane.right + STUB;
  return [
    from,
    { x: from.x, y: from.y + STUB },
    { x: laneX, y: from.y + STUB },
    { x: laneX, y: to.y - STUB },
    { x: to.x, y: to.y - STUB },
    to,
  ];
}

/** Moves pinned nodes to their positions (see the module comment). Returns `result` when none is pinned. */
export function applyPins(result: LayoutResult, graph: LayoutGraph): LayoutResult {
  const pinnedIds = [...graph.nodes.values()].filter((n) => n.pinned && result.nodes.has(n.id));
  if (pinnedIds.length === 0) return result;

  const nodes = new Map<string, MutableNode>();
  for (const [id, n] of result.nodes) nodes.set(id, { ...n });
  const ports = new Map(result.ports);
  const children = new Map<string, string[]>();
  for (const n of nodes.values()) {
    if (n.parentId === undefined) continue;
    const list = children.get(n.parentId) ?? [];
    list.push(n.id);
    children.set(n.parentId, list);
  }
  const subtreeOf = (id: string): Set<string> => {
    const out = new Set<string>();
    const stack = [id];
    while (stack.length > 0) {
      const current = stack.pop()!;
      out.add(current);
      stack.push(...(children.get(current) ?? []));
    }
    return out;
  };

  let edges: LayoutEdge[] = [...result.edges];

  const growAncestors = (parentId: string | undefined): void => {
    let id = parentId;
    while (id !== undefined) {
      const box = nodes.get(id);
      if (!box) return;
      const pad = box.kind === 'region' ? REGION_BOX_PADDING : CONTAINER_BOX_PADDING;
      let x0 = box.x;
      let y0 = box.y;
      let x1 = box.x + box.width;
      let y1 = box.y + box.height;
      for (const childId of children.get(id) ?? []) {
        const c = nodes.get(childId)!;
        x0 = Math.min(x0, c.x - pad.left);
        y0 = Math.min(y0, c.y - pad.top);
        x1 = Math.max(x1, c.x + c.width + pad.right);
        y1 = Math.max(y1, c.y + c.height + pad.bottom);
      }
      if (x0 === box.x && y0 === box.y && x1 === box.x + box.width && y1 === box.y + box.height) {
        return;
      }
      const old = { ...box };
      Object.assign(box, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
      const own = ports.get(id);
      if (own) {
        // A box's ports are centred by ELK: keep their offsets from the centre.
        const dCentre = box.x + box.width / 2 - (old.x + old.width / 2);
        ports.set(id, {
          ...(own.input ? { input: { x: own.input.x + dCentre, y: box.y } } : {}),
          outputs: own.outputs.map((p) => ({
            port: p.port,
            x: p.x + dCentre,
            y: box.y + box.height,
          })),
        });
      }
      id = box.parentId;
    }
  };

  for (const info of pinnedIds) {
    const node = nodes.get(info.id)!;
    const parent = info.parentId === undefined ? undefined : nodes.get(info.parentId);
    const dx = (parent?.x ?? 0) + info.pinned!.x - node.x;
    const dy = (parent?.y ?? 0) + info.pinned!.y - node.y;
    node.pinned = true;
    if (dx === 0 && dy === 0) continue;
    const moved = subtreeOf(info.id);
    for (const id of moved) {
      const n = nodes.get(id)!;
      n.x += dx;
      n.y += dy;
      const p = ports.get(id);
      if (p) ports.set(id, translatePorts(p, dx, dy));
    }
    // Edges inside the moved subtree move with it.
    edges = edges.map((e) =>
      moved.has(e.from) && moved.has(e.to)
        ? {
            ...e,
            points: e.points.map((p) => translatePoint(p, dx, dy)),
            ...(e.label ? { label: { ...e.label, x: e.label.x + dx, y: e.label.y + dy } } : {}),
          }
        : e,
    );
    growAncestors(info.parentId);
  }

  // Re-route every edge whose ends no longer sit on its ports.
  const sourcePort = new Map(graph.edges.map((e) => [e.id, e.sourcePort]));
  edges = edges.map((e) => {
    const from = ports.get(e.from)?.outputs.find((p) => p.port === sourcePort.get(e.id));
    const to = ports.get(e.to)?.input;
    const first = e.points[0];
    const last = e.points[e.points.length - 1];
    if (!from || !to || !first || !last) return e;
    if (first.x === from.x && first.y === from.y && last.x === to.x && last.y === to.y) return e;
    const a = nodes.get(e.from)!;
    const b = nodes.get(e.to)!;
    const points = routeOrthogonal(
      { x: from.x, y: from.y },
      { x: to.x, y: to.y },
      { right: Math.max(a.x + a.width, b.x + b.width) },
    );
    return {
      ...e,
      points,
      // Tail labels stay beside the first segment, as ELK placed them.
      ...(e.label
        ? {
            label: {
              ...e.label,
              x: from.x + EDGE_LABEL_PADDING_X,
              y: from.y + EDGE_LABEL_PADDING_X,
            },
          }
        : {}),
    };
  });

  const box = boundsOf({ nodes, edges });
  const x = Math.min(result.x, box.x);
  const y = Math.min(result.y, box.y);
  return {
    x,
    y,
    width: Math.max(result.x + result.width, box.x + box.width) - x,
    height: Math.max(result.y + result.height, box.y + box.height) - y,
    nodes,
    edges,
    ports,
  };
}
