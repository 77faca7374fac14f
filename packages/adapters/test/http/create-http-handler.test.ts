import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signWebhook } from '@millrace/engine';
import { openPostgresStore, type PostgresStore } from '@millrace/adapters/postgres';
import { APPROVAL, CHAIN, SECRET, call, startFixture, type Fixture } from './http-fixture.ts';
import { readSse } from './sse-text.ts';

// The handler on a real node:http server, a real engine per tenant over one PGlite store in a
// temp dir (tenant views of it), requests through fetch.

let store: PostgresStore;
let fx: Fixture;

before(async () => {
  store = await openPostgresStore({ dataDir: mkdtempSync(join(tmpdir(), 'millrace-http-')) });
  fx = await startFixture((tenant) => store.forTenant(tenant));
  assert.equal((await call(fx.url, 'POST', '/flows', { definition: CHAIN })).status, 201);
  assert.equal((await call(fx.url, 'POST', '/flows', { definition: APPROVAL })).status, 201);
});

after(async () => {
  await fx.close();
  await store.close();
});

async function finished(runId: string, tenant = 'acme'): Promise<unknown> {
  return (await fx.engineOf(tenant).handle(runId)).result();
}

test('deploy, get (latest and ?version=), versions, list by status and delete a flow', async () => {
  const flow = { ...CHAIN, id: 'life', triggers: [] };
  const v1 = await call(fx.url, 'POST', '/flows', { definition: flow });
  assert.equal(v1.status, 201);
  assert.equal(v1.body.version, 1);
  const v2 = await call(fx.url, 'POST', '/flows', { definition: flow, activate: false });
  assert.equal(v2.body.version, 2);
  assert.equal((await call(fx.url, 'GET', '/flows/life')).body.version, 2);
  assert.equal((await call(fx.url, 'GET', '/flows/life?version=1')).body.version, 1);
  const missing = await call(fx.url, 'GET', '/flows/life?version=9');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'E_FLOW_VERSION_NOT_FOUND');
  const versions = await call(fx.url, 'GET', '/flows/life/versions');
  assert.deepEqual(
    versions.body.versions.map((v: { version: number }) => v.version),
    [1, 2],
  );
  assert.equal((await call(fx.url, 'POST', '/flows/life/deactivate')).status, 204);
  const inactive = await call(fx.url, 'GET', '/flows?status=inactive');
  assert.deepEqual(
    inactive.body.flows.map((f: { id: string }) => f.id),
    ['life'],
  );
  assert.equal((await call(fx.url, 'POST', '/flows/life/activate')).status, 204);
  assert.ok(
    (await call(fx.url, 'GET', '/flows?status=active,draft')).body.flows.some(
      (f: { id: string }) => f.id === 'life',
    ),
  );
  assert.equal((await call(fx.url, 'DELETE', '/flows/life')).status, 204);
  assert.ok(
    !(await call(fx.url, 'GET', '/flows')).body.flows.some((f: { id: string }) => f.id === 'life'),
  );
  const start = await call(fx.url, 'POST', '/flows/life/runs', { input: { n: 1 } });
  assert.equal(start.status, 409);
  assert.equal(start.body.code, 'E_FLOW_DELETED');
});

test('an invalid flow is refused with its diagnostics; validate returns them without storing', async () => {
  const bad = { format: 'millrace.flow/v1', id: 'bad', nodes: [{ id: 'x', type: 'nope' }] };
  const deployed = await call(fx.url, 'POST', '/flows', { definition: bad });
  assert.equal(deployed.status, 400);
  assert.equal(deployed.body.code, 'E_FLOW_INVALID');
  const checked = await call(fx.url, 'POST', '/validate', bad);
  assert.equal(checked.status, 200);
  assert.equal(checked.body.valid, false);
  assert.ok(checked.body.diagnostics.some((d: { path: string }) => d.path.startsWith('/nodes/0')));
  const good = await call(fx.url, 'POST', '/validate', CHAIN);
  assert.equal(good.body.valid, true, JSON.stringify(good.body.diagnostics));
  assert.equal((await call(fx.url, 'GET', '/flows/bad')).status, 404);
});

