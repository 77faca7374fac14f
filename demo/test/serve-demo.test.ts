import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowDefinition, RunEvent } from '@millrace/engine';
import { API_META_NAME, createHttpClient, type HttpClient } from '@millrace/adapters/http';
import { sampleFlow } from '../src/sample-flow.ts';
import { startServe, type Serving } from './serve-fixture.ts';

// The demo's flow on `millrace serve --actions ./demo/src/host-actions.ts` (PGlite), driven
// through createHttpClient: the Engine API the demo page uses in remote mode. The flow's last
// step is a demo connector (slack.post): a run succeeds only where those actions are loaded.

let serving: Serving;
let client: HttpClient;
const site = mkdtempSync(join(tmpdir(), 'millrace-demo-site-'));
writeFileSync(
  join(site, 'index.html'),
  '<!doctype html><html><head><title>x</title></head></html>',
);

before(async () => {
  serving = await startServe('--static', site);
  client = createHttpClient({ baseUrl: serving.base, reconnectMs: 50 });
});

after(async () => {
  await client?.close();
  assert.equal(await serving?.stop(), 0, serving?.stderr());
});

test('serve names the module it loaded the host actions from', () => {
  assert.match(serving.stderr(), /3 host actions from .*host-actions\.ts/);
});

test('the pages it serves carry the meta tag that puts the demo in remote mode', async () => {
  const html = await (await fetch(`${serving.base}/`)).text();
  assert.match(html, new RegExp(`<meta name="${API_META_NAME}" content="/" /></head>`));
});

test('deploy, start, live events over SSE to the end, and the output of the demo connector', async () => {
  const stored = await client.deploy(sampleFlow as unknown as FlowDefinition);
  assert.equal(stored.version, 1);
  const run = await client.start(sampleFlow.id, { amount: 120 });
  const events: RunEvent[] = [];
  await new Promise<void>((resolve) => {
    client.subscribe(run.id, (event) => {
      events.push(event);
      if (event.type === 'RunSucceeded' || event.type === 'RunFailed') resolve();
    });
  });
  assert.equal(events.at(-1)?.type, 'RunSucceeded', JSON.stringify(events.at(-1)));
  assert.deepEqual(
    events.map((e) => e.seq),
    events.map((_, i) => i + 1),
    'every event once, in order, from the first',
  );
  const posted = events.find((e) => e.type === 'NodeSucceeded' && e.path === 'post');
  assert.ok(posted && posted.type === 'NodeSucceeded', 'the slack.post node ran on the server');
  assert.equal((posted.output as { channel: string }).channel, '#finance');
  assert.match((posted.output as { ts: string }).ts, /^\d+(\.\d+)?$/);
  assert.deepEqual(await run.result(), { amount: 120, postedTo: '#finance' });
  const view = await client.getRun(run.id);
  assert.equal(view?.status, 'succeeded');
  assert.equal(
    view?.nodes.find((n) => n.nodeId === 'notify')?.logs[0]?.message,
    'Expense of 120 handled',
  );
});

test('a large expense waits for the approval; a signal over HTTP lets it finish', async () => {
  const run = await client.start(sampleFlow.id, { amount: 2500 });
  const token = await new Promise<string>((resolve) => {
    const stop = client.subscribe(run.id, (event) => {
      if (event.type === 'NodeSuspended') {
        stop();
        resolve(event.wait.token);
      }
    });
  });
  assert.equal((await client.getRun(run.id))?.status, 'waiting');
  assert.ok((await client.listWaiting({ flowId: sampleFlow.id })).some((w) => w.token === token));
  await client.signal(token, { approved: true, by: 'finance' });
  assert.deepEqual(await run.result(), { amount: 2500, postedTo: '#finance' });
});

test('the lifecycle the demo shows: deactivate and activate through the client', async () => {
  const status = async () =>
    (await client.listFlows({ status: ['active', 'inactive'] })).find((f) => f.id === sampleFlow.id)
      ?.status;
  await client.deactivate(sampleFlow.id);
  assert.equal(await status(), 'inactive');
  await client.activate(sampleFlow.id);
  assert.equal(await status(), 'active');
});
