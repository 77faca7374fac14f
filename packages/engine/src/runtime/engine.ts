import { systemClock } from '../platform/clock.ts';
import { cryptoIds } from '../platform/ids.ts';
import { createRunOwnership } from './engine/run-ownership.ts';
import { flowLifecycleStore } from '../store/flow-lifecycle-store.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import type { FlowStore } from '../store/flow-store.ts';
import type { RunStore } from '../store/run-store.ts';
import { createActionRegistry } from './engine/action-registry.ts';
import type { Engine, EngineOptions } from './engine/engine-api.ts';
import { createFlowLifecycle } from './engine/flow-lifecycle.ts';
import { createFlowRegistry } from './engine/flow-registry.ts';
import { createRunAdmission } from './engine/run-admission.ts';
import { createRunListeners } from './engine/run-listeners.ts';
import { createRunResults } from './engine/run-results.ts';
import { createRunSupervisor } from './engine/run-supervisor.ts';
import { createMetrics } from './engine/metrics.ts';
import { redactingLogger } from './engine/redacting-logger.ts';
import { createSecretRegistry } from './engine/secret-registry.ts';
import { createStartGate } from './engine/start-gate.ts';
import { createTestRuns } from './engine/test-runs.ts';
import { createTriggers } from './engine/triggers.ts';
import { toRunView } from './run-view.ts';
import { createSlots } from './slots.ts';

export type {
  Engine,
  EngineLimits,
  EngineLogger,
  EngineOptions,
  RunHandle,
  RunListener,
  StartOptions,
  WorkOptions,
  EngineWorker,
} from './engine/engine-api.ts';

const DEFAULT_LIMITS = {
  maxOutputBytes: 1024 * 1024,
  snapshotEvery: 500,
  defaultMaxIterations: 100_000,
};

/**
 * Creates an engine: the same API in Node, in a Worker, and (through the adapters) over HTTP.
 * It only wires its parts (engine/): the flow registry (deploy, versions, drafts), the run
 * supervisor (live runs: start, recover, signal, cancel), the triggers (schedules, events),
 * admission (maxConcurrentRuns), results, listeners, actions and secrets.
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

  const actions = createActionRegistry(options);
  const secrets = createSecretRegistry(options.secrets);
  // What the host's logger receives is redacted like stored events are.
  const logger = redactingLogger(options.logger ?? { error: () => undefined }, secrets.known);
  const listeners = createRunListeners(logger);
  const flows = createFlowRegistry({ store: flowStore, clock, catalog: actions.catalog });
  const runs = createRunSupervisor({
    store: runStore,
    clock,
    ids,
    logger,
    // The owner id is not drawn from `ids`: tests' sequential run ids stay as they were.
    ownership: createRunOwnership({
      store: runStore,
      clock,
      logger,
      owner: options.owner ?? `engine_${cryptoIds.token().slice(4, 24)}`,
      ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    }),
    admission: createRunAdmission(limits.maxConcurrentRuns),
    results: createRunResults(),
    compiled: flows.compiled,
    services: {
      store: runStore,
      clock,
      ids,
      limits,
      slots: createSlots(limits.maxConcurrentNodes ?? Number.POSITIVE_INFINITY),
      action: actions.action,
      secret: secrets.secret,
      knownSecrets: secrets.known,
      published: (run, events) => listeners.publish(run.runId, events),
    },
  });
  const records = flowLifecycleStore(flowStore);
  const lifecycle = createFlowLifecycle({
    store: flowStore,
    records,
    clock,
    triggers: () => triggers,
  });
  const gate = createStartGate({
    state: lifecycle.state,
    compiled: flows.compiled,
    ids,
    start: (flowId, input, opts) => runs.start(flowId, input, opts),
  });
  const testRuns = createTestRuns({
    store: runStore,
    compiled: flows.compiled,
    state: runs.state,
    start: (flowId, input, opts, test) => runs.start(flowId, input, opts, undefined, test),
  });
  const triggers = createTriggers({
    clock,
    logger,
    armed: lifecycle.armed,
    start: gate.startTriggered,
    fires: records,
  });

  return {
    async deploy(definition, opts) {
      const stored = await flows.deploy(definition);
      await lifecycle.deployed(stored, opts);
      return stored;
    },
    getFlow: flows.getFlow,
    listFlows: lifecycle.listFlows,
    activate: lifecycle.activate,
    deactivate: lifecycle.deactivate,
    deleteFlow: lifecycle.deleteFlow,
    setAlias: lifecycle.setAlias,
    removeAlias: lifecycle.removeAlias,
    saveDraft: flows.saveDraft,
    getDraft: flows.getDraft,
    discardDraft: flows.discardDraft,
    start: (flowId, input, opts = {}) => gate.start(flowId, input, opts),
    handle: runs.handle,
    subscribe: listeners.subscribe,
    signal: runs.signal,
    cancel: runs.cancel,
    async emit(event, payload) {
      const woken = await runs.wakeWaiters(event, payload);
      const started = await triggers.startMatching(event, payload);
      return { started, woken };
    },
    listRuns: (query) => runStore.listRuns(query),
    async getRun(runId) {
      const state = await runs.state(runId);
      return state ? toRunView(state) : undefined;
    },
    listWaiting: (query) => runStore.listWaiting(query),
    rerun: testRuns.rerun,
    replay: testRuns.replay,
    metrics: createMetrics(runStore),
    async recover() {
      // Schedules of the active flows come back with the engine (catching up per trigger).
      await triggers.armSchedules();
      return runs.recover();
    },
    work: (options) => runs.work(options),
    async close() {
      triggers.close();
      runs.close();
    },
  };
}
