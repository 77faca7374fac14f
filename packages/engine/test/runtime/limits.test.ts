import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunError } from '@millrace/engine';
import {
  advance,
  chain,
  execute,
  flaky,
  flow,
  flush,
  gated,
  harness,
  node,
  ofType,
  recorder,
  track,
  trace,
} from './helpers.ts';

// ---------------------------------------------------------------------------------------------
// maxConcurrentNodes

test('maxConcurrentNodes caps the actions running at once across all runs', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow], limits: { maxConcurrentNodes: 2 } });
  await h.engine.deploy(
    flow([
      { id: 'a', type: 'slow', input: { n: 'a' } },
      { id: 'b', type: 'slow', input: { n: 'b' } },
    ]),
  );
  const r1 = await h.engine.start('f');
  const r2 = await h.engine.start('f');
  const results = [track(r1.result()), track(r2.result())];
  await flush();
  assert.equal(slow.inFlight(), 2);
  const events2 = await h.store.readEvents(r2.id);
  assert.deepEqual(trace(ofType(events2, 'NodeScheduled')), ['NodeScheduled a', 'NodeScheduled b']);
  assert.equal(node((await h.engine.getRun(r2.id))!, 'a').status, 'scheduled');
  for (let i = 0; i < 4; i++) {
    slow.gates[i]!.resolve(i);
    await flush();
  }
  assert.equal(slow.maxInFlight(), 2);
  assert.equal(slow.calls.length, 4);
  assert.ok(results.every((r) => r.ok));
});

test('nodes waiting for a slot under maxConcurrentNodes start in the order they asked', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow], limits: { maxConcurrentNodes: 1 } });
  await h.engine.deploy(
    flow([
      { id: 'a', type: 'slow', input: { n: 'a' } },
      { id: 'b', type: 'slow', input: { n: 'b' } },
      { id: 'c', type: 'slow', input: { n: 'c' } },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  for (let i = 0; i < 3; i++) {
    await flush();
    assert.equal(slow.inFlight(), 1);
    slow.gates[i]!.resolve(i);
  }
  await flush();
  assert.deepEqual(
    slow.calls.map((c) => c.input),
    [{ n: 'a' }, { n: 'b' }, { n: 'c' }],
  );
  assert.equal(result.ok, true);
});

test('a node waiting for a slot is not started once its scope has failed', async () => {
  const slow = gated('slow');
  const boom = recorder('boom', () => {
    throw new Error('boom');
  });
  const h = harness({ actions: [slow, boom], limits: { maxConcurrentNodes: 1 } });
  await h.engine.deploy(
    flow([
      { id: 'hold', type: 'slow', input: {} },
      { id: 'bad', type: 'boom', input: {} },
      { id: 'queued', type: 'slow', input: {} },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  // hold runs; bad and queued wait for the slot, in that order.
  assert.equal(slow.calls.length, 1);
  slow.gates[0]!.resolve('held');
  await flush();
  assert.equal(result.settled, true, 'the run failed once bad ran');
  assert.equal(slow.calls.length, 1, 'queued must not start: its scope had failed');
});

test('a slot waiter of a run that already ended passes the slot on', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow], limits: { maxConcurrentNodes: 1 } });
  await h.engine.deploy(
    flow([{ id: 'x', type: 'slow', input: { who: '$<flow.input.who>' } }], [], { id: 'busy' }),
  );
  await h.engine.deploy(
    flow(
      [
        { id: 'queued', type: 'slow', input: { who: 'never' } },
        { id: 'w', type: 'wait', input: { durationMs: 100 } },
        { id: 'bad', type: 'fail', input: {} },
      ],
      chain('w', 'bad'),
    ),
  );
  const holder = await h.engine.start('busy', { who: 'holder' });
  await flush();
  const failing = await h.engine.start('f');
  const failed = track(failing.result());
  await advance(h.clock, 100);
  assert.equal(failed.settled, true, 'the second run failed while its node waited for the slot');
  slow.gates[0]!.resolve('held');
  await flush();
  assert.equal((await h.engine.getRun(holder.id))?.status, 'succeeded');
  const third = await h.engine.start('busy', { who: 'third' });
  const thirdResult = track(third.result());
  await flush();
  assert.deepEqual(
    slow.calls.map((c) => (c.input as { who: string }).who),
    ['holder', 'third'],
  );
  slow.gates[1]!.resolve('ok');
  await flush();
  assert.equal(thirdResult.value, 'ok');
});

// ---------------------------------------------------------------------------------------------
// maxConcurrentRuns

