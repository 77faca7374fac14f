import { ActionError } from '../actions/action.ts';
import type { CodeRunner, CodeRunRequest } from '../actions/code.ts';
import { codeGlobals, type UrlLike } from './code-platform.ts';
import { performFetch, type CodeFetchOptions } from './perform-fetch.ts';
import type { GuestFailure, WorkerMessage } from './protocol.ts';
import { spawnCodeWorker, type CodeWorker } from './spawn-code-worker.ts';
import { stripTypes } from './strip-types.ts';

export interface CodeRunnerOptions {
  /** Wall-clock limit of one call when the node sets none (default 10,000 ms): `E_CODE_TIMEOUT`. */
  readonly timeoutMs?: number;
  /** The sandbox heap (a bounded WebAssembly.Memory), at least 16 MiB (default 64 MiB): `E_CODE_MEMORY`. */
  readonly memoryLimitBytes?: number;
  /** UTF-8 bytes of the output's JSON (default 1 MiB): `E_CODE_OUTPUT_TOO_LARGE`. */
  readonly maxOutputBytes?: number;
  /** Log lines kept per call (default 1,000); one warning says when more were dropped. */
  readonly maxLogLines?: number;
  /** Workers running calls at once (default 2); more calls queue. */
  readonly maxWorkers?: number;
  /** QuickJS's stack budget; the default is the largest that is safe on the platform. */
  readonly maxStackBytes?: number;
  /**
   * How long after the time limit a worker that has not answered is terminated and replaced
   * (default 250 ms): QuickJS polls its deadline every ~10,000 steps, which a loop of costly
   * builtins (`"y".repeat(1e6)`) can stretch to seconds.
   */
  readonly hardStopGraceMs?: number;
  /** `ctx.fetch` for the guest: absent unless an allow-list is given. */
  readonly fetch?: CodeFetchOptions;
  /** Where the worker script is, when a bundler does not place it beside this module. */
  readonly workerUrl?: string | UrlLike;
}

/** A `CodeRunner` that owns workers: `close()` ends them. */
export interface SandboxedCodeRunner extends CodeRunner {
  close(): Promise<void>;
}

interface Job {
  readonly id: number;
  readonly request: CodeRunRequest;
  readonly code: string;
  readonly input: string;
  readonly timeoutMs: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
  readonly fetches: Set<{ abort(): void }>;
  onAbort?: () => void;
  hardStop?: unknown;
  slot?: Slot;
}

interface Slot {
  worker: CodeWorker | undefined;
  ready: Promise<CodeWorker> | undefined;
  job: Job | undefined;
  /** Calls `failed` of the current worker: a crash, or an error before it was ready. */
  onFailed: ((reason: string) => void) | undefined;
}

const DEFAULTS = {
  timeoutMs: 10_000,
  memoryLimitBytes: 64 * 1024 * 1024,
  maxOutputBytes: 1024 * 1024,
  maxLogLines: 1000,
  maxWorkers: 2,
  hardStopGraceMs: 250,
};

/**
 * A code runner that runs each code node's JavaScript or TypeScript in QuickJS compiled to
 * WebAssembly, inside a Worker (browsers) or a worker_threads worker (Node). Pass it as
 * `createEngine({ codeRunner })`. Workers and their WebAssembly instance are kept; every call
 * gets a fresh QuickJS runtime and context, so nothing of one call is visible to the next.
 *
 * @example
 * const codeRunner = createCodeRunner({ timeoutMs: 2000, fetch: { allow: ['https://api.example.com'] } });
 * const engine = createEngine({ codeRunner });
 */
