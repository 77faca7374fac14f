import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryStore, signWebhook, type Engine } from '@millrace/engine';
import type { MemoryStore } from '@millrace/engine';
import {
  createHttpHandler,
  type HttpHandler,
  type HttpHandlerOptions,
} from '@millrace/adapters/http/server';
import { APPROVAL, CHAIN, SECRET, tenantEngines, tokenAuth } from './http-fixture.ts';

// The handler mounted in a framework the way a user would, under a prefix; the same
// behaviours are asked of every framework (mount-express, mount-fastify, mount-hono).

/** A server with the API mounted: `url` is where the API starts (e.g. http://127.0.0.1:p/api). */
export interface Mounted {
  readonly url: string;
  close(): Promise<void>;
}

/** A listening node:http server as a `Mounted`: the API under `/api`, every connection closed. */
export function mountedAt(server: Server): Mounted {
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Makes the Millrace handler (memory stores per tenant, bearer `token-<tenant>`). */
export type MakeHandler = (extra?: Partial<HttpHandlerOptions>) => HttpHandler;

export interface Tenants {
  readonly make: MakeHandler;
  engineOf(tenant: string): Engine;
  close(): Promise<void>;
}

/** Engines over one memory store per tenant, and handlers in front of them. */
export function tenants(): Tenants {
  const stores = new Map<string, MemoryStore>();
  const storeOf = (tenant: string): MemoryStore =>
    stores.get(tenant) ?? stores.set(tenant, createMemoryStore()).get(tenant)!;
  const { engineOf, close } = tenantEngines(storeOf);
  return {
    engineOf,
    make: (extra = {}) =>
      createHttpHandler(engineOf, {
        auth: tokenAuth,
        store: storeOf,
        webhooks: { secrets: () => ({ HOOK: SECRET }) },
        limits: { bodyBytes: 64 * 1024, heartbeatMs: 50 },
        ...extra,
      }),
    close,
  };
}

// Answers are read loosely in tests: any JSON, indexable without casts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A request with the token of tenant acme (none when `token` is false), body sent as given. */
export async function send(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
  token = true,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: 'Bearer token-acme' } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Json = text;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: the test says what it expected
  }
  return { status: res.status, body: json, headers: res.headers };
}

/** A signed webhook delivery: the body as these exact bytes (spaces and UTF-8 kept). */
export async function signedDelivery(
  body: string,
  key: string,
): Promise<{ body: string; headers: Record<string, string> }> {
  const t = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-millrace-timestamp': String(t),
      'x-millrace-signature': await signWebhook(SECRET, body, t),
      'x-millrace-idempotency-key': key,
    },
  };
}

