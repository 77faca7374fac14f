import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { createMemoryStore, MillraceError, RunError, type RunEvent } from '@millrace/engine';
import { createHttpClient, type HttpClient } from '@millrace/adapters/http';
import { APPROVAL, CHAIN, startFixture, type Fixture } from './http-fixture.ts';

// The client against a real server (memory stores per tenant: the store does not matter here).

let fx: Fixture;
let client: HttpClient;
const stores = new Map<string, ReturnType<typeof createMemoryStore>>();

before(async () => {
  fx = await startFixture((tenant) => {
    let s = stores.get(tenant);
    if (!s) stores.set(tenant, (s = createMemoryStore()));
    return s;
  });
  client = createHttpClient({ baseUrl: fx.url, token: 'token-acme', reconnectMs: 10 });
});

after(async () => {
  await client.close();
  await fx.close();
});

test('round trip: deploy, start, result, and the run events over SSE', async () => {
  const stored = await client.deploy(CHAIN);
  assert.equal(stored.version, 1);
  assert.equal((await client.getFlow('chain'))?.version, 1);
  const run = await client.start('chain', { n: 3 });
  assert.deepEqual(await run.result(), { result: 6 });
  const events: RunEvent[] = [];
  await new Promise<void>((resolve) => {
    client.subscribe(run.id, (event) => {
      events.push(event);
      if (event.type === 'RunSucceeded') resolve();
    });
  });
  assert.equal(events[0]!.type, 'RunCreated');
  assert.deepEqual(
    events.map((e) => e.seq),
    events.map((_, i) => i + 1),
  );
  const view = await client.getRun(run.id);
  assert.equal(view?.status, 'succeeded');
  assert.ok((await client.listRuns({ flowId: 'chain' })).some((r) => r.runId === run.id));
  assert.equal((await client.metrics('chain')).runs, 1);
});

test('drafts, listFlows, activate and the FlowStore view', async () => {
  await client.saveDraft({ ...APPROVAL, id: 'draft-only' });
  assert.equal((await client.getDraft('draft-only'))?.id, 'draft-only');
  assert.ok((await client.listFlows({ status: 'draft' })).some((f) => f.id === 'draft-only'));
  assert.ok(!(await client.flowStore.listFlows()).some((f) => f.id === 'draft-only'));
  await client.discardDraft('draft-only');
  assert.equal(await client.getDraft('draft-only'), undefined);
  await client.flowStore.saveFlow(APPROVAL, 0);
  assert.deepEqual(await client.flowStore.listVersions('expense'), [1]);
  await client.deactivate('expense');
  assert.equal((await client.listFlows({ status: 'inactive' }))[0]?.id, 'expense');
  await client.activate('expense');
});

test('live events resume after the connection drops, without repeats; signal and result', async () => {
  await client.deploy(APPROVAL);
  const streams: Socket[] = [];
  fx.server.on('request', (req) => {
    if (req.url?.endsWith('/events')) streams.push(req.socket);
  });
  const run = await client.start('expense');
  const seqs: number[] = [];
  let waiting!: () => void;
  const parked = new Promise<void>((resolve) => (waiting = resolve));
  client.subscribe(run.id, (event) => {
    seqs.push(event.seq);
    if (event.type === 'NodeSuspended') waiting();
  });
  await parked;
  // The stream's connection drops; the client reconnects with Last-Event-ID.
  for (const socket of streams) socket.destroy();
  const [entry] = await client.listWaiting({ flowId: 'expense' });
  await client.signal(entry!.token, { approved: true, by: 'finance' });
  assert.deepEqual(await run.result(), { ok: true, by: 'finance' });
  while (seqs.at(-1) !== (await client.getRun(run.id))!.lastSeq) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.deepEqual(
    seqs,
    seqs.map((_, i) => i + 1),
  );
  assert.ok(streams.length >= 2, 'the client opened the stream again');
});

test('subscribe before the run exists (then start it with that runId): every event, as with a local engine', async () => {
  const runId = 'subscribed-first';
  const events: RunEvent[] = [];
  const done = new Promise<void>((resolve) => {
    client.subscribe(runId, (event) => {
      events.push(event);
      if (event.type === 'RunSucceeded') resolve();
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 30)); // the stream has been refused once
  const run = await client.start('chain', { n: 2 }, { runId });
  assert.equal(run.id, runId);
  await done;
  assert.equal(events[0]!.type, 'RunCreated');
  assert.deepEqual(
    events.map((e) => e.seq),
    events.map((_, i) => i + 1),
  );
});

test('errors arrive typed: unknown ids read as absent, failures keep the server code, a cancelled run rejects with RunError', async () => {
  assert.equal(await client.getFlow('nope'), undefined);
  assert.equal(await client.getRun('nope'), undefined);
  await assert.rejects(client.start('nope'), (e: unknown) => {
    assert.ok(e instanceof MillraceError);
    assert.equal(e.code, 'E_FLOW_NOT_FOUND');
    return true;
  });
  const run = await client.start('expense');
  await client.cancel(run.id, 'changed my mind');
  await assert.rejects(run.result(), (e: unknown) => {
    assert.ok(e instanceof RunError);
    assert.equal(e.code, 'E_RUN_CANCELLED');
    return true;
  });
  const stranger = createHttpClient({ baseUrl: fx.url, token: 'wrong' });
  await assert.rejects(stranger.listFlows(), { code: 'E_HTTP_UNAUTHORIZED' });
  const other = createHttpClient({ baseUrl: fx.url, token: 'token-globex' });
  assert.equal(await other.getRun(run.id), undefined);
});

test('methods that cannot work remotely throw E_NOT_SUPPORTED', async () => {
  await assert.rejects(client.emit('x'), { code: 'E_NOT_SUPPORTED' });
  await assert.rejects(client.recover(), { code: 'E_NOT_SUPPORTED' });
  await assert.rejects(client.setAlias('chain', 'production', { version: 1 }), {
    code: 'E_NOT_SUPPORTED',
  });
  assert.throws(() => client.work(), { code: 'E_NOT_SUPPORTED' });
});
