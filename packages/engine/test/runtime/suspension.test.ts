import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createEngine,
  createMemoryStore,
  SimulatedClock,
  type FlowDefinition,
} from '@millrace/engine';
import {
  advance,
  chain,
  flow,
  flush,
  harness,
  node,
  ofType,
  rejection,
  track,
  trace,
} from './helpers.ts';

const approvalFlow = (input: Record<string, unknown> = {}): FlowDefinition =>
  flow(
    [
      { id: 'ask', type: 'approval', input: { message: 'ok?', ...input } },
      { id: 'yes', type: 'transform', input: { r: 'approved', by: '$<nodes.ask.output.by>' } },
      { id: 'no', type: 'transform', input: { r: 'rejected' } },
      { id: 'late', type: 'transform', input: { r: 'timeout' } },
    ],
    [
      { from: 'ask', port: 'approved', to: 'yes' },
      { from: 'ask', port: 'rejected', to: 'no' },
      { from: 'ask', port: 'timeout', to: 'late' },
    ],
    { output: '$<nodes.yes.output ?? nodes.no.output ?? nodes.late.output>' },
  );

test('a parked run has status waiting and lists what it waits for', async () => {
  const h = harness();
  await h.engine.deploy(approvalFlow());
  const run = await h.engine.start('f');
  await flush();
  const view = await h.engine.getRun(run.id);
  assert.equal(view?.status, 'waiting');
  assert.equal(view?.waiting.length, 1);
  assert.equal(view?.waiting[0]?.kind, 'approval');
  assert.equal(view?.waiting[0]?.path, 'ask');
  assert.equal(node(view!, 'ask').status, 'waiting');
  assert.equal(node(view!, 'ask').wait?.token, view?.waiting[0]?.token);
  const listed = await h.engine.listRuns({ status: 'waiting' });
  assert.deepEqual(
    listed.map((s) => s.runId),
    [run.id],
  );
  assert.equal(listed[0]!.waiting.length, 1);
});

test('listWaiting lists each parked node with run id, path, kind, token, approvers, form and deadline', async () => {
  const h = harness();
  const form = { type: 'object', properties: { note: { type: 'string' } } };
  await h.engine.deploy(
    approvalFlow({
      approvers: ['dana'],
      form,
      timeoutMs: 3_600_000,
      message: 'Pay $<flow.input.n>?',
    }),
  );
  const run = await h.engine.start('f', { n: 5 });
  await flush();
  const waiting = await h.engine.listWaiting();
  assert.equal(waiting.length, 1);
  const w = waiting[0]!;
  assert.equal(w.runId, run.id);
  assert.equal(w.flowId, 'f');
  assert.equal(w.path, 'ask');
  assert.equal(w.kind, 'approval');
  assert.equal(typeof w.token, 'string');
  assert.deepEqual(w.approvers, ['dana']);
  assert.deepEqual(w.form, form);
  assert.equal(w.message, 'Pay 5?');
  assert.equal(w.deadline, h.clock.now() + 3_600_000);
});

test('listWaiting filters by flow id', async () => {
  const h = harness();
  await h.engine.deploy(approvalFlow());
  await h.engine.deploy({ ...approvalFlow(), id: 'other' });
  await h.engine.start('f');
  await h.engine.start('other');
  await h.engine.start('other');
  await flush();
  assert.equal((await h.engine.listWaiting()).length, 3);
  assert.equal((await h.engine.listWaiting({ flowId: 'other' })).length, 2);
  assert.deepEqual(
    (await h.engine.listWaiting({ flowId: 'f' })).map((w) => w.flowId),
    ['f'],
  );
});

test('a parked node in a loop is listed with its iteration path and each has its own token', async () => {
  const h = harness();
  await h.engine.deploy(
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: ['a', 'b', 'c'] },
        parallelism: 3,
        nodes: [{ id: 'ask', type: 'approval', input: { message: 'ok $<item>?' } }],
        edges: [],
        output: '$<item + ":" + nodes.ask.output.decision>',
      },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  const waiting = await h.engine.listWaiting();
  assert.deepEqual(waiting.map((w) => w.path).sort(), [
    'each[0]/ask',
    'each[1]/ask',
    'each[2]/ask',
  ]);
  assert.equal(new Set(waiting.map((w) => w.token)).size, 3);
  const byPath = new Map(waiting.map((w) => [w.path, w.token]));
  await h.engine.signal(byPath.get('each[2]/ask')!, { approved: true });
  await h.engine.signal(byPath.get('each[0]/ask')!, { approved: false });
  await flush();
  assert.equal(result.settled, false);
  await h.engine.signal(byPath.get('each[1]/ask')!, { approved: true });
  await flush();
  assert.deepEqual(result.value, ['a:rejected', 'b:approved', 'c:approved']);
});