/** Waits until the run has finished; its view. */
async function finished(api: string, runId: string): Promise<Json> {
  for (;;) {
    const { body } = await send(`${api}/runs/${runId}`, 'GET');
    if (['succeeded', 'failed', 'cancelled'].includes(body.status)) return body;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The behaviours asked of the handler in every framework. `mount` starts a server on
 * 127.0.0.1 port 0 with the handler under a prefix and returns where the API starts.
 */
export function mountSuite(framework: string, mount: (make: MakeHandler) => Promise<Mounted>) {
  let t: Tenants;
  let server: Mounted;
  let api = '';
  before(async () => {
    t = tenants();
    server = await mount(t.make);
    api = server.url;
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  test(
    `${framework}: deploys a flow, starts a run and reads it under the prefix`,
    { timeout: 20_000 },
    async () => {
      const deployed = await send(`${api}/flows`, 'POST', { definition: CHAIN, activate: true });
      assert.equal(deployed.status, 201, JSON.stringify(deployed.body));
      assert.equal(deployed.body.version, 1);
      assert.equal((await send(`${api}/flows`, 'POST', { definition: APPROVAL })).status, 201);
      const started = await send(`${api}/flows/chain/runs`, 'POST', { input: { n: 21 } });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const view = await finished(api, started.body.runId);
      assert.equal(view.status, 'succeeded');
      assert.deepEqual(view.output, { result: 42 });
      const listed = await send(`${api}/runs?flow=chain`, 'GET');
      assert.ok(listed.body.runs.some((r: Json) => r.runId === started.body.runId));
    },
  );

  test(
    `${framework}: errors are the handler's JSON with their status`,
    { timeout: 20_000 },
    async () => {
      const malformed = await send(`${api}/flows/chain/runs`, 'POST', '{"input": ');
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.code, 'E_HTTP_MALFORMED_JSON');
      assert.equal(typeof malformed.body.message, 'string');
      assert.equal(malformed.body.path, '/body');
      const invalid = await send(`${api}/flows/chain/runs`, 'POST', { version: 'one' });
      assert.equal(invalid.status, 400);
      assert.equal(invalid.body.code, 'E_INVALID_ARGUMENT');
      const unknown = await send(`${api}/no/such/route`, 'GET');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.code, 'E_HTTP_NOT_FOUND');
      assert.match(unknown.headers.get('content-type') ?? '', /^application\/json/);
      const missing = await send(`${api}/runs/nope`, 'GET');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 'E_RUN_NOT_FOUND');
      const wrongType = await send(`${api}/flows/chain/runs`, 'POST', 'n=1', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      assert.equal(wrongType.status, 415);
      assert.equal(wrongType.body.code, 'E_HTTP_CONTENT_TYPE');
    },
  );

  test(
    `${framework}: without the token 401, with WWW-Authenticate`,
    { timeout: 20_000 },
    async () => {
      const anonymous = await send(`${api}/flows`, 'GET', undefined, {}, false);
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.code, 'E_HTTP_UNAUTHORIZED');
      assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
      const wrong = await send(
        `${api}/flows`,
        'GET',
        undefined,
        { authorization: 'Bearer x' },
        false,
      );
      assert.equal(wrong.status, 401);
    },
  );

  test(
    `${framework}: GET /runs/:id/events streams a parked run's live events and ends`,
    { timeout: 20_000 },
    async () => {
      const started = await send(`${api}/flows/expense/runs`, 'POST');
      const runId = started.body.runId as string;
      const res = await fetch(`${api}/runs/${runId}/events`, {
        headers: { authorization: 'Bearer token-acme' },
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      // The stored events arrive first, while the run waits for its approval.
      while (!text.includes('"NodeSuspended"')) {
        const { value, done } = await reader.read();
        assert.ok(!done, `the stream ended before the run parked: ${text}`);
        text += value;
      }
      assert.ok(!text.includes('RunSucceeded'));
      const { waiting } = (await send(`${api}/waiting`, 'GET')).body;
      const token = waiting.find((w: Json) => w.runId === runId).token as string;
      const signalled = await send(`${api}/signals/${token}`, 'POST', {
        approved: true,
        by: 'finance',
      });
      assert.equal(signalled.status, 204, JSON.stringify(signalled.body));
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      assert.match(text, /"type":"RunSucceeded"/);
      assert.match(text, /event: end\ndata: \{"runId":"[^"]+"\}\n\n$/);
    },
  );

  test(
    `${framework}: a signed webhook delivery starts the flow once; a bad signature is 401`,
    { timeout: 20_000 },
    async () => {
      // Spaces and UTF-8 in the body: the signature covers these exact bytes.
      const delivery = await signedDelivery(`{ "n": 8, "note": "café" }`, `${framework}-1`);
      const hook = `${api}/hooks/acme/orders`;
      const accepted = await send(hook, 'POST', delivery.body, delivery.headers, false);
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      const view = await finished(api, accepted.body.runId);
      assert.deepEqual(view.output, { result: 16 });
      assert.deepEqual(view.input, { n: 8, note: 'café' });
      const again = await send(hook, 'POST', delivery.body, delivery.headers, false);
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'E_WEBHOOK_DUPLICATE');
      const tampered = await send(
        hook,
        'POST',
        `{ "n": 9, "note": "café" }`,
        delivery.headers,
        false,
      );
      assert.equal(tampered.status, 401);
      assert.equal(tampered.body.code, 'E_WEBHOOK_SIGNATURE');
    },
  );
}
