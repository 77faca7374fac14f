import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Validator, type Schema } from '@cfworker/json-schema';
import { createMemoryStore, signWebhook } from '@millrace/engine';
import { ROUTES } from '@millrace/adapters/http/server';
import { OPENAPI_FILE, openApiText } from '../../src/http/server/write-openapi.ts';
import { APPROVAL, CHAIN, SECRET, call, startFixture, type Fixture } from './http-fixture.ts';

// The document is generated from the route table; here it is held against the file in the
// repository and against what the handler really answers on every route.

// Answers and the document are read loosely here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let fx: Fixture;
let doc: {
  paths: Record<string, Record<string, { responses: Record<string, Json> }>>;
  components: unknown;
};
const stores = new Map<string, ReturnType<typeof createMemoryStore>>();
const exercised = new Set<string>();

before(async () => {
  fx = await startFixture((tenant) => {
    let s = stores.get(tenant);
    if (!s) stores.set(tenant, (s = createMemoryStore()));
    return s;
  });
  doc = (await call(fx.url, 'GET', '/openapi.json', undefined, null)).body;
});

after(() => fx.close());

test('the checked-in packages/adapters/openapi.json is the generated document', async () => {
  assert.equal(
    readFileSync(OPENAPI_FILE, 'utf8'),
    await openApiText(),
    'packages/adapters/openapi.json is out of date: run `node -C source --import tsx packages/adapters/src/http/server/write-openapi.ts` and commit it',
  );
});

test('the served document is OpenAPI 3.1 with one operation per route of the table', () => {
  assert.equal((doc as unknown as { openapi: string }).openapi, '3.1.0');
  const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
  assert.equal(ops.length, ROUTES.length);
});

/** Sends a request, finds its documented operation and checks status and body against it. */
async function walk(
  operationId: string,
  method: string,
  path: string,
  body?: unknown,
  options: { tenant?: string | null; headers?: Record<string, string>; raw?: boolean } = {},
): Promise<{ status: number; body: Json }> {
  const route = ROUTES.find((r) => r.operationId === operationId)!;
  assert.equal(route.method, method, operationId);
  let status: number;
  let answer: Json;
  let type: string | null;
  if (options.raw) {
    const res = await fetch(fx.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...options.headers },
      body: body as string,
    });
    status = res.status;
    type = res.headers.get('content-type');
    answer = await res.json();
  } else {
    const res = await call(
      fx.url,
      method,
      path,
      body,
      options.tenant === undefined ? 'acme' : options.tenant,
      options.headers,
    );
    status = res.status;
    answer = res.body;
    type = res.headers.get('content-type');
  }
  const op = doc.paths[route.path]![method.toLowerCase()]!;
  const documented = op.responses[String(status)];
  assert.ok(documented, `${operationId}: status ${status} is not documented`);
  const media = documented.content?.['application/json'];
  if (media) {
    assert.match(type ?? '', /^application\/json/, operationId);
    const validator = new Validator(
      { ...media.schema, components: doc.components } as Schema,
      '2020-12',
      false,
    );
    const result = validator.validate(answer);
    assert.ok(
      result.valid,
      `${operationId} ${status}: ${JSON.stringify(result.errors.slice(-2))} in ${JSON.stringify(answer).slice(0, 300)}`,
    );
  } else if (!documented.content) {
    assert.equal(answer, undefined, `${operationId} ${status} has no body`);
  }
  exercised.add(`${operationId} ${status}`);
  return { status, body: answer };
}

