import type { IfNode } from '../flow.ts';
import {
  adjacencyOf,
  findCycles,
  topologicalOrder,
  type EdgeInfo,
  type GraphInfo,
  type NodeInfo,
} from '../graph.ts';
import { portsOf, DEFAULT_PORT } from '../ports.ts';
import type { IndexedContext } from './context.ts';

/** Duplicate ids, edges, ports, cycles, dead and disconnected nodes, for every graph. */
export function checkGraphs(ctx: IndexedContext): void {
  for (const dup of ctx.index.duplicates) {
    const first = ctx.index.nodes.get(dup.id)!;
    ctx.report(
      'E_DUPLICATE_ID',
      `${dup.pointer}/id`,
      `Two nodes have the id "${dup.id}" (at ${first.pointer} and ${dup.pointer}); ids must be unique in the whole flow, also across containers.`,
      { nodeId: dup.id, related: [first.pointer] },
    );
  }
  for (const graph of ctx.index.graphs) {
    checkEdges(ctx, graph);
    const cyclic = checkCycles(ctx, graph);
    checkLiveness(ctx, graph, cyclic);
  }
}

function graphName(graph: GraphInfo): string {
  switch (graph.region) {
    case 'main':
      return 'the flow';
    case 'onFailure':
      return 'onFailure';
    case 'body':
      return `the body of "${graph.owner?.id ?? ''}"`;
    default:
      return `the ${graph.region} region of "${graph.owner?.id ?? ''}"`;
  }
}