test('drafts: put, get, delete; the body id must be the path id', async () => {
  const draft = { format: 'millrace.flow/v1', id: 'sketch', nodes: [{ id: 'half' }] };
  const saved = await call(fx.url, 'PUT', '/flows/sketch/draft', draft);
  assert.equal(saved.status, 200);
  assert.deepEqual((await call(fx.url, 'GET', '/flows/sketch/draft')).body.definition, draft);
  const listed = await call(fx.url, 'GET', '/flows?status=draft');
  assert.ok(listed.body.flows.some((f: { id: string }) => f.id === 'sketch'));
  const wrong = await call(fx.url, 'PUT', '/flows/other/draft', draft);
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.path, '/body/id');
  assert.equal((await call(fx.url, 'DELETE', '/flows/sketch/draft')).status, 204);
  assert.equal((await call(fx.url, 'GET', '/flows/sketch/draft')).status, 404);
});

test('start a run, read it, list runs by flow and status with paging', async () => {
  const ids: string[] = [];
  for (let n = 1; n <= 3; n++) {
    const started = await call(fx.url, 'POST', '/flows/chain/runs', { input: { n } });
    assert.equal(started.status, 201);
    assert.equal(started.body.flowId, 'chain');
    ids.push(started.body.runId);
    assert.deepEqual(await finished(started.body.runId), { result: n * 2 });
  }
  const run = await call(fx.url, 'GET', `/runs/${ids[2]}`);
  assert.equal(run.body.status, 'succeeded');
  assert.deepEqual(run.body.output, { result: 6 });
  const seen: string[] = [];
  let next: string | undefined;
  do {
    const page = await call(
      fx.url,
      'GET',
      `/runs?flow=chain&status=succeeded&limit=1${next ? `&before=${next}` : ''}`,
    );
    assert.equal(page.status, 200);
    assert.ok(page.body.runs.length <= 1);
    seen.push(...page.body.runs.map((r: { runId: string }) => r.runId));
    next = page.body.next;
  } while (next !== undefined && seen.length < 50);
  for (const id of ids) assert.ok(seen.includes(id), id);
  const none = await call(fx.url, 'GET', '/runs?flow=chain&status=failed');
  assert.deepEqual(none.body.runs, []);
});

test('start with a version, an input against the schema, mocks; bad options answer 400 with a pointer', async () => {
  const mocked = await call(fx.url, 'POST', '/flows/chain/runs', {
    input: { n: 1 },
    version: 1,
    mocks: { b: { n: 100 } },
  });
  assert.equal(mocked.status, 201);
  assert.deepEqual(await finished(mocked.body.runId), { result: 100 });
  const badVersion = await call(fx.url, 'POST', '/flows/chain/runs', { version: 'one' });
  assert.equal(badVersion.status, 400);
  assert.equal(badVersion.body.code, 'E_INVALID_ARGUMENT');
  assert.equal(badVersion.body.path, '/body/version');
  const extra = await call(fx.url, 'POST', '/flows/chain/runs', { inptu: {} });
  assert.equal(extra.status, 400);
  const badInput = await call(fx.url, 'POST', '/flows/chain/runs', { input: { n: 'x' } });
  assert.equal(badInput.status, 400);
  assert.equal(badInput.body.code, 'E_INPUT_INVALID');
  const unknownFlow = await call(fx.url, 'POST', '/flows/nope/runs', {});
  assert.equal(unknownFlow.status, 404);
  assert.equal(unknownFlow.body.code, 'E_FLOW_NOT_FOUND');
});