test('signal with an unknown token fails with E_SIGNAL_UNKNOWN', async () => {
  const h = harness();
  const err = await rejection(h.engine.signal('tok_does_not_exist', { approved: true }));
  assert.equal(err['code'], 'E_SIGNAL_UNKNOWN');
});

test('a token wakes its node once: a second signal fails with E_SIGNAL_UNKNOWN', async () => {
  const h = harness();
  await h.engine.deploy(approvalFlow());
  const run = await h.engine.start('f');
  await flush();
  const [w] = await h.engine.listWaiting();
  await h.engine.signal(w!.token, { approved: true, by: 'a' });
  await flush();
  const err = await rejection(h.engine.signal(w!.token, { approved: false, by: 'b' }));
  assert.equal(err['code'], 'E_SIGNAL_UNKNOWN');
  const events = await h.store.readEvents(run.id);
  assert.equal(ofType(events, 'SignalReceived').length, 1);
  assert.deepEqual((await h.engine.getRun(run.id))?.output, { r: 'approved', by: 'a' });
});

test('a token is no longer valid after its timeout fired', async () => {
  const h = harness();
  await h.engine.deploy(approvalFlow({ timeoutMs: 1_000 }));
  await h.engine.start('f');
  await flush();
  const [w] = await h.engine.listWaiting();
  await advance(h.clock, 1_000);
  const err = await rejection(h.engine.signal(w!.token, { approved: true }));
  assert.equal(err['code'], 'E_SIGNAL_UNKNOWN');
});

test('signal tokens are unguessable: long, random, unrelated to the run or node', async () => {
  // The default id source (cryptoIds): tokens must not be predictable.
  const clock = new SimulatedClock();
  const engine = createEngine({ clock });
  await engine.deploy(
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: '$<flow.input.items>' },
        parallelism: 50,
        nodes: [{ id: 'approveExpense', type: 'approval', input: {} }],
        edges: [],
      },
    ]),
  );
  const run = await engine.start('f', { items: Array.from({ length: 50 }, (_v, i) => i) });
  await flush();
  const tokens = (await engine.listWaiting()).map((w) => w.token);
  assert.equal(tokens.length, 50);
  assert.equal(new Set(tokens).size, 50);
  for (const token of tokens) {
    const random = token.replace(/^[a-z]+_/, '');
    // At least 128 bits: 25 base-36 characters carry ~129 bits.
    assert.ok(random.length >= 25, `token ${token} too short`);
    assert.ok(!token.includes(run.id), 'the token must not contain the run id');
    assert.ok(!token.includes('approveExpense'), 'the token must not contain the node id');
  }
  // Neighbouring tokens share no long common prefix (no counter inside).
  const sorted = [...tokens].sort();
  for (let i = 1; i < sorted.length; i++) {
    let common = 0;
    while (sorted[i]![common] === sorted[i - 1]![common]) common++;
    assert.ok(common < 12, `tokens ${sorted[i - 1]} and ${sorted[i]} look sequential`);
  }
  // A token with one character changed wakes nothing.
  const t = tokens[0]!;
  const guess = t.slice(0, -1) + (t.endsWith('a') ? 'b' : 'a');
  const err = await rejection(engine.signal(guess, { approved: true }));
  assert.equal(err['code'], 'E_SIGNAL_UNKNOWN');
  await engine.close();
});

test('a signal resumes a parked run in another engine over the same store (the first one closed)', async () => {
  const clock = new SimulatedClock();
  const store = createMemoryStore();
  const first = harness({ store, clock });
  await first.engine.deploy(
    flow(
      [
        { id: 'before', type: 'transform', input: { n: '$<flow.input.n>' } },
        { id: 'ask', type: 'approval', input: {} },
        {
          id: 'after',
          type: 'transform',
          input: { n: '$<nodes.before.output.n + 1>', by: '$<nodes.ask.output.by>' },
        },
      ],
      [
        { from: 'before', to: 'ask' },
        { from: 'ask', port: 'approved', to: 'after' },
      ],
    ),
  );
  const run = await first.engine.start('f', { n: 41 });
  await flush();
  const [w] = await first.engine.listWaiting();
  await first.engine.close();

  const second = harness({ store, clock, seed: 99 });
  const waitingThere = await second.engine.listWaiting();
  assert.deepEqual(
    waitingThere.map((x) => x.token),
    [w!.token],
  );
  const handle = await second.engine.handle(run.id);
  const result = track(handle.result());
  await second.engine.signal(w!.token, { approved: true, by: 'dana' });
  await flush();
  assert.deepEqual(result.value, { n: 42, by: 'dana' });
  const events = await store.readEvents(run.id);
  assert.deepEqual(trace(events), [
    'RunCreated',
    'NodeSucceeded before',
    'NodeSuspended ask',
    'SignalReceived ask',
    'NodeSucceeded ask',
    'NodeSucceeded after',
    'RunSucceeded',
  ]);
  assert.deepEqual(
    events.map((e) => e.seq),
    events.map((_e, i) => i + 1),
  );
});