test('runs beyond a flow maxConcurrentRuns queue and start in order as slots free', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow([{ id: 's', type: 'slow', input: { i: '$<flow.input.i>' } }], [], {
      maxConcurrentRuns: 2,
    }),
  );
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await h.engine.start('f', { i }));
  const results = runs.map((r) => track(r.result()));
  await flush();
  assert.equal(slow.calls.length, 2);
  assert.deepEqual(
    await Promise.all(runs.map(async (r) => (await h.engine.getRun(r.id))?.status)),
    ['running', 'running', 'queued', 'queued', 'queued'],
  );
  assert.deepEqual(
    (await h.engine.listRuns({ status: 'queued' })).map((s) => s.runId).sort(),
    [runs[2]!.id, runs[3]!.id, runs[4]!.id].sort(),
  );
  slow.gates[1]!.resolve('one');
  await flush();
  assert.deepEqual(
    slow.calls.map((c) => c.input),
    [{ i: 0 }, { i: 1 }, { i: 2 }],
  );
  slow.gates[0]!.resolve('zero');
  await flush();
  slow.gates[2]!.resolve('two');
  await flush();
  slow.gates[3]!.resolve('three');
  slow.gates[4]!.resolve('four');
  await flush();
  assert.deepEqual(
    slow.calls.map((c) => (c.input as { i: number }).i),
    [0, 1, 2, 3, 4],
  );
  assert.equal(slow.maxInFlight(), 2);
  assert.deepEqual(
    results.map((r) => r.value),
    ['zero', 'one', 'two', 'three', 'four'],
  );
  const events = await h.store.readEvents(runs[4]!.id);
  assert.equal(events[0]!.type === 'RunCreated' && events[0]!.queued, true);
  assert.equal(events[1]!.type, 'RunStarted');
});

test('the engine-wide maxConcurrentRuns applies to flows that set none', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow], limits: { maxConcurrentRuns: 1 } });
  await h.engine.deploy(flow([{ id: 's', type: 'slow', input: {} }]));
  const a = await h.engine.start('f');
  const b = await h.engine.start('f');
  await flush();
  assert.equal(slow.calls.length, 1);
  assert.equal((await h.engine.getRun(b.id))?.status, 'queued');
  slow.gates[0]!.resolve(1);
  await flush();
  assert.equal(slow.calls.length, 2);
  assert.equal((await h.engine.getRun(a.id))?.status, 'succeeded');
});

test('a flow maxConcurrentRuns wins over the engine-wide one', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow], limits: { maxConcurrentRuns: 1 } });
  await h.engine.deploy(flow([{ id: 's', type: 'slow', input: {} }], [], { maxConcurrentRuns: 3 }));
  for (let i = 0; i < 4; i++) await h.engine.start('f');
  await flush();
  assert.equal(slow.calls.length, 3);
});

test('maxConcurrentRuns counts per flow: other flows are not held back', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(flow([{ id: 's', type: 'slow', input: {} }], [], { maxConcurrentRuns: 1 }));
  await h.engine.deploy(
    flow([{ id: 's', type: 'slow', input: {} }], [], { id: 'g', maxConcurrentRuns: 1 }),
  );
  await h.engine.start('f');
  await h.engine.start('f');
  await h.engine.start('g');
  await flush();
  assert.equal(slow.calls.length, 2);
});

test('maxConcurrentRuns still holds when parked runs wake up', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow(
      [
        { id: 'ask', type: 'approval', input: {} },
        { id: 'work', type: 'slow', input: {} },
      ],
      [{ from: 'ask', port: 'approved', to: 'work' }],
      { maxConcurrentRuns: 1 },
    ),
  );
  const first = await h.engine.start('f');
  const second = await h.engine.start('f');
  const results = [track(first.result()), track(second.result())];
  await flush();
  for (const w of await h.engine.listWaiting()) {
    await h.engine.signal(w.token, { approved: true });
    await flush();
  }
  // However parked runs are counted, two runs of this flow must never work at once.
  assert.equal(slow.inFlight(), 1);
  slow.gates[0]!.resolve('one');
  await flush();
  for (const w of await h.engine.listWaiting()) {
    await h.engine.signal(w.token, { approved: true });
    await flush();
  }
  slow.gates[1]?.resolve('two');
  await flush();
  assert.equal(slow.maxInFlight(), 1);
  assert.ok(results.every((r) => r.ok));
});

