/// <reference lib="webworker" />
import { expose } from 'comlink';
import {
  createEngine,
  type Engine,
  type FlowDefinition,
  type RunView,
  type StoredFlow,
} from '@millrace/engine';
import { createIndexedDbStore } from '@millrace/adapters/indexeddb';
import { sampleFlow } from './sample-flow.ts';

// The engine runs here, off the main thread; the page talks to it through comlink. Flows and
// runs live in IndexedDB, so they survive a reload; unfinished runs continue on start.
async function deploySample(engine: Engine): Promise<StoredFlow> {
  const current = await engine.getFlow(sampleFlow.id);
  const { version: _v, ...wanted } = sampleFlow;
  if (current) {
    const { version: _cv, ...stored } = current.definition;
    if (JSON.stringify(stored) === JSON.stringify(wanted)) return current;
  }
  return engine.deploy(sampleFlow as unknown as FlowDefinition);
}

// No top-level await before expose(): messages posted before comlink listens would be lost.
const ready = (async () => {
  const engine = createEngine({ store: await createIndexedDbStore({ name: 'millrace-demo' }) });
  await engine.recover();
  return { engine, flow: await deploySample(engine) };
})();

const api = {
  async ping(): Promise<{ ok: true; flowVersion: number }> {
    const { flow } = await ready;
    return { ok: true, flowVersion: flow.version };
  },
  /** Starts the sample flow; small amounts finish at once, large ones wait for an approval. */
  async runSample(amount: number): Promise<RunView | undefined> {
    const { engine } = await ready;
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
