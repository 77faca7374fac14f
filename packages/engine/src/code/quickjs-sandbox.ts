import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSDeferredPromise,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import { codeGlobals } from './code-platform.ts';
import { guestPrelude } from './guest-prelude.ts';
import { mainParameters } from './main-parameters.ts';
import type { GuestFailure, RunJob, WorkerLimits } from './protocol.ts';
import { describeGuestError, failureOf, type GuestErrorInfo } from './guest-failure.ts';

/** What the sandbox asks of the worker around it while a call runs. */
export interface SandboxHost {
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  /** Forwards one `ctx.fetch` to the host; resolves with the reply's JSON text. */
  fetch(request: string): Promise<string>;
  /** Forwards one `ctx.action` / `ctx.subflow` to the host; resolves with the reply's JSON text. */
  call(request: string): Promise<string>;
}

export type SandboxResult =
  | { readonly ok: true; readonly output: string | undefined }
  | { readonly ok: false; readonly failure: GuestFailure };

interface WasmGlobals {
  WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => unknown };
  TextEncoder: new () => { encode(text: string): Uint8Array };
}
const wasm = globalThis as unknown as WasmGlobals;

const PAGE = 65536;
/** Emscripten's QuickJS needs 256 pages (16 MiB) to instantiate; below that it is a LinkError. */
const MIN_PAGES = 256;
const MAX_LOG_CHARS = 8192;
/** `main`'s source -> its parameter names as JSON (same code, same answer: cached per worker). */
const parameterCache = new Map<string, string>();

/**
 * One QuickJS WebAssembly instance, reused across calls, with a fresh runtime and context per
 * call. Its heap is a bounded `WebAssembly.Memory`: QuickJS's own `setMemoryLimit` only
 * rejects single large allocations, the bounded memory is what makes the budget real.
 */
export class QuickJSSandbox {
  #module: QuickJSWASMModule | undefined;
  #memory: { readonly buffer: { readonly byteLength: number } } | undefined;
  readonly #limits: WorkerLimits;
  readonly #stackBytes: number;

  constructor(limits: WorkerLimits, defaultStackBytes: number) {
    this.#limits = limits;
    this.#stackBytes = limits.stackBytes > 0 ? limits.stackBytes : defaultStackBytes;
  }

