import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createWebhookDedupe,
  hasErrors,
  validateFlow,
  type ActionCatalog,
  type Engine,
  type FlowDefinition,
  type FlowListingStatus,
  type RunStatus,
  type RunStore,
  type VerifyWebhookOptions,
  type WebhookDedupe,
} from '@millrace/engine';
import type { OperationId, RouteSpec } from '../api/route-table.ts';
import { openApiDocument } from '../api/openapi.ts';
import { httpError, toHttpError } from './http-error.ts';
import { checkBasePath, matchRoute, stripBasePath } from './match-route.ts';
import { isJsonContentType, parseJson, takeBody } from './read-body.ts';
import { receiveWebhook } from './receive-webhook.ts';
import { streamRunEvents } from './run-event-stream.ts';
import { checkBody, parseQuery, type QueryValues } from './validate-request.ts';

/** What `auth` says about a caller: any fields; `tenant` restricts it to that tenant. */
export interface HttpPrincipal {
  readonly tenant?: string;
  readonly [key: string]: unknown;
}

type MaybePromise<T> = T | Promise<T>;

export interface HttpHandlerLimits {
  /** Largest request body, bytes (413 past it). Default 1 MiB. */
  readonly bodyBytes?: number;
  /** SSE heartbeat interval, ms. Default 15 s. */
  readonly heartbeatMs?: number;
}

export interface HttpHandlerOptions {
  /**
   * Checks a request's credentials (e.g. `Authorization: Bearer ...`): a principal (or true)
   * lets it in, false/undefined answers 401, a thrown MillraceError E_HTTP_FORBIDDEN answers
   * 403. Required: an open server says so with `auth: () => true`.
   */
  readonly auth: (req: IncomingMessage) => MaybePromise<HttpPrincipal | boolean | undefined | null>;
  /**
   * The caller's tenant (e.g. from a header); default the principal's `tenant`, else `default`.
   * A principal with a `tenant` may only name that tenant (403 otherwise).
   */
  readonly tenantOf?: (
    req: IncomingMessage,
    principal: HttpPrincipal,
  ) => MaybePromise<string | undefined>;
  readonly limits?: HttpHandlerLimits;
  /**
   * Where the API is mounted when requests reach the handler with their full path, e.g. `/api`:
   * Fastify (`request.raw`) and Hono (`c.env.incoming`) pass it on; Express's `app.use('/api', …)`
   * strips it itself, so leave it out there. A path outside it answers 404. Default none.
   */
  readonly basePath?: string;
  /**
   * The run store of a tenant's engine (e.g. `(t) => store.forTenant(t)`): the stored events of
   * `GET /runs/:id/events` (the Engine API has no event read), so streams resume; and where
   * webhook deliveries are claimed (`createWebhookDedupe({ store })`), atomically with the
   * store's `claimOnce`, so several servers on one database accept a delivery once.
   */
  readonly store?: (
    tenant: string,
  ) => MaybePromise<Pick<RunStore, 'readEvents' | 'getCache' | 'putCache' | 'claimOnce'>>;
  /**
   * The stored events only (when there is no `store` to give). Without either, the stream
   * carries live events only and cannot resume.
   */
  readonly events?: (tenant: string) => MaybePromise<Pick<RunStore, 'readEvents'>>;
  /** The host actions of a tenant's engine, for `POST /validate`. */
  readonly catalog?: ActionCatalog | ((tenant: string) => MaybePromise<ActionCatalog>);
  readonly webhooks?: {
    /** The secrets the tenant's engine has (resolves triggers' `$<secrets.NAME>`). */
    readonly secrets?: (tenant: string) => NonNullable<VerifyWebhookOptions['secrets']>;
    /**
     * Accepted deliveries. Default: claimed in `store` (shared by every process on it, for
     * `ttlMs`), else in memory per tenant (this process only).
     */
    readonly dedupe?: (tenant: string) => WebhookDedupe;
    /** How long an accepted delivery is remembered, ms (createWebhookDedupe's). Default 24 h. */
    readonly ttlMs?: number;
    readonly toleranceMs?: number;
  };
  /** The receiver's clock for webhook timestamps (ms since the epoch). Default Date.now. */
  readonly now?: () => number;
  /** Sees every 500 answer's error (the answer itself says nothing of it). */
  readonly onError?: (error: unknown, req: IncomingMessage) => void;
}

/**
 * A node:http request listener: also mounts in Express (`app.use('/api', handler)`), Fastify
 * (`reply.hijack()`, `request.raw`, `reply.raw`) and Hono's node adapter (`c.env.incoming`,
 * `c.env.outgoing`); README "Mount in Express / Fastify / Hono".
 */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

interface Call {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly engine: Engine;
  readonly tenant: string;
  readonly params: Record<string, string>;
  readonly query: QueryValues;
  readonly body: unknown;
  readonly raw: Buffer;
}