test('cancelling a queued run frees its place in the queue', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow([{ id: 's', type: 'slow', input: { i: '$<flow.input.i>' } }], [], {
      maxConcurrentRuns: 1,
    }),
  );
  const a = await h.engine.start('f', { i: 'a' });
  const b = await h.engine.start('f', { i: 'b' });
  const c = await h.engine.start('f', { i: 'c' });
  await flush();
  await h.engine.cancel(b.id);
  assert.equal((await h.engine.getRun(b.id))?.status, 'cancelled');
  slow.gates[0]!.resolve('a');
  await flush();
  assert.deepEqual(
    slow.calls.map((x) => x.input),
    [{ i: 'a' }, { i: 'c' }],
  );
  assert.equal((await h.engine.getRun(a.id))?.status, 'succeeded');
  assert.equal((await h.engine.getRun(c.id))?.status, 'running');
});

// ---------------------------------------------------------------------------------------------
// maxOutputBytes

test('an output larger than maxOutputBytes fails the node with E_OUTPUT_TOO_LARGE', async () => {
  const big = recorder('big', (input) => 'x'.repeat((input as { n: number }).n));
  const h = harness({ actions: [big], limits: { maxOutputBytes: 100 } });
  const r = await execute(
    h,
    flow([{ id: 'b', type: 'big', input: { n: 200 }, retry: { maxAttempts: 3, delayMs: 1 } }]),
  );
  assert.equal(node(r.view, 'b').error?.code, 'E_OUTPUT_TOO_LARGE');
  assert.equal(big.calls.length, 1, 'too large is not retried');
  assert.equal(node(r.view, 'b').output, undefined, 'nothing of the output is stored');
  const stored = JSON.stringify(r.events);
  assert.ok(!stored.includes('x'.repeat(101)));
  assert.equal((r.outcome.error as RunError).code, 'E_OUTPUT_TOO_LARGE');
});

test('an output exactly at maxOutputBytes is stored', async () => {
  // JSON of a 98-character string is 100 bytes with its quotes.
  const big = recorder('big', () => 'y'.repeat(98));
  const h = harness({ actions: [big], limits: { maxOutputBytes: 100 } });
  const r = await execute(h, flow([{ id: 'b', type: 'big', input: {} }]));
  assert.equal(r.view.status, 'succeeded');
});

test('maxOutputBytes counts UTF-8 bytes, not characters', async () => {
  const big = recorder('big', () => 'é'.repeat(60)); // 120 bytes + quotes
  const h = harness({ actions: [big], limits: { maxOutputBytes: 100 } });
  const r = await execute(h, flow([{ id: 'b', type: 'big', input: {} }]));
  assert.equal(node(r.view, 'b').error?.code, 'E_OUTPUT_TOO_LARGE');
});

test('maxOutputBytes applies to built-in steps too', async () => {
  const h = harness({ limits: { maxOutputBytes: 50 } });
  const r = await execute(
    h,
    flow([{ id: 't', type: 'transform', input: { s: '$<flow.input.s>' } }]),
    { s: 'z'.repeat(80) },
  );
  assert.equal(node(r.view, 't').error?.code, 'E_OUTPUT_TOO_LARGE');
});

// ---------------------------------------------------------------------------------------------
// run-level timeoutMs

test('a run that exceeds its timeoutMs fails with E_RUN_TIMEOUT and aborts what is in flight', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(flow([{ id: 's', type: 'slow', input: {} }], [], { timeoutMs: 10_000 }));
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 9_999);
  assert.equal(result.settled, false);
  await advance(h.clock, 1);
  assert.equal((result.error as RunError).code, 'E_RUN_TIMEOUT');
  assert.equal(slow.calls[0]!.ctx.signal.aborted, true);
  const view = await h.engine.getRun(run.id);
  assert.equal(view?.status, 'failed');
  assert.equal(view?.error?.code, 'E_RUN_TIMEOUT');
});

test('a run timeout also ends a parked run', async () => {
  const h = harness();
  await h.engine.deploy(
    flow([{ id: 'ask', type: 'approval', input: {} }], [], { timeoutMs: 60_000 }),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 60_000);
  assert.equal((result.error as RunError).code, 'E_RUN_TIMEOUT');
  assert.deepEqual(await h.engine.listWaiting(), []);
});

test('a run that finishes before its timeoutMs is not failed later', async () => {
  const h = harness();
  await h.engine.deploy(
    flow([{ id: 't', type: 'transform', input: { ok: 1 } }], [], { timeoutMs: 1_000 }),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 5_000);
  assert.deepEqual(result.value, { ok: 1 });
  assert.equal((await h.engine.getRun(run.id))?.status, 'succeeded');
});

