/**
 * Flows the layout worker lays out before the host's first flow arrives, to warm ELK up.
 *
 * ELK is Java compiled to JavaScript: its first layouts in a fresh worker run as cold code
 * (bytecode, no optimised functions), two to five times slower than once the engine has JIT-
 * compiled its hot paths (measured: a 1,000-node flow 2.4 s cold, 0.5 s after a few layouts). A
 * single tiny warm-up graph barely helps, so the worker lays out a short series of growing,
 * block-structured flows — every card kind, branches, loops, try regions, labels — and stops
 * at the first real request (see layout-client.ts), which then waits for one round at most.
 */

/**
 * Sizes (nodes) of the warm-up rounds, in order: about the size of the parts large flows are
 * laid out in (core/layout-split.ts), so each round is short and a real request waits little.
 * About 1,200 nodes in all: measured in Chromium, a 100-node layout took ~200 ms after 400
 * nodes of warm-up and ~65 ms after 1,200 (one worker: about 1.5 s of background work).
 */
export const WARM_UP_SIZES: readonly number[] = [
  12, 30, 40, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60,
];

interface WarmNode {
  id: string;
  type: string;
  input?: Record<string, unknown>;
  cases?: { port: string; when: string }[];
  nodes?: WarmNode[];
  edges?: { from: string; to: string; port?: string }[];
  catch?: { nodes: WarmNode[]; edges: { from: string; to: string }[] };
}

/** A block-structured flow of about `size` nodes (chain, if-blocks, a forEach, a try, a switch). */
export function warmUpFlow(size: number): unknown {
  const nodes: WarmNode[] = [];
  const edges: { from: string; to: string; port?: string }[] = [];
  let count = 0;
  const id = (): string => `w${count++}`;
  let tails: { from: string; port?: string }[] = [];
  const attach = (to: string): void => {
    for (const t of tails) edges.push({ from: t.from, to, ...(t.port ? { port: t.port } : {}) });
  };
  const chain = (k: number): { nodes: WarmNode[]; edges: { from: string; to: string }[] } => {
    const list: WarmNode[] = [];
    const links: { from: string; to: string }[] = [];
    for (let i = 0; i < k; i++) {
      const node: WarmNode = { id: id(), type: i % 2 === 0 ? 'http' : 'log' };
      if (i > 0) links.push({ from: list[i - 1]!.id, to: node.id });
      list.push(node);
    }
    return { nodes: list, edges: links };
  };
  let step = 0;
  while (count < size) {
    step++;
    if (step % 12 === 6) {
      const loop = id();
      nodes.push({ id: loop, type: 'forEach', input: { items: [] }, ...chain(3) });
      attach(loop);
      tails = [{ from: loop }];
    } else if (step % 12 === 11) {
      const guard = id();
      nodes.push({ id: guard, type: 'try', ...chain(2), catch: chain(1) });
      attach(guard);
      tails = [{ from: guard }];
    } else if (step % 12 === 9) {
      const route = id();
      nodes.push({
        id: route,
        type: 'switch',
        cases: [
          { port: 'a', when: '$<true>' },
          { port: 'b', when: '$<false>' },
        ],
      });
      attach(route);
      const a = chain(1);
      const b = chain(1);
      nodes.push(...a.nodes, ...b.nodes);
      edges.push({ from: route, port: 'a', to: a.nodes[0]!.id });
      edges.push({ from: route, port: 'b', to: b.nodes[0]!.id });
      tails = [{ from: a.nodes[0]!.id }, { from: b.nodes[0]!.id }];
    } else if (step % 3 === 0) {
      const branch = id();
      nodes.push({ id: branch, type: 'if', input: { condition: true } });
      attach(branch);
      const yes = chain(2);
      const no = chain(1);
      nodes.push(...yes.nodes, ...no.nodes);
      edges.push(...yes.edges);
      edges.push({ from: branch, port: 'true', to: yes.nodes[0]!.id });
      edges.push({ from: branch, port: 'false', to: no.nodes[0]!.id });
      tails = [{ from: yes.nodes[1]!.id }, { from: no.nodes[0]!.id }];
    } else {
      const node: WarmNode = { id: id(), type: 'transform' };
      nodes.push(node);
      attach(node.id);
      tails = [{ from: node.id }];
    }
  }
  return {
    format: 'millrace.flow/v1',
    id: `warm-up-${size}`,
    triggers: [{ id: 't', kind: 'manual' }],
    nodes,
    edges,
  };
}
