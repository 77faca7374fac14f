import type { ActionDefinition } from '../actions/action.ts';
import { createCodeAction, type CodeRunner } from '../actions/code.ts';
import { createHttpAction, type FetchLike } from '../actions/http.ts';
import { compileTemplate } from '../expr/index.ts';
import { MillraceError } from '../errors/millrace-error.ts';
import type { CodeNode, FlowDefinition } from '../model/flow.ts';
import { FLOW_FORMAT } from '../model/flow.ts';
import { hasErrors } from '../model/diagnostic.ts';
import { validateFlow } from '../model/validate-flow.ts';
import { systemClock, type Clock, type TimerHandle } from '../platform/clock.ts';
import { cryptoIds, type IdSource } from '../platform/ids.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import type { FlowStore, FlowSummary, StoredDraft, StoredFlow } from '../store/flow-store.ts';
import {
  isFinished,
  type RunQuery,
  type RunStore,
  type RunSummary,
  type WaitingEntry,
} from '../store/run-store.ts';
import { compileFlow, type CNode, type CompiledFlow } from './compile-flow.ts';
import type { ParentLink, RunEvent, TriggerInfo } from './events.ts';
import type { ExecutorServices, LiveRun } from './executor/executor-services.ts';
import { RunExecutor } from './executor/run-executor.ts';
import { createSlots } from './slots.ts';
import { RunError } from './node-errors.ts';
import { foldEvents, stateFromSnapshot, type RunState } from './run-state.ts';
import { toRunView, type RunView } from './run-view.ts';
import { Scheduler } from './schedules.ts';

export interface EngineLimits {
  /** Actions running at once across all runs (others wait in order). Default: unlimited. */
  readonly maxConcurrentNodes?: number;
  /** Runs of one flow running at once (others queue in order); a flow's own setting wins. */
  readonly maxConcurrentRuns?: number;
  /** Largest output a node may store, in bytes of JSON. Default 1 MiB. */
  readonly maxOutputBytes?: number;
  /** A snapshot every this many events. Default 500. */
  readonly snapshotEvery?: number;
  /** maxIterations of a while loop that sets none. Default 100,000. */
  readonly defaultMaxIterations?: number;
}

export interface EngineLogger {
  error(message: string, data?: unknown): void;
}

export interface EngineOptions {
  /** Flows and runs; an in-memory store when absent. One object may be both. */
  readonly store?: FlowStore & RunStore;
  readonly flowStore?: FlowStore;
  readonly runStore?: RunStore;
  /** Host actions (connectors). */
  readonly actions?: readonly ActionDefinition[] | Readonly<Record<string, ActionDefinition>>;
  /** `$<secrets.NAME>`: resolved at use, redacted from everything stored. */
  readonly secrets?: Readonly<Record<string, string>> | ((name: string) => string | undefined);
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly limits?: EngineLimits;
  readonly logger?: EngineLogger;
  /** The fetch the http action uses (the platform's by default). */
  readonly fetch?: FetchLike;
  /** Runs code nodes in isolation; without one, code nodes fail with E_CODE_RUNNER_MISSING. */
  readonly codeRunner?: CodeRunner;
}

export interface StartOptions {
  /** Run this version instead of the latest. */
  readonly version?: number;
  readonly trigger?: TriggerInfo;
  /** Use this run id (idempotent starts: starting an existing id returns its handle). */
  readonly runId?: string;
}

/** A started run. */
export interface RunHandle {
  readonly id: string;
  readonly flowId: string;
  readonly version: number;
  /**
   * The run's output: answered as soon as a `return` node sets it (the run finishes in the
   * background), else when the run succeeds. Rejects with a RunError (code, failing node path)
   * when it fails or is cancelled.
   */
  result(): Promise<unknown>;
}

export type RunListener = (event: RunEvent) => void;

