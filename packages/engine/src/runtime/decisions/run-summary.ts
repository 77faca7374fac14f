import type { RunSummary } from '../../store/run-store.ts';
import type { RunState } from '../run-state.ts';

/** The earliest timer of a run (when the engine must wake it), if it has any. */
export function nextWakeAt(state: RunState): number | undefined {
  let min: number | undefined;
  for (const t of state.timers.values()) if (min === undefined || t.dueAt < min) min = t.dueAt;
  return min;
}

/** A run's summary row, as stores keep it next to the log (listRuns, findWaiting, due timers). */
export function runSummary(state: RunState): RunSummary {
  const s = state;
  const base: { -readonly [K in keyof RunSummary]: RunSummary[K] } = {
    runId: s.runId,
    flowId: s.flowId,
    flowVersion: s.flowVersion,
    status: s.status,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    waiting: [...s.waiting.values()],
    lastSeq: s.lastSeq,
  };
  if (s.startedAt !== undefined) base.startedAt = s.startedAt;
  if (s.finishedAt !== undefined) base.finishedAt = s.finishedAt;
  if (s.error !== undefined) base.error = s.error;
  if (s.parent !== undefined) base.parentRunId = s.parent.runId;
  if (s.alias !== undefined) base.alias = s.alias;
  const wake = nextWakeAt(s);
  if (wake !== undefined) base.nextWakeAt = wake;
  return base;
}

/**
 * True when a stored summary disagrees with the one folded from the log: a crash came between
 * appending the events and writing the summary, and the store must be told again.
 */
export function isSummaryStale(stored: RunSummary, fresh: RunSummary): boolean {
  if (stored.lastSeq !== fresh.lastSeq || stored.status !== fresh.status) return true;
  const tokens = new Set(stored.waiting.map((w) => w.token));
  return fresh.waiting.length !== tokens.size || fresh.waiting.some((w) => !tokens.has(w.token));
}
