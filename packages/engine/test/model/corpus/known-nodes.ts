/**
 * A type-level check the corpus needs because of how `FlowNode` is built: `HostActionNode`
 * has `type: string`, so any node with an `id` and a `type` satisfies `FlowNode` through it,
 * including `{ id, type: 'if' }` without `input.condition`. `satisfies FlowDefinition` alone
 * therefore does not prove that an `if`, `switch`, `forEach`, `while`, `try`, `group` or
 * `code` node matches its own interface. `KnownNodesMatch<typeof flow>` walks every graph of
 * a flow (nodes, container bodies, `catch`, `finally`, `onFailure`) and resolves to `true` when
 * each such node matches the interface of its `type`, else to the offending nodes, so that
 * `Expect<KnownNodesMatch<...>>` fails to compile and names them.
 */
// The cross-package pattern `../../*/src/*` also matches `../../../src/...` (`*` = `..`), this
// package's own sources.
import type { CodeNode, ControlNode } from '../../../src/model/flow.ts';

/** The nodes with an interface of their own (everything but built-in and host actions). */
export type KnownNode = ControlNode | CodeNode;
export type KnownNodeType = KnownNode['type'];

/** The nodes directly inside a graph and its regions. */
type GraphNodes<G> =
  | (G extends { readonly nodes: readonly (infer N)[] } ? N : never)
  | (G extends { readonly onFailure: infer R } ? GraphNodes<R> : never)
  | (G extends { readonly catch: infer R } ? GraphNodes<R> : never)
  | (G extends { readonly finally: infer R } ? GraphNodes<R> : never);

/** Every node of a flow, at any depth. */
type AllNodes<G> = G extends unknown
  ? GraphNodes<G> extends infer N
    ? N | (N extends { readonly nodes: unknown } ? AllNodes<N> : never)
    : never
  : never;

/** The nodes whose `type` has an interface they do not satisfy. */
type Mismatched<F> =
  AllNodes<F> extends infer N
    ? N extends { readonly type: infer T extends KnownNodeType }
      ? N extends Extract<KnownNode, { readonly type: T }>
        ? never
        : N
      : never
    : never;

export type KnownNodesMatch<F> = [Mismatched<F>] extends [never] ? true : Mismatched<F>;

/** Compiles only when `T` is `true`. */
export type Expect<T extends true> = T;
