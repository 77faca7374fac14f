import { MillraceError, isMillraceError } from '../../errors/millrace-error.ts';
import type { Clock } from '../../platform/clock.ts';
import type { AbortSignalLike } from '../../platform/globals.ts';
import type { IdSource } from '../../platform/ids.ts';
import { isFinished, type RunStore } from '../../store/run-store.ts';
import { hasWorkDue } from '../../store/run-lease.ts';
import type { CompiledFlow } from '../compile-flow.ts';
import type { ParentLink } from '../events.ts';
import type { ExecutorServices, LiveRun } from '../executor/executor-services.ts';
import { RunExecutor } from '../executor/run-executor.ts';
import type { RunState } from '../run-state.ts';
import type {
  EngineLogger,
  EngineWorker,
  RunHandle,
  StartOptions,
  WorkOptions,
} from './engine-api.ts';
import { createLiveRuns } from './live-runs.ts';
import type { RunOwnership } from './run-ownership.ts';
import { startOverrides, type TestStart } from './test-runs.ts';
import type { RunAdmission } from './run-admission.ts';
import type { RunResults } from './run-results.ts';

/** The live runs of an engine: starting, loading (recovering), waking, signalling, cancelling. */
export interface RunSupervisor {
  start(
    flowId: string,
    input: unknown,
    options: StartOptions,
    parent?: ParentLink,
    test?: TestStart,
  ): Promise<RunHandle>;
  handle(runId: string): Promise<RunHandle>;
  result(runId: string): Promise<unknown>;
  signal(token: string, payload?: unknown): Promise<void>;
  cancel(runId: string, reason?: string): Promise<void>;
  /** Wakes the waitForEvent nodes parked on `event` whose filter matches; returns how many. */
  wakeWaiters(event: string, payload: unknown): Promise<number>;
  /** The state of a run: the live one, else folded from the store. */
  state(runId: string): Promise<RunState | undefined>;
  /** Continues every unfinished run in the store, oldest first; returns their ids. */
  recover(): Promise<string[]>;
  work(options?: WorkOptions): EngineWorker;
  /** Stops timers and unloads every run (they stay in the store as they are). */
  close(): void;
}

/** What the supervisor is built from. */
export interface RunSupervisorDeps {
  readonly store: RunStore;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly logger: EngineLogger;
  readonly ownership: RunOwnership;
  readonly admission: RunAdmission;
  readonly results: RunResults;
  readonly compiled: (flowId: string, version?: number) => Promise<CompiledFlow>;
  /** The store, time, ids, limits, slots, actions and secrets the executors use. */
  readonly services: Omit<
    ExecutorServices,
    'idle' | 'startChild' | 'callSubflow' | 'crashed' | 'returned'
  >;
}

/**
 * Creates the run supervisor of an engine. It keeps an executor per live run and none for
 * parked or finished ones: a parked run is unloaded (no memory held) and loaded again from the
 * store by a signal, an event, or its next timer (a wake timer per parked run).
 */
