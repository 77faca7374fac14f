import {
  adjacencyOf,
  topologicalOrder,
  type FlowIndex,
  type GraphInfo,
  type NodeInfo,
} from '../graph.ts';

/** Whether an expression at some place may read a node: yes, not (yet) upstream, or inside a loop it is outside of. */
export type Visibility = 'yes' | 'not-upstream' | 'in-loop';

/** What an expression at some place may read. */
export interface ExpressionScope {
  sees(target: NodeInfo): Visibility;
  readonly item: boolean;
  readonly index: boolean;
  readonly error: boolean;
  /** Describes the place for messages ("the input of "notify""). */
  readonly where: string;
}

/** Where an expression is evaluated: at a node, and/or with whole graphs in view. */
interface Viewpoint {
  /** The node whose expressions these are (it sees its upstream, and its enclosing containers' upstream). */
  readonly node?: NodeInfo;
  /** Graphs whose every node is in view (a container's inside, a try body seen from catch). */
  readonly whole: readonly GraphInfo[];
}

/**
 * Answers "may an expression here read `nodes.x`?" (DESIGN §2/§4): a node sees the nodes
 * upstream of it in its graph and the nodes upstream of each enclosing container; the inside of
 * a `group` or `try` that ran upstream is visible too, the inside of a loop is not (read the
 * loop's output). A `catch` region also sees its try body, `finally` the body and catch,
 * `onFailure` the whole main graph, and a container's `output` its own inside.
 *
 * Queries walk up from the target to the lowest graph it shares with the viewpoint and test
 * reachability there with a backward search pruned by topological position, so validating a
 * large flow stays close to linear.
 */
export class ScopeResolver {
  private readonly ancestors = new Map<GraphInfo, AncestorTable>();

  constructor(private readonly index: FlowIndex) {}

  forNode(info: NodeInfo): ExpressionScope {
    const whole: GraphInfo[] = [];
    for (let g: GraphInfo | undefined = info.graph; g; g = g.owner?.graph) {
      if (g.region === 'catch' || g.region === 'finally') {
        for (const r of this.regions(g.owner!)) {
          if (r.region === 'body' || (g.region === 'finally' && r.region === 'catch'))
            whole.push(r);
        }
      }
      if (g.region === 'onFailure') whole.push(this.index.main);
    }
    return this.scope({ node: info, whole }, info.graph, `"${info.id}"`);
  }

  /** A container's `output`, and a `while` condition: its inside is in view. */
  forContainerInside(container: NodeInfo, what: string): ExpressionScope {
    const base = this.forNode(container);
    const inside = this.regions(container);
    const type = container.node.type;
    return {
      ...base,
      sees: (t) => (this.inWhole(t, inside) ? 'yes' : base.sees(t)),
      item: base.item || type === 'forEach',
      index: base.index || type === 'forEach' || type === 'while',
      error: base.error || type === 'try',
      where: what,
    };
  }

  /** A region's `output` (catch, finally, onFailure) or the flow's own output. */
  forGraphOutput(graph: GraphInfo, what: string): ExpressionScope {
    if (graph.owner) {
      const inner = this.forContainerInside(graph.owner, what);
      return { ...inner, error: inner.error || graph.region === 'catch' };
    }
    const whole = graph.region === 'onFailure' ? [this.index.main, graph] : [this.index.main];
    return this.scope({ whole }, graph, what);
  }

  /** Trigger filters see no nodes. */
  forTrigger(what: string): ExpressionScope {
    return { sees: () => 'not-upstream', item: false, index: false, error: false, where: what };
  }

  private scope(view: Viewpoint, graph: GraphInfo, where: string): ExpressionScope {
    return { sees: (t) => this.sees(view, t), ...this.flags(graph), where };
  }

