import { MillraceError, isMillraceError } from '../../errors/millrace-error.ts';
import type { Clock, TimerHandle } from '../../platform/clock.ts';
import { isFinished, type RunStore } from '../../store/run-store.ts';
import type { CompiledFlow } from '../compile-flow.ts';
import { isSummaryStale } from '../decisions/run-summary.ts';
import type { RunExecutor } from '../executor/run-executor.ts';
import { foldEvents, stateFromSnapshot, type RunState } from '../run-state.ts';
import type { EngineLogger } from './engine-api.ts';
import type { RunOwnership } from './run-ownership.ts';

/** The executors of the runs loaded in this engine, and the loading of the others. */
export interface LiveRuns {
  /** How many runs are loaded here (executing, or waiting for admission). */
  readonly size: number;
  get(runId: string): RunExecutor | undefined;
  add(executor: RunExecutor): void;
  remove(runId: string): void;
  /**
   * The executor of a run, loading (and continuing) it from the store if needed; `hold` keeps
   * it loaded until the caller's `release()`. E_RUN_NOT_FOUND for an unknown run.
   */
  /**
   * Loads a stored run and starts it here (claiming it first). `hold` keeps it from parking
   * until released; `claimed`: this engine's lease on it was just taken by the store's
   * `claimDue`, so the claim (and the read before it) are skipped.
   */
  load(runId: string, hold?: boolean, claimed?: boolean): Promise<RunExecutor>;
  /** A run's state folded from the store (snapshot plus later events). */
  loadState(runId: string): Promise<RunState | undefined>;
  /** Loads a parked run again at `at` (its next timer). */
  wakeAt(runId: string, at: number): void;
  /** Clears wake timers and unloads every run. */
  close(): void;
}

/**
 * Creates the table of live runs. A run is loaded once even when several callers ask at the
 * same time; a finished run is folded but not kept; a parked run is unloaded by its owner and
 * woken by a timer here, a signal or an event.
 */
export function createLiveRuns(deps: {
  readonly store: RunStore;
  readonly clock: Clock;
  readonly logger: EngineLogger;
  /** Claims a run before it executes here (E_RUN_OWNED when another engine holds it). */
  readonly ownership: RunOwnership;
  readonly compiled: (flowId: string, version?: number) => Promise<CompiledFlow>;
  /** An executor for a stored run (it does not start by itself). */
  readonly resume: (flow: CompiledFlow, state: RunState) => RunExecutor;
  /** Starts a loaded run (queued: waits for its flow's admission). */
  readonly begin: (executor: RunExecutor, queued: boolean) => void;
}): LiveRuns {
  const { store, clock, logger } = deps;
  const executors = new Map<string, RunExecutor>();
  const loading = new Map<string, Promise<RunExecutor>>();
  const pendingHolds = new Map<string, number>();
  const wakeTimers = new Map<string, TimerHandle>();

  async function fold(runId: string) {
    const loaded = await store.load(runId);
    if (!loaded) return undefined;
    const base = loaded.snapshot ? stateFromSnapshot(loaded.snapshot.state) : undefined;
    const state = foldEvents(loaded.events, base);
    return state ? { state, summary: loaded.summary } : undefined;
  }

  async function loadNow(runId: string, hold: boolean, claimed: boolean): Promise<RunExecutor> {
    if (claimed) deps.ownership.adopt(runId);
    let loaded = await fold(runId);
    if (!loaded) {
      if (claimed) deps.ownership.release(runId);
      throw new MillraceError('E_RUN_NOT_FOUND', `No run "${runId}" in the store.`);
    }
    const again = executors.get(runId);
    if (again) return again;
    if (!claimed && !isFinished(loaded.state.status)) {
      // Nothing of a run executes here before this engine owns it; the state is read again
      // after the claim, since the previous owner may have written until its lease lapsed.
      await deps.ownership.claim(runId);
      loaded = await fold(runId);
      if (!loaded) throw new MillraceError('E_RUN_NOT_FOUND', `No run "${runId}" in the store.`);
    }
    const { state } = loaded;
    const flow = await deps.compiled(state.flowId, state.flowVersion);
    const executor = deps.resume(flow, state);
    // A crash between appending events and writing the summary: tell the store again.
    if (isSummaryStale(loaded.summary, executor.summary()))
      await store.append(runId, [], executor.summary());
    const raced = executors.get(runId);
    if (raced) return raced;
    const wake = wakeTimers.get(runId);
    if (wake) {
      clock.clearTimer(wake);
      wakeTimers.delete(runId);
    }
    if (isFinished(state.status)) {
      deps.ownership.release(runId);
      return executor;
    }
    executors.set(runId, executor);
    const holds = (hold ? 1 : 0) + (pendingHolds.get(runId) ?? 0);
    pendingHolds.delete(runId);
    for (let i = 0; i < holds; i++) executor.hold();
    deps.begin(executor, state.status === 'queued');
    return executor;
  }

  const live: LiveRuns = {
    get size() {
      return executors.size;
    },
    get: (runId) => executors.get(runId),
    add: (executor) => void executors.set(executor.runId, executor),
    remove(runId) {
      executors.delete(runId);
      // Parked or ended here: another engine may take it (a signal, an event or a timer there).
      deps.ownership.release(runId);
    },
    load(runId, hold = false, claimed = false) {
      const running = executors.get(runId);
      if (running) {
        if (hold) running.hold();
        return Promise.resolve(running);
      }
      const pending = loading.get(runId);
      if (pending) {
        // The loader applies the hold before the run starts, so it cannot park in between.
        if (hold) pendingHolds.set(runId, (pendingHolds.get(runId) ?? 0) + 1);
        return pending;
      }
      const promise = loadNow(runId, hold, claimed);
      loading.set(runId, promise);
      const clear = () => loading.delete(runId);
      promise.then(clear, clear);
      return promise;
    },
    loadState: async (runId) => (await fold(runId))?.state,
    wakeAt(runId, at) {
      const existing = wakeTimers.get(runId);
      if (existing) clock.clearTimer(existing);
      wakeTimers.set(
        runId,
        clock.setTimer(Math.max(0, at - clock.now()), () => {
          wakeTimers.delete(runId);
          void live.load(runId).catch((err: unknown) => {
            // Another engine woke it first (its timer, or a worker's claim of due work).
            if (isMillraceError(err) && err.code === 'E_RUN_OWNED') return;
            logger.error(`Could not wake run ${runId}`, err);
          });
        }),
      );
    },
    close() {
      for (const handle of wakeTimers.values()) clock.clearTimer(handle);
      wakeTimers.clear();
      for (const executor of executors.values()) executor.dispose();
      executors.clear();
    },
  };
  return live;
}
