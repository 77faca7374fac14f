import { MillraceError } from '../errors/millrace-error.ts';
import { codeGlobals, inNode, loadNodeModule, type UrlLike } from './code-platform.ts';
import type { HostMessage, WorkerMessage } from './protocol.ts';

/** The host's handle on one sandbox worker, the same in browsers and in Node. */
export interface CodeWorker {
  post(message: HostMessage): void;
  /** Hard stop: ends whatever runs in the worker at once. */
  terminate(): void;
  /** Node: whether the worker keeps the process alive (only while it runs a call). */
  setBusy(busy: boolean): void;
}

export interface CodeWorkerEvents {
  message(message: WorkerMessage): void;
  /** The worker crashed, exited or could not load. */
  failed(reason: string): void;
}

interface NodeWorker {
  on(type: 'message', listener: (message: unknown) => void): void;
  on(type: 'error', listener: (err: Error) => void): void;
  on(type: 'exit', listener: (code: number) => void): void;
  postMessage(message: unknown): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
}

/**
 * Starts a sandbox worker. Browsers: a module Worker whose URL bundlers recognise
 * (`new Worker(new URL('./code-worker.js', import.meta.url), { type: 'module' })`; the source
 * is `.ts`, the `.js` name is what a build emits). Node: a worker_threads worker on the module
 * beside this one (`.ts` when running from source under tsx, `.js` from a build).
 */
export async function spawnCodeWorker(
  events: CodeWorkerEvents,
  workerUrl?: string | UrlLike,
): Promise<CodeWorker> {
  if (typeof codeGlobals.Worker === 'function') {
    const worker = workerUrl
      ? new codeGlobals.Worker(workerUrl, { type: 'module', name: 'millrace-code' })
      : new codeGlobals.Worker(new codeGlobals.URL('./code-worker.js', import.meta.url), {
          type: 'module',
          name: 'millrace-code',
        });
    worker.addEventListener('message', (e) => events.message(e.data as WorkerMessage));
    worker.addEventListener('error', (e) =>
      events.failed(e.message ?? 'The code worker could not be loaded or crashed.'),
    );
    worker.addEventListener('messageerror', () => events.failed('A message could not be read.'));
    return {
      post: (m) => worker.postMessage(m),
      terminate: () => worker.terminate(),
      setBusy: () => undefined,
    };
  }
  if (!inNode()) {
    throw new MillraceError(
      'E_CODE_WORKER_FAILED',
      'No Worker here: the code runner needs Web Workers (a browser) or worker_threads (Node).',
    );
  }
  const { Worker } = await loadNodeModule<{
    Worker: new (url: UrlLike, options?: Record<string, unknown>) => NodeWorker;
  }>('worker_threads');
  const url =
    workerUrl !== undefined
      ? new codeGlobals.URL(workerUrl)
      : new codeGlobals.URL(
          // From sources (under tsx) the worker must register tsx itself: code-worker-tsx.mjs.
          import.meta.url.endsWith('.ts') ? './code-worker-tsx.mjs' : './code-worker.js',
          import.meta.url,
        );
  const worker = new Worker(url, { name: 'millrace-code' });
  let ended = false;
  worker.on('message', (m) => events.message(m as WorkerMessage));
  worker.on('error', (err) => {
    ended = true;
    events.failed(err.message);
  });
  worker.on('exit', (code) => {
    if (!ended) events.failed(`The code worker exited (code ${code}).`);
    ended = true;
  });
  // Referenced while it starts (a call waits for it); unreferenced whenever it is idle.
  return {
    post: (m) => worker.postMessage(m),
    terminate: () => {
      ended = true;
      void worker.terminate();
    },
    setBusy: (busy) => (busy ? worker.ref() : worker.unref()),
  };
}
