import type { Edge, FlowDefinition, FlowNode } from './flow.ts';

/**
 * Graph utilities shared by the validator, the runtime and the designer: an index of every
 * graph (the main graph, container bodies, catch/finally regions, onFailure) and of every node
 * with its JSON pointer, plus topological order, cycles, upstream sets and scope chains.
 *
 * Indexing is tolerant: it reads any JSON and skips what is malformed (the validator reports
 * that), so it can run on a half-edited document in the designer.
 */

/** Which kind of graph a node lives in. */
export type Region = 'main' | 'body' | 'catch' | 'finally' | 'onFailure';

export interface GraphInfo {
  /** '' for the main graph, 'onFailure', or `<containerId>`, `<containerId>#catch`, `<containerId>#finally`. */
  readonly key: string;
  /** JSON pointer of the object that holds `nodes` and `edges` ('' for the flow itself). */
  readonly pointer: string;
  readonly region: Region;
  /** The container whose body or region this is. */
  readonly owner: NodeInfo | undefined;
  /** The graph the owner sits in. */
  readonly parent: GraphInfo | undefined;
  readonly nodes: readonly NodeInfo[];
  readonly edges: readonly EdgeInfo[];
}

export interface NodeInfo {
  readonly id: string;
  readonly node: FlowNode;
  /** JSON pointer of the node, e.g. `/nodes/2/nodes/0`. */
  readonly pointer: string;
  readonly graph: GraphInfo;
  /** Position in its graph's `nodes` array. */
  readonly index: number;
}

export interface EdgeInfo {
  readonly edge: Edge;
  readonly pointer: string;
  readonly index: number;
}

