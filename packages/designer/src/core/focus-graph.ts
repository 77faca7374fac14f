import type { FlowDefinition } from '@millrace/engine/model';
import { indexFlow, adjacencyOf } from '@millrace/engine/model';
import type { LayoutResult } from './layout-result.ts';

export type FocusDirection = 'up' | 'down' | 'left' | 'right';

/**
 * Keyboard navigation on the canvas (DESIGN §7): arrow keys move focus along edges (down to a
 * successor, up to a predecessor) and across branches (left/right to the nearest node beside
 * this one in the same box). Successors and predecessors are tried left to right, so "down"
 * from an `if` goes to its `true` arm first. Pure: the element only forwards the key.
 */
export function nextFocus(
  flow: FlowDefinition,
  layout: LayoutResult,
  from: string,
  direction: FocusDirection,
): string | undefined {
  const here = layout.nodes.get(from);
  if (!here) return undefined;
  if (direction === 'down' || direction === 'up') {
    const index = indexFlow(flow);
    const info = index.nodes.get(from);
    if (!info) return undefined;
    const adjacency = adjacencyOf(info.graph);
    const edges = direction === 'down' ? adjacency.out.get(from) : adjacency.in.get(from);
    const ids = (edges ?? []).map((e) => (direction === 'down' ? e.edge.to : e.edge.from));
    const placed = ids.filter((id) => layout.nodes.has(id));
    placed.sort((a, b) => layout.nodes.get(a)!.x - layout.nodes.get(b)!.x);
    if (placed.length > 0) return placed[0];
    // At the end of a container body, "down" leaves the container; at its start, "up" does.
    return info.graph.owner?.id;
  }
  const centreY = here.y + here.height / 2;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const node of layout.nodes.values()) {
    if (node.id === from || node.parentId !== here.parentId || node.kind === 'region') continue;
    const overlaps = node.y <= centreY && centreY <= node.y + node.height;
    if (!overlaps) continue;
    const dx = node.x - here.x;
    if ((direction === 'right' && dx <= 0) || (direction === 'left' && dx >= 0)) continue;
    if (Math.abs(dx) < bestDistance) {
      bestDistance = Math.abs(dx);
      best = node.id;
    }
  }
  return best;
}
