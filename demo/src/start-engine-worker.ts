import { WORKER_FAILED, WORKER_READY } from './engine-worker-messages.ts';

/**
 * Starts the demo's engine worker (engine-worker.ts: IndexedDB, the demo's host actions) and
 * resolves with it once its engine is exposed, ready for `connectEngine(worker)`.
 */
export function startEngineWorker(): Promise<Worker> {
  const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    const onMessage = (e: MessageEvent<unknown>): void => {
      const data = e.data as { type?: unknown; message?: unknown } | string;
      if (data === WORKER_READY) {
        worker.removeEventListener('message', onMessage);
        resolve(worker);
      } else if (typeof data === 'object' && data?.type === WORKER_FAILED) {
        worker.removeEventListener('message', onMessage);
        reject(new Error(`The engine worker did not start: ${String(data.message)}`));
      }
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener(
      'error',
      (e) => reject(new Error(`The engine worker failed to load: ${e.message || 'script error'}`)),
      { once: true },
    );
  });
}