  /** Instantiates the WebAssembly module now (otherwise the first call does). */
  async load(): Promise<QuickJSWASMModule> {
    if (this.#module) return this.#module;
    const maximum = Math.max(MIN_PAGES, Math.floor(this.#limits.memoryBytes / PAGE));
    const memory = new wasm.WebAssembly.Memory({ initial: MIN_PAGES, maximum });
    this.#memory = memory as { readonly buffer: { readonly byteLength: number } };
    this.#module = await newQuickJSWASMModuleFromVariant(
      newVariant(variant, { wasmMemory: memory as never }),
    );
    return this.#module;
  }

  /** Drops the instance (its heap never shrinks, and after some failures it is corrupt). */
  discard(): void {
    this.#module = undefined;
  }

  async run(job: RunJob, host: SandboxHost): Promise<SandboxResult> {
    const module = await this.load();
    const limit = Math.max(MIN_PAGES * PAGE, this.#limits.memoryBytes);
    // Near its maximum, the heap is why an allocation failed.
    const heapFull = () => (this.#memory?.buffer.byteLength ?? 0) >= limit * 0.9;
    const call = new SandboxCall(
      module,
      job,
      host,
      this.#limits.memoryBytes,
      this.#stackBytes,
      heapFull,
    );
    const result = await call.run();
    if (!result.ok && result.failure.discardModule) this.discard();
    else if (!call.disposeCleanly()) this.discard();
    return result;
  }
}

/** One call: runtime and context created for it and disposed after it. */
class SandboxCall {
  readonly #job: RunJob;
  readonly #host: SandboxHost;
  readonly #deadline: number;
  readonly #runtime: QuickJSRuntime;
  readonly #context: QuickJSContext;
  readonly #handles: QuickJSHandle[] = [];
  readonly #deferreds = new Set<QuickJSDeferredPromise>();
  readonly #issuedCodes = new Set<string>();
  #logLines = 0;
  #wake: (() => void) | undefined;
  #corrupt = false;
  readonly #heapFull: () => boolean;

  constructor(
    module: QuickJSWASMModule,
    job: RunJob,
    host: SandboxHost,
    memoryBytes: number,
    stackBytes: number,
    heapFull: () => boolean,
  ) {
    this.#heapFull = heapFull;
    this.#job = job;
    this.#host = host;
    this.#deadline = Date.now() + job.timeoutMs;
    this.#runtime = module.newRuntime();
    this.#runtime.setMemoryLimit(memoryBytes);
    this.#runtime.setMaxStackSize(stackBytes);
    // Polled every ~10,000 interpreter steps; a builtin-heavy loop can overshoot, which is
    // why the host also terminates the worker after a grace period.
    this.#runtime.setInterruptHandler(() => Date.now() >= this.#deadline);
    this.#context = this.#runtime.newContext();
  }

  #keep<T extends QuickJSHandle>(handle: T): T {
    this.#handles.push(handle);
    return handle;
  }

  async run(): Promise<SandboxResult> {
    try {
      return await this.#run();
    } catch (err) {
      return { ok: false, failure: this.#hostFailure(err) };
    }
  }

  async #run(): Promise<SandboxResult> {
    const ctx = this.#context;
    const source = guestPrelude(this.#job.fetch, this.#job.calls === true);
    const prelude = ctx.evalCode(source, 'millrace:prelude', { type: 'global' });
    if (prelude.error) return this.#guestFailure(this.#keep(prelude.error));
    const factory = this.#keep(prelude.value);
    const log = this.#keep(ctx.newFunction('log', (level, message) => this.#log(level, message)));
    const params = this.#keep(ctx.newFunction('params', (text) => this.#params(text)));
    const fetch = this.#job.fetch
      ? this.#keep(ctx.newFunction('fetch', (request) => this.#ask(request, this.#host.fetch)))
      : ctx.undefined;
    const call = this.#job.calls
      ? this.#keep(ctx.newFunction('call', (request) => this.#ask(request, this.#host.call)))
      : ctx.undefined;
    const made = ctx.callFunction(factory, ctx.undefined, log, params, fetch, call);
    if (made.error) return this.#guestFailure(this.#keep(made.error));
    const runFn = this.#keep(made.value);

    const evaluated = ctx.evalCode(this.#job.code, 'code.js', { type: 'module' });
    if (evaluated.error) return this.#guestFailure(this.#keep(evaluated.error));
    const namespace = await this.#settle(this.#keep(evaluated.value));
    if (!namespace.ok) return namespace.result;

    const input = this.#keep(ctx.newString(this.#job.input));
    const called = ctx.callFunction(runFn, ctx.undefined, namespace.handle, input);
    if (called.error) return this.#guestFailure(this.#keep(called.error));
    const output = await this.#settle(this.#keep(called.value));
    if (!output.ok) return output.result;
    return this.#readOutput(output.handle);
  }

  /** Drives the job queue until `promise` settles, the deadline passes or nothing can settle it. */
  async #settle(
    promise: QuickJSHandle,
  ): Promise<{ ok: true; handle: QuickJSHandle } | { ok: false; result: SandboxResult }> {
    const ctx = this.#context;
    for (;;) {
      const state = ctx.getPromiseState(promise);
      if (state.type === 'fulfilled') {
        if (state.notAPromise) return { ok: true, handle: promise };
        return { ok: true, handle: this.#keep(state.value) };
      }
      if (state.type === 'rejected')
        return { ok: false, result: this.#guestFailure(this.#keep(state.error)) };
      if (Date.now() >= this.#deadline) return { ok: false, result: this.#timeout() };
      if (this.#runtime.hasPendingJob()) {
        // Bounded slices: without an interrupt a job queue can run forever.
        const ran = this.#runtime.executePendingJobs(1000);
        if (ran.error) ran.error.dispose();
        continue;
      }
      if (this.#deferreds.size > 0) {
        await this.#waitForHost();
        continue;
      }
      return {
        ok: false,
        result: {
          ok: false,
          failure: failureOf({
            name: 'Error',
            message:
              'The code awaited a promise that can never settle (nothing is left to run and no ctx.fetch, ctx.action or ctx.subflow is pending).',
            stack: '',
          }),
        },
      };
    }
  }

  #waitForHost(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = codeGlobals.setTimeout(resolve, Math.max(0, this.#deadline - Date.now()));
      this.#wake = () => {
        codeGlobals.clearTimeout(timer);
        resolve();
      };
    });
  }

  #readOutput(handle: QuickJSHandle): SandboxResult {
    const ctx = this.#context;
    if (ctx.typeof(handle) !== 'string') return { ok: true, output: undefined };
    const max = this.#job.maxOutputBytes;
    // UTF-8 never has fewer bytes than UTF-16 code units: check the length before copying out.
    const length = ctx.getNumber(this.#keep(ctx.getProp(handle, 'length')));
    const tooLarge = (bytes: number): SandboxResult => ({
      ok: false,
      failure: {
        code: 'E_CODE_OUTPUT_TOO_LARGE',
        message: `The code's output is ${bytes > length ? bytes : `at least ${length}`} bytes of JSON; the limit is ${max} (maxOutputBytes).`,
        details: { maxOutputBytes: max },
      },
    });
    if (length > max) return tooLarge(length);
    const text = ctx.getString(handle);
    const bytes = new wasm.TextEncoder().encode(text).length;
    if (bytes > max) return tooLarge(bytes);
    return { ok: true, output: text };
  }

  #log(levelHandle: QuickJSHandle, messageHandle: QuickJSHandle): void {
    const ctx = this.#context;
    if (this.#logLines > this.#job.maxLogLines) return;
    this.#logLines++;
    if (this.#logLines > this.#job.maxLogLines) {
      this.#host.log(
        'warn',
        `Further log lines dropped (the limit is ${this.#job.maxLogLines} per call).`,
      );
      return;
    }
    const level = ctx.getString(levelHandle);
    let message = ctx.getString(messageHandle);
    if (message.length > MAX_LOG_CHARS) message = `${message.slice(0, MAX_LOG_CHARS)}… (truncated)`;
    this.#host.log(
      level === 'debug' || level === 'warn' || level === 'error' ? level : 'info',
      message,
    );
  }

  #params(sourceHandle: QuickJSHandle): QuickJSHandle {
    const source = this.#context.getString(sourceHandle);
    let names = parameterCache.get(source);
    if (!names) {
      names = JSON.stringify(mainParameters(source));
      if (parameterCache.size >= 500) parameterCache.clear();
      parameterCache.set(source, names);
    }
    return this.#context.newString(names);
  }