export function createCodeRunner(options: CodeRunnerOptions = {}): SandboxedCodeRunner {
  const settings = { ...DEFAULTS, ...options };
  if (settings.memoryLimitBytes < 16 * 1024 * 1024) {
    throw new RangeError(
      `memoryLimitBytes is ${settings.memoryLimitBytes}; QuickJS needs at least 16 MiB (16777216) to start.`,
    );
  }
  const slots: Slot[] = Array.from({ length: Math.max(1, settings.maxWorkers) }, () => ({
    worker: undefined,
    ready: undefined,
    job: undefined,
    onFailed: undefined,
  }));
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  const startWorker = (slot: Slot): Promise<CodeWorker> => {
    slot.ready ??= new Promise<CodeWorker>((resolve, reject) => {
      let worker: CodeWorker | undefined;
      let isReady = false;
      slot.onFailed = (reason) => {
        if (!isReady) reject(new Error(reason));
      };
      spawnCodeWorker(
        {
          message(m) {
            if (m.type === 'ready') {
              isReady = true;
              resolve(worker!);
            } else if (m.type === 'failed') {
              worker?.terminate();
              reject(new Error(m.message));
            } else onWorkerMessage(slot, m);
          },
          failed(reason) {
            if (slot.worker !== worker && isReady) return; // an old, replaced worker
            slot.onFailed?.(reason);
          },
        },
        settings.workerUrl,
      ).then((w) => {
        worker = w;
        slot.worker = w;
        w.post({
          type: 'init',
          limits: {
            memoryBytes: settings.memoryLimitBytes,
            stackBytes: settings.maxStackBytes ?? 0,
          },
        });
      }, reject);
    });
    return slot.ready;
  };

  /** Drops a slot's worker (terminated); the next call starts a new one. */
  const dropWorker = (slot: Slot): void => {
    slot.worker?.terminate();
    slot.worker = undefined;
    slot.ready = undefined;
    slot.onFailed = undefined;
  };

  const finish = (
    job: Job,
    outcome: { ok: true; value: unknown } | { ok: false; error: unknown },
  ) => {
    if (job.hardStop !== undefined) codeGlobals.clearTimeout(job.hardStop);
    if (job.onAbort) job.request.signal.removeEventListener('abort', job.onAbort);
    for (const f of job.fetches) f.abort();
    const slot = job.slot;
    if (slot && slot.job === job) {
      slot.job = undefined;
      slot.worker?.setBusy(false);
    }
    if (outcome.ok) job.resolve(outcome.value);
    else job.reject(outcome.error);
    pump();
  };

  const onWorkerMessage = (slot: Slot, m: WorkerMessage): void => {
    const job = slot.job;
    if (!job || !('id' in m) || m.id !== job.id) return;
    switch (m.type) {
      case 'log':
        job.request.log?.(m.level, m.message);
        return;
      case 'fetch': {
        const worker = slot.worker;
        const controller = { abort: () => undefined as void };
        void performFetch(m.request, settings.fetch, (abort) => {
          controller.abort = abort;
          job.fetches.add(controller);
        }).then((body) => {
          job.fetches.delete(controller);
          if (slot.job === job && slot.worker === worker) {
            worker?.post({ type: 'fetch-reply', id: job.id, callId: m.callId, body });
          }
        });
        return;
      }
      case 'call': {
        const worker = slot.worker;
        void answerCall(job.request, m.request).then((body) => {
          if (slot.job === job && slot.worker === worker) {
            worker?.post({ type: 'call-reply', id: job.id, callId: m.callId, body });
          }
        });
        return;
      }
      case 'done': {
        let value: unknown;
        try {
          value = m.output === undefined ? undefined : JSON.parse(m.output);
        } catch {
          finish(job, {
            ok: false,
            error: toActionError({
              code: 'E_CODE_ERROR',
              message: 'The code returned something that is not JSON.',
            }),
          });
          return;
        }
        finish(job, { ok: true, value });
        return;
      }
      case 'error':
        if (m.failure.discardModule) {
          // The worker already dropped its instance; nothing to do on this side.
        }
        finish(job, { ok: false, error: toActionError(m.failure) });
        return;
    }
  };

  const start = (slot: Slot, job: Job): void => {
    slot.job = job;
    job.slot = slot;
    startWorker(slot).then(
      (worker) => {
        if (slot.job !== job) return;
        // The clock starts when the worker gets the call (not while it queued or started).
        job.hardStop = codeGlobals.setTimeout(() => {
          if (slot.job !== job) return;
          dropWorker(slot);
          finish(job, { ok: false, error: timeoutError(job.timeoutMs, true) });
        }, job.timeoutMs + settings.hardStopGraceMs);
        worker.setBusy(true);
        slot.onFailed = (reason) => {
          dropWorker(slot);
          if (slot.job === job) {
            finish(job, {
              ok: false,
              error: toActionError({
                code: 'E_CODE_WORKER_FAILED',
                message: `The code worker failed: ${reason}`,
              }),
            });
          }
        };
        worker.post({
          type: 'run',
          id: job.id,
          code: job.code,
          input: job.input,
          timeoutMs: job.timeoutMs,
          maxOutputBytes: settings.maxOutputBytes,
          maxLogLines: settings.maxLogLines,
          fetch: settings.fetch !== undefined,
          calls: job.request.call !== undefined,
        });
      },
      (err: unknown) => {
        dropWorker(slot);
        if (slot.job !== job) return;
        const reason = err instanceof Error ? err.message : String(err);
        finish(job, {
          ok: false,
          error: toActionError({
            code: 'E_CODE_WORKER_FAILED',
            message: `The code worker could not start: ${reason}. In a browser, the worker script needs "script-src 'self' 'wasm-unsafe-eval'" if it is served with its own CSP header.`,
          }),
        });
      },
    );
  };

  const pump = (): void => {
    while (queue.length > 0) {
      const slot =
        slots.find((s) => s.job === undefined && s.worker !== undefined) ??
        slots.find((s) => s.job === undefined);
      if (!slot) return;
      start(slot, queue.shift()!);
    }
  };

  const runner = async (request: CodeRunRequest): Promise<unknown> => {
    if (closed)
      throw toActionError({
        code: 'E_CODE_WORKER_FAILED',
        message: 'This code runner was closed.',
      });
    request.signal.throwIfAborted();
    let code = request.code;
    if (request.language === 'typescript') {
      try {
        code = await stripTypes(code);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw toActionError({
          code: 'E_CODE_ERROR',
          message,
          details: { name: 'SyntaxError', message, stack: '' },
        });
      }
    }
    request.signal.throwIfAborted();
    const input = JSON.stringify(request.input ?? null) ?? 'null';
    return new Promise<unknown>((resolve, reject) => {
      const job: Job = {
        id: nextId++,
        request,
        code,
        input,
        timeoutMs: request.timeoutMs ?? settings.timeoutMs,
        resolve,
        reject,
        fetches: new Set(),
      };
      job.onAbort = () => {
        const at = queue.indexOf(job);
        if (at >= 0) queue.splice(at, 1);
        // A running guest cannot be told to stop: its worker is busy in QuickJS. End the worker.
        else if (job.slot && job.slot.job === job) dropWorker(job.slot);
        finish(job, { ok: false, error: abortError(request.signal.reason) });
      };
      request.signal.addEventListener('abort', job.onAbort, { once: true });
      queue.push(job);
      pump();
    });
  };

  return Object.assign(runner, {
    async close() {
      closed = true;
      for (const job of queue.splice(0)) {
        finish(job, {
          ok: false,
          error: toActionError({
            code: 'E_CODE_WORKER_FAILED',
            message: 'The code runner was closed.',
          }),
        });
      }
      for (const slot of slots) {
        if (slot.job) {
          const job = slot.job;
          dropWorker(slot);
          finish(job, {
            ok: false,
            error: toActionError({
              code: 'E_CODE_WORKER_FAILED',
              message: 'The code runner was closed.',
            }),
          });
        } else dropWorker(slot);
      }
    },
  });
}