test('signal approves a parked run; cancel and rerun', async () => {
  const started = await call(fx.url, 'POST', '/flows/expense/runs');
  assert.equal(started.status, 201);
  let waiting: { token: string; runId: string }[] = [];
  while (waiting.length === 0) {
    waiting = (await call(fx.url, 'GET', '/waiting?flow=expense')).body.waiting.filter(
      (w: { runId: string }) => w.runId === started.body.runId,
    );
  }
  const signalled = await call(fx.url, 'POST', `/signals/${waiting[0]!.token}`, {
    approved: true,
    by: 'finance',
  });
  assert.equal(signalled.status, 204, JSON.stringify(signalled.body));
  assert.deepEqual(await finished(started.body.runId), { ok: true, by: 'finance' });
  const again = await call(fx.url, 'POST', `/signals/${waiting[0]!.token}`, { approved: true });
  assert.equal(again.status, 404);
  assert.equal(again.body.code, 'E_SIGNAL_UNKNOWN');

  const second = await call(fx.url, 'POST', '/flows/expense/runs');
  const cancelled = await call(fx.url, 'POST', `/runs/${second.body.runId}/cancel`, {
    reason: 'test',
  });
  assert.equal(cancelled.status, 202);
  await assert.rejects(finished(second.body.runId), { code: 'E_RUN_CANCELLED' });

  const chain = await call(fx.url, 'POST', '/flows/chain/runs', { input: { n: 5 } });
  await finished(chain.body.runId);
  const rerun = await call(fx.url, 'POST', `/runs/${chain.body.runId}/rerun`, { fromNode: 'c' });
  assert.equal(rerun.status, 201);
  assert.deepEqual(await finished(rerun.body.runId), { result: 10 });
  const view = await call(fx.url, 'GET', `/runs/${rerun.body.runId}`);
  assert.equal(
    view.body.nodes.find((n: { nodeId: string }) => n.nodeId === 'b').replaced,
    'reused',
  );
  const replay = await call(fx.url, 'GET', `/runs/${chain.body.runId}/replay?untilSeq=1`);
  assert.equal(replay.status, 200);
  assert.equal(replay.body.lastSeq, 1);
});

test('metrics of a flow since a time', async () => {
  const all = await call(fx.url, 'GET', '/flows/chain/metrics');
  assert.equal(all.status, 200);
  assert.ok(all.body.runs >= 1);
  const future = await call(fx.url, 'GET', `/flows/chain/metrics?since=${Date.now() + 3_600_000}`);
  assert.equal(future.body.runs, 0);
  const bad = await call(fx.url, 'GET', '/flows/chain/metrics?since=yesterday');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.path, '/query/since');
});

test('malformed JSON answers 400 E_HTTP_MALFORMED_JSON', async () => {
  const res = await call(fx.url, 'POST', '/flows', '{"definition": ');
  assert.equal(res.status, 400);
  assert.equal(res.body.code, 'E_HTTP_MALFORMED_JSON');
  assert.equal(res.body.path, '/body');
});

test('a body that is not application/json answers 415', async () => {
  const res = await call(fx.url, 'POST', '/flows', 'id=x', 'acme', {
    'content-type': 'text/plain',
  });
  assert.equal(res.status, 415);
  assert.equal(res.body.code, 'E_HTTP_CONTENT_TYPE');
});

test('a body over limits.bodyBytes answers 413, announced or streamed', async () => {
  const big = JSON.stringify({ definition: { ...CHAIN, pad: 'x'.repeat(70 * 1024) } });
  const res = await call(fx.url, 'POST', '/flows', big);
  assert.equal(res.status, 413);
  assert.equal(res.body.code, 'E_HTTP_BODY_TOO_LARGE');
  // Without a Content-Length (chunked), the limit holds while reading.
  const chunks = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < 80; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
      controller.close();
    },
  });
  const streamed = await fetch(`${fx.url}/flows`, {
    method: 'POST',
    headers: { authorization: 'Bearer token-acme', 'content-type': 'application/json' },
    body: chunks,
    duplex: 'half',
  } as RequestInit);
  assert.equal(streamed.status, 413);
  assert.equal((await streamed.json()).code, 'E_HTTP_BODY_TOO_LARGE');
});