/** What an operation answers: a status and a JSON body, or `streamed` when it wrote itself. */
type Answer = { readonly status: number; readonly body?: unknown } | 'streamed';

const DEFAULT_BODY_BYTES = 1024 * 1024;

/**
 * The Millrace HTTP API as a plain `(req, res)` handler (README "HTTP API"; the routes are in
 * api/route-table.ts and `GET /openapi.json`). `engine` is one Engine, or one per tenant.
 *
 * @example
 * const store = await openPostgresStore({ dataDir: './data' });
 * const engines = new Map<string, Engine>();
 * const engineOf = (t: string) => engines.get(t) ?? engines.set(t, createEngine({ store: store.forTenant(t) })).get(t)!;
 * const handler = createHttpHandler(engineOf, {
 *   auth: (req) => (req.headers.authorization === `Bearer ${token}` ? { tenant: 'acme' } : false),
 *   events: (t) => store.forTenant(t),
 * });
 * http.createServer(handler).listen(8787, '127.0.0.1');
 */
export function createHttpHandler(
  engine: Engine | ((tenant: string) => MaybePromise<Engine>),
  options: HttpHandlerOptions,
): HttpHandler {
  const bodyLimit = options.limits?.bodyBytes ?? DEFAULT_BODY_BYTES;
  const heartbeatMs = options.limits?.heartbeatMs ?? 15_000;
  const now = options.now ?? (() => Date.now());
  const basePath = checkBasePath(options.basePath);
  const storeOf = options.store;
  const eventsOf = storeOf ?? options.events;
  const engineOf = (tenant: string): MaybePromise<Engine> =>
    typeof engine === 'function' ? engine(tenant) : engine;
  const ttl = options.webhooks?.ttlMs === undefined ? {} : { ttlMs: options.webhooks.ttlMs };
  const dedupes = new Map<string, WebhookDedupe>();
  const dedupeOf =
    options.webhooks?.dedupe ??
    (storeOf
      ? (tenant: string): WebhookDedupe => ({
          // Nothing kept here: the store holds the claims (a fresh dedupe per call is free).
          claim: async (key, at) =>
            createWebhookDedupe({ store: await storeOf(tenant), ...ttl }).claim(key, at),
        })
      : (tenant: string): WebhookDedupe => {
          let d = dedupes.get(tenant);
          if (!d) dedupes.set(tenant, (d = createWebhookDedupe(ttl)));
          return d;
        });
  let document: string | undefined;

  const operations: Record<OperationId, (call: Call) => Promise<Answer>> = {
    getOpenApi: async () => ({ status: 200, body: openApiDocument() }),
    listFlows: async ({ engine, query }) => {
      const status = query['status'] as FlowListingStatus[] | undefined;
      return { status: 200, body: { flows: await engine.listFlows(status ? { status } : {}) } };
    },
    deployFlow: async ({ engine, body }) => {
      const { definition, activate } = body as { definition: FlowDefinition; activate?: boolean };
      const stored = await engine.deploy(definition, activate === undefined ? {} : { activate });
      return { status: 201, body: stored };
    },
    validateFlow: async ({ tenant, body }) => {
      const catalog =
        typeof options.catalog === 'function' ? await options.catalog(tenant) : options.catalog;
      const diagnostics = validateFlow(body, catalog ? { catalog } : {});
      return { status: 200, body: { valid: !hasErrors(diagnostics), diagnostics } };
    },
    getFlow: async ({ engine, params, query }) => {
      const version = query['version'] as number | undefined;
      const stored = await engine.getFlow(params['id']!, version);
      if (!stored) {
        throw httpError(
          version === undefined ? 'E_FLOW_NOT_FOUND' : 'E_FLOW_VERSION_NOT_FOUND',
          version === undefined
            ? `No flow "${params['id']}" is deployed in this tenant.`
            : `Flow "${params['id']}" has no version ${version} in this tenant.`,
        );
      }
      return { status: 200, body: stored };
    },
    deleteFlow: async ({ engine, params }) => {
      await engine.deleteFlow(params['id']!);
      return { status: 204 };
    },
    listVersions: async ({ engine, params }) => {
      // The Engine has no listVersions: versions are numbered 1..latest, read one by one.
      const id = params['id']!;
      const latest = await engine.getFlow(id);
      if (!latest)
        throw httpError('E_FLOW_NOT_FOUND', `No flow "${id}" is deployed in this tenant.`);
      const versions: { version: number; deployedAt: number }[] = [];
      for (let v = 1; v <= latest.version; v++) {
        const stored = v === latest.version ? latest : await engine.getFlow(id, v);
        if (stored) versions.push({ version: stored.version, deployedAt: stored.deployedAt });
      }
      return { status: 200, body: { id, versions } };
    },
    activateFlow: async ({ engine, params }) => {
      await engine.activate(params['id']!);
      return { status: 204 };
    },
    deactivateFlow: async ({ engine, params }) => {
      await engine.deactivate(params['id']!);
      return { status: 204 };
    },
    getMetrics: async ({ engine, params, query }) => {
      const since = query['since'] as number | undefined;
      return {
        status: 200,
        body: await engine.metrics(params['id']!, since === undefined ? {} : { since }),
      };
    },
    getDraft: async ({ engine, params }) => {
      const draft = await engine.getDraft(params['id']!);
      if (!draft)
        throw httpError('E_FLOW_NOT_FOUND', `Flow "${params['id']}" has no draft in this tenant.`);
      return { status: 200, body: draft };
    },
    saveDraft: async ({ engine, params, body }) => {
      const definition = body as FlowDefinition;
      if (definition.id !== params['id']) {
        throw httpError(
          'E_INVALID_ARGUMENT',
          `The draft's id is "${definition.id}" but the path names "${params['id']}"; they must be the same.`,
          '/body/id',
        );
      }
      return { status: 200, body: await engine.saveDraft(definition) };
    },
    discardDraft: async ({ engine, params }) => {
      await engine.discardDraft(params['id']!);
      return { status: 204 };
    },
    startRun: async ({ engine, params, body }) => {
      const b = (body ?? {}) as {
        input?: unknown;
        version?: number;
        alias?: string;
        runId?: string;
        mocks?: Record<string, unknown>;
        pinned?: Record<string, unknown>;
      };
      const run = await engine.start(params['id']!, b.input, {
        trigger: { kind: 'api' },
        ...(b.version === undefined ? {} : { version: b.version }),
        ...(b.alias === undefined ? {} : { alias: b.alias }),
        ...(b.runId === undefined ? {} : { runId: b.runId }),
        ...(b.mocks === undefined ? {} : { mocks: b.mocks }),
        ...(b.pinned === undefined ? {} : { pinned: b.pinned }),
      });
      return { status: 201, body: { runId: run.id, flowId: run.flowId, version: run.version } };
    },
    listRuns: async ({ engine, query }) => {
      const limit = (query['limit'] as number | undefined) ?? 50;
      const before = query['before'] as string | undefined;
      if (before !== undefined && !/^\d+$/.test(before)) {
        throw httpError(
          'E_INVALID_ARGUMENT',
          `"before" is "${before}"; pass the "next" of the previous page.`,
          '/query/before',
        );
      }
      const status = query['status'] as RunStatus[] | undefined;
      const runs = await engine.listRuns({
        limit,
        ...(query['flow'] === undefined ? {} : { flowId: query['flow'] as string }),
        ...(status ? { status } : {}),
        ...(before === undefined ? {} : { before: Number(before) }),
        ...(query['since'] === undefined ? {} : { since: query['since'] as number }),
      });
      const last = runs[runs.length - 1];
      // The cursor is the creation time of the page's oldest run (RunQuery.before).
      const next = runs.length === limit && last ? String(last.createdAt) : undefined;
      return { status: 200, body: next === undefined ? { runs } : { runs, next } };
    },
    listWaiting: async ({ engine, query }) => {
      const flowId = query['flow'] as string | undefined;
      return {
        status: 200,
        body: { waiting: await engine.listWaiting(flowId === undefined ? {} : { flowId }) },
      };
    },
    getRun: async ({ engine, params }) => {
      const view = await engine.getRun(params['id']!);
      if (!view) throw httpError('E_RUN_NOT_FOUND', `No run "${params['id']}" in this tenant.`);
      return { status: 200, body: view };
    },
    replayRun: async ({ engine, params, query }) => {
      const untilSeq = query['untilSeq'] as number | undefined;
      if (!(await engine.getRun(params['id']!))) {
        throw httpError('E_RUN_NOT_FOUND', `No run "${params['id']}" in this tenant.`);
      }
      return {
        status: 200,
        body: await engine.replay(params['id']!, untilSeq === undefined ? {} : { untilSeq }),
      };
    },
    cancelRun: async ({ engine, params, body }) => {
      const view = await engine.getRun(params['id']!);
      if (!view) throw httpError('E_RUN_NOT_FOUND', `No run "${params['id']}" in this tenant.`);
      await engine.cancel(params['id']!, (body as { reason?: string } | undefined)?.reason);
      return {
        status: 202,
        body: { runId: view.runId, flowId: view.flowId, version: view.flowVersion },
      };
    },
    rerunRun: async ({ engine, params, body }) => {
      if (!(await engine.getRun(params['id']!))) {
        throw httpError('E_RUN_NOT_FOUND', `No run "${params['id']}" in this tenant.`);
      }
      const run = await engine.rerun(params['id']!, body as { fromNode: string });
      return { status: 201, body: { runId: run.id, flowId: run.flowId, version: run.version } };
    },
    runEvents: async ({ req, res, engine, tenant, params }) => {
      await streamRunEvents(req, res, engine, params['id']!, {
        heartbeatMs,
        ...(eventsOf ? { events: await eventsOf(tenant) } : {}),
      });
      return 'streamed';
    },
    signal: async ({ engine, params, body }) => {
      await engine.signal(params['token']!, body);
      return { status: 204 };
    },
    receiveWebhook: async ({ engine, tenant, params, raw, body, req }) => {
      const accepted = await receiveWebhook(
        engine,
        tenant,
        params['path']!,
        raw,
        body,
        req.headers,
        {
          dedupe: dedupeOf,
          now,
          ...(options.webhooks?.secrets ? { secrets: options.webhooks.secrets } : {}),
          ...(options.webhooks?.toleranceMs === undefined
            ? {}
            : { toleranceMs: options.webhooks.toleranceMs }),
        },
      );
      return { status: 202, body: accepted };
    },
  };

  async function authenticate(req: IncomingMessage): Promise<string> {
    const principal = await options.auth(req);
    if (!principal) {
      throw httpError(
        'E_HTTP_UNAUTHORIZED',
        'This request has no valid credentials; send Authorization: Bearer <token>.',
      );
    }
    const p: HttpPrincipal = principal === true ? {} : principal;
    const tenant = (await options.tenantOf?.(req, p)) ?? p.tenant ?? 'default';
    if (p.tenant !== undefined && tenant !== p.tenant) {
      throw httpError(
        'E_HTTP_FORBIDDEN',
        `These credentials are not allowed for tenant "${tenant}".`,
      );
    }
    return tenant;
  }

  async function readJson(
    req: IncomingMessage,
    route: RouteSpec,
  ): Promise<{ raw: Buffer; body: unknown }> {
    const spec = route.body;
    if (!spec) return { raw: Buffer.alloc(0), body: undefined };
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody && !spec.required) return { raw: Buffer.alloc(0), body: undefined };
    if (!isJsonContentType(req.headers['content-type'])) {
      throw httpError(
        'E_HTTP_CONTENT_TYPE',
        `The body's Content-Type is ${JSON.stringify(req.headers['content-type'] ?? 'missing')}; send application/json.`,
        '/headers/content-type',
      );
    }
    const taken = await takeBody(req, bodyLimit, route.security === 'signature');
    if (taken.raw === undefined) {
      checkBody(taken.parsed, spec.schema);
      return { raw: Buffer.alloc(0), body: taken.parsed };
    }
    const raw = taken.raw;
    if (raw.length === 0 && !spec.required) return { raw, body: undefined };
    const body = parseJson(raw);
    checkBody(body, spec.schema);
    return { raw, body };
  }

  function send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (body === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    const text = body === document ? (body as string) : JSON.stringify(body);
    res
      .writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        ...headers,
      })
      .end(text);
  }

  return async function handler(req, res) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    try {
      const routed = stripBasePath(path, basePath);
      const match =
        routed === undefined ? { kind: 'none' as const } : matchRoute(req.method ?? 'GET', routed);
      if (match.kind === 'none') {
        throw httpError(
          'E_HTTP_NOT_FOUND',
          `No route ${req.method} ${path}; see GET /openapi.json.`,
        );
      }
      if (match.kind === 'method') {
        const allow = match.allow.join(', ');
        send(
          res,
          405,
          {
            code: 'E_HTTP_METHOD_NOT_ALLOWED',
            message: `${path} answers ${allow}, not ${req.method}.`,
            path,
          },
          { allow },
        );
        return;
      }
      const { route, params } = match;
      if (route.operationId === 'getOpenApi') {
        document ??= JSON.stringify(openApiDocument());
        send(res, 200, document);
        return;
      }
      const tenant = route.security === 'signature' ? params['tenant']! : await authenticate(req);
      const query = parseQuery(route, url.searchParams);
      const { raw, body } = await readJson(req, route);
      const call: Call = {
        req,
        res,
        engine: await engineOf(tenant),
        tenant,
        params,
        query,
        body,
        raw,
      };
      const answer = await operations[route.operationId as OperationId](call);
      if (answer !== 'streamed') send(res, answer.status, answer.body);
    } catch (error) {
      const answer = toHttpError(error, path);
      if (answer.status === 500) options.onError?.(error, req);
      const headers: Record<string, string> =
        answer.status === 401 && answer.body.code === 'E_HTTP_UNAUTHORIZED'
          ? { 'www-authenticate': 'Bearer' }
          : answer.status === 503
            ? { 'retry-after': '1' }
            : {};
      send(res, answer.status, answer.body, headers);
    }
  };
}