  private regions(container: NodeInfo): readonly GraphInfo[] {
    return this.index.nodes.get(container.id) === container
      ? (this.index.regionsOf.get(container.id) ?? [])
      : [];
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

  /** True when `t` sits in one of `graphs`, directly or inside non-loop containers there. */
  private inWhole(t: NodeInfo, graphs: readonly GraphInfo[]): boolean {
    if (graphs.length === 0) return false;
    let crossedLoop = false;
    for (let g: GraphInfo | undefined = t.graph; g; g = g.owner?.graph) {
      if (graphs.includes(g)) return !crossedLoop;
      if (
        g.region === 'body' &&
        (g.owner?.node.type === 'forEach' || g.owner?.node.type === 'while')
      )
        crossedLoop = true;
    }
    return false;
  }

  private sees(view: Viewpoint, t: NodeInfo): Visibility {
    if (this.inWhole(t, view.whole)) return 'yes';
    const r = view.node;
    if (!r) return this.loopBetween(t, undefined) ? 'in-loop' : 'not-upstream';
    // T's representative in each graph on its way up, and whether a loop lies in between.
    const reps = new Map<GraphInfo, { rep: NodeInfo; crossed: boolean }>();
    let crossed = false;
    let rep: NodeInfo | undefined = t;
    while (rep) {
      reps.set(rep.graph, { rep, crossed });
      const g: GraphInfo = rep.graph;
      if (
        g.region === 'body' &&
        (g.owner?.node.type === 'forEach' || g.owner?.node.type === 'while')
      )
        crossed = true;
      rep = g.owner;
    }
    // The lowest graph on R's way up that T's chain also reaches.
    let mine: NodeInfo | undefined = r;
    while (mine) {
      const hit = reps.get(mine.graph);
      if (hit) {
        if (hit.crossed) return 'in-loop';
        if (hit.rep === mine) return 'not-upstream';
        return this.isUpstream(mine.graph, hit.rep.id, mine.id) ? 'yes' : 'not-upstream';
      }
      mine = mine.graph.owner;
    }
    return this.loopBetween(t, r) ? 'in-loop' : 'not-upstream';
  }

  private loopBetween(t: NodeInfo, r: NodeInfo | undefined): boolean {
    for (let g: GraphInfo | undefined = t.graph; g?.owner; g = g.owner.graph) {
      const owner = g.owner;
      if (
        g.region === 'body' &&
        (owner.node.type === 'forEach' || owner.node.type === 'while') &&
        owner !== r
      )
        return true;
    }
    return false;
  }

  /**
   * Whether `from` reaches `to` in `graph`. The first query on a graph computes every node's
   * ancestor set as a bitset row, in topological order (row(v) = OR of its predecessors' rows
   * plus their bits); then each query is one bit test. 1,000 nodes cost 125 KB and well under
   * a millisecond, where a search per query would make validation quadratic.
   */
  private isUpstream(graph: GraphInfo, from: string, to: string): boolean {
    let table = this.ancestors.get(graph);
    if (!table) {
      table = buildAncestors(graph);
      this.ancestors.set(graph, table);
    }
    const f = table.index.get(from);
    const t = table.index.get(to);
    if (f === undefined || t === undefined) return false;
    return (table.bits[t * table.words + (f >>> 5)]! & (1 << (f & 31))) !== 0;
  }
}

interface AncestorTable {
  readonly index: Map<string, number>;
  readonly words: number;
  readonly bits: Uint32Array;
}

function buildAncestors(graph: GraphInfo): AncestorTable {
  const order = topologicalOrder(graph);
  const index = new Map(order.map((id, i) => [id, i]));
  const words = Math.ceil(order.length / 32) || 1;
  const bits = new Uint32Array(order.length * words);
  const { in: inc } = adjacencyOf(graph);
  order.forEach((id, v) => {
    const row = v * words;
    for (const e of inc.get(id) ?? []) {
      const p = index.get(e.edge.from);
      if (p === undefined) continue;
      const prow = p * words;
      for (let w = 0; w < words; w++) bits[row + w]! |= bits[prow + w]!;
      bits[row + (p >>> 5)]! |= 1 << (p & 31);
    }
  });
  return { index, words, bits };
}

/** The loops (forEach/while) whose body contains `id`, innermost first. */
export function enclosingLoops(index: FlowIndex, id: string): NodeInfo[] {
  const loops: NodeInfo[] = [];
  for (let g = index.nodes.get(id)?.graph; g?.owner; g = g.owner.graph) {
    if (g.region === 'body' && (g.owner.node.type === 'forEach' || g.owner.node.type === 'while'))
      loops.push(g.owner);
  }
  return loops;
}
