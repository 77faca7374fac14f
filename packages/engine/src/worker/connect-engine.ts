import { proxy, wrap, type Endpoint } from 'comlink';
import { MillraceError } from '../errors/millrace-error.ts';
import type { Engine, RunHandle } from '../runtime/engine.ts';
import type { EngineApi, Remote } from './expose-engine.ts';

function unwrap<T>(remote: Remote<T>): T {
  if (remote.ok) return remote.value;
  throw MillraceError.fromJSON(remote.error);
}

/**
 * The page side of an engine that runs in a Worker: the same `Engine` interface as
 * `createEngine`, every call asynchronous, errors rebuilt as MillraceErrors with their codes.
 *
 * @example
 * const engine = connectEngine(new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module' }));
 * const run = await engine.start('expense-approval', { amount: 120 });
 */
export function connectEngine(worker: Endpoint): Engine {
  const api = wrap<EngineApi>(worker);
  const call = async <T>(p: Promise<Remote<T>>): Promise<T> => unwrap(await p);
  const handle = (h: { id: string; flowId: string; version: number }): RunHandle => ({
    ...h,
    result: () => call(api.result(h.id)),
  });
  return {
    deploy: (definition, options) => call(api.deploy(definition, options)),
    getFlow: (id, version) => call(api.getFlow(id, version)),
    listFlows: (query) => call(api.listFlows(query)),
    activate: (flowId) => call(api.activate(flowId)),
    deactivate: (flowId) => call(api.deactivate(flowId)),
    deleteFlow: (flowId) => call(api.deleteFlow(flowId)),
    setAlias: (flowId, name, target) => call(api.setAlias(flowId, name, target)),
    removeAlias: (flowId, name) => call(api.removeAlias(flowId, name)),
    saveDraft: (definition) => call(api.saveDraft(definition)),
    getDraft: (id) => call(api.getDraft(id)),
    discardDraft: (id) => call(api.discardDraft(id)),
    start: async (flowId, input, options) => handle(await call(api.start(flowId, input, options))),
    handle: async (runId) => {
      const run = await call(api.getRun(runId));
      if (!run) throw new MillraceError('E_RUN_NOT_FOUND', `No run "${runId}" in the store.`);
      return handle({ id: run.runId, flowId: run.flowId, version: run.flowVersion });
    },
    subscribe(runId, listener) {
      const id = api.subscribe(runId, proxy(listener));
      return () => void id.then((n) => api.unsubscribe(n));
    },
    signal: (token, payload) => call(api.signal(token, payload)),
    cancel: (runId, reason) => call(api.cancel(runId, reason)),
    emit: (event, payload) => call(api.emit(event, payload)),
    listRuns: (query) => call(api.listRuns(query)),
    getRun: (runId) => call(api.getRun(runId)),
    listWaiting: (query) => call(api.listWaiting(query)),
    rerun: async (runId, options) => handle(await call(api.rerun(runId, options))),
    replay: (runId, options) => call(api.replay(runId, options)),
    metrics: (flowId, options) => call(api.metrics(flowId, options)),
    recover: () => call(api.recover()),
    work: () => {
      // The loop belongs where the engine and its store are: inside the worker.
      throw new MillraceError(
        'E_NOT_SUPPORTED',
        'work() runs where the engine runs: call it on the engine inside the worker (createEngine there).',
      );
    },
    close: async () => {
      (worker as { terminate?: () => void }).terminate?.();
    },
  };
}