export interface FlowIndex {
  readonly main: GraphInfo;
  readonly onFailure: GraphInfo | undefined;
  /** Every graph, parents before children. */
  readonly graphs: readonly GraphInfo[];
  /** Every node by id (the first one, when ids are duplicated). */
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  /** Nodes whose id was already taken, in document order. */
  readonly duplicates: readonly NodeInfo[];
  /** The sub-graphs a container owns, by container id. */
  readonly regionsOf: ReadonlyMap<string, readonly GraphInfo[]>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds the index of a flow (any JSON; malformed parts are skipped). */
export function indexFlow(flow: FlowDefinition | unknown): FlowIndex {
  const graphs: GraphInfo[] = [];
  const nodes = new Map<string, NodeInfo>();
  const duplicates: NodeInfo[] = [];
  const regionsOf = new Map<string, GraphInfo[]>();

  const addGraph = (
    holder: unknown,
    ptr: string,
    key: string,
    region: Region,
    owner: NodeInfo | undefined,
    parent: GraphInfo | undefined,
  ): GraphInfo => {
    const graph: Mutable<GraphInfo> = {
      key,
      pointer: ptr,
      region,
      owner,
      parent,
      nodes: [],
      edges: [],
    };
    graphs.push(graph);
    // Only the first node of a duplicated id owns regions under that id (duplicates are
    // reported by the validator; letting both register would make scopes recurse forever).
    if (owner && nodes.get(owner.id) === owner) {
      const list = regionsOf.get(owner.id) ?? [];
      list.push(graph);
      regionsOf.set(owner.id, list);
    }
    const rawNodes = isObject(holder) && Array.isArray(holder['nodes']) ? holder['nodes'] : [];
    const rawEdges = isObject(holder) && Array.isArray(holder['edges']) ? holder['edges'] : [];
    const infos: NodeInfo[] = [];
    rawNodes.forEach((raw: unknown, i: number) => {
      if (!isObject(raw) || typeof raw['id'] !== 'string') return;
      const info: NodeInfo = {
        id: raw['id'],
        node: raw as unknown as FlowNode,
        pointer: `${ptr}/nodes/${i}`,
        graph,
        index: i,
      };
      infos.push(info);
      if (nodes.has(info.id)) duplicates.push(info);
      else nodes.set(info.id, info);
    });
    graph.nodes = infos;
    graph.edges = rawEdges.flatMap((raw: unknown, i: number) =>
      isObject(raw) && typeof raw['from'] === 'string' && typeof raw['to'] === 'string'
        ? [{ edge: raw as unknown as Edge, pointer: `${ptr}/edges/${i}`, index: i }]
        : [],
    );
    // Children after the graph itself, so `graphs` lists parents first.
    for (const info of infos) {
      const node = info.node as unknown as Record<string, unknown>;
      const type = node['type'];
      if (type === 'forEach' || type === 'while' || type === 'try' || type === 'group') {
        addGraph(node, info.pointer, info.id, 'body', info, graph);
        if (type === 'try') {
          if (isObject(node['catch'])) {
            addGraph(
              node['catch'],
              `${info.pointer}/catch`,
              `${info.id}#catch`,
              'catch',
              info,
              graph,
            );
          }
          if (isObject(node['finally'])) {
            addGraph(
              node['finally'],
              `${info.pointer}/finally`,
              `${info.id}#finally`,
              'finally',
              info,
              graph,
            );
          }
        }
      }
    }
    return graph;
  };

  const main = addGraph(flow, '', '', 'main', undefined, undefined);
  const onFailure =
    isObject(flow) && isObject(flow['onFailure'])
      ? addGraph(flow['onFailure'], '/onFailure', 'onFailure', 'onFailure', undefined, undefined)
      : undefined;
  return { main, onFailure, graphs, nodes, duplicates, regionsOf };
}

/** Incoming and outgoing edges per node id, for edges whose ends are both in the graph. */
export interface Adjacency {
  readonly out: ReadonlyMap<string, readonly EdgeInfo[]>;
  readonly in: ReadonlyMap<string, readonly EdgeInfo[]>;
}

const adjacencyCache = new WeakMap<GraphInfo, Adjacency>();

/** The adjacency of a graph (cached per GraphInfo). */
export function adjacencyOf(graph: GraphInfo): Adjacency {
  const cached = adjacencyCache.get(graph);
  if (cached) return cached;
  const ids = new Set(graph.nodes.map((n) => n.id));
  const out = new Map<string, EdgeInfo[]>();
  const inc = new Map<string, EdgeInfo[]>();
  for (const id of ids) {
    out.set(id, []);
    inc.set(id, []);
  }
  for (const e of graph.edges) {
    if (!ids.has(e.edge.from) || !ids.has(e.edge.to)) continue;
    out.get(e.edge.from)!.push(e);
    inc.get(e.edge.to)!.push(e);
  }
  const adjacency = { out, in: inc };
  adjacencyCache.set(graph, adjacency);
  return adjacency;
}

/**
 * Node ids in topological order (Kahn), ties broken by declaration order so the order is
 * stable. Nodes on or behind a cycle are left out; `findCycles` names them.
 */
export function topologicalOrder(graph: GraphInfo): string[] {
  const { out, in: inc } = adjacencyOf(graph);
  const pending = new Map<string, number>();
  for (const n of graph.nodes) pending.set(n.id, inc.get(n.id)?.length ?? 0);
  const position = new Map(graph.nodes.map((n, i) => [n.id, i]));
  // A binary heap keyed by declaration position would be O(n log n); a sorted ready list is
  // simpler and the graphs here are small per level.
  const ready = graph.nodes.filter((n) => pending.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  const seen = new Set<string>();
  while (ready.length > 0) {
    const id = ready.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    order.push(id);
    const released: string[] = [];
    for (const e of out.get(id) ?? []) {
      const left = (pending.get(e.edge.to) ?? 0) - 1;
      pending.set(e.edge.to, left);
      if (left === 0) released.push(e.edge.to);
    }
    if (released.length > 0) {
      for (const r of released) ready.push(r);
      ready.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
    }
  }
  return order;
}

/** Every cycle of a graph, each as the ids of its strongly connected component (Tarjan). */
export function findCycles(graph: GraphInfo): string[][] {
  const { out } = adjacencyOf(graph);
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  // Iterative Tarjan: recursion would overflow on long chains.
  for (const start of graph.nodes) {
    if (indexOf.has(start.id)) continue;
    const work: { id: string; next: number }[] = [{ id: start.id, next: 0 }];
    indexOf.set(start.id, counter);
    low.set(start.id, counter++);
    stack.push(start.id);
    onStack.add(start.id);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = out.get(frame.id) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!.edge.to;
        if (!indexOf.has(to)) {
          indexOf.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, indexOf.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === indexOf.get(frame.id)) {
        const component: string[] = [];
        let id: string;
        do {
          id = stack.pop()!;
          onStack.delete(id);
          component.push(id);
        } while (id !== frame.id);
        const selfLoop = component.length === 1 && edges.some((e) => e.edge.to === frame.id);
        if (component.length > 1 || selfLoop) cycles.push(component.reverse());
      }
    }
  }
  return cycles;
}

/** The ids of every node from which `id` can be reached in its graph (its ancestors). */
export function upstreamOf(graph: GraphInfo, id: string): Set<string> {
  const { in: inc } = adjacencyOf(graph);
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const e of inc.get(current) ?? []) {
      if (!seen.has(e.edge.from)) {
        seen.add(e.edge.from);
        stack.push(e.edge.from);
      }
    }
  }
  seen.delete(id);
  return seen;
}

/** The ids of every node reachable from `id` in its graph (its descendants). */
export function downstreamOf(graph: GraphInfo, id: string): Set<string> {
  const { out } = adjacencyOf(graph);
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const e of out.get(current) ?? []) {
      if (!seen.has(e.edge.to)) {
        seen.add(e.edge.to);
        stack.push(e.edge.to);
      }
    }
  }
  seen.delete(id);
  return seen;
}

/** The containers enclosing a node, innermost first, each with the region the node is in. */
export function scopeChain(
  index: FlowIndex,
  id: string,
): { container: NodeInfo; region: Region }[] {
  const chain: { container: NodeInfo; region: Region }[] = [];
  let graph = index.nodes.get(id)?.graph;
  while (graph?.owner) {
    chain.push({ container: graph.owner, region: graph.region });
    graph = graph.owner.graph;
  }
  return chain;
}

/** Sinks of a graph: nodes without outgoing edges (declaration order). */
export function sinksOf(graph: GraphInfo): NodeInfo[] {
  const { out } = adjacencyOf(graph);
  return graph.nodes.filter((n) => (out.get(n.id)?.length ?? 0) === 0);
}

/** Roots of a graph: nodes without incoming edges; they start with the run or iteration. */
export function rootsOf(graph: GraphInfo): NodeInfo[] {
  const { in: inc } = adjacencyOf(graph);
  return graph.nodes.filter((n) => (inc.get(n.id)?.length ?? 0) === 0);
}