test('unknown routes answer 404, a known path with another method 405 with Allow', async () => {
  const unknown = await call(fx.url, 'GET', '/nowhere');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.code, 'E_HTTP_NOT_FOUND');
  assert.equal(unknown.body.path, '/nowhere');
  const method = await call(fx.url, 'PATCH', '/flows/chain');
  assert.equal(method.status, 405);
  assert.equal(method.body.code, 'E_HTTP_METHOD_NOT_ALLOWED');
  assert.equal(method.headers.get('allow'), 'GET, DELETE');
});

test('missing or wrong credentials answer 401; naming another tenant answers 403', async () => {
  const none = await call(fx.url, 'GET', '/flows', undefined, null);
  assert.equal(none.status, 401);
  assert.equal(none.body.code, 'E_HTTP_UNAUTHORIZED');
  assert.equal(none.headers.get('www-authenticate'), 'Bearer');
  const wrong = await call(fx.url, 'GET', '/flows', undefined, null, {
    authorization: 'Bearer nope',
  });
  assert.equal(wrong.status, 401);
  const other = await call(fx.url, 'GET', '/flows', undefined, 'acme', { 'x-tenant': 'globex' });
  assert.equal(other.status, 403);
  assert.equal(other.body.code, 'E_HTTP_FORBIDDEN');
});

test("another tenant's flows, drafts, runs and tokens answer 404, never their data", async () => {
  const started = await call(fx.url, 'POST', '/flows/expense/runs');
  const runId = started.body.runId as string;
  let token: string | undefined;
  while (!token) {
    token = (await call(fx.url, 'GET', '/waiting')).body.waiting.find(
      (w: { runId: string }) => w.runId === runId,
    )?.token;
  }
  await call(fx.url, 'PUT', '/flows/expense/draft', APPROVAL);
  const g = (method: string, path: string, body?: unknown) =>
    call(fx.url, method, path, body, 'globex');
  assert.deepEqual((await g('GET', '/flows')).body.flows, []);
  assert.deepEqual((await g('GET', '/runs')).body.runs, []);
  assert.deepEqual((await g('GET', '/waiting')).body.waiting, []);
  for (const [method, path, body] of [
    ['GET', '/flows/expense'],
    ['GET', '/flows/expense/versions'],
    ['GET', '/flows/expense/draft'],
    ['POST', '/flows/expense/runs', {}],
    ['POST', '/flows/expense/activate'],
    ['GET', `/runs/${runId}`],
    ['GET', `/runs/${runId}/events`],
    ['GET', `/runs/${runId}/replay`],
    ['POST', `/runs/${runId}/cancel`, {}],
    ['POST', `/runs/${runId}/rerun`, { fromNode: 'yes' }],
    ['POST', `/signals/${token}`, { approved: true }],
  ] as const) {
    const res = await g(method, path, body);
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.ok(!JSON.stringify(res.body).includes('finance'), `${method} ${path}`);
  }
  // acme's run is untouched: still waiting for its approval.
  assert.equal((await call(fx.url, 'GET', `/runs/${runId}`)).body.status, 'waiting');
  await call(fx.url, 'POST', `/runs/${runId}/cancel`, {});
});

