import {
  indexFlow,
  topologicalOrder,
  type FlowDefinition,
  type GraphInfo,
} from '@millrace/engine/model';

/** One row of the outline (`role="tree"`) that lists a flow for screen-reader users. */
export interface OutlineItem {
  readonly id: string;
  readonly label: string;
  readonly type: string;
  /** 1 for top-level nodes (aria-level). */
  readonly level: number;
  /** `body`, `catch`, `finally` for the groups of a try; absent otherwise. */
  readonly region?: string;
  readonly children: readonly OutlineItem[];
}

/**
 * The flow as a tree in execution order: each graph's nodes in topological order (ties in
 * declaration order), containers with their body (and a try's catch and finally regions as
 * labelled groups), onFailure last. Names fall back to ids.
 */
export function outlineOf(
  flow: FlowDefinition,
  strings: { onFailure: string } = { onFailure: 'On failure' },
): OutlineItem[] {
  const index = indexFlow(flow);
  const build = (graph: GraphInfo, level: number): OutlineItem[] => {
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const order = topologicalOrder(graph);
    // Nodes on a cycle are not in the order; list them after, so nothing disappears.
    for (const n of graph.nodes) if (!order.includes(n.id)) order.push(n.id);
    return order.map((id) => {
      const info = byId.get(id)!;
      const regions = index.regionsOf.get(id) ?? [];
      const body = regions.find((r) => r.region === 'body');
      let children: OutlineItem[] = body ? build(body, level + 1) : [];
      const extra = regions.filter((r) => r.region === 'catch' || r.region === 'finally');
      if (extra.length > 0) {
        children = [
          {
            id: `${id}#body`,
            label: 'try',
            type: 'region',
            level: level + 1,
            region: 'body',
            children: body ? build(body, level + 2) : [],
          },
          ...extra.map((r) => ({
            id: `${id}#${r.region}`,
            label: r.region,
            type: 'region',
            level: level + 1,
            region: r.region,
            children: build(r, level + 2),
          })),
        ];
      }
      const name = (info.node as { name?: unknown }).name;
      return {
        id,
        label: typeof name === 'string' && name !== '' ? name : id,
        type: info.node.type,
        level,
        children,
      };
    });
  };
  const items = build(index.main, 1);
  if (index.onFailure) {
    items.push({
      id: '#onFailure',
      label: strings.onFailure,
      type: 'region',
      level: 1,
      region: 'onFailure',
      children: build(index.onFailure, 2),
    });
  }
  return items;
}
