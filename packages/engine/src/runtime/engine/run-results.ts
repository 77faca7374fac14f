import { runSettlement } from '../decisions/run-settlement.ts';
import type { RunState } from '../run-state.ts';

/** Callers waiting for runs: `result()` promises and cancel() waiting for the end. */
export interface RunResults {
  /** A promise of the run's result, answered by `settle`, `returned` or `crashed`. */
  wait(runId: string): Promise<unknown>;
  /** Drops the waiters of a run that turned out not to exist. */
  forget(runId: string): void;
  /** Answers the run's waiters from its state, if it says how (finished, or returned early). */
  settle(runId: string, state: RunState): void;
  /** A `return` node set the output: waiters get it now, the run finishes in the background. */
  returned(runId: string, value: unknown): void;
  /** The run stopped outside run semantics (the store failed): waiters get the error. */
  crashed(runId: string, error: unknown): void;
  /** Resolves once `ended(runId)` is called. */
  whenEnded(runId: string): Promise<void>;
  ended(runId: string): void;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Creates the result waiters of an engine. */
export function createRunResults(): RunResults {
  const waiters = new Map<string, Waiter[]>();
  const endWaiters = new Map<string, (() => void)[]>();
  const take = (runId: string): Waiter[] => {
    const list = waiters.get(runId) ?? [];
    waiters.delete(runId);
    return list;
  };
  return {
    wait(runId) {
      return new Promise<unknown>((resolve, reject) => {
        const list = waiters.get(runId) ?? [];
        list.push({ resolve, reject });
        waiters.set(runId, list);
      });
    },
    forget(runId) {
      waiters.delete(runId);
    },
    settle(runId, state) {
      if (!waiters.has(runId)) return;
      const settlement = runSettlement(state);
      if (settlement.kind === 'pending') return;
      for (const w of take(runId)) {
        if (settlement.kind === 'resolve') w.resolve(settlement.value);
        else w.reject(settlement.error);
      }
    },
    returned(runId, value) {
      for (const w of take(runId)) w.resolve(value);
    },
    crashed(runId, error) {
      for (const w of take(runId)) w.reject(error);
    },
    whenEnded(runId) {
      return new Promise<void>((resolve) => {
        const list = endWaiters.get(runId) ?? [];
        list.push(resolve);
        endWaiters.set(runId, list);
      });
    },
    ended(runId) {
      for (const resolve of endWaiters.get(runId) ?? []) resolve();
      endWaiters.delete(runId);
    },
  };
}
