import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatedClock, createEngine, createMemoryStore, sequentialIds } from '@millrace/engine';
import { overlayOf, parsePath, runFromEvents } from '../../src/core/run-overlay.ts';

async function recordedRun() {
  const clock = new SimulatedClock();
  const store = createMemoryStore();
  const engine = createEngine({
    store,
    clock,
    ids: sequentialIds(),
    actions: [
      {
        type: 'flaky',
        title: 'Flaky',
        run: (_i, ctx) => {
          if (ctx.attempt === 1) throw new Error('first');
          return { ok: true };
        },
      },
    ],
  });
  await engine.deploy({
    format: 'millrace.flow/v1',
    id: 'o',
    nodes: [
      { id: 'try', type: 'flaky', retry: { maxAttempts: 3, delayMs: 100 } },
      {
        id: 'each',
        type: 'forEach',
        input: { items: [1, 2, 3] },
        nodes: [{ id: 'double', type: 'transform', input: { v: '$<item * 2>' } }],
      },
      { id: 'never', type: 'if', input: { condition: false } },
      { id: 'dead', type: 'log', input: { message: 'x' } },
      { id: 'ask', type: 'approval' },
    ],
    edges: [
      { from: 'try', to: 'each' },
      { from: 'each', to: 'never' },
      { from: 'never', port: 'true', to: 'dead' },
      { from: 'never', port: 'false', to: 'ask' },
    ],
  });
  const run = await engine.start('o');
  await clock.advance(1000);
  return store.readEvents(run.id);
}

test('parsePath splits loop iterations from the node id', () => {
  assert.deepEqual(parsePath('outer[1]/each[3]/x'), {
    nodeId: 'x',
    iterations: { outer: 1, each: 3 },
  });
  assert.deepEqual(parsePath('x'), { nodeId: 'x', iterations: {} });
});

test('the overlay folds a recorded event stream into per-node status', async () => {
  const run = runFromEvents(await recordedRun())!;
  const overlay = overlayOf(run);
  assert.equal(overlay.get('try')?.status, 'succeeded');
  assert.equal(overlay.get('try')?.attempts, 2);
  assert.equal(overlay.get('dead')?.status, 'skipped');
  assert.equal(overlay.get('ask')?.status, 'waiting');
  assert.equal(overlay.get('each')?.status, 'succeeded');
});

test('loop bodies offer their iterations and show the chosen one', async () => {
  const run = runFromEvents(await recordedRun())!;
  const latest = overlayOf(run).get('double')!;
  assert.deepEqual(latest.iterations, [0, 1, 2]);
  assert.deepEqual(latest.view?.output, { v: 6 });
  const first = overlayOf(run, { each: 0 }).get('double')!;
  assert.deepEqual(first.view?.output, { v: 2 });
});

test('a prefix of the stream shows the run as it was then', async () => {
  const events = await recordedRun();
  const early = overlayOf(runFromEvents(events.slice(0, 3))!);
  assert.equal(early.get('try')?.status, 'retrying');
  assert.equal(early.get('ask'), undefined);
});
