import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, type FlowDefinition, type RunView } from '@millrace/engine';
import { actions } from '../src/host-actions.ts';
import { sampleFlow } from '../src/sample-flow.ts';
import { watchRun } from '../src/watch-run.ts';

// The page's run overlay feed: live events say when, getRun says what.

const engineWithSample = async () => {
  const engine = createEngine({ actions });
  await engine.deploy(sampleFlow as unknown as FlowDefinition);
  return engine;
};

test('follows a run to its end: views as it goes, settled with the finished view, then unsubscribed', async () => {
  const engine = await engineWithSample();
  const run = await engine.start(sampleFlow.id, { amount: 120 });
  const views: RunView[] = [];
  const watched = watchRun(engine, run.id, (view) => views.push(view));
  const settled = await watched.settled;
  assert.equal(settled.status, 'succeeded');
  assert.deepEqual(settled.output, { amount: 120, postedTo: '#finance' });
  assert.equal(views.at(-1), settled);
  const seen = views.length;
  await engine.start(sampleFlow.id, { amount: 5 }); // other runs: not this watch's business
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(views.length, seen);
  await engine.close();
});

test('a run that parks settles as waiting and is still followed to its end', async () => {
  const engine = await engineWithSample();
  const run = await engine.start(sampleFlow.id, { amount: 2500 });
  let latest: RunView | undefined;
  const watched = watchRun(engine, run.id, (view) => (latest = view));
  assert.equal((await watched.settled).status, 'waiting');
  const [waiting] = await engine.listWaiting({ flowId: sampleFlow.id });
  await engine.signal(waiting!.token, { approved: true, by: 'finance' });
  await run.result();
  for (let i = 0; i < 100 && latest?.status !== 'succeeded'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(latest?.status, 'succeeded');
  await engine.close();
});

test('stop() ends the feed', async () => {
  const engine = await engineWithSample();
  const run = await engine.start(sampleFlow.id, { amount: 2500 });
  let count = 0;
  const watched = watchRun(engine, run.id, () => count++);
  await watched.settled;
  watched.stop();
  const seen = count;
  const [waiting] = await engine.listWaiting({ flowId: sampleFlow.id });
  await engine.signal(waiting!.token, { approved: false, by: 'finance' });
  await run.result().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(count, seen);
  await engine.close();
});
