import type { RunEvent } from '../events.ts';
import type { EngineLogger, RunListener } from './engine-api.ts';

/** Live event subscriptions, by run. */
export interface RunListeners {
  /** Adds a listener; returns the unsubscribe function. */
  subscribe(runId: string, listener: RunListener): () => void;
  /** Hands stored events to the run's listeners; a listener that throws is logged, not fatal. */
  publish(runId: string, events: readonly RunEvent[]): void;
}

/** Creates the live-event fan-out of an engine (designer overlays, SSE streams). */
export function createRunListeners(logger: EngineLogger): RunListeners {
  const listeners = new Map<string, Set<RunListener>>();
  return {
    subscribe(runId, listener) {
      const set = listeners.get(runId) ?? new Set();
      set.add(listener);
      listeners.set(runId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(runId);
      };
    },
    publish(runId, events) {
      const set = listeners.get(runId);
      if (!set) return;
      for (const event of events) {
        for (const listener of set) {
          try {
            listener(event);
          } catch (err) {
            logger.error('A run listener threw', err);
          }
        }
      }
    },
  };
}
