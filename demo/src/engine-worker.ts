/// <reference lib="webworker" />
import { expose } from 'comlink';
import { createEngine, type FlowDefinition, type RunView } from '@millrace/engine';
import { sampleFlow } from './sample-flow.ts';

// The engine runs here, off the main thread; the page talks to it through comlink. Runs live in
// this worker's memory (the IndexedDB store comes with the adapters issue).
const engine = createEngine();
const ready = engine.deploy(sampleFlow as unknown as FlowDefinition);

const api = {
  async ping(): Promise<{ ok: true; flowVersion: number }> {
    const stored = await ready;
    return { ok: true, flowVersion: stored.version };
  },
  /** Starts the sample flow; small amounts finish at once, large ones wait for an approval. */
  async runSample(amount: number): Promise<RunView | undefined> {
    await ready;
    const run = await engine.start(sampleFlow.id, { amount });
    // Let the run reach its end or its first parked node.
    for (let i = 0; i < 50; i++) {
      const view = await engine.getRun(run.id);
      if (view && view.status !== 'running') return view;
      await new Promise((r) => setTimeout(r, 0));
    }
    return engine.getRun(run.id);
  },
};

export type EngineWorkerApi = typeof api;

expose(api);
