// The sandbox worker: a module Worker in browsers, a worker_threads worker in Node. It owns one
// QuickJS WebAssembly instance (kept between calls) and runs one call at a time, each in a fresh
// QuickJS runtime and context. Only strings and plain objects go in and out.
import { codeGlobals, inWebWorker, loadNodeModule } from './code-platform.ts';
import type { HostMessage, WorkerMessage } from './protocol.ts';
import { QuickJSSandbox } from './quickjs-sandbox.ts';

/**
 * Stack budgets below which QuickJS reports `stack overflow` before the host's own stack runs
 * out (TOOLCHAIN: clean up to 256 KiB in a worker_threads worker, 32 KiB in a Chromium worker).
 */
const NODE_WORKER_STACK = 256 * 1024;
const WEB_WORKER_STACK = 32 * 1024;

type Post = (message: WorkerMessage) => void;

let sandbox: QuickJSSandbox | undefined;
let queue: Promise<void> = Promise.resolve();
const fetches = new Map<string, (body: string) => void>();
let nextCall = 1;

function handle(message: HostMessage, post: Post, web: boolean): void {
  if (message.type === 'init') {
    sandbox = new QuickJSSandbox(message.limits, web ? WEB_WORKER_STACK : NODE_WORKER_STACK);
    sandbox.load().then(
      () => post({ type: 'ready' }),
      (err: unknown) =>
        post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
    return;
  }
  if (message.type === 'fetch-reply' || message.type === 'call-reply') {
    const key = `${message.id}/${message.callId}`;
    fetches.get(key)?.(message.body);
    fetches.delete(key);
    return;
  }
  const job = message;
  const box = sandbox;
  if (!box) {
    post({
      type: 'error',
      id: job.id,
      failure: { code: 'E_CODE_WORKER_FAILED', message: 'The sandbox worker was not initialised.' },
    });
    return;
  }
  queue = queue.then(async () => {
    const result = await box.run(job, {
      log: (level, text) => post({ type: 'log', id: job.id, level, message: text }),
      fetch: (request) =>
        new Promise<string>((resolve) => {
          const callId = nextCall++;
          fetches.set(`${job.id}/${callId}`, resolve);
          post({ type: 'fetch', id: job.id, callId, request });
        }),
      call: (request) =>
        new Promise<string>((resolve) => {
          const callId = nextCall++;
          fetches.set(`${job.id}/${callId}`, resolve);
          post({ type: 'call', id: job.id, callId, request });
        }),
    });
    for (const key of [...fetches.keys()]) if (key.startsWith(`${job.id}/`)) fetches.delete(key);
    post(
      result.ok
        ? { type: 'done', id: job.id, output: result.output }
        : { type: 'error', id: job.id, failure: result.failure },
    );
  });
}

if (inWebWorker()) {
  // Listen before the first await: a module worker holds messages only until its top level ends.
  const post: Post = (m) => codeGlobals.postMessage!(m);
  codeGlobals.addEventListener!('message', (event) =>
    handle(event.data as HostMessage, post, true),
  );
} else {
  interface ParentPort {
    on(type: 'message', listener: (message: unknown) => void): void;
    postMessage(message: unknown): void;
  }
  // A worker_threads port buffers messages until a listener is attached.
  void loadNodeModule<{ parentPort: ParentPort | null }>('worker_threads').then(
    ({ parentPort }) => {
      if (!parentPort) return;
      const post: Post = (m) => parentPort.postMessage(m);
      parentPort.on('message', (message) => handle(message as HostMessage, post, false));
    },
  );
}
