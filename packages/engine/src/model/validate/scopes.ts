import type { FlowIndex, GraphInfo, NodeInfo } from '../graph.ts';
import { upstreamOf } from '../graph.ts';

/** What an expression at some place may read. */
export interface ExpressionScope {
  /** Node ids `$<nodes.x>` may name here. */
  readonly visible: ReadonlySet<string>;
  readonly item: boolean;
  readonly index: boolean;
  readonly error: boolean;
  /** Describes the place for messages ("the input of "notify""). */
  readonly where: string;
}

/**
 * Computes scopes (DESIGN §2/§4): a node sees the nodes upstream of it in its graph and the
 * nodes upstream of each enclosing container; the inside of a `group` or `try` that ran
 * upstream is visible too, the inside of a loop is not (use the loop's output). A `catch`
 * region also sees its try body, `finally` the body and catch, `onFailure` the whole main graph.
 */
export class ScopeResolver {
  private readonly nodeCache = new Map<string, Set<string>>();

  constructor(private readonly index: FlowIndex) {}

  /** The scope of a node's own expressions (input, skipIf, cache key, retryOn, cases). */
  forNode(info: NodeInfo): ExpressionScope {
    const flags = this.flags(info.graph);
    return { visible: this.visibleFor(info), ...flags, where: `"${info.id}"` };
  }

  /** The scope of a container's `output`, and of a `while` condition: its inside is visible. */
  forContainerInside(container: NodeInfo, what: string): ExpressionScope {
    const visible = new Set(this.visibleFor(container));
    const regions = this.index.regionsOf.get(container.id) ?? [];
    for (const g of regions) this.addGraph(visible, g);
    const type = container.node.type;
    const outer = this.flags(container.graph);
    return {
      visible,
      item: outer.item || type === 'forEach',
      index: outer.index || type === 'forEach' || type === 'while',
      error: outer.error || type === 'try',
      where: what,
    };
  }

  /** The scope of a region's `output` (catch, finally, onFailure, or the flow's own output). */
  forGraphOutput(graph: GraphInfo, what: string): ExpressionScope {
    const visible = new Set<string>();
    if (graph.owner) {
      for (const id of this.visibleFor(graph.owner)) visible.add(id);
      for (const g of this.index.regionsOf.get(graph.owner.id) ?? []) this.addGraph(visible, g);
    } else {
      this.addGraph(visible, this.index.main);
      if (graph.region === 'onFailure') this.addGraph(visible, graph);
    }
    const flags = this.flags(graph);
    return { visible, ...flags, error: flags.error || graph.region === 'catch', where: what };
  }

  /** Trigger filters see no nodes. */
  forTrigger(what: string): ExpressionScope {
    return { visible: new Set(), item: false, index: false, error: false, where: what };
  }

  private flags(graph: GraphInfo): { item: boolean; index: boolean; error: boolean } {
    let item = false;
    let index = false;
    let error = false;
    for (let g: GraphInfo | undefined = graph; g; g = g.owner?.graph) {
      if (g.region === 'onFailure' || g.region === 'catch' || g.region === 'finally') error = true;
      if (g.region === 'body' && g.owner?.node.type === 'forEach') item = index = true;
      if (g.region === 'body' && g.owner?.node.type === 'while') index = true;
    }
    return { item, index, error };
  }

  private visibleFor(info: NodeInfo): Set<string> {
    const cached = this.nodeCache.get(info.pointer);
    if (cached) return cached;
    const visible = new Set<string>();
    this.addUpstream(visible, info.graph, info.id);
    let graph = info.graph;
    while (graph.owner) {
      const owner = graph.owner;
      const regions = this.index.regionsOf.get(owner.id) ?? [];
      if (graph.region === 'catch' || graph.region === 'finally') {
        for (const g of regions) {
          if (g.region === 'body' || (graph.region === 'finally' && g.region === 'catch'))
            this.addGraph(visible, g);
        }
      }
      this.addUpstream(visible, owner.graph, owner.id);
      graph = owner.graph;
    }
    if (graph.region === 'onFailure') this.addGraph(visible, this.index.main);
    this.nodeCache.set(info.pointer, visible);
    return visible;
  }

  private addUpstream(visible: Set<string>, graph: GraphInfo, id: string): void {
    for (const up of upstreamOf(graph, id)) {
      visible.add(up);
      const info = this.index.nodes.get(up);
      if (info) this.addInterior(visible, info);
    }
  }

  /** Adds a graph's nodes and the insides of its non-loop containers. */
  private addGraph(visible: Set<string>, graph: GraphInfo, seen = new Set<GraphInfo>()): void {
    if (seen.has(graph)) return;
    seen.add(graph);
    for (const n of graph.nodes) {
      visible.add(n.id);
      this.addInterior(visible, n, seen);
    }
  }

  private addInterior(visible: Set<string>, info: NodeInfo, seen = new Set<GraphInfo>()): void {
    const type = info.node.type;
    if (type !== 'group' && type !== 'try') return;
    for (const g of this.index.regionsOf.get(info.id) ?? []) this.addGraph(visible, g, seen);
  }
}

/** The loop (forEach/while) whose body contains `id`, outermost-last, or undefined. */
export function enclosingLoops(index: FlowIndex, id: string): NodeInfo[] {
  const loops: NodeInfo[] = [];
  for (let g = index.nodes.get(id)?.graph; g?.owner; g = g.owner.graph) {
    if (g.region === 'body' && (g.owner.node.type === 'forEach' || g.owner.node.type === 'while'))
      loops.push(g.owner);
  }
  return loops;
}
