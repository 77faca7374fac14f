import type { RunView } from '@millrace/engine/model';
import type { IterationChoice } from './run-overlay.ts';

/**
 * Which loop iteration the canvas shows, per loop. A node inside loops has one record per
 * iteration (`outer[1]/each[3]/enrich`); the iteration picker on each loop's card chooses one.
 * Nested loops are chosen independently, but an inner loop only offers the iterations it has
 * inside the outer loop's chosen one.
 */

const SEGMENT = /^(.*)\[(\d+)\]$/;

/** A path's node id and the loops around it, outermost first: `each[3]/x` → `x`, `[['each', 3]]`. */
export function loopSegments(path: string): {
  nodeId: string;
  loops: (readonly [loopId: string, iteration: number])[];
} {
  const parts = path.split('/');
  const nodeId = parts.pop() ?? path;
  const loops: (readonly [string, number])[] = [];
  for (const p of parts) {
    const m = SEGMENT.exec(p);
    if (m) loops.push([m[1]!, Number(m[2])]);
  }
  return { nodeId, loops };
}

/** The iterations one loop offers, and the one shown. */
export interface LoopIterations {
  readonly loopId: string;
  /** Iterations with records, ascending. */
  readonly iterations: readonly number[];
  /** The iteration shown: the chosen one when it has records, else the latest. */
  readonly current: number;
}

/**
 * Every loop of a run with the iterations it has records in (given the choice for the loops
 * around it) and the iteration shown, outer loops first. A choice that names an iteration
 * without records falls back to the latest one.
 */
export function loopIterationsOf(
  run: RunView,
  choice: IterationChoice = {},
): Map<string, LoopIterations> {
  // Each record's loops, the iteration's own record (`each[2]`) included.
  const paths = run.nodes.map((n) => {
    const { nodeId, loops } = loopSegments(n.path);
    const own = SEGMENT.exec(nodeId);
    return own ? [...loops, [own[1]!, Number(own[2])] as const] : loops;
  });
  const out = new Map<string, LoopIterations>();
  const resolved = new Map<string, number>();
  const depth = Math.max(0, ...paths.map((p) => p.length));
  for (let d = 0; d < depth; d++) {
    const found = new Map<string, Set<number>>();
    for (const loops of paths) {
      if (loops.length <= d) continue;
      if (!loops.slice(0, d).every(([loop, i]) => resolved.get(loop) === i)) continue;
      const [loop, i] = loops[d]!;
      let set = found.get(loop);
      if (!set) found.set(loop, (set = new Set()));
      set.add(i);
    }
    for (const [loopId, set] of found) {
      const iterations = [...set].sort((a, b) => a - b);
      const wanted = choice[loopId];
      const current =
        wanted !== undefined && set.has(wanted) ? wanted : iterations[iterations.length - 1]!;
      resolved.set(loopId, current);
      out.set(loopId, { loopId, iterations, current });
    }
  }
  return out;
}

/** The complete choice (every loop with records) that `loopIterationsOf` resolved. */
export function resolvedChoice(loops: ReadonlyMap<string, LoopIterations>): IterationChoice {
  const choice: Record<string, number> = {};
  for (const [id, l] of loops) choice[id] = l.current;
  return choice;
}

/** How a picker moves: by one, or to either end. */
export type IterationStep = 'previous' | 'next' | 'first' | 'last';

/** The iteration a step of the picker leads to (the same one at either end). */
export function stepIteration(loop: LoopIterations, step: IterationStep): number {
  const list = loop.iterations;
  const at = Math.max(0, list.indexOf(loop.current));
  const index =
    step === 'first'
      ? 0
      : step === 'last'
        ? list.length - 1
        : Math.min(list.length - 1, Math.max(0, at + (step === 'next' ? 1 : -1)));
  return list[index] ?? loop.current;
}