async function deliver(body: string, headers: Record<string, string> = {}, tenant = 'acme') {
  const res = await fetch(`${fx.url}/hooks/${tenant}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, body: await res.json() };
}

test('a signed webhook starts the flow (202 with the run id); the same delivery again answers 409', async () => {
  const body = JSON.stringify({ n: 21 });
  const t = Math.floor(Date.now() / 1000);
  const headers = {
    'x-millrace-timestamp': String(t),
    'x-millrace-signature': await signWebhook(SECRET, body, t),
    'x-millrace-idempotency-key': 'delivery-1',
  };
  const first = await deliver(body, headers);
  assert.equal(first.status, 202);
  assert.deepEqual(await finished(first.body.runId), { result: 42 });
  const view = await fx.engineOf('acme').getRun(first.body.runId);
  assert.deepEqual(view?.input, { n: 21 });
  const replayed = await deliver(body, headers);
  assert.equal(replayed.status, 409);
  assert.equal(replayed.body.code, 'E_WEBHOOK_DUPLICATE');
  // Another tenant has no such flow: the same signed delivery is not theirs.
  assert.equal((await deliver(body, headers, 'globex')).status, 404);
});

test('a webhook with a bad signature, or none, answers 401 and starts nothing', async () => {
  const before = (await call(fx.url, 'GET', '/runs?flow=chain&limit=500')).body.runs.length;
  const body = JSON.stringify({ n: 1 });
  const t = Math.floor(Date.now() / 1000);
  const forged = await deliver(body, {
    'x-millrace-timestamp': String(t),
    'x-millrace-signature': await signWebhook('not-the-secret', body, t),
  });
  assert.equal(forged.status, 401);
  assert.equal(forged.body.code, 'E_WEBHOOK_SIGNATURE');
  const tampered = await deliver(JSON.stringify({ n: 2 }), {
    'x-millrace-timestamp': String(t),
    'x-millrace-signature': await signWebhook(SECRET, body, t),
  });
  assert.equal(tampered.status, 401);
  const unsigned = await deliver(body);
  assert.equal(unsigned.status, 401);
  const after = (await call(fx.url, 'GET', '/runs?flow=chain&limit=500')).body.runs.length;
  assert.equal(after, before);
});

test('SSE: stored events then the end; Last-Event-ID resumes after that seq', async () => {
  const started = await call(fx.url, 'POST', '/flows/chain/runs', { input: { n: 4 } });
  const runId = started.body.runId as string;
  const auth = { authorization: 'Bearer token-acme' };
  const all = await readSse(`${fx.url}/runs/${runId}/events`, auth);
  assert.equal(all.status, 200);
  const events = all.messages.filter((m) => m.event === undefined);
  const seqs = events.map((m) => Number(m.id));
  assert.deepEqual(
    seqs,
    seqs.map((_, i) => i + 1),
  );
  assert.equal(JSON.parse(events.at(-1)!.data).type, 'RunSucceeded');
  assert.equal(all.messages.at(-1)!.event, 'end');
  const resumed = await readSse(`${fx.url}/runs/${runId}/events`, {
    ...auth,
    'last-event-id': '3',
  });
  assert.deepEqual(
    resumed.messages.filter((m) => m.event === undefined).map((m) => Number(m.id)),
    seqs.slice(3),
  );
  const bad = await call(fx.url, 'GET', `/runs/${runId}/events`, undefined, 'acme', {
    'last-event-id': 'abc',
  });
  assert.equal(bad.status, 400);
});

test('SSE: a live run streams until it finishes, after a heartbeat; the subscription ends with the stream', async () => {
  const started = await call(fx.url, 'POST', '/flows/expense/runs');
  const runId = started.body.runId as string;
  const streaming = readSse(`${fx.url}/runs/${runId}/events`, {
    authorization: 'Bearer token-acme',
  });
  let token: string | undefined;
  while (!token) {
    token = (await call(fx.url, 'GET', '/waiting')).body.waiting.find(
      (w: { runId: string }) => w.runId === runId,
    )?.token;
  }
  await call(fx.url, 'POST', `/signals/${token}`, { approved: true, by: 'finance' });
  const { messages } = await streaming;
  const types = messages.filter((m) => !m.event).map((m) => JSON.parse(m.data).type);
  assert.ok(types.includes('NodeSucceeded'));
  assert.equal(types.at(-1), 'RunSucceeded');
  assert.equal(messages.at(-1)!.event, 'end');
});

test('GET /openapi.json needs no credentials', async () => {
  const res = await call(fx.url, 'GET', '/openapi.json', undefined, null);
  assert.equal(res.status, 200);
  assert.equal(res.body.openapi, '3.1.0');
});
