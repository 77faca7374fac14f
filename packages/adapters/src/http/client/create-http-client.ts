import {
  isFinished,
  MillraceError,
  RunError,
  type DeployOptions,
  type Engine,
  type FlowDefinition,
  type FlowListing,
  type FlowMetrics,
  type FlowStore,
  type FlowSummary,
  type ListFlowsQuery,
  type MillraceErrorData,
  type RunEvent,
  type RunHandle,
  type RunListener,
  type RunQuery,
  type RunSummary,
  type RunView,
  type StartOptions,
  type StoredDraft,
  type StoredFlow,
  type WaitingEntry,
} from '@millrace/engine';
import { readEventStream } from './read-event-stream.ts';

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpClientOptions {
  /** The API's base URL, e.g. `https://millrace.example.com/api` (no trailing slash needed). */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Sent in `tenantHeader` when the server reads the tenant from a header. */
  readonly tenant?: string;
  /** Default `x-tenant`. */
  readonly tenantHeader?: string;
  /** The platform's fetch by default. */
  readonly fetch?: FetchFn;
  /** Wait before re-opening a dropped event stream, ms (default 1 s). */
  readonly reconnectMs?: number;
}

/** An Engine over HTTP, and the FlowStore of the same server (`flowStore`). */
export interface HttpClient extends Engine {
  /**
   * The server's flows as a FlowStore (saveFlow deploys). A separate object: FlowStore and
   * Engine both have `listFlows`, with different answers (summaries of deployed flows vs
   * listings with drafts and status).
   */
  readonly flowStore: FlowStore;
}

const notSupported = (method: string, why: string): MillraceError =>
  new MillraceError('E_NOT_SUPPORTED', `engine.${method} does not work over HTTP: ${why}`);