test('every route answers as documented, success and errors', async () => {
  await walk('getOpenApi', 'GET', '/openapi.json', undefined, { tenant: null });
  assert.equal((await walk('deployFlow', 'POST', '/flows', { definition: CHAIN })).status, 201);
  await walk('deployFlow', 'POST', '/flows', { definition: APPROVAL });
  await walk('deployFlow', 'POST', '/flows', { definition: { id: 'x', nodes: 'no' } });
  await walk('deployFlow', 'POST', '/flows', '{', {});
  await walk('deployFlow', 'POST', '/flows', { definition: CHAIN }, { tenant: null });
  await walk('listFlows', 'GET', '/flows?status=active');
  await walk('listFlows', 'GET', '/flows?status=gone');
  await walk('validateFlow', 'POST', '/validate', CHAIN);
  await walk('getFlow', 'GET', '/flows/chain?version=1');
  await walk('getFlow', 'GET', '/flows/nope');
  await walk('listVersions', 'GET', '/flows/chain/versions');
  await walk('deactivateFlow', 'POST', '/flows/chain/deactivate');
  await walk('activateFlow', 'POST', '/flows/chain/activate');
  await walk('saveDraft', 'PUT', '/flows/chain/draft', CHAIN);
  await walk('getDraft', 'GET', '/flows/chain/draft');
  await walk('discardDraft', 'DELETE', '/flows/chain/draft');
  await walk('getDraft', 'GET', '/flows/chain/draft');
  const started = await walk('startRun', 'POST', '/flows/chain/runs', { input: { n: 2 } });
  await walk('startRun', 'POST', '/flows/chain/runs', { input: { n: 'two' } });
  const runId = started.body.runId as string;
  await (await fx.engineOf('acme').handle(runId)).result();
  await walk('getRun', 'GET', `/runs/${runId}`);
  await walk('getRun', 'GET', `/runs/${runId}`, undefined, { tenant: 'globex' });
  await walk('replayRun', 'GET', `/runs/${runId}/replay?untilSeq=2`);
  await walk('listRuns', 'GET', '/runs?flow=chain&status=succeeded,failed&limit=1');
  await walk('listRuns', 'GET', '/runs?limit=0');
  await walk('rerunRun', 'POST', `/runs/${runId}/rerun`, { fromNode: 'b' });
  await walk('rerunRun', 'POST', `/runs/${runId}/rerun`, {});
  await walk('getMetrics', 'GET', '/flows/chain/metrics?since=0');
  const events = await fetch(`${fx.url}/runs/${runId}/events`, {
    headers: { authorization: 'Bearer token-acme' },
  });
  assert.equal(events.status, 200);
  assert.match(events.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.ok(doc.paths['/runs/{id}/events']!['get']!.responses['200'].content['text/event-stream']);
  await events.text();
  exercised.add('runEvents 200');
  await walk('runEvents', 'GET', '/runs/nope/events');

  const parked = await walk('startRun', 'POST', '/flows/expense/runs');
  let token: string | undefined;
  while (!token) {
    const w = await walk('listWaiting', 'GET', '/waiting?flow=expense');
    token = w.body.waiting[0]?.token;
  }
  await walk('signal', 'POST', `/signals/${token}`, { approved: true, by: 'finance' });
  await walk('signal', 'POST', `/signals/${token}`, { approved: true, by: 'finance' });
  const second = await walk('startRun', 'POST', '/flows/expense/runs');
  await walk('cancelRun', 'POST', `/runs/${second.body.runId}/cancel`, {});
  await walk('cancelRun', 'POST', `/runs/nope/cancel`);
  assert.ok(parked.body.runId);

  const body = JSON.stringify({ n: 1 });
  const t = Math.floor(Date.now() / 1000);
  const headers = {
    'x-millrace-timestamp': String(t),
    'x-millrace-signature': await signWebhook(SECRET, body, t),
  };
  await walk('receiveWebhook', 'POST', '/hooks/acme/orders', body, { raw: true, headers });
  await walk('receiveWebhook', 'POST', '/hooks/acme/orders', body, { raw: true, headers });
  await walk('receiveWebhook', 'POST', '/hooks/acme/orders', body, {
    raw: true,
    headers: { ...headers, 'x-millrace-signature': 'v1=00' },
  });
  await walk('receiveWebhook', 'POST', '/hooks/acme/none', body, { raw: true, headers });
  await walk('deleteFlow', 'DELETE', '/flows/chain');
  await walk('deleteFlow', 'DELETE', '/flows/chain');

  for (const route of ROUTES) {
    const success = Object.keys(route.responses).map((s) => `${route.operationId} ${s}`);
    for (const key of success) assert.ok(exercised.has(key), `not exercised: ${key}`);
  }
});
