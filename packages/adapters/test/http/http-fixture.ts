import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, type Engine, type FlowDefinition } from '@millrace/engine';
import { createHttpHandler, type HttpHandlerOptions } from '@millrace/adapters/http/server';

// A real node:http server on 127.0.0.1 (port 0) in front of one engine per tenant over one
// store's tenant views; bearer tokens name the tenant (`token-acme` is tenant acme).

export const SECRET = 'whsec-test';

/** Three nodes: a transform, a host action, a transform. */
export const CHAIN: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'chain',
  input: {
    type: 'object',
    properties: { n: { type: 'number' } },
  },
  nodes: [
    { id: 'a', type: 'transform', input: { n: '$<flow.input.n>' } },
    { id: 'b', type: 'double', input: { n: '$<nodes.a.output.n>' } },
    { id: 'c', type: 'transform', input: { result: '$<nodes.b.output.n>' } },
  ],
  edges: [
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
  ],
  output: '$<nodes.c.output>',
  triggers: [{ id: 'hook', kind: 'webhook', path: 'orders', secret: '$<secrets.HOOK>' }],
} as unknown as FlowDefinition;

/** An approval between two transforms. */
export const APPROVAL: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'expense',
  nodes: [
    { id: 'ask', type: 'approval', input: { approvers: ['finance'] } },
    { id: 'yes', type: 'transform', input: { ok: true, by: '$<nodes.ask.output.by>' } },
  ],
  edges: [{ from: 'ask', port: 'approved', to: 'yes' }],
  output: '$<nodes.yes.output>',
} as unknown as FlowDefinition;

export interface Fixture {
  readonly url: string;
  readonly server: Server;
  engineOf(tenant: string): Engine;
  close(): Promise<void>;
}

/** What one tenant's engine runs on: a FlowStore and RunStore in one (memory, Postgres). */
export type RunStoreLike = NonNullable<NonNullable<Parameters<typeof createEngine>[0]>['store']>;

/** Bearer `token-<tenant>` names the tenant; anything else is refused. */
export const tokenAuth: NonNullable<HttpHandlerOptions['auth']> = (req) => {
  const m = /^Bearer token-(\w+)$/.exec(req.headers.authorization ?? '');
  return m ? { tenant: m[1]! } : false;
};

/** One engine per tenant, made on first use over `storeOf(tenant)`, with the `double` action. */
export function tenantEngines(storeOf: (tenant: string) => RunStoreLike): {
  engineOf(tenant: string): Engine;
  close(): Promise<void>;
} {
  const engines = new Map<string, Engine>();
  return {
    engineOf(tenant) {
      let engine = engines.get(tenant);
      if (!engine) {
        engine = createEngine({
          store: storeOf(tenant),
          secrets: { HOOK: SECRET },
          actions: [
            {
              type: 'double',
              title: 'Double',
              run: (input) => ({ n: (input as { n: number }).n * 2 }),
            },
          ],
        });
        engines.set(tenant, engine);
      }
      return engine;
    },
    async close() {
      for (const engine of engines.values()) await engine.close();
    },
  };
}

export async function startFixture(
  storeOf: (tenant: string) => RunStoreLike,
  extra: Partial<HttpHandlerOptions> = {},
): Promise<Fixture> {
  const { engineOf, close } = tenantEngines(storeOf);
  const handler = createHttpHandler(engineOf, {
    auth: tokenAuth,
    tenantOf: (req, principal) =>
      (req.headers['x-tenant'] as string | undefined) ?? principal.tenant,
    events: (tenant) => storeOf(tenant),
    catalog: [{ type: 'double', title: 'Double' }],
    webhooks: { secrets: () => ({ HOOK: SECRET }) },
    limits: { bodyBytes: 64 * 1024, heartbeatMs: 50 },
    ...extra,
  });
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    engineOf,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await close();
    },
  };
}

// Answers are read loosely in tests: any JSON, indexable without casts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A JSON request as tenant `tenant` (no token when tenant is undefined). */
export async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  tenant: string | null = 'acme',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(url + path, {
    method,
    headers: {
      ...(tenant === null ? {} : { authorization: `Bearer token-${tenant}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}