/**
 * A remote engine: the host API (`Engine`) against a server running createHttpHandler, so a
 * page switches between a local engine and a remote one with one line. Errors arrive as the
 * server's MillraceError (same code, message and path); a run's failure as a RunError.
 * Live events (subscribe, result) stream over SSE through fetch and resume after a dropped
 * connection from the last event received.
 *
 * @example
 * const engine = remote
 *   ? createHttpClient({ baseUrl: '/api', token })
 *   : createEngine({ store: await createIndexedDbStore() });
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch: FetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const reconnectMs = options.reconnectMs ?? 1000;
  const streams = new Set<AbortController>();
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    ...(options.tenant === undefined
      ? {}
      : { [options.tenantHeader ?? 'x-tenant']: options.tenant }),
    ...extra,
  });
  const enc = encodeURIComponent;

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await doFetch(base + path, {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const data: unknown = text === '' ? undefined : JSON.parse(text);
    if (!res.ok) throw errorFrom(res.status, data);
    return data as T;
  }
  /** undefined for a 404 (an unknown flow or run reads as absent, as on a local engine). */
  async function maybe<T>(path: string): Promise<T | undefined> {
    try {
      return await request<T>('GET', path);
    } catch (error) {
      if (error instanceof MillraceError && error.details?.['status'] === 404) return undefined;
      throw error;
    }
  }

  function subscribe(runId: string, listener: RunListener, onEnd?: () => void): () => void {
    const abort = new AbortController();
    streams.add(abort);
    let last: string | undefined;
    let ended = false;
    const stop = (): void => {
      abort.abort();
      streams.delete(abort);
    };
    void (async () => {
      while (!abort.signal.aborted && !ended) {
        try {
          const res = await doFetch(`${base}/runs/${enc(runId)}/events`, {
            headers: headers({
              accept: 'text/event-stream',
              ...(last === undefined ? {} : { 'last-event-id': last }),
            }),
            signal: abort.signal,
          });
          if (!res.ok || !res.body) {
            if (res.status === 401 || res.status === 403) break;
            // A run not (yet) there: a local engine's subscribe waits for it too, so a caller
            // may subscribe and then start the run with that runId; ask again after the pause.
            if (res.status === 404 && last !== undefined) break;
            throw new Error(`status ${res.status}`);
          }
          await readEventStream(res.body, (message) => {
            if (message.event === 'end') {
              ended = true;
              return;
            }
            if (message.id !== undefined) last = message.id;
            listener(JSON.parse(message.data) as RunEvent);
          });
        } catch {
          if (abort.signal.aborted) break;
        }
        if (!ended && !abort.signal.aborted) {
          await new Promise((resolve) => setTimeout(resolve, reconnectMs));
        }
      }
      streams.delete(abort);
      if (ended) onEnd?.();
    })();
    return stop;
  }

  function handleOf(run: { runId: string; flowId: string; version: number }): RunHandle {
    let settled: Promise<unknown> | undefined;
    return {
      id: run.runId,
      flowId: run.flowId,
      version: run.version,
      result() {
        settled ??= (async () => {
          let view = await engine.getRun(run.runId);
          if (view && !isFinished(view.status)) {
            await new Promise<void>((resolve) => subscribe(run.runId, () => undefined, resolve));
            view = await engine.getRun(run.runId);
          }
          if (!view) throw new MillraceError('E_RUN_NOT_FOUND', `No run "${run.runId}".`);
          if (view.status === 'succeeded') return view.output;
          throw new RunError(
            run.runId,
            view.error ?? { code: 'E_RUN_CANCELLED', message: `The run is ${view.status}.` },
            view.output,
          );
        })();
        return settled;
      },
    };
  }

  const engine: HttpClient = {
    deploy: (definition, deployOptions: DeployOptions = {}) =>
      request<StoredFlow>('POST', '/flows', { definition, ...deployOptions }),
    getFlow: (id, version) =>
      maybe<StoredFlow>(`/flows/${enc(id)}${version === undefined ? '' : `?version=${version}`}`),
    async listFlows(query: ListFlowsQuery = {}) {
      const status = query.status === undefined ? '' : `?status=${[query.status].flat().join(',')}`;
      return (await request<{ flows: FlowListing[] }>('GET', `/flows${status}`)).flows;
    },
    activate: (id) => request<void>('POST', `/flows/${enc(id)}/activate`),
    deactivate: (id) => request<void>('POST', `/flows/${enc(id)}/deactivate`),
    deleteFlow: (id) => request<void>('DELETE', `/flows/${enc(id)}`),
    setAlias: () => Promise.reject(notSupported('setAlias', 'the API has no alias routes yet.')),
    removeAlias: () =>
      Promise.reject(notSupported('removeAlias', 'the API has no alias routes yet.')),
    saveDraft: (definition: FlowDefinition) =>
      request<StoredDraft>('PUT', `/flows/${enc(definition.id)}/draft`, definition),
    getDraft: (id) => maybe<StoredDraft>(`/flows/${enc(id)}/draft`),
    discardDraft: (id) => request<void>('DELETE', `/flows/${enc(id)}/draft`),
    async start(flowId, input, startOptions: StartOptions = {}) {
      if (startOptions.trigger !== undefined) {
        throw notSupported('start', 'a remote start is always an api start; leave out trigger.');
      }
      const started = await request<{ runId: string; flowId: string; version: number }>(
        'POST',
        `/flows/${enc(flowId)}/runs`,
        { ...(input === undefined ? {} : { input }), ...startOptions },
      );
      return handleOf(started);
    },
    async handle(runId) {
      const view = await engine.getRun(runId);
      if (!view) throw new MillraceError('E_RUN_NOT_FOUND', `No run "${runId}" on the server.`);
      return handleOf({ runId, flowId: view.flowId, version: view.flowVersion });
    },
    subscribe: (runId, listener) => subscribe(runId, listener),
    signal: (token, payload) => request<void>('POST', `/signals/${enc(token)}`, payload ?? {}),
    async cancel(runId, reason) {
      await request('POST', `/runs/${enc(runId)}/cancel`, reason === undefined ? {} : { reason });
    },
    emit: () => Promise.reject(notSupported('emit', 'events are delivered on the server.')),
    async listRuns(query: RunQuery = {}) {
      const params = new URLSearchParams();
      if (query.flowId !== undefined) params.set('flow', query.flowId);
      if (query.status !== undefined) params.set('status', [query.status].flat().join(','));
      if (query.limit !== undefined) params.set('limit', String(query.limit));
      if (query.before !== undefined) params.set('before', String(query.before));
      if (query.since !== undefined) params.set('since', String(query.since));
      const q = params.size > 0 ? `?${params}` : '';
      return (await request<{ runs: RunSummary[] }>('GET', `/runs${q}`)).runs;
    },
    getRun: (runId) => maybe<RunView>(`/runs/${enc(runId)}`),
    async listWaiting(query = {}) {
      const q = query.flowId === undefined ? '' : `?flow=${enc(query.flowId)}`;
      return (await request<{ waiting: WaitingEntry[] }>('GET', `/waiting${q}`)).waiting;
    },
    work: () => {
      throw notSupported('work', 'a remote engine does its own work; run `work()` on the server.');
    },
    recover: () =>
      Promise.reject(notSupported('recover', 'the server recovers its own runs on start.')),
    async rerun(runId, rerunOptions) {
      return handleOf(
        await request('POST', `/runs/${enc(runId)}/rerun`, { fromNode: rerunOptions.fromNode }),
      );
    },
    replay: (runId, replayOptions = {}) =>
      request<RunView>(
        'GET',
        `/runs/${enc(runId)}/replay${replayOptions.untilSeq === undefined ? '' : `?untilSeq=${replayOptions.untilSeq}`}`,
      ),
    metrics: (flowId, metricsOptions = {}) =>
      request<FlowMetrics>(
        'GET',
        `/flows/${enc(flowId)}/metrics${metricsOptions.since === undefined ? '' : `?since=${metricsOptions.since}`}`,
      ),
    async close() {
      for (const stream of streams) stream.abort();
      streams.clear();
    },
    flowStore: {
      saveFlow: (definition) => engine.deploy(definition),
      getFlow: (id, version) => engine.getFlow(id, version),
      async listFlows(): Promise<FlowSummary[]> {
        return (await engine.listFlows())
          .filter((f) => f.latestVersion > 0)
          .map((f) => ({
            id: f.id,
            ...(f.name === undefined ? {} : { name: f.name }),
            latestVersion: f.latestVersion,
            deployedAt: f.deployedAt ?? 0,
          }));
      },
      async listVersions(id) {
        const found = await maybe<{ versions: { version: number }[] }>(
          `/flows/${enc(id)}/versions`,
        );
        return found?.versions.map((v) => v.version) ?? [];
      },
      saveDraft: (definition) => engine.saveDraft(definition),
      getDraft: (id) => engine.getDraft(id),
      deleteDraft: (id) => engine.discardDraft(id),
    },
  };
  return engine;
}

/** The server's error answer as a MillraceError (its status in details.status). */
function errorFrom(status: number, data: unknown): MillraceError {
  const body = (data ?? {}) as Partial<MillraceErrorData> & { details?: Record<string, unknown> };
  const known = typeof body.code === 'string' && body.code.startsWith('E_');
  return MillraceError.fromJSON({
    name: 'MillraceError',
    code: (known ? body.code : 'E_INTERNAL') as MillraceErrorData['code'],
    message: typeof body.message === 'string' ? body.message : `The server answered ${status}.`,
    ...(typeof body.path === 'string' ? { path: body.path } : {}),
    details: { ...body.details, status },
  });
}