test('a closed engine does not act on its runs any more', async () => {
  const h = harness();
  await h.engine.deploy(
    flow(
      [
        { id: 'w', type: 'wait', input: { durationMs: 1_000 } },
        { id: 'after', type: 'transform', input: {} },
      ],
      chain('w', 'after'),
    ),
  );
  const run = await h.engine.start('f');
  await flush();
  const before = (await h.store.readEvents(run.id)).length;
  await h.engine.close();
  await advance(h.clock, 10_000);
  assert.equal((await h.store.readEvents(run.id)).length, before);
  assert.equal((await h.store.getSummary(run.id))?.status, 'waiting');
});

test('a long wait continues in another engine after recover()', async () => {
  const clock = new SimulatedClock();
  const store = createMemoryStore();
  const first = harness({ store, clock });
  await first.engine.deploy(
    flow(
      [
        { id: 'w', type: 'wait', input: { durationMs: 3_600_000 } },
        { id: 'after', type: 'transform', input: { done: true } },
      ],
      chain('w', 'after'),
    ),
  );
  const run = await first.engine.start('f');
  await advance(clock, 1_000);
  await first.engine.close();

  const second = harness({ store, clock, seed: 7 });
  assert.deepEqual(await second.engine.recover(), [run.id]);
  const result = track((await second.engine.handle(run.id)).result());
  await advance(clock, 3_598_999);
  assert.equal(result.settled, false);
  await advance(clock, 1);
  assert.deepEqual(result.value, { done: true });
});

test('an approval timeout fires in another engine after recover()', async () => {
  const clock = new SimulatedClock();
  const store = createMemoryStore();
  const first = harness({ store, clock });
  await first.engine.deploy(approvalFlow({ timeoutMs: 60_000 }));
  const run = await first.engine.start('f');
  await flush();
  await first.engine.close();

  const second = harness({ store, clock, seed: 3 });
  await second.engine.recover();
  const result = track((await second.engine.handle(run.id)).result());
  await advance(clock, 60_000);
  assert.deepEqual(result.value, { r: 'timeout' });
});

test('an event emitted on another engine wakes a waitForEvent parked by the first', async () => {
  const clock = new SimulatedClock();
  const store = createMemoryStore();
  const first = harness({ store, clock });
  await first.engine.deploy(flow([{ id: 'hear', type: 'waitForEvent', input: { event: 'ping' } }]));
  const run = await first.engine.start('f');
  await flush();
  await first.engine.close();

  const second = harness({ store, clock, seed: 5 });
  const result = track((await second.engine.handle(run.id)).result());
  const { woken } = await second.engine.emit('ping', { n: 1 });
  await flush();
  assert.equal(woken, 1);
  assert.deepEqual(result.value, { n: 1 });
});

test('a waiting run resumed elsewhere keeps the flow version it started with', async () => {
  const clock = new SimulatedClock();
  const store = createMemoryStore();
  const first = harness({ store, clock });
  const v1 = approvalFlow();
  await first.engine.deploy(v1);
  const run = await first.engine.start('f');
  await flush();
  const [w] = await first.engine.listWaiting();
  await first.engine.close();

  const second = harness({ store, clock, seed: 11 });
  await second.engine.deploy({
    ...v1,
    output: 'version two',
  });
  const result = track((await second.engine.handle(run.id)).result());
  await second.engine.signal(w!.token, { approved: true, by: 'z' });
  await flush();
  assert.deepEqual(result.value, { r: 'approved', by: 'z' });
  assert.equal((await second.engine.getRun(run.id))?.flowVersion, 1);
});

// ---------------------------------------------------------------------------------------------
// Parking inside containers: each park unloads the run, each wake reloads it from its log.

