import { expose, type Endpoint } from 'comlink';
import {
  isMillraceError,
  MillraceError,
  type MillraceErrorData,
} from '../errors/millrace-error.ts';
import type { Engine, RunListener } from '../runtime/engine.ts';

/** A call's outcome as it crosses the Worker boundary: errors travel as data, with their code. */
export type Remote<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: MillraceErrorData };

async function settle<T>(fn: () => Promise<T> | T): Promise<Remote<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    const error = isMillraceError(err)
      ? err instanceof MillraceError
        ? err.toJSON()
        : (err as unknown as MillraceErrorData)
      : {
          name: 'Error',
          code: 'E_INTERNAL' as const,
          message: err instanceof Error ? err.message : String(err),
        };
    return { ok: false, error };
  }
}

/** What `exposeEngine` puts on the wire (internal: `connectEngine` is the client). */
export function engineApi(engine: Engine) {
  const subscriptions = new Map<number, () => void>();
  let next = 1;
  return {
    deploy: (
      definition: Parameters<Engine['deploy']>[0],
      options?: Parameters<Engine['deploy']>[1],
    ) => settle(() => engine.deploy(definition, options)),
    getFlow: (id: string, version?: number) => settle(() => engine.getFlow(id, version)),
    listFlows: (query?: Parameters<Engine['listFlows']>[0]) =>
      settle(() => engine.listFlows(query)),
    activate: (flowId: string) => settle(() => engine.activate(flowId)),
    deactivate: (flowId: string) => settle(() => engine.deactivate(flowId)),
    deleteFlow: (flowId: string) => settle(() => engine.deleteFlow(flowId)),
    setAlias: (flowId: string, name: string, target: Parameters<Engine['setAlias']>[2]) =>
      settle(() => engine.setAlias(flowId, name, target)),
    removeAlias: (flowId: string, name: string) => settle(() => engine.removeAlias(flowId, name)),
    saveDraft: (definition: Parameters<Engine['saveDraft']>[0]) =>
      settle(() => engine.saveDraft(definition)),
    getDraft: (id: string) => settle(() => engine.getDraft(id)),
    discardDraft: (id: string) => settle(() => engine.discardDraft(id)),
    start: (flowId: string, input?: unknown, options?: Parameters<Engine['start']>[2]) =>
      settle(async () => {
        const handle = await engine.start(flowId, input, options);
        return { id: handle.id, flowId: handle.flowId, version: handle.version };
      }),
    result: (runId: string) => settle(async () => (await engine.handle(runId)).result()),
    subscribe: (runId: string, listener: RunListener) => {
      const id = next++;
      subscriptions.set(
        id,
        engine.subscribe(runId, (event) => void listener(event)),
      );
      return id;
    },
    unsubscribe: (id: number) => {
      subscriptions.get(id)?.();
      subscriptions.delete(id);
    },
    signal: (token: string, payload?: unknown) => settle(() => engine.signal(token, payload)),
    cancel: (runId: string, reason?: string) => settle(() => engine.cancel(runId, reason)),
    emit: (event: string, payload?: unknown) => settle(() => engine.emit(event, payload)),
    listRuns: (query?: Parameters<Engine['listRuns']>[0]) => settle(() => engine.listRuns(query)),
    getRun: (runId: string) => settle(() => engine.getRun(runId)),
    listWaiting: (query?: Parameters<Engine['listWaiting']>[0]) =>
      settle(() => engine.listWaiting(query)),
    rerun: (runId: string, options: Parameters<Engine['rerun']>[1]) =>
      settle(async () => {
        const handle = await engine.rerun(runId, options);
        return { id: handle.id, flowId: handle.flowId, version: handle.version };
      }),
    replay: (runId: string, options?: Parameters<Engine['replay']>[1]) =>
      settle(() => engine.replay(runId, options)),
    metrics: (flowId: string, options?: Parameters<Engine['metrics']>[1]) =>
      settle(() => engine.metrics(flowId, options)),
    recover: () => settle(() => engine.recover()),
  };
}

export type EngineApi = ReturnType<typeof engineApi>;

/**
 * Serves an engine to the page from inside a Worker (DESIGN §5), through comlink. Call it at
 * the top of the worker module, before any `await`: messages that arrive before comlink
 * listens are lost.
 *
 * @example
 * // engine-worker.ts
 * exposeEngine(createEngine({ actions }));
 */
export function exposeEngine(engine: Engine, endpoint?: Endpoint): void {
  expose(engineApi(engine), endpoint);
}
