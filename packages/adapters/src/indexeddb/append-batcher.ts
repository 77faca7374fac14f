import { MillraceError, type RunEvent, type RunSummary } from '@millrace/engine';
import type { MillraceDb } from './open-database.ts';
import { mapQuotaError } from './quota-error.ts';

interface PendingAppend {
  readonly runId: string;
  readonly events: readonly RunEvent[];
  readonly summary: RunSummary;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** A request whose failure surfaces through the transaction (`tx.done`), not on its own. */
const quiet = (request: Promise<unknown>): void => void request.catch(() => undefined);

/**
 * Appends to IndexedDB, grouped: appends issued in the same tick (several runs finishing steps
 * at once) share one readwrite transaction, as a commit is what costs. Each append keeps its
 * own sequence check — one that does not continue its run's log fails alone with
 * E_STORE_CONFLICT and the others land. Should the shared transaction fail anyway (a quota
 * error), each append is retried in a transaction of its own, so one cannot sink the others.
 */
export function createAppendBatcher(
  db: MillraceDb,
): (runId: string, events: readonly RunEvent[], summary: RunSummary) => Promise<void> {
  let pending: PendingAppend[] = [];

  const commit = async (batch: readonly PendingAppend[]): Promise<void> => {
    const tx = db.transaction(['runs', 'events', 'waiting'], 'readwrite');
    const runs = tx.objectStore('runs');
    const accepted: PendingAppend[] = [];
    try {
      // Check every append first, reading each run's summary once.
      const ids = [...new Set(batch.map((p) => p.runId))];
      const found = await Promise.all(ids.map((id) => runs.get(id)));
      const lastSeq = new Map(ids.map((id, i) => [id, found[i]?.lastSeq]));
      for (const p of batch) {
        const previous = lastSeq.get(p.runId);
        const first = p.events[0];
        if (!first && previous === undefined) {
          p.reject(new MillraceError('E_INVALID_ARGUMENT', `Run "${p.runId}" does not exist.`));
          continue;
        }
        const expected = (previous ?? 0) + 1;
        if (first && first.seq !== expected) {
          p.reject(
            new MillraceError(
              'E_STORE_CONFLICT',
              `Run "${p.runId}": append starts at seq ${first.seq} but the log ends at ${expected - 1}; another engine wrote to this run.`,
              { details: { runId: p.runId, expected, got: first.seq } },
            ),
          );
          continue;
        }
        lastSeq.set(p.runId, p.summary.lastSeq);
        accepted.push(p);
      }
      const events = tx.objectStore('events');
      const waiting = tx.objectStore('waiting');
      for (const { runId, events: added, summary } of accepted) {
        for (const event of added) quiet(events.add({ runId, seq: event.seq, event }));
        quiet(runs.put(summary));
        for (const token of await waiting.index('byRun').getAllKeys(runId))
          quiet(waiting.delete(token));
        for (const w of summary.waiting)
          quiet(waiting.put({ ...w, runId, flowId: summary.flowId }));
      }
      await tx.done;
    } catch (error) {
      // Abort whatever is left (a write that threw synchronously leaves the transaction open).
      try {
        tx.abort();
      } catch {
        // already finished or aborted
      }
      await tx.done.catch(() => undefined);
      if (accepted.length > 1) {
        await Promise.all(accepted.map((p) => commit([p])));
        return;
      }
      for (const p of accepted.length > 0 ? accepted : batch)
        p.reject(mapQuotaError(error, `Appending to run "${p.runId}"`, { runId: p.runId }));
      return;
    }
    for (const p of accepted) p.resolve();
  };

  const flush = (): void => {
    const batch = pending;
    pending = [];
    void commit(batch);
  };

  return (runId, events, summary) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ runId, events, summary, resolve, reject });
      // The first append of a tick schedules the commit; the others of the tick join it.
      if (pending.length === 1) queueMicrotask(flush);
    });
}