  /** One request to the host (`ctx.fetch`, `ctx.action`, `ctx.subflow`): a guest promise of the reply. */
  #ask(requestHandle: QuickJSHandle, send: (request: string) => Promise<string>): QuickJSHandle {
    const ctx = this.#context;
    const request = ctx.getString(requestHandle);
    const deferred = ctx.newPromise();
    this.#deferreds.add(deferred);
    void send(request).then((reply) => {
      if (!deferred.alive) return;
      try {
        const parsed = JSON.parse(reply) as { error?: { code?: unknown } };
        if (typeof parsed.error?.code === 'string') this.#issuedCodes.add(parsed.error.code);
      } catch {
        // the reply is ours; unparsable would be a bug, the guest then fails on it
      }
      const value = ctx.newString(reply);
      deferred.resolve(value);
      value.dispose();
      deferred.dispose();
      this.#deferreds.delete(deferred);
      this.#wake?.();
    });
    return deferred.handle;
  }

  #timeout(): SandboxResult {
    return {
      ok: false,
      failure: {
        code: 'E_CODE_TIMEOUT',
        message: `The code ran longer than its ${this.#job.timeoutMs} ms limit and was stopped.`,
        details: { timeoutMs: this.#job.timeoutMs },
      },
    };
  }

  #guestFailure(error: QuickJSHandle): SandboxResult {
    const info: GuestErrorInfo = describeGuestError(this.#context, error);
    if (info.name === 'InternalError' && info.message === 'interrupted') return this.#timeout();
    // Past the deadline the interrupt handler stops whatever runs, and an interrupt inside a
    // job of an await loop can surface as another error (seen: TypeError "not a function"):
    // a failure once the time is up is the time limit's.
    if (Date.now() >= this.#deadline) return this.#timeout();
    const failure = failureOf(info, this.#issuedCodes, this.#heapFull());
    if (failure.code === 'E_CODE_TIMEOUT') return this.#timeout();
    return { ok: false, failure };
  }

  #hostFailure(err: unknown): GuestFailure {
    this.#corrupt = true;
    const e = err as { name?: unknown; message?: unknown };
    const message = typeof e?.message === 'string' ? e.message : String(err);
    if (e?.name === 'RangeError' || /call stack/i.test(message)) {
      return {
        code: 'E_CODE_STACK_OVERFLOW',
        message:
          'The code recursed too deeply (the host stack ran out before QuickJS noticed); the sandbox was reset.',
        details: { name: 'RangeError', message },
        discardModule: true,
      };
    }
    if (this.#heapFull() || /out of memory|OOM|Cannot enlarge memory/i.test(message)) {
      return {
        code: 'E_CODE_MEMORY',
        message: 'The code ran out of memory; the sandbox was reset.',
        details: { message },
        discardModule: true,
      };
    }
    return {
      code: 'E_CODE_WORKER_FAILED',
      message: `The sandbox failed while running the code: ${message}`,
      details: { message },
      discardModule: true,
    };
  }

  /**
   * Frees the call's handles, context and runtime. Returns false when that cannot be done
   * safely (jobs still queued, a failure inside QuickJS): the caller then drops the module.
   */
  disposeCleanly(): boolean {
    if (this.#corrupt) return false;
    try {
      for (const d of this.#deferreds) d.dispose();
      this.#deferreds.clear();
      // Leftover jobs (a promise chain still running after the result) would make
      // runtime.dispose() abort; give them a little room, then give up on the module.
      for (let i = 0; i < 10 && this.#runtime.hasPendingJob() && Date.now() < this.#deadline; i++) {
        const ran = this.#runtime.executePendingJobs(1000);
        if (ran.error) ran.error.dispose();
      }
      if (this.#runtime.hasPendingJob()) return false;
      for (const h of this.#handles.reverse()) if (h.alive) h.dispose();
      this.#context.dispose();
      this.#runtime.dispose();
      return true;
    } catch {
      return false;
    }
  }
}
