import { isDraft, original } from 'immer';
import { isContainer, type Edge, type FlowNode } from '@millrace/engine/model';
import { EditError, type MutableGraph } from './flow-edit.ts';

/**
 * Finding the graphs of a flow document (its main graph, container bodies, a try's catch and
 * finally regions, onFailure) and the nodes in them, on a draft or on a plain document. Graph
 * keys are those of the engine's `indexFlow`: '' (main), 'onFailure', `<container>`,
 * `<try>#catch`, `<try>#finally`.
 */

type Holder = { nodes?: unknown; edges?: unknown };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A node found in a document: the node, the graph holding it and that graph's key. */
export interface Located {
  readonly node: FlowNode;
  readonly graph: MutableGraph;
  readonly key: string;
  readonly index: number;
}

/** The sub-graphs a node owns, with their keys (a try: body, catch, finally). */
export function regionsOf(node: unknown): { key: string; holder: Holder }[] {
  if (!isObject(node) || typeof node['id'] !== 'string' || !isContainer(node as { type: string }))
    return [];
  const id = node['id'];
  const out: { key: string; holder: Holder }[] = [{ key: id, holder: node as Holder }];
  if (node['type'] === 'try') {
    if (isObject(node['catch'])) out.push({ key: `${id}#catch`, holder: node['catch'] as Holder });
    if (isObject(node['finally']))
      out.push({ key: `${id}#finally`, holder: node['finally'] as Holder });
  }
  return out;
}

type Path = readonly (string | number)[];

/**
 * What a draft was before the recipe changed anything (the value itself when not a draft).
 * Reading a draft through its proxies drafts everything that is read, and immer must then
 * finalize all of it (a scan of a 1,000-step flow's edges drafted 1,000 edges); reading the
 * original does not. Only for reads before the recipe writes to that value.
 */
export function plainOf<T>(value: T): T {
  return isDraft(value) ? ((original(value as never) as T | undefined) ?? value) : value;
}

/** Follows a path of keys from `root` (on a draft: drafts only what lies on the path). */
function at(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) value = (value as Record<string | number, unknown>)[key];
  return value;
}

/** Every graph of a plain document with the path to its holder, parents first. */
function graphPaths(flow: unknown): { key: string; graph: MutableGraph; path: Path }[] {
  const out: { key: string; graph: MutableGraph; path: Path }[] = [];
  const visit = (key: string, holder: Holder, path: Path): void => {
    out.push({ key, graph: holder as MutableGraph, path });
    const nodes = Array.isArray(holder.nodes) ? (holder.nodes as unknown[]) : [];
    nodes.forEach((n, i) => {
      for (const r of regionsOf(n)) {
        const sub = r.key.endsWith('#catch')
          ? ['catch']
          : r.key.endsWith('#finally')
            ? ['finally']
            : [];
        visit(r.key, r.holder, [...path, 'nodes', i, ...sub]);
      }
    });
  };
  if (isObject(flow)) {
    visit('', flow as Holder, []);
    if (isObject(flow['onFailure'])) visit('onFailure', flow['onFailure'] as Holder, ['onFailure']);
  }
  return out;
}

/** Every graph of a document, parents first, with its key (drafted graphs on a draft). */
export function graphsOf(flow: unknown): { key: string; graph: MutableGraph }[] {
  return graphPaths(flow);
}

/** The graph with this key, or undefined. */
export function findGraph(flow: unknown, key: string): MutableGraph | undefined {
  return graphPaths(flow).find((g) => g.key === key)?.graph;
}

/**
 * The graph `key` of a draft, found through its base document (so only the path to it is
 * drafted); undefined when the base has no such graph.
 */
export function graphIn(draft: unknown, base: unknown, key: string): MutableGraph | undefined {
  const found = graphPaths(base).find((g) => g.key === key);
  return found && (at(draft, found.path) as MutableGraph);
}

/**
 * A node of a draft found through its base document: only the node and the graph holding it
 * are drafted. For recipes that have not yet changed that graph's `nodes`.
 */
export function locateIn(draft: unknown, base: unknown, id: string): Located | undefined {
  if (!isObject(base)) return undefined;
  const found = indexOf(base).get(id);
  if (!found) return undefined;
  const graph = at(draft, found.path) as MutableGraph;
  return { node: graph.nodes[found.index] as FlowNode, graph, key: found.key, index: found.index };
}