export interface Engine {
  /** Validates (E_FLOW_INVALID with the diagnostics), stores the next version, returns it. */
  deploy(definition: FlowDefinition): Promise<StoredFlow>;
  getFlow(id: string, version?: number): Promise<StoredFlow | undefined>;
  listFlows(): Promise<FlowSummary[]>;
  /**
   * Stores an editable draft of a flow without deploying it (drafts may be invalid: the editor
   * saves as the user works). Needs an object with a valid `id` (E_INVALID_ARGUMENT).
   */
  saveDraft(definition: FlowDefinition): Promise<StoredDraft>;
  getDraft(id: string): Promise<StoredDraft | undefined>;
  /** Drops a flow's draft; its deployed versions stay. */
  discardDraft(id: string): Promise<void>;
  start(flowId: string, input?: unknown, options?: StartOptions): Promise<RunHandle>;
  /** A handle for an existing run. */
  handle(runId: string): Promise<RunHandle>;
  /** Live events of a run; returns the unsubscribe function. */
  subscribe(runId: string, listener: RunListener): () => void;
  /** Wakes a parked node (approval decision, event, ...), in this engine or any other on the store. */
  signal(token: string, payload?: unknown): Promise<void>;
  cancel(runId: string, reason?: string): Promise<void>;
  /** Delivers an event: wakes matching waitForEvent nodes and starts flows with event triggers. */
  emit(
    event: string,
    payload?: unknown,
  ): Promise<{ readonly started: readonly string[]; readonly woken: number }>;
  listRuns(query?: RunQuery): Promise<RunSummary[]>;
  getRun(runId: string): Promise<RunView | undefined>;
  listWaiting(query?: { readonly flowId?: string }): Promise<WaitingEntry[]>;
  /** After a crash or restart: continues every unfinished run in the store and re-arms the schedule triggers of the latest flow versions. */
  recover(): Promise<string[]>;
  /** Stops timers; runs stay in the store as they are. */
  close(): Promise<void>;
}

const DEFAULT_LIMITS = {
  maxOutputBytes: 1024 * 1024,
  snapshotEvery: 500,
  defaultMaxIterations: 100_000,
};

/** A secret value and, when different, its percent-encoded form. */
function withEncoded(value: string): string[] {
  const encoded = encodeURIComponent(value);
  return encoded === value ? [value] : [value, encoded];
}

function actionMap(actions: EngineOptions['actions']): Map<string, ActionDefinition> {
  const list = !actions
    ? []
    : Array.isArray(actions)
      ? (actions as readonly ActionDefinition[])
      : Object.values(actions as Record<string, ActionDefinition>);
  return new Map(list.map((a) => [a.type, a]));
}