test('a run timeout runs compensations and onFailure', async () => {
  const step = recorder('step');
  const undo = recorder('undo');
  const slow = gated('slow');
  const h = harness({ actions: [step, undo, slow] });
  const r = await (async () => {
    await h.engine.deploy(
      flow(
        [
          { id: 'a', type: 'step', input: {}, compensate: { type: 'undo', input: {} } },
          { id: 's', type: 'slow', input: {} },
        ],
        chain('a', 's'),
        {
          timeoutMs: 100,
          onFailure: {
            nodes: [{ id: 'why', type: 'transform', input: { code: '$<error.code>' } }],
          },
        },
      ),
    );
    const run = await h.engine.start('f');
    const result = track(run.result());
    await advance(h.clock, 100);
    return result;
  })();
  assert.equal(undo.calls.length, 1);
  assert.deepEqual((r.error as RunError).output, { code: 'E_RUN_TIMEOUT' });
});

// ---------------------------------------------------------------------------------------------
// step-result cache

const cachedFlow = (ttlMs = 60_000) =>
  flow([
    {
      id: 'lookup',
      type: 'lookup',
      input: { q: '$<flow.input.q>' },
      cache: { key: '$<flow.input.q>', ttlMs },
    },
  ]);

test('a cached node reuses the output of an earlier run with the same key', async () => {
  const lookup = recorder('lookup', (input) => ({ answer: `for ${(input as { q: string }).q}` }));
  const h = harness({ actions: [lookup] });
  const first = await execute(h, cachedFlow(), { q: 'x' });
  const run = await h.engine.start('f', { q: 'x' });
  const result = track(run.result());
  await flush();
  assert.equal(lookup.calls.length, 1);
  assert.deepEqual(result.value, { answer: 'for x' });
  assert.equal(node(first.view, 'lookup').cached, undefined);
  const view = await h.engine.getRun(run.id);
  assert.equal(node(view!, 'lookup').cached, true);
  assert.equal(node(view!, 'lookup').status, 'succeeded');
  const events = await h.store.readEvents(run.id);
  const done = ofType(events, 'NodeSucceeded')[0]!;
  assert.equal(done.cached, true);
  assert.equal(ofType(events, 'NodeStarted').length, 0, 'a cache hit runs nothing');
});

test('a different cache key runs the action again', async () => {
  const lookup = recorder('lookup', (input) => input);
  const h = harness({ actions: [lookup] });
  await execute(h, cachedFlow(), { q: 'x' });
  await execute(h, cachedFlow(), { q: 'y' });
  assert.equal(lookup.calls.length, 2);
});

test('a cache entry expires after ttlMs', async () => {
  const lookup = recorder('lookup', (_i, _c, call) => ({ call }));
  const h = harness({ actions: [lookup] });
  await execute(h, cachedFlow(1_000), { q: 'x' });
  await advance(h.clock, 999);
  const second = await execute(h, cachedFlow(1_000), { q: 'x' });
  assert.deepEqual(second.outcome.value, { call: 1 });
  await advance(h.clock, 1);
  const third = await execute(h, cachedFlow(1_000), { q: 'x' });
  assert.deepEqual(third.outcome.value, { call: 2 });
  assert.equal(lookup.calls.length, 2);
});

test('a failed attempt is not cached', async () => {
  const lookup = recorder('lookup', (_i, _c, call) => {
    if (call === 1) throw new Error('down');
    return { call };
  });
  const h = harness({ actions: [lookup] });
  const first = await execute(h, cachedFlow(), { q: 'x' });
  assert.equal(first.view.status, 'failed');
  const second = await execute(h, cachedFlow(), { q: 'x' });
  assert.deepEqual(second.outcome.value, { call: 2 });
});

test('the cache is reused within one run, across loop iterations with the same key', async () => {
  const lookup = recorder('lookup', (input) => ({ v: (input as { k: string }).k }));
  const h = harness({ actions: [lookup] });
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: ['a', 'b', 'a'] },
        nodes: [
          {
            id: 'l',
            type: 'lookup',
            input: { k: '$<item>' },
            cache: { key: '$<item>', ttlMs: 1000 },
          },
        ],
        edges: [],
      },
    ]),
  );
  assert.equal(lookup.calls.length, 2);
  assert.deepEqual(r.outcome.value, [{ v: 'a' }, { v: 'b' }, { v: 'a' }]);
  assert.equal(node(r.view, 'each[2]/l').cached, true);
});

test('a run output larger than maxOutputBytes fails the run with E_OUTPUT_TOO_LARGE', async () => {
  const h = harness({ limits: { maxOutputBytes: 60 } });
  const r = await execute(
    h,
    flow(
      [
        { id: 'a', type: 'transform', input: { s: '$<flow.input.s>' } },
        { id: 'b', type: 'transform', input: { s: '$<flow.input.s>' } },
      ],
      [],
      { output: '$<nodes.a.output.s + nodes.b.output.s>' },
    ),
    { s: 'q'.repeat(40) },
  );
  assert.equal(r.view.status, 'failed');
  assert.equal(r.view.error?.code, 'E_OUTPUT_TOO_LARGE');
});

