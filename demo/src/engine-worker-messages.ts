// What the engine worker tells the page besides comlink's traffic (start-engine-worker.ts).

/** Posted once the worker's engine is exposed. */
export const WORKER_READY = 'millrace-demo:engine-ready';
/** The type of the message posted when its engine could not start (`message` says why). */
export const WORKER_FAILED = 'millrace-demo:engine-failed';
