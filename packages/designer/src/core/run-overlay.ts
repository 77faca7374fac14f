import {
  foldEvents,
  toRunView,
  type NodeView,
  type RunEvent,
  type RunView,
} from '@millrace/engine/model';

/** What the canvas shows on one node for a run. */
export interface NodeOverlay {
  readonly nodeId: string;
  /** `pending` when the node has no record (yet) in the chosen iteration. */
  readonly status: NodeView['status'] | 'pending';
  readonly attempts: number;
  readonly durationMs?: number;
  /** The record shown (undefined when pending); `node-open` carries it. */
  readonly view?: NodeView;
  /** Loop iterations in which the node has a record (the iteration picker's choices). */
  readonly iterations: readonly number[];
}

/** Which iteration to show per loop id; the latest one with records when absent. */
export type IterationChoice = Readonly<Record<string, number>>;

const SEGMENT = /^(.*)\[(\d+)\]$/;

/** Parses `outer[1]/each[3]/x` into its node id and loop iterations `{ outer: 1, each: 3 }`. */
export function parsePath(path: string): { nodeId: string; iterations: Record<string, number> } {
  const parts = path.split('/');
  const nodeId = parts.pop()!;
  const iterations: Record<string, number> = {};
  for (const p of parts) {
    const m = SEGMENT.exec(p);
    if (m) iterations[m[1]!] = Number(m[2]);
  }
  return { nodeId, iterations };
}

/**
 * The overlay of a run, by node id. A node inside loops has one record per iteration; the one
 * shown follows `choice` (loop id → iteration), else the latest iteration that has records.
 */
export function overlayOf(run: RunView, choice: IterationChoice = {}): Map<string, NodeOverlay> {
  const byNode = new Map<string, { view: NodeView; iterations: Record<string, number> }[]>();
  for (const view of run.nodes) {
    const { nodeId, iterations } = parsePath(view.path);
    if (SEGMENT.test(nodeId)) continue; // an iteration's own output record
    const list = byNode.get(nodeId) ?? [];
    list.push({ view, iterations });
    byNode.set(nodeId, list);
  }
  const out = new Map<string, NodeOverlay>();
  for (const [nodeId, list] of byNode) {
    const innermost = (entry: { iterations: Record<string, number> }) => {
      const keys = Object.keys(entry.iterations);
      return keys.length === 0 ? undefined : entry.iterations[keys[keys.length - 1]!];
    };
    const matching = list.filter((e) =>
      Object.entries(choice).every(
        ([loop, i]) => e.iterations[loop] === undefined || e.iterations[loop] === i,
      ),
    );
    const pool = matching.length > 0 ? matching : [];
    const shown = pool.reduce<(typeof list)[number] | undefined>((best, e) => {
      if (!best) return e;
      return (innermost(e) ?? -1) >= (innermost(best) ?? -1) ? e : best;
    }, undefined);
    const iterations = [
      ...new Set(list.map(innermost).filter((i): i is number => i !== undefined)),
    ].sort((a, b) => a - b);
    const base = { nodeId, iterations };
    out.set(
      nodeId,
      shown
        ? {
            ...base,
            status: shown.view.status,
            attempts: shown.view.attempts,
            view: shown.view,
            ...(shown.view.durationMs === undefined ? {} : { durationMs: shown.view.durationMs }),
          }
        : { ...base, status: 'pending', attempts: 0 },
    );
  }
  return out;
}

/** A run view from a recorded event stream (live `subscribe` events or a stored log). */
export function runFromEvents(events: readonly RunEvent[]): RunView | undefined {
  const state = foldEvents(events);
  return state ? toRunView(state) : undefined;
}
