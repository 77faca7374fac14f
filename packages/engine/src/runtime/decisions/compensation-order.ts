import type { CNode, CompiledFlow } from '../compile-flow.ts';
import type { NodeRecord } from '../run-state.ts';

/** The node a recorded path (`each[3]/enrich`, `a#compensate`) belongs to. */
export function nodeOfPath(flow: CompiledFlow, path: string): CNode | undefined {
  const last = path.slice(path.lastIndexOf('/') + 1);
  return flow.nodes.get(last);
}

/**
 * The records whose `compensate` action must run when the run fails (a saga): every node that
 * succeeded and declares one, latest first, so each step is undone before the steps it built on.
 *
 * @example
 * compensationOrder(flow, state.nodes.values()); // [bookHotel, bookFlight] when booked in the other order
 */
export function compensationOrder(flow: CompiledFlow, records: Iterable<NodeRecord>): NodeRecord[] {
  return [...records]
    .filter(
      (r) =>
        r.status === 'succeeded' &&
        !r.path.endsWith('#compensate') &&
        nodeOfPath(flow, r.path)?.def.compensate,
    )
    .sort((a, b) => (b.finishedSeq ?? 0) - (a.finishedSeq ?? 0));
}