function checkEdges(ctx: IndexedContext, graph: GraphInfo): void {
  const local = new Map(graph.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  for (const { edge, pointer } of graph.edges) {
    let endsOk = true;
    for (const end of ['from', 'to'] as const) {
      const id = edge[end];
      if (local.has(id)) continue;
      endsOk = false;
      const elsewhere = ctx.index.nodes.get(id);
      if (elsewhere) {
        ctx.report(
          'E_EDGE_SCOPE',
          `${pointer}/${end}`,
          `This edge in ${graphName(graph)} connects to "${id}", which lives in ${graphName(elsewhere.graph)}; edges stay inside one graph — connect to the container instead.`,
          { nodeId: id },
        );
      } else {
        ctx.report(
          'E_UNKNOWN_NODE',
          `${pointer}/${end}`,
          `This edge's "${end}" names "${id}", but ${graphName(graph)} has no node with that id.`,
        );
      }
    }
    if (!endsOk) continue;
    const source = local.get(edge.from)!;
    const { ports, requiresPort } = portsOf(source.node, ctx.catalog.get(source.node.type));
    if (edge.port === undefined) {
      if (requiresPort) {
        ctx.report(
          'E_PORT_REQUIRED',
          pointer,
          `The edge from "${edge.from}" (${source.node.type}) to "${edge.to}" must say which port it leaves: ${ports.map((p) => `"${p}"`).join(', ')}.`,
          { nodeId: edge.from },
        );
      }
    } else if (!ports.includes(edge.port)) {
      ctx.report(
        'E_UNKNOWN_PORT',
        `${pointer}/port`,
        `"${edge.from}" (${source.node.type}) has no port "${edge.port}"; its ports are ${ports.map((p) => `"${p}"`).join(', ')}.`,
        { nodeId: edge.from },
      );
    }
    const key = `${edge.from}\u0000${edge.port ?? DEFAULT_PORT}\u0000${edge.to}`;
    if (seen.has(key)) {
      ctx.report(
        'E_DUPLICATE_EDGE',
        pointer,
        `The edge from "${edge.from}" to "${edge.to}" is declared twice; remove one.`,
        {
          nodeId: edge.from,
        },
      );
    }
    seen.add(key);
  }
}

function checkCycles(ctx: IndexedContext, graph: GraphInfo): Set<string> {
  const cyclic = new Set<string>();
  for (const cycle of findCycles(graph)) {
    const members = new Set(cycle);
    const closing = graph.edges.find((e) => members.has(e.edge.from) && members.has(e.edge.to));
    const loop =
      cycle.length === 1
        ? `"${cycle[0]}" → "${cycle[0]}"`
        : [...cycle, cycle[0]].map((id) => `"${id}"`).join(' → ');
    ctx.report(
      'E_CYCLE',
      closing?.pointer ?? graph.pointer,
      `The edges form a cycle: ${loop}. Flows are acyclic; to repeat steps, put them in a "while" loop.`,
      { nodeId: cycle[0]!, related: cycle },
    );
    for (const id of cycle) cyclic.add(id);
  }
  return cyclic;
}

/** A constant `if` condition: a boolean, a string without expressions, or `$<true>`/`$<false>`. */
function constantCondition(node: NodeInfo): boolean | undefined {
  const condition = (node.node as IfNode).input?.condition;
  if (typeof condition === 'boolean') return condition;
  if (typeof condition === 'string') {
    const trimmed = condition.trim();
    if (trimmed === '$<true>') return true;
    if (trimmed === '$<false>') return false;
    if (!condition.includes('$<')) return condition !== '';
  }
  return undefined;
}

/**
 * Liveness: roots are live; an edge is live when its source is live, can succeed and (for a
 * constant `if`) its port can be chosen; a node is live when it has a live incoming edge
 * (join "all": when all of them are). Dead nodes are reported once, at the first dead one
 * on each path (`W_UNREACHABLE`), nodes with no edges at all as `W_DISCONNECTED`.
 */
function checkLiveness(ctx: IndexedContext, graph: GraphInfo, cyclic: Set<string>): void {
  const { out, in: inc } = adjacencyOf(graph);
  const live = new Set<string>();
  const deadPorts = new Map<string, string>();
  for (const n of graph.nodes) {
    if (n.node.type !== 'if') continue;
    const constant = constantCondition(n);
    if (constant === undefined) continue;
    deadPorts.set(n.id, constant ? 'false' : 'true');
    ctx.report(
      'W_CONSTANT_CONDITION',
      `${n.pointer}/input/condition`,
      `The condition of "${n.id}" is always ${String(constant)}, so its "${constant ? 'false' : 'true'}" branch never runs.`,
      { nodeId: n.id },
    );
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const liveEdge = (e: EdgeInfo): boolean => {
    const src = byId.get(e.edge.from);
    return (
      src !== undefined &&
      live.has(src.id) &&
      !ctx.catalog.get(src.node.type)?.neverSucceeds &&
      deadPorts.get(src.id) !== (e.edge.port ?? DEFAULT_PORT)
    );
  };
  // Topological order visits every feeder first; nodes on or behind a cycle are not in it.
  for (const id of topologicalOrder(graph)) {
    const edges = inc.get(id) ?? [];
    const isLive =
      edges.length === 0 ||
      (byId.get(id)?.node.join === 'all' ? edges.every(liveEdge) : edges.some(liveEdge));
    if (isLive) live.add(id);
  }
  const hasEdges = graph.edges.length > 0 && graph.nodes.length > 1;
  for (const n of graph.nodes) {
    const ins = inc.get(n.id)?.length ?? 0;
    const outs = out.get(n.id)?.length ?? 0;
    if (!live.has(n.id) && !cyclic.has(n.id)) {
      const feeders = (inc.get(n.id) ?? []).map((e) => e.edge.from);
      // Report only the frontier: a dead node whose feeders are all live-but-dead-ending.
      if (feeders.every((f) => live.has(f) || cyclic.has(f))) {
        ctx.report(
          'W_UNREACHABLE',
          n.pointer,
          `"${n.id}" can never run: every edge into it comes from a node that cannot succeed or a branch that is never taken.`,
          { nodeId: n.id, related: feeders },
        );
      }
    }
    if (hasEdges && ins === 0 && outs === 0) {
      ctx.report(
        'W_DISCONNECTED',
        n.pointer,
        `"${n.id}" has no edges, so it runs as soon as ${graphName(graph)} starts, in parallel with everything else. Connect it, or remove it if it was left behind.`,
        { nodeId: n.id },
      );
    }
  }
  for (const n of graph.nodes) {
    if (n.node.type !== 'switch') continue;
    const used = new Set((out.get(n.id) ?? []).map((e) => e.edge.port));
    const { ports } = portsOf(n.node);
    ports.forEach((port) => {
      if (port !== 'default' && !used.has(port)) {
        ctx.report(
          'W_UNUSED_PORT',
          n.pointer,
          `The switch "${n.id}" has a case "${port}" but no edge leaves that port.`,
          {
            nodeId: n.id,
          },
        );
      }
    });
  }
}