/**
 * Creates an engine: the same API in Node, in a Worker, and (through the adapters) over HTTP.
 *
 * @example
 * const engine = createEngine({ actions: [slackPost], secrets: { SLACK_TOKEN: '...' } });
 * await engine.deploy(flow);
 * const run = await engine.start('expense-approval', { amount: 2500 });
 * console.log(await run.result());
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const memory =
    !options.store && (!options.flowStore || !options.runStore) ? createMemoryStore() : undefined;
  const flowStore: FlowStore = options.flowStore ?? options.store ?? memory!;
  const runStore: RunStore = options.runStore ?? options.store ?? memory!;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? cryptoIds;
  const limits = { ...DEFAULT_LIMITS, ...(options.limits ?? {}) };
  const actions = actionMap(options.actions);
  const http = createHttpAction(options.fetch);
  const codeActions = new WeakMap<CNode, ActionDefinition>();
  const secrets = options.secrets;
  // Values of a secrets record are known up front; a provider function's as they are resolved.
  const secretValues: string[] =
    secrets && typeof secrets === 'object'
      ? Object.values(secrets)
          .filter((v) => typeof v === 'string' && v !== '')
          .flatMap(withEncoded)
      : [];
  const logger = options.logger ?? { error: () => undefined };

  const compiled = new Map<string, CompiledFlow>();
  const executors = new Map<string, RunExecutor>();
  const loading = new Map<string, Promise<RunExecutor>>();
  const pendingHolds = new Map<string, number>();
  const listeners = new Map<string, Set<RunListener>>();
  const resultWaiters = new Map<
    string,
    { resolve: (v: unknown) => void; reject: (e: unknown) => void }[]
  >();
  const wakeTimers = new Map<string, TimerHandle>();
  const endWaiters = new Map<string, (() => void)[]>();
  const queues = new Map<string, string[]>();
  const runningPerFlow = new Map<string, Set<string>>();
  const slots = createSlots(limits.maxConcurrentNodes ?? Number.POSITIVE_INFINITY);
  let closed = false;
  const scheduler = new Scheduler(
    clock,
    async ({ flowId, trigger, dueAt }) => {
      // The run id names the planned time: engines sharing a store start each fire once.
      const runId = `${flowId}.${trigger.id}.${dueAt}`;
      try {
        await startRun(flowId, trigger.input ?? {}, {
          runId,
          trigger: { kind: 'schedule', id: trigger.id, event: { scheduledAt: dueAt } },
        });
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'E_STORE_CONFLICT') throw err;
      }
    },
    (err) => logger.error('A schedule failed to start a run', err),
  );

  const compiledFlow = async (flowId: string, version?: number): Promise<CompiledFlow> => {
    const stored = await flowStore.getFlow(flowId, version);
    if (!stored) {
      const exists = version !== undefined && (await flowStore.getFlow(flowId));
      throw new MillraceError(
        exists ? 'E_FLOW_VERSION_NOT_FOUND' : 'E_FLOW_NOT_FOUND',
        exists
          ? `Flow "${flowId}" has no version ${version}.`
          : `No flow "${flowId}" is deployed; call deploy() first.`,
        { details: { flowId, ...(version === undefined ? {} : { version }) } },
      );
    }
    const key = `${stored.id}@${stored.version}`;
    let flow = compiled.get(key);
    if (!flow) {
      flow = compileFlow(stored.definition, stored.version);
      compiled.set(key, flow);
    }
    return flow;
  };

  const flowLimit = (flow: CompiledFlow): number =>
    flow.def.maxConcurrentRuns ?? limits.maxConcurrentRuns ?? Number.POSITIVE_INFINITY;

  const markRunning = (executor: LiveRun, running: boolean) => {
    const set = runningPerFlow.get(executor.state.flowId) ?? new Set<string>();
    if (running) set.add(executor.runId);
    else set.delete(executor.runId);
    runningPerFlow.set(executor.state.flowId, set);
  };

  const dequeue = (flowId: string) => {
    const queue = queues.get(flowId);
    if (!queue || queue.length === 0) return;
    const running = runningPerFlow.get(flowId)?.size ?? 0;
    const nextId = queue[0]!;
    const next = executors.get(nextId);
    if (!next) {
      queue.shift();
      dequeue(flowId);
      return;
    }
    if (running >= flowLimit(next.flow)) return;
    queue.shift();
    markRunning(next, true);
    next.dequeue();
  };

  const settleResult = (runId: string, state: RunState) => {
    const waiters = resultWaiters.get(runId);
    if (!waiters) return;
    resultWaiters.delete(runId);
    for (const w of waiters) {
      if (state.status === 'succeeded') w.resolve(state.output);
      else if (state.status === 'failed')
        w.reject(
          new RunError(
            runId,
            state.error ?? { code: 'E_NODE_FAILED', message: 'The run failed.' },
            state.output,
          ),
        );
      else
        w.reject(
          new RunError(runId, {
            code: 'E_RUN_CANCELLED',
            message: `Run "${runId}" was cancelled.`,
          }),
        );
    }
  };

  const services: ExecutorServices = {
    store: runStore,
    clock,
    ids,
    limits,
    slots,
    action(type, node) {
      if (node && type === 'code') {
        let a = codeActions.get(node);
        if (!a) {
          const def = node.def as CodeNode;
          a = createCodeAction(options.codeRunner, {
            code: def.code,
            ...(def.language ? { language: def.language } : {}),
            ...(def.timeoutMs === undefined ? {} : { timeoutMs: def.timeoutMs }),
          });
          codeActions.set(node, a);
        }
        return a;
      }
      return actions.get(type) ?? (type === 'http' ? http : undefined);
    },
    secret(name) {
      let value: string | undefined;
      if (typeof secrets === 'function') value = secrets(name);
      else if (secrets && Object.prototype.hasOwnProperty.call(secrets, name))
        value = secrets[name];
      if (typeof value === 'string' && value !== '' && !secretValues.includes(value)) {
        // A secret that ends up in a URL is stored percent-encoded; redact that form too.
        secretValues.push(...withEncoded(value));
      }
      return value;
    },
    knownSecrets: () => secretValues,
    published(executor, events) {
      const set = listeners.get(executor.runId);
      if (!set) return;
      for (const event of events) {
        for (const listener of set) {
          try {
            listener(event);
          } catch (err) {
            logger.error('A run listener threw', err);
          }
        }
      }
    },
    returned(executor, value) {
      const waiters = resultWaiters.get(executor.runId);
      if (!waiters) return;
      resultWaiters.delete(executor.runId);
      for (const w of waiters) w.resolve(value);
    },
    idle(executor) {
      const runId = executor.runId;
      if (executor.state.status === 'queued') return;
      // A parked run keeps its maxConcurrentRuns slot until it ends: waking it must never
      // exceed the limit.
      if (executor.isEnded) markRunning(executor, false);
      executors.delete(runId);
      executor.dispose();
      if (executor.isEnded) {
        settleResult(runId, executor.state);
        for (const resolve of endWaiters.get(runId) ?? []) resolve();
        endWaiters.delete(runId);
        const parent = executor.state.parent;
        if (parent) {
          const payload = {
            status: executor.state.status,
            output: executor.state.output,
            ...(executor.state.error ? { error: executor.state.error } : {}),
          };
          void deliver(parent, payload);
        }
      } else if (!closed) {
        const wake = executor.nextWakeAt;
        if (wake !== undefined) scheduleWake(runId, wake);
      }
      dequeue(executor.state.flowId);
    },
    async startChild(request) {
      const existing = await runStore.getSummary(request.runId);
      if (existing) {
        if (isFinished(existing.status)) {
          const loaded = await loadState(request.runId);
          if (loaded) {
            void deliver(request.parent, {
              status: loaded.status,
              output: loaded.output,
              ...(loaded.error ? { error: loaded.error } : {}),
            });
          }
        } else await load(request.runId);
        return;
      }
      await startRun(
        request.flowId,
        request.input,
        {
          runId: request.runId,
          trigger: { kind: 'subflow', id: request.parent.runId },
          ...(request.version === undefined ? {} : { version: request.version }),
        },
        request.parent,
      );
    },
    crashed(executor, error) {
      executors.delete(executor.runId);
      markRunning(executor, false);
      logger.error(
        `Run ${executor.runId} stopped: ${(error as Error)?.message ?? String(error)}`,
        error,
      );
      const waiters = resultWaiters.get(executor.runId);
      if (waiters) {
        resultWaiters.delete(executor.runId);
        for (const w of waiters) w.reject(error);
      }
    },
  };

  async function deliver(parent: ParentLink, payload: unknown): Promise<void> {
    try {
      await signal(parent.token, payload);
    } catch (err) {
      logger.error(`Could not wake parent run ${parent.runId}`, err);
    }
  }

  function scheduleWake(runId: string, at: number): void {
    const existing = wakeTimers.get(runId);
    if (existing) clock.clearTimer(existing);
    wakeTimers.set(
      runId,
      clock.setTimer(Math.max(0, at - clock.now()), () => {
        wakeTimers.delete(runId);
        void load(runId).catch((err) => logger.error(`Could not wake run ${runId}`, err));
      }),
    );
  }

  async function loadState(runId: string): Promise<RunState | undefined> {
    return (await loadRun(runId))?.state;
  }

  async function loadRun(
    runId: string,
  ): Promise<{ state: RunState; summary: RunSummary } | undefined> {
    const loaded = await runStore.load(runId);
    if (!loaded) return undefined;
    const base = loaded.snapshot ? stateFromSnapshot(loaded.snapshot.state) : undefined;
    const state = foldEvents(loaded.events, base);
    return state ? { state, summary: loaded.summary } : undefined;
  }

  /** True when a stored summary disagrees with the log (a crash between the two). */
  function stale(summary: RunSummary, executor: RunExecutor): boolean {
    const fresh = executor.summary();
    if (summary.lastSeq !== fresh.lastSeq || summary.status !== fresh.status) return true;
    const tokens = new Set(summary.waiting.map((w) => w.token));
    return fresh.waiting.length !== tokens.size || fresh.waiting.some((w) => !tokens.has(w.token));
  }

  /** The executor of a run, loading (and continuing) it from the store if needed. */
  function load(runId: string, hold = false): Promise<RunExecutor> {
    const live = executors.get(runId);
    if (live) {
      if (hold) live.hold();
      return Promise.resolve(live);
    }
    const pending = loading.get(runId);
    if (pending) {
      // The loader applies the hold before the run starts, so it cannot park in between.
      if (hold) pendingHolds.set(runId, (pendingHolds.get(runId) ?? 0) + 1);
      return pending;
    }
    const promise = (async () => {
      const loaded = await loadRun(runId);
      if (!loaded) throw new MillraceError('E_RUN_NOT_FOUND', `No run "${runId}" in the store.`);
      const { state } = loaded;
      const again = executors.get(runId);
      if (again) return again;
      const flow = await compiledFlow(state.flowId, state.flowVersion);
      const executor = RunExecutor.resume(flow, services, state);
      if (stale(loaded.summary, executor)) await runStore.append(runId, [], executor.summary());
      const raced = executors.get(runId);
      if (raced) return raced;
      const wake = wakeTimers.get(runId);
      if (wake) {
        clock.clearTimer(wake);
        wakeTimers.delete(runId);
      }
      if (isFinished(state.status)) return executor;
      executors.set(runId, executor);
      const holds = (hold ? 1 : 0) + (pendingHolds.get(runId) ?? 0);
      pendingHolds.delete(runId);
      for (let i = 0; i < holds; i++) executor.hold();
      if (state.status === 'queued') {
        enqueueRun(executor);
      } else {
        markRunning(executor, true);
        executor.begin();
      }
      return executor;
    })();
    loading.set(runId, promise);
    const clear = () => loading.delete(runId);
    promise.then(clear, clear);
    return promise;
  }

  function enqueueRun(executor: RunExecutor): void {
    const queue = queues.get(executor.state.flowId) ?? [];
    if (!queue.includes(executor.runId)) queue.push(executor.runId);
    queues.set(executor.state.flowId, queue);
    executor.begin();
    dequeue(executor.state.flowId);
  }

  function makeHandle(runId: string, flowId: string, version: number): RunHandle {
    return {
      id: runId,
      flowId,
      version,
      result: () => result(runId),
    };
  }

  async function result(runId: string): Promise<unknown> {
    const live = executors.get(runId);
    if (live && live.state.returned) return live.state.returned.value;
    const promise = new Promise<unknown>((resolve, reject) => {
      const list = resultWaiters.get(runId) ?? [];
      list.push({ resolve, reject });
      resultWaiters.set(runId, list);
    });
    if (!live) {
      const state = await loadState(runId);
      if (!state) {
        resultWaiters.delete(runId);
        throw new MillraceError('E_RUN_NOT_FOUND', `No run "${runId}" in the store.`);
      }
      if (isFinished(state.status)) settleResult(runId, state);
      else if (state.returned) {
        const waiters = resultWaiters.get(runId) ?? [];
        resultWaiters.delete(runId);
        for (const w of waiters) w.resolve(state.returned.value);
      }
    }
    return promise;
  }

  async function startRun(
    flowId: string,
    input: unknown,
    opts: StartOptions,
    parent?: ParentLink,
  ): Promise<RunHandle> {
    if (closed) throw new MillraceError('E_INVALID_ARGUMENT', 'The engine is closed.');
    if (opts.runId !== undefined) {
      const existing = await runStore.getSummary(opts.runId);
      if (existing) return makeHandle(existing.runId, existing.flowId, existing.flowVersion);
    }
    const flow = await compiledFlow(flowId, opts.version);
    const runId = opts.runId ?? ids.runId();
    const running = runningPerFlow.get(flowId)?.size ?? 0;
    const queued = running >= flowLimit(flow) || (queues.get(flowId)?.length ?? 0) > 0;
    const executor = RunExecutor.create(flow, services, {
      runId,
      input: input === undefined ? {} : input,
      trigger: opts.trigger ?? { kind: 'api' },
      ...(parent ? { parent } : {}),
      queued,
    });
    executors.set(runId, executor);
    if (queued) enqueueRun(executor);
    else {
      markRunning(executor, true);
      executor.begin();
    }
    return makeHandle(runId, flowId, flow.version);
  }

  async function signal(token: string, payload?: unknown): Promise<void> {
    const entry = await runStore.findWaiting(token);
    if (!entry) {
      throw new MillraceError(
        'E_SIGNAL_UNKNOWN',
        'No parked node waits for this token; it may be wrong, used already, or expired.',
      );
    }
    const executor = await load(entry.runId, true);
    try {
      executor.signal(token, payload);
    } finally {
      executor.release();
    }
  }

  // Event triggers of the latest version of every flow, loaded on first emit.
  let eventTriggers:
    Map<string, { flowId: string; triggerId: string; filter?: string }[]> | undefined;
  async function triggersFor(event: string) {
    if (!eventTriggers) {
      eventTriggers = new Map();
      for (const summary of await flowStore.listFlows()) {
        const stored = await flowStore.getFlow(summary.id);
        if (stored) registerTriggers(stored.definition);
      }
    }
    return eventTriggers.get(event) ?? [];
  }
  function registerTriggers(def: FlowDefinition): void {
    if (!eventTriggers) return;
    for (const list of eventTriggers.values()) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i]!.flowId === def.id) list.splice(i, 1);
    }
    for (const t of def.triggers ?? []) {
      if (t.kind !== 'event' || t.enabled === false) continue;
      const list = eventTriggers.get(t.event) ?? [];
      list.push({ flowId: def.id, triggerId: t.id, ...(t.filter ? { filter: t.filter } : {}) });
      eventTriggers.set(t.event, list);
    }
  }

  const passes = (filter: string | undefined, payload: unknown): boolean => {
    if (filter === undefined) return true;
    try {
      return Boolean(
        compileTemplate(filter).evaluate({
          event: payload,
          trigger: { kind: 'event', event: payload },
        }),
      );
    } catch (err) {
      logger.error(`An event filter failed: ${filter}`, err);
      return false;
    }
  };

  return {
    async deploy(definition) {
      const diagnostics = validateFlow(definition, { catalog: [...actions.values()] });
      if (hasErrors(diagnostics)) {
        const errors = diagnostics.filter((d) => d.severity === 'error');
        throw new MillraceError(
          'E_FLOW_INVALID',
          `The flow has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors
            .slice(0, 3)
            .map((d) => `${d.path || '/'}: ${d.message}`)
            .join(' ')}`,
          { details: { diagnostics }, ...(errors[0] ? { path: errors[0].path } : {}) },
        );
      }
      const def = { ...definition, format: FLOW_FORMAT } as FlowDefinition;
      compileFlow(def); // compiles every expression once more as a last check before storing
      const stored = await flowStore.saveFlow(def, clock.now());
      registerTriggers(stored.definition);
      if (!closed) scheduler.arm(stored.definition);
      return stored;
    },
    getFlow: (id, version) => flowStore.getFlow(id, version),
    listFlows: () => flowStore.listFlows(),
    async saveDraft(definition) {
      const id = (definition as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(id)) {
        throw new MillraceError(
          'E_INVALID_ARGUMENT',
          'A draft must be a flow object with an id of letters, digits, "-", "_" and "." (got ' +
            `${typeof id === 'string' ? JSON.stringify(id) : typeof id}).`,
          { path: '/id' },
        );
      }
      return flowStore.saveDraft(definition, clock.now());
    },
    getDraft: (id) => flowStore.getDraft(id),
    discardDraft: (id) => flowStore.deleteDraft(id),
    start: (flowId, input, opts = {}) => startRun(flowId, input, opts),
    async handle(runId) {
      const summary = await runStore.getSummary(runId);
      if (!summary) throw new MillraceError('E_RUN_NOT_FOUND', `No run "${runId}" in the store.`);
      return makeHandle(runId, summary.flowId, summary.flowVersion);
    },
    subscribe(runId, listener) {
      const set = listeners.get(runId) ?? new Set();
      set.add(listener);
      listeners.set(runId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(runId);
      };
    },
    signal,
    async cancel(runId, reason) {
      const executor = await load(runId, true);
      if (executor.isEnded || isFinished(executor.state.status)) {
        executor.release();
        return;
      }
      const ended = new Promise<void>((resolve) => {
        const list = endWaiters.get(runId) ?? [];
        list.push(resolve);
        endWaiters.set(runId, list);
      });
      // Child runs of subflow nodes that are still waiting go down with their parent.
      const children = [...executor.state.waiting.values()]
        .map((w) => w.childRunId)
        .filter((id): id is string => id !== undefined);
      executor.cancel(reason);
      executor.release();
      await ended;
      for (const child of children) {
        await this.cancel(child, reason ?? `parent run ${runId} was cancelled`).catch(
          (err: unknown) => logger.error(`Could not cancel child run ${child}`, err),
        );
      }
    },
    async emit(event, payload) {
      const started: string[] = [];
      let woken = 0;
      for (const w of await runStore.listWaiting()) {
        if (w.kind !== 'waitForEvent' || w.event !== event) continue;
        try {
          // The run decides: its filter may read the run's own data.
          const executor = await load(w.runId, true);
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
      for (const t of await triggersFor(event)) {
        if (!passes(t.filter, payload)) continue;
        const handle = await startRun(t.flowId, payload, {
          trigger: { kind: 'event', id: t.triggerId, event: payload },
        });
        started.push(handle.id);
      }
      return { started, woken };
    },
    listRuns: (query) => runStore.listRuns(query),
    async getRun(runId) {
      const live = executors.get(runId);
      const state = live ? live.state : await loadState(runId);
      return state ? toRunView(state) : undefined;
    },
    listWaiting: (query) => runStore.listWaiting(query),
    async recover() {
      // Schedules of the latest versions come back with the engine.
      for (const summary of await flowStore.listFlows()) {
        const stored = await flowStore.getFlow(summary.id);
        if (stored) scheduler.arm(stored.definition);
      }
      const unfinished = await runStore.listUnfinished();
      unfinished.sort((a, b) => a.createdAt - b.createdAt);
      const recovered: string[] = [];
      for (const summary of unfinished) {
        try {
          await load(summary.runId);
          recovered.push(summary.runId);
        } catch (err) {
          logger.error(`Could not recover run ${summary.runId}`, err);
        }
      }
      return recovered;
    },
    async close() {
      closed = true;
      scheduler.close();
      for (const handle of wakeTimers.values()) clock.clearTimer(handle);
      wakeTimers.clear();
      for (const executor of executors.values()) executor.dispose();
      executors.clear();
    },
  };
}
