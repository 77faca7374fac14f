/// <reference lib="webworker" />
import { createEngine } from '@millrace/engine';
import { exposeEngine } from '@millrace/engine/worker';
import { createIndexedDbStore } from '@millrace/adapters/indexeddb';
import { actions } from './host-actions.ts';
import { WORKER_FAILED, WORKER_READY } from './engine-worker-messages.ts';

// The local engine: it runs here, off the main thread, and the page reaches it through
// `connectEngine(worker)` (comlink), the same `Engine` interface as the remote one. Flows,
// drafts and runs live in IndexedDB, so they survive a reload; unfinished runs continue on
// start. The store opens asynchronously, so the engine is exposed once it exists and the page
// waits for WORKER_READY before its first call (a call posted earlier would be lost).

try {
  const engine = createEngine({
    store: await createIndexedDbStore({ name: 'millrace-demo' }),
    actions,
  });
  await engine.recover();
  exposeEngine(engine);
  self.postMessage(WORKER_READY);
} catch (error) {
  self.postMessage({
    type: WORKER_FAILED,
    message: error instanceof Error ? error.message : String(error),
  });
}