test('a forEach whose collected output is too large fails with E_OUTPUT_TOO_LARGE', async () => {
  const h = harness({ limits: { maxOutputBytes: 100 } });
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: [1, 2, 3, 4, 5, 6, 7, 8] },
        nodes: [{ id: 'x', type: 'transform', input: { text: 'abcdefghij' } }],
        edges: [],
      },
    ]),
  );
  assert.equal(node(r.view, 'each[7]/x').status, 'succeeded');
  assert.equal(node(r.view, 'each').error?.code, 'E_OUTPUT_TOO_LARGE');
});

test('timeoutMs with continueOnError turns the timeout into an output', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow([{ id: 's', type: 'slow', input: {}, timeoutMs: 100, continueOnError: true }]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 100);
  assert.equal((result.value as { error: { code: string } }).error.code, 'E_NODE_TIMEOUT');
});

test('a node waiting for its retry delay does not hold a maxConcurrentNodes slot', async () => {
  const once = flaky('once', 1);
  const slow = gated('slow');
  const h = harness({ actions: [once, slow], limits: { maxConcurrentNodes: 1 } });
  await h.engine.deploy(
    flow([
      { id: 'a', type: 'once', input: {}, retry: { maxAttempts: 2, delayMs: 1_000 } },
      { id: 'b', type: 'slow', input: {} },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  assert.equal(once.calls.length, 1);
  assert.equal(slow.calls.length, 1, 'b runs while a waits for its retry');
  slow.gates[0]!.resolve('b');
  await advance(h.clock, 1_000);
  assert.equal(once.calls.length, 2);
  assert.equal(result.ok, true);
});

test('a run that times out while its node waits for a slot gives the slot on', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow], limits: { maxConcurrentNodes: 1 } });
  await h.engine.deploy(flow([{ id: 's', type: 'slow', input: { who: '$<flow.input.who>' } }]));
  await h.engine.deploy(
    flow([{ id: 's', type: 'slow', input: { who: 'never' } }], [], { id: 'short', timeoutMs: 100 }),
  );
  await h.engine.start('f', { who: 'holder' });
  const short = await h.engine.start('short');
  const shortResult = track(short.result());
  await advance(h.clock, 100);
  assert.equal((shortResult.error as RunError).code, 'E_RUN_TIMEOUT');
  slow.gates[0]!.resolve('held');
  await flush();
  const third = await h.engine.start('f', { who: 'third' });
  const thirdResult = track(third.result());
  await flush();
  assert.deepEqual(
    slow.calls.map((c) => (c.input as { who: string }).who),
    ['holder', 'third'],
  );
  slow.gates[1]!.resolve('ok');
  await flush();
  assert.equal(thirdResult.value, 'ok');
});

test('a cancelled run whose node waits for a slot gives the slot on', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow], limits: { maxConcurrentNodes: 1 } });
  await h.engine.deploy(flow([{ id: 's', type: 'slow', input: { who: '$<flow.input.who>' } }]));
  await h.engine.start('f', { who: 'holder' });
  const victim = await h.engine.start('f', { who: 'victim' });
  await flush();
  await h.engine.cancel(victim.id);
  slow.gates[0]!.resolve('held');
  await flush();
  await h.engine.start('f', { who: 'third' });
  await flush();
  assert.deepEqual(
    slow.calls.map((c) => (c.input as { who: string }).who),
    ['holder', 'third'],
  );
});

test('a failed run frees its maxConcurrentRuns slot for the next queued run', async () => {
  const h = harness();
  await h.engine.deploy(
    flow(
      [
        { id: 'w', type: 'wait', input: { durationMs: 100 } },
        { id: 'check', type: 'if', input: { condition: '$<flow.input.fail>' } },
        { id: 'bad', type: 'fail', input: {} },
      ],
      [...chain('w', 'check'), { from: 'check', port: 'true', to: 'bad' }],
      { maxConcurrentRuns: 1 },
    ),
  );
  const a = await h.engine.start('f', { fail: true });
  const b = await h.engine.start('f', { fail: false });
  await advance(h.clock, 100);
  assert.equal((await h.engine.getRun(a.id))?.status, 'failed');
  assert.equal((await h.engine.getRun(b.id))?.status, 'waiting');
  await advance(h.clock, 100);
  assert.equal((await h.engine.getRun(b.id))?.status, 'succeeded');
});