/** The graph with this key, made ready for nodes and edges; throws E_EDIT_UNKNOWN_GRAPH. */
export function graphAt(flow: unknown, key: string): MutableGraph {
  let graph = findGraph(flow, key);
  if (!graph && (key.endsWith('#catch') || key.endsWith('#finally'))) {
    // A try's empty catch/finally region is created on first use.
    const [owner, region] = key.split('#') as [string, 'catch' | 'finally'];
    const found = locate(flow, owner);
    if (found?.node.type === 'try') {
      const node = found.node as unknown as Record<string, unknown>;
      node[region] = { nodes: [], edges: [] };
      graph = node[region] as MutableGraph;
    }
  }
  if (!graph && key === 'onFailure' && isObject(flow)) {
    (flow as Record<string, unknown>)['onFailure'] = { nodes: [], edges: [] };
    graph = (flow as Record<string, unknown>)['onFailure'] as MutableGraph;
  }
  if (!graph)
    throw new EditError('E_EDIT_UNKNOWN_GRAPH', `There is no graph "${key}" in the flow.`, key);
  if (!Array.isArray(graph.nodes)) graph.nodes = [];
  return graph;
}

interface IndexEntry extends Located {
  /** The path to the graph's holder. */
  readonly path: Path;
}

/** Every node of a plain document by id (the first of duplicated ids). */
function buildIndex(flow: unknown): Map<string, IndexEntry> {
  const index = new Map<string, IndexEntry>();
  for (const { key, graph, path } of graphPaths(flow)) {
    const nodes = Array.isArray(graph.nodes) ? graph.nodes : [];
    nodes.forEach((n, i) => {
      if (isObject(n) && typeof n.id === 'string' && !index.has(n.id)) {
        index.set(n.id, { node: n as FlowNode, graph, key, index: i, path });
      }
    });
  }
  return index;
}

// Documents are immutable (each edit makes a new one), so their index is kept per document.
// Drafts change under the recipe: they are searched in a plain snapshot each time, and only the
// node found and the graph holding it are drafted.
const indexes = new WeakMap<object, Map<string, IndexEntry>>();

function indexOf(flow: object): Map<string, IndexEntry> {
  let index = indexes.get(flow);
  if (!index) {
    index = buildIndex(flow);
    indexes.set(flow, index);
  }
  return index;
}

/** Finds a node by id in any graph (of a draft: through its proxies, as it is now). */
export function locate(flow: unknown, id: string): Located | undefined {
  if (!isObject(flow)) return undefined;
  if (isDraft(flow)) return buildIndex(flow).get(id);
  return indexOf(flow).get(id);
}

/** Like `locate`, but throws E_EDIT_UNKNOWN_NODE. */
export function mustLocate(flow: unknown, id: string): Located {
  const found = locate(flow, id);
  if (!found)
    throw new EditError('E_EDIT_UNKNOWN_NODE', `There is no step "${id}" in the flow.`, id);
  return found;
}

/** The edges of a graph, to read (a graph without `edges` has none; nothing is written). */
export function edgesIn(graph: MutableGraph): readonly Edge[] {
  return Array.isArray(graph.edges) ? (graph.edges as Edge[]) : [];
}

/** The edges of a graph of a draft, created when missing (to write). */
export function edgesOf(graph: MutableGraph): Edge[] {
  if (!Array.isArray(graph.edges)) graph.edges = [];
  return graph.edges as Edge[];
}

/** Every node id used anywhere in the document (nested ones included). */
export function allNodeIds(flow: unknown): Set<string> {
  const ids = new Set<string>();
  if (isObject(flow) && !isDraft(flow)) return new Set(indexOf(flow).keys());
  for (const { graph } of graphPaths(flow)) {
    for (const n of Array.isArray(graph.nodes) ? graph.nodes : []) {
      if (isObject(n) && typeof n.id === 'string') ids.add(n.id);
    }
  }
  return ids;
}

/** The ids of a node and of everything nested inside it. */
export function nestedIds(node: unknown): string[] {
  const out: string[] = [];
  const visit = (n: unknown): void => {
    if (!isObject(n) || typeof n['id'] !== 'string') return;
    out.push(n['id']);
    for (const r of regionsOf(n)) {
      for (const child of Array.isArray(r.holder.nodes) ? (r.holder.nodes as unknown[]) : [])
        visit(child);
    }
  };
  visit(node);
  return out;
}

/** True when graph `key` lies inside node `id` (at any depth). */
export function graphIsInside(flow: unknown, key: string, id: string): boolean {
  const found = locate(flow, id);
  if (!found) return false;
  const inner = new Set(nestedIds(found.node));
  const owner = key.split('#')[0]!;
  return key !== '' && key !== 'onFailure' && inner.has(owner);
}