/**
 * Runs one `ctx.action` / `ctx.subflow` of the guest through the engine's hook and answers
 * with JSON text: `{ value }`, or `{ error: { code, message } }` that the guest sees thrown.
 */
async function answerCall(request: CodeRunRequest, text: string): Promise<string> {
  const fail = (code: string, message: string, details?: unknown) =>
    JSON.stringify({ error: { code, message, ...(details === undefined ? {} : { details }) } });
  if (!request.call)
    return fail('E_CODE_ERROR', 'ctx.action and ctx.subflow are not available here.');
  let call: { kind?: unknown; name?: unknown; input?: unknown };
  try {
    call = JSON.parse(text) as typeof call;
  } catch {
    return fail('E_CODE_ERROR', 'A flow-script call could not be read.');
  }
  if ((call.kind !== 'action' && call.kind !== 'subflow') || typeof call.name !== 'string') {
    return fail('E_CODE_ERROR', 'A flow-script call needs a kind and a name.');
  }
  try {
    const value = await request.call({ kind: call.kind, name: call.name, input: call.input });
    return JSON.stringify({ value: value === undefined ? null : value });
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown; details?: unknown };
    return fail(
      typeof e?.code === 'string' ? e.code : 'E_ACTION_FAILED',
      typeof e?.message === 'string' ? e.message : String(err),
      e?.details,
    );
  }
}

function toActionError(failure: GuestFailure): ActionError {
  return new ActionError(failure.code, failure.message, failure.details);
}

function timeoutError(timeoutMs: number, hardStop: boolean): ActionError {
  return new ActionError(
    'E_CODE_TIMEOUT',
    `The code ran longer than its ${timeoutMs} ms limit and was stopped${hardStop ? ' (its worker was terminated)' : ''}.`,
    { timeoutMs, hardStop },
  );
}

function abortError(reason: unknown): unknown {
  if (reason instanceof Error) return reason;
  return new ActionError('E_NODE_ABORTED', 'The code was stopped because its node was aborted.');
}
