import { isFinished, type Engine, type RunView } from '@millrace/engine';

/** A run being followed; `stop()` ends the subscription. */
export interface WatchedRun {
  /** The run's view once it has settled: finished, or parked (waiting for an approval...). */
  readonly settled: Promise<RunView>;
  stop(): void;
}

/**
 * Follows a run through the engine's live events (`subscribe`: comlink from the worker, SSE
 * from a server) and hands `onView` the run's view after each burst of them, until the run
 * finishes. The events only say *when* to look: the view is read with `getRun`, so a
 * subscription that starts after the run's first events (or after its end) still shows the
 * whole run.
 */
export function watchRun(
  engine: Engine,
  runId: string,
  onView: (view: RunView) => void,
): WatchedRun {
  let stopped = false;
  let reading = false;
  let again = false;
  let settle: (view: RunView) => void = () => undefined;
  const settled = new Promise<RunView>((resolve) => (settle = resolve));
  const unsubscribe = engine.subscribe(runId, () => void refresh());
  const stop = (): void => {
    stopped = true;
    unsubscribe();
  };
  // One getRun at a time; events that arrive meanwhile ask for one more read after it.
  async function refresh(): Promise<void> {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        const view = await engine.getRun(runId);
        if (stopped || !view) continue;
        onView(view);
        if (view.status !== 'running' && view.status !== 'queued') settle(view);
        if (isFinished(view.status)) stop();
      } while (again && !stopped);
    } finally {
      reading = false;
    }
  }
  void refresh();
  return { settled, stop };
}