export function createRunSupervisor(deps: RunSupervisorDeps): RunSupervisor {
  const { store, clock, ids, logger, admission, results } = deps;
  let closed = false;

  const services: ExecutorServices = {
    ...deps.services,
    returned: (run, value) => results.returned(run.runId, value),
    idle,
    startChild,
    callSubflow: (request, signal) => callSubflow(request, signal),
    crashed(run, error) {
      live.remove(run.runId);
      admission.setRunning(run.state.flowId, run.runId, false);
      logger.error(
        `Run ${run.runId} stopped: ${(error as Error)?.message ?? String(error)}`,
        error,
      );
      results.crashed(run.runId, error);
    },
  };

  const live = createLiveRuns({
    store,
    clock,
    logger,
    ownership: deps.ownership,
    compiled: deps.compiled,
    resume: (flow, state) => RunExecutor.resume(flow, services, state),
    begin,
  });

  /** The run ended or parked: unload it, answer its waiters, wake its parent, admit the next. */
  function idle(run: LiveRun): void {
    const runId = run.runId;
    if (run.state.status === 'queued') return;
    // A parked run keeps its maxConcurrentRuns slot until it ends: waking it must never
    // exceed the limit.
    if (run.isEnded) admission.setRunning(run.state.flowId, runId, false);
    live.remove(runId);
    run.dispose();
    if (run.isEnded) {
      results.settle(runId, run.state);
      results.ended(runId);
      const parent = run.state.parent;
      // A flow script's child is awaited through result(), not woken by a signal.
      if (parent && !parent.call) void deliver(parent, childOutcome(run.state));
    } else if (!closed) {
      const wake = run.nextWakeAt;
      if (wake !== undefined) live.wakeAt(runId, wake);
    }
    admission.dequeue(run.state.flowId, (id) => live.get(id));
  }

  async function startChild(request: Parameters<ExecutorServices['startChild']>[0]) {
    const existing = await store.getSummary(request.runId);
    if (existing) {
      // Started before a crash: a finished child answers its parent again, a live one continues.
      if (isFinished(existing.status)) {
        const loaded = await live.loadState(request.runId);
        if (loaded) void deliver(request.parent, childOutcome(loaded));
      } else await live.load(request.runId);
      return;
    }
    await start(
      request.flowId,
      request.input,
      {
        runId: request.runId,
        trigger: { kind: 'subflow', id: request.parent.runId },
        ...(request.version === undefined ? {} : { version: request.version }),
      },
      request.parent,
    );
  }

  /** A flow script's `ctx.subflow`: start the child once (or find it after a crash), await it. */
  async function callSubflow(
    request: { runId: string; flowId: string; input: unknown; parent: ParentLink },
    signal: AbortSignalLike,
  ): Promise<unknown> {
    const existing = await store.getSummary(request.runId);
    if (!existing) {
      await start(
        request.flowId,
        request.input,
        { runId: request.runId, trigger: { kind: 'subflow', id: request.parent.runId } },
        request.parent,
      );
    } else if (!isFinished(existing.status)) await live.load(request.runId);
    const stop = () =>
      void cancel(request.runId, `the code node of run ${request.parent.runId} ended`).catch(
        (err: unknown) => logger.error(`Could not cancel child run ${request.runId}`, err),
      );
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    try {
      return await result(request.runId);
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  async function deliver(parent: ParentLink, payload: unknown): Promise<void> {
    try {
      await signal(parent.token, payload);
    } catch (err) {
      logger.error(`Could not wake parent run ${parent.runId}`, err);
    }
  }

  function begin(executor: RunExecutor, queued: boolean): void {
    const flowId = executor.state.flowId;
    if (queued) {
      admission.enqueue(flowId, executor.runId);
      executor.begin();
      admission.dequeue(flowId, (id) => live.get(id));
    } else {
      admission.setRunning(flowId, executor.runId, true);
      executor.begin();
    }
  }

  const makeHandle = (runId: string, flowId: string, version: number): RunHandle => ({
    id: runId,
    flowId,
    version,
    result: () => result(runId),
  });

  async function result(runId: string): Promise<unknown> {
    const loaded = live.get(runId);
    if (loaded && loaded.state.returned) return loaded.state.returned.value;
    const promise = results.wait(runId);
    if (!loaded) {
      const state = await live.loadState(runId);
      if (!state) {
        results.forget(runId);
        throw new MillraceError('E_RUN_NOT_FOUND', `No run "${runId}" in the store.`);
      }
      results.settle(runId, state);
    }
    return promise;
  }

  async function start(
    flowId: string,
    input: unknown,
    opts: StartOptions,
    parent?: ParentLink,
    test?: TestStart,
  ): Promise<RunHandle> {
    if (closed) throw new MillraceError('E_INVALID_ARGUMENT', 'The engine is closed.');
    if (opts.runId !== undefined) {
      // Idempotent starts: an existing id answers with its run.
      const existing = await store.getSummary(opts.runId);
      if (existing) return makeHandle(existing.runId, existing.flowId, existing.flowVersion);
    }
    const flow = await deps.compiled(flowId, opts.version);
    // Test runs (mocks, pinned outputs) and reruns (reused outputs): checked before anything is stored.
    const overrides = startOverrides(flow, opts, test?.overrides);
    const runId = opts.runId ?? ids.runId();
    if (opts.defer) {
      // Stored queued, executed by whichever engine's work() claims it.
      const executor = RunExecutor.create(flow, services, {
        runId,
        input: input === undefined ? {} : input,
        trigger: opts.trigger ?? { kind: 'api' },
        ...(parent ? { parent } : {}),
        ...(overrides ? { overrides } : {}),
        queued: true,
        ...(opts.alias !== undefined ? { alias: opts.alias } : {}),
      });
      await store.append(runId, executor.outbox.splice(0), executor.summary());
      executor.dispose();
      return makeHandle(runId, flowId, flow.version);
    }
    await deps.ownership.claim(runId);
    const queued = admission.mustQueue(flow);
    let executor: RunExecutor;
    try {
      executor = RunExecutor.create(flow, services, {
        runId,
        input: input === undefined ? {} : input,
        trigger: opts.trigger ?? { kind: 'api' },
        ...(parent ? { parent } : {}),
        ...(overrides ? { overrides } : {}),
        ...(test?.rerunOf ? { rerunOf: test.rerunOf } : {}),
        queued,
        ...(opts.alias !== undefined ? { alias: opts.alias } : {}),
      });
    } catch (error) {
      deps.ownership.release(runId);
      throw error;
    }
    live.add(executor);
    begin(executor, queued);
    // Answered once the run is stored: a caller that acknowledges the start (an HTTP 202, a
    // webhook delivery it will not accept again) never acknowledges a run a crash could lose.
    await executor.whenStored();
    return makeHandle(runId, flowId, flow.version);
  }

  async function signal(token: string, payload?: unknown): Promise<void> {
    const entry = await store.findWaiting(token);
    if (!entry) {
      throw new MillraceError(
        'E_SIGNAL_UNKNOWN',
        'No parked node waits for this token; it may be wrong, used already, or expired.',
      );
    }
    const executor = await live.load(entry.runId, true);
    try {
      executor.signal(token, payload);
    } finally {
      executor.release();
    }
  }

  async function cancel(runId: string, reason?: string): Promise<void> {
    const executor = await live.load(runId, true);
    if (executor.isEnded || isFinished(executor.state.status)) {
      executor.release();
      return;
    }
    const ended = results.whenEnded(runId);
    // Child runs of subflow nodes that are still waiting go down with their parent.
    const children = [...executor.state.waiting.values()]
      .map((w) => w.childRunId)
      .filter((id): id is string => id !== undefined);
    executor.cancel(reason);
    executor.release();
    await ended;
    for (const child of children) {
      await cancel(child, reason ?? `parent run ${runId} was cancelled`).catch((err: unknown) =>
        logger.error(`Could not cancel child run ${child}`, err),
      );
    }
  }

  async function wakeWaiters(event: string, payload: unknown): Promise<number> {
    let woken = 0;
    for (const w of await store.listWaiting()) {
      if (w.kind !== 'waitForEvent' || w.event !== event) continue;
      try {
        // The run decides: its filter may read the run's own data.
        const executor = await live.load(w.runId, true);
        let matched: boolean;
        try {
          matched = executor.matchesEvent(w.token, payload);
          if (matched) executor.signal(w.token, payload);
        } finally {
          executor.release();
        }
        if (matched) woken++;
      } catch (err) {
        logger.error(`Could not deliver ${event} to run ${w.runId}`, err);
      }
    }
    return woken;
  }

  /** Claims and loads runs with work due, up to `maxRuns` loaded here, every `pollMs`. */
  function work(options: WorkOptions = {}): EngineWorker {
    const maxRuns = options.maxRuns ?? 10;
    const pollMs = options.pollMs ?? 1000;
    let stopped = false;
    let timer: ReturnType<Clock['setTimer']> | undefined;
    const poll = async (): Promise<void> => {
      const free = maxRuns - live.size;
      if (free <= 0) return;
      const now = clock.now();
      const { owner, leaseMs } = deps.ownership;
      const due = store.claimDue
        ? await store.claimDue(owner, now, now + leaseMs, free)
        : (await store.listUnfinished())
            .filter((s) => hasWorkDue(s, now) && !live.get(s.runId))
            .sort((a, b) => a.createdAt - b.createdAt)
            .slice(0, free)
            .map((s) => s.runId);
      for (const runId of due) {
        if (stopped || closed) return;
        // claimDue took the lease already: the run is read once, not claimed again.
        await live.load(runId, false, store.claimDue !== undefined).catch((err: unknown) => {
          if (isMillraceError(err) && err.code === 'E_RUN_OWNED') return;
          logger.error(`Could not take up run ${runId}`, err);
        });
      }
    };
    let current: Promise<void> = Promise.resolve();
    const next = (): void => {
      if (stopped || closed) return;
      timer = clock.setTimer(pollMs, () => {
        timer = undefined;
        current = poll()
          .catch((err: unknown) => logger.error('Could not look for due runs', err))
          .finally(next);
      });
    };
    current = poll()
      .catch((err: unknown) => logger.error('Could not look for due runs', err))
      .finally(next);
    return {
      async stop() {
        stopped = true;
        if (timer !== undefined) clock.clearTimer(timer);
        timer = undefined;
        await current;
      },
    };
  }

  return {
    start,
    work,
    async handle(runId) {
      const summary = await store.getSummary(runId);
      if (!summary) throw new MillraceError('E_RUN_NOT_FOUND', `No run "${runId}" in the store.`);
      return makeHandle(runId, summary.flowId, summary.flowVersion);
    },
    result,
    signal,
    cancel,
    wakeWaiters,
    async state(runId) {
      const loaded = live.get(runId);
      return loaded ? loaded.state : await live.loadState(runId);
    },
    async recover() {
      const unfinished = await store.listUnfinished();
      unfinished.sort((a, b) => a.createdAt - b.createdAt);
      const recovered: string[] = [];
      for (const summary of unfinished) {
        try {
          await live.load(summary.runId);
          recovered.push(summary.runId);
        } catch (err) {
          // Another live engine executes it: not ours to recover (unless its lease lapses).
          if (isMillraceError(err) && err.code === 'E_RUN_OWNED') continue;
          logger.error(`Could not recover run ${summary.runId}`, err);
        }
      }
      return recovered;
    },
    close() {
      closed = true;
      live.close();
      deps.ownership.close();
    },
  };
}

/** What a finished child run tells the subflow node of its parent. */
function childOutcome(state: RunState): unknown {
  return {
    status: state.status,
    output: state.output,
    ...(state.error ? { error: state.error } : {}),
  };
}
