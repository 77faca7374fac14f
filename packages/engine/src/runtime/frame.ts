import type { AbortControllerLike } from '../platform/globals.ts';
import type { NodeError } from './events.ts';
import type { CGraph, CNode } from './compile-flow.ts';

/** Values a frame binds for the expressions inside it. */
export interface Bindings {
  readonly item?: unknown;
  readonly index?: number;
  readonly error?: NodeError;
}

export interface FrameCallbacks {
  /** Every node of the frame is resolved and none failed. */
  done(frame: Frame): void;
  /** A node failed and nothing in the frame handled it. */
  failed(frame: Frame, error: NodeError): void;
}

/**
 * One running instance of a graph: the main graph, a loop iteration, a try body, a catch or
 * finally region, a group body, onFailure. It counts, per node, the incoming edges still
 * unresolved and those that are active, so readiness is O(1) per edge (DESIGN §4: a node is
 * ready when every incoming edge is resolved; it runs when one (join any) or all (join all)
 * are active, else it is skipped and the skip propagates).
 */
export class Frame {
  readonly pending: Int32Array;
  readonly activeIn: Int32Array;
  unresolved: number;
  failed = false;
  finished = false;
  readonly controllers = new Set<AbortControllerLike>();
  readonly children = new Set<Frame>();
  /** Path prefixes by loop depth: `prefixes[d]` is the prefix of a node enclosed by d loops. */
  readonly prefixes: readonly string[];

  constructor(
    readonly graph: CGraph,
    /** Loop iteration segments from the outermost: `['each[3]', 'inner[0]']`. */
    readonly segments: readonly string[],
    readonly bindings: Bindings,
    readonly parent: Frame | undefined,
    readonly callbacks: FrameCallbacks,
    /** The innermost loop iteration index, when the frame is (inside) a loop body. */
    readonly iteration: number | undefined,
  ) {
    const n = graph.nodes.length;
    this.pending = new Int32Array(n);
    this.activeIn = new Int32Array(n);
    for (let i = 0; i < n; i++) this.pending[i] = graph.nodes[i]!.inEdges.length;
    this.unresolved = n;
    const prefixes = [''];
    let acc = '';
    for (const s of segments) {
      acc += s + '/';
      prefixes.push(acc);
    }
    this.prefixes = prefixes;
    parent?.children.add(this);
  }

  /** The prefix of this frame's own nodes. */
  get prefix(): string {
    return this.prefixes[this.prefixes.length - 1]!;
  }

  /** The path of `node` as seen from this frame (its own iteration, or an enclosing one). */
  pathOf(node: CNode): string {
    const depth = Math.min(node.loopDepth, this.prefixes.length - 1);
    return this.prefixes[depth]! + node.id;
  }

  /** Whether the node should run (true), be skipped as dead (false), once it is ready. */
  shouldRun(node: CNode): boolean {
    const ins = node.inEdges.length;
    if (ins === 0) return true;
    const active = this.activeIn[node.index]!;
    return node.def.join === 'all' ? active === ins : active > 0;
  }

  /** Aborts every action in flight in this frame and its sub-frames. */
  abortAll(reason: unknown): void {
    for (const c of this.controllers) c.abort(reason);
    this.controllers.clear();
    for (const child of this.children) {
      child.failed = true;
      child.abortAll(reason);
    }
  }

  /** Detaches the frame from its parent once it is finished. */
  detach(): void {
    this.finished = true;
    this.parent?.children.delete(this);
  }
}
