import type { Edge, FlowNode } from '../../model/flow.ts';

/** Where a chain continues: a node, and for branching nodes the port taken. */
export interface Exit {
  readonly from: string;
  readonly port?: string;
}

/** A mutable node while the importer builds it. */
export type Draft = { -readonly [K in keyof FlowNode]: FlowNode[K] } & { [key: string]: unknown };

/** The nodes and edges of one graph (the flow, a container body, a region) being built. */
export class Region {
  readonly nodes: Draft[] = [];
  readonly edges: Edge[] = [];

  add(node: Draft): void {
    this.nodes.push(node);
  }

  link(exits: readonly Exit[], to: string): void {
    for (const exit of exits) {
      this.edges.push(
        exit.port === undefined
          ? { from: exit.from, to }
          : { from: exit.from, port: exit.port, to },
      );
    }
  }

  /** A copy as `{ nodes, edges }`, with `edges` left out when empty. */
  toGraph(): { nodes: FlowNode[]; edges?: Edge[] } {
    return this.edges.length > 0
      ? { nodes: [...this.nodes], edges: [...this.edges] }
      : { nodes: [...this.nodes] };
  }
}

/**
 * Appends nodes one after the other: each new node gets an edge from the previous node's
 * exits. Steps in Windmill run strictly in order, so every imported sequence is such a chain.
 */
export class Chain {
  /** The first node this chain appended. */
  first: string | undefined;
  /** Where the next node attaches. */
  tail: Exit[] = [];
  /** Nodes this chain appended. */
  length = 0;

  /** `after`: the chain continues from these exits (a switch port) instead of starting fresh. */
  constructor(
    readonly region: Region,
    after: readonly Exit[] = [],
  ) {
    this.tail = [...after];
  }

  /** Adds `node` after the current tail; `exits` are where the chain continues after it. */
  push(node: Draft, exits: readonly Exit[] = [{ from: node.id }]): void {
    this.region.add(node);
    this.follow(node.id, exits);
  }

  /** Continues the chain into `entry` (already added to the region), then from `exits`. */
  follow(entry: string, exits: readonly Exit[]): void {
    this.length++;
    this.first ??= entry;
    this.region.link(this.tail, entry);
    this.tail = [...exits];
  }
}
