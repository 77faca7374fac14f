import type { Edge, FlowDefinition, FlowNode } from '@millrace/engine';

/**
 * Block-structured flows of a given size for the layout benchmark: a chain of actions with an
 * if-block (two arms, then a join) every 10 nodes, a forEach (5-node body) every 50 and a try
 * (3-node body, 2-node catch, 1-node finally) every 100. Every node counts, nested ones too.
 */
export function generateFlow(total: number): FlowDefinition {
  const nodes: FlowNode[] = [];
  const edges: Edge[] = [];
  let count = 0;
  let nextIf = 9;
  let nextForEach = 24;
  let nextTry = 74;
  const id = (): string => `n${count++}`;
  const chain = (k: number): { nodes: FlowNode[]; edges: Edge[] } => {
    const list: FlowNode[] = [];
    const links: Edge[] = [];
    for (let i = 0; i < k; i++) {
      const node: FlowNode = { id: id(), type: i % 2 === 0 ? 'http' : 'log' };
      if (i > 0) links.push({ from: list[i - 1]!.id, to: node.id });
      list.push(node);
    }
    return { nodes: list, edges: links };
  };
  // The open ends the next node attaches to.
  let tails: { from: string; port?: string }[] = [];
  const attach = (to: string): void => {
    for (const t of tails) edges.push({ from: t.from, to, ...(t.port ? { port: t.port } : {}) });
  };
  while (count < total) {
    if (count >= nextTry) {
      nextTry += 100;
      const tryId = id();
      const body = chain(3);
      const onError = chain(2);
      const always = chain(1);
      nodes.push({ id: tryId, type: 'try', ...body, catch: onError, finally: always });
      attach(tryId);
      tails = [{ from: tryId }];
    } else if (count >= nextForEach) {
      nextForEach += 50;
      const eachId = id();
      nodes.push({
        id: eachId,
        type: 'forEach',
        input: { items: '$<flow.input.items>' },
        ...chain(5),
      });
      attach(eachId);
      tails = [{ from: eachId }];
    } else if (count >= nextIf) {
      nextIf += 10;
      const ifId = id();
      nodes.push({ id: ifId, type: 'if', input: { condition: '$<flow.input.ok>' } });
      attach(ifId);
      const yes = chain(2);
      const no = chain(1);
      nodes.push(...yes.nodes, ...no.nodes);
      edges.push(...yes.edges, ...no.edges);
      edges.push({ from: ifId, port: 'true', to: yes.nodes[0]!.id });
      edges.push({ from: ifId, port: 'false', to: no.nodes[0]!.id });
      tails = [{ from: yes.nodes[1]!.id }, { from: no.nodes[0]!.id }];
    } else {
      const node: FlowNode = { id: id(), type: 'http', input: { url: 'https://example.com' } };
      nodes.push(node);
      attach(node.id);
      tails = [{ from: node.id }];
    }
  }
  return {
    format: 'millrace.flow/v1',
    id: `bench-${total}`,
    triggers: [{ id: 'manual', kind: 'manual' }],
    nodes,
    edges,
  };
}
