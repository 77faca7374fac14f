import { adjacencyOf, type GraphInfo, type NodeInfo } from '@millrace/engine/model';

/**
 * The nodes of a graph in the order ELK should see them: depth-first from the roots, following
 * output ports in display order, so within a layer the `true` branch comes before the `false`
 * one. Nodes not reached from a root (cycles) follow in declaration order.
 */
export function modelOrder(
  graph: GraphInfo,
  portIndex: (from: string, port?: string) => number,
): NodeInfo[] {
  const { in: inc, out } = adjacencyOf(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const order: NodeInfo[] = [];
  const starts = [...graph.nodes.filter((n) => (inc.get(n.id)?.length ?? 0) === 0), ...graph.nodes];
  for (const start of starts) {
    if (seen.has(start.id)) continue;
    const stack: NodeInfo[] = [start];
    while (stack.length > 0) {
      const info = stack.pop()!;
      if (seen.has(info.id)) continue;
      seen.add(info.id);
      order.push(info);
      const next = [...(out.get(info.id) ?? [])].sort(
        (a, b) =>
          portIndex(info.id, a.edge.port) - portIndex(info.id, b.edge.port) || a.index - b.index,
      );
      // Pushed in reverse so the first port's successor is visited first.
      for (let i = next.length - 1; i >= 0; i--) {
        const target = byId.get(next[i]!.edge.to);
        if (target && !seen.has(target.id)) stack.push(target);
      }
    }
  }
  return order;
}