test('a while loop whose body waits resumes iteration after iteration', async () => {
  const h = harness();
  await h.engine.deploy(
    flow(
      [
        {
          id: 'loop',
          type: 'while',
          input: { condition: '$<vars.i < 3>' },
          nodes: [
            { id: 'pause', type: 'wait', input: { durationMs: 1_000 } },
            { id: 'bump', type: 'setVars', input: { i: '$<vars.i + 1>' } },
          ],
          edges: chain('pause', 'bump'),
          output: '$<vars.i>',
        },
      ],
      [],
      { vars: { i: 0 } },
    ),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 2_500);
  assert.equal(result.settled, false);
  assert.equal((await h.engine.getRun(run.id))?.vars['i'], 2);
  await advance(h.clock, 500);
  assert.deepEqual(result.value, [1, 2, 3]);
});

test('a parallel forEach whose iterations park resumes each one and keeps item order', async () => {
  const h = harness();
  await h.engine.deploy(
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: [3_000, 1_000, 2_000, 500] },
        parallelism: 2,
        nodes: [
          { id: 'pause', type: 'wait', input: { durationMs: '$<item>' } },
          { id: 'out', type: 'transform', input: { ms: '$<item>', at: '$<index>' } },
        ],
        edges: chain('pause', 'out'),
      },
    ]),
  );
  const start = h.clock.now();
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 10_000);
  assert.deepEqual(result.value, [
    { ms: 3_000, at: 0 },
    { ms: 1_000, at: 1 },
    { ms: 2_000, at: 2 },
    { ms: 500, at: 3 },
  ]);
  const view = (await h.engine.getRun(run.id))!;
  // [0] 0..3000; [1] 0..1000; [2] 1000..3000; [3] 3000..3500 (two at a time).
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => node(view, `each[${i}]/pause`).finishedAt! - start),
    [3_000, 1_000, 3_000, 3_500],
  );
});

test('an approval inside a catch region parks and resumes the try', async () => {
  const h = harness();
  await h.engine.deploy(
    flow([
      {
        id: 't',
        type: 'try',
        nodes: [{ id: 'bad', type: 'fail', input: { code: 'E_NEEDS_HUMAN' } }],
        edges: [],
        catch: {
          nodes: [
            {
              id: 'ask',
              type: 'approval',
              input: { message: 'Failed with $<error.code>; go on?' },
            },
          ],
          output: '$<nodes.ask.output.decision>',
        },
      },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  const [w] = await h.engine.listWaiting();
  assert.equal(w?.message, 'Failed with E_NEEDS_HUMAN; go on?');
  await h.engine.signal(w!.token, { approved: true });
  await flush();
  assert.equal(result.value, 'approved');
});

test('one emitted event wakes every run waiting for it', async () => {
  const h = harness();
  await h.engine.deploy(flow([{ id: 'hear', type: 'waitForEvent', input: { event: 'go' } }]));
  const runs = [await h.engine.start('f'), await h.engine.start('f'), await h.engine.start('f')];
  const results = runs.map((r) => track(r.result()));
  await flush();
  const { woken } = await h.engine.emit('go', { n: 1 });
  await flush();
  assert.equal(woken, 3);
  assert.ok(results.every((r) => r.ok));
});

test('each approval of a loop has its own deadline', async () => {
  const h = harness();
  await h.engine.deploy(
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: [1_000, 5_000] },
        parallelism: 2,
        nodes: [{ id: 'ask', type: 'approval', input: { timeoutMs: '$<item>' } }],
        edges: [],
        output: '$<nodes.ask.output.decision>',
      },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 1_000);
  const left = await h.engine.listWaiting();
  assert.deepEqual(
    left.map((w) => w.path),
    ['each[1]/ask'],
  );
  await h.engine.signal(left[0]!.token, { approved: true });
  await flush();
  assert.deepEqual(result.value, ['timeout', 'approved']);
});

test('another engine over the same store can cancel a parked run', async () => {
  const clock = new SimulatedClock();
  const store = createMemoryStore();
  const first = harness({ store, clock });
  await first.engine.deploy(approvalFlow({ timeoutMs: 60_000 }));
  const run = await first.engine.start('f');
  await flush();
  await first.engine.close();

  const second = harness({ store, clock, seed: 13 });
  await second.engine.cancel(run.id, 'cleanup');
  await flush();
  assert.equal((await second.engine.getRun(run.id))?.status, 'cancelled');
  assert.deepEqual(await second.engine.listWaiting(), []);
  const count = (await store.readEvents(run.id)).length;
  await advance(clock, 120_000);
  assert.equal((await store.readEvents(run.id)).length, count);
});
