import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SimulatedClock,
  createEngine,
  createMemoryStore,
  sequentialIds,
  type ActionDefinition,
  type FlowDefinition,
} from '@millrace/engine';

const flow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'two',
  nodes: [
    { id: 'first', type: 'work', input: { n: 1 } },
    { id: 'second', type: 'work', input: { n: 2 } },
  ],
  edges: [{ from: 'first', to: 'second' }],
};

/** A `work` action that counts its calls and, while `gate` is set, waits for it. */
function work(calls: string[], gate?: Promise<void>): ActionDefinition {
  return {
    type: 'work',
    title: 'Work',
    async run(input, ctx) {
      calls.push(`${ctx.runId}/${ctx.nodePath}`);
      if (gate) await gate;
      return { n: (input as { n: number }).n };
    },
  };
}

test('two engines on one store that both recover run each node once (the run has one owner)', async () => {
  const store = createMemoryStore();
  const clock = new SimulatedClock();
  const calls: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const a = createEngine({ store, clock, ids: sequentialIds(1), actions: [work(calls, gate)] });
  await a.deploy(flow);
  const run = await a.start('two');
  await new Promise((resolve) => setImmediate(resolve));
  // A second engine (another tab, another process) starts and recovers while `first` is in flight.
  const b = createEngine({ store, clock, ids: sequentialIds(2), actions: [work(calls)] });
  assert.deepEqual(await b.recover(), [], "the run is a's");
  await assert.rejects(b.cancel(run.id), { code: 'E_RUN_OWNED' });
  open();
  assert.deepEqual(await run.result(), { n: 2 });
  assert.deepEqual(calls, [`${run.id}/first`, `${run.id}/second`]);
  // Finished: nothing left to recover, and the lease is gone.
  assert.deepEqual(await b.recover(), []);
  assert.equal(store.leases.size, 0);
  await a.close();
  await b.close();
});

test('a run whose owner stopped renewing is taken over once its lease lapses', async () => {
  const store = createMemoryStore();
  // The owner's clock stands still (the process hangs or died); the other engine's runs on.
  const stalled = new SimulatedClock(0);
  const clock = new SimulatedClock(0);
  const calls: string[] = [];
  const a = createEngine({
    store,
    clock: stalled,
    ids: sequentialIds(1),
    leaseMs: 10_000,
    actions: [work(calls, new Promise(() => undefined))],
  });
  await a.deploy(flow);
  const run = await a.start('two');
  await new Promise((resolve) => setImmediate(resolve));
  const b = createEngine({
    store,
    clock,
    ids: sequentialIds(2),
    leaseMs: 10_000,
    actions: [work(calls)],
  });
  await clock.advance(9_999);
  assert.deepEqual(await b.recover(), [], 'the lease has not lapsed yet');
  await clock.advance(1);
  assert.deepEqual(await b.recover(), [run.id]);
  assert.deepEqual(await (await b.handle(run.id)).result(), { n: 2 });
  // `first` was in flight at a's stall (never recorded): it runs again, once, in b.
  assert.deepEqual(calls, [`${run.id}/first`, `${run.id}/first`, `${run.id}/second`]);
  await b.close();
});

test('an engine renews the leases of its runs while they work', async () => {
  const store = createMemoryStore();
  const clock = new SimulatedClock(0);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const a = createEngine({
    store,
    clock,
    ids: sequentialIds(1),
    leaseMs: 9_000,
    owner: 'engine-a',
    actions: [work([], gate)],
  });
  await a.deploy(flow);
  const run = await a.start('two');
  await clock.advance(60_000);
  const lease = store.leases.get(run.id);
  assert.equal(lease?.owner, 'engine-a');
  assert.ok(lease!.until > clock.now(), 'renewed past the time a single lease would have lapsed');
  const b = createEngine({ store, clock, ids: sequentialIds(2), actions: [work([])] });
  assert.deepEqual(await b.recover(), []);
  open();
  assert.deepEqual(await run.result(), { n: 2 });
  await a.close();
  await b.close();
});

test('closing an engine releases its runs at once to the others', async () => {
  const store = createMemoryStore();
  const clock = new SimulatedClock(0);
  const calls: string[] = [];
  const a = createEngine({
    store,
    clock,
    ids: sequentialIds(1),
    actions: [work(calls, new Promise(() => undefined))],
  });
  await a.deploy(flow);
  const run = await a.start('two');
  await new Promise((resolve) => setImmediate(resolve));
  await a.close();
  const b = createEngine({ store, clock, ids: sequentialIds(2), actions: [work(calls)] });
  assert.deepEqual(await b.recover(), [run.id]);
  assert.deepEqual(await (await b.handle(run.id)).result(), { n: 2 });
  await b.close();
});

test('a deferred start is stored queued and run by the engine whose work() claims it', async () => {
  const store = createMemoryStore();
  const clock = new SimulatedClock(0);
  const calls: string[] = [];
  const front = createEngine({ store, clock, ids: sequentialIds(1), actions: [work(calls)] });
  await front.deploy(flow);
  const handles = await Promise.all([1, 2, 3].map(() => front.start('two', {}, { defer: true })));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(calls, [], 'the starting engine executes nothing');
  for (const h of handles) assert.equal((await store.getSummary(h.id))?.status, 'queued');
  const worker = createEngine({ store, clock, ids: sequentialIds(2), actions: [work(calls)] });
  const loop = worker.work({ pollMs: 100, maxRuns: 2 });
  for (let i = 0; i < 10; i++) await clock.advance(100);
  await loop.stop();
  for (const h of handles) {
    const run = await worker.getRun(h.id);
    assert.equal(run?.status, 'succeeded');
    assert.deepEqual(run?.output, { n: 2 });
  }
  assert.equal(calls.length, 6, 'each node of each run once');
  await front.close();
  await worker.close();
});

test('a parked run whose engine died is woken by another engine once its timer is due', async () => {
  const store = createMemoryStore();
  const clock = new SimulatedClock(0);
  const waiting: FlowDefinition = {
    format: 'millrace.flow/v1',
    id: 'later',
    nodes: [
      { id: 'pause', type: 'wait', input: { durationMs: 60_000 } },
      { id: 'after', type: 'work', input: { n: 7 } },
    ],
    edges: [{ from: 'pause', to: 'after' }],
  };
  const calls: string[] = [];
  const a = createEngine({
    store,
    clock: new SimulatedClock(0),
    ids: sequentialIds(1),
    actions: [work(calls)],
  });
  await a.deploy(waiting);
  const run = await a.start('later');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal((await store.getSummary(run.id))?.status, 'waiting');
  // `a` dies with the run parked: its wake timer dies with it (its clock never moves again).
  const b = createEngine({ store, clock, ids: sequentialIds(2), actions: [work(calls)] });
  const loop = b.work({ pollMs: 1_000 });
  await clock.advance(59_000);
  assert.deepEqual(calls, [], 'not due yet');
  await clock.advance(2_000);
  await loop.stop();
  assert.deepEqual(await (await b.handle(run.id)).result(), { n: 7 });
  assert.deepEqual(calls, [`${run.id}/after`]);
  await b.close();
});

test('a run the store leased in claimDue is read once and not claimed again, and released when it ends', async () => {
  const memory = createMemoryStore();
  const clock = new SimulatedClock(0);
  const calls: string[] = [];
  const front = createEngine({
    store: memory,
    clock,
    ids: sequentialIds(1),
    actions: [work(calls)],
  });
  await front.deploy(flow);
  const handles = await Promise.all([1, 2, 3].map(() => front.start('two', {}, { defer: true })));
  // A store with claimDue (as Postgres has): due runs leased in one call, from the memory
  // store's own leases; every load and claim counted.
  const loads: string[] = [];
  const claims: string[] = [];
  const store: typeof memory = {
    ...memory,
    async load(runId) {
      loads.push(runId);
      return memory.load(runId);
    },
    async claimRun(runId, owner, now, until) {
      claims.push(runId);
      return memory.claimRun!(runId, owner, now, until);
    },
    async claimDue(owner, now, until, limit) {
      const due: string[] = [];
      for (const s of await memory.listUnfinished()) {
        if (due.length >= limit) break;
        if (await memory.claimRun!(s.runId, owner, now, until)) due.push(s.runId);
      }
      return due;
    },
  };
  const worker = createEngine({ store, clock, ids: sequentialIds(2), actions: [work(calls)] });
  const loop = worker.work({ pollMs: 100, maxRuns: 3 });
  for (let i = 0; i < 10; i++) await clock.advance(100);
  await loop.stop();
  const taken = loads.filter((id) => handles.some((h) => h.id === id)).sort();
  for (const h of handles) assert.equal((await worker.getRun(h.id))?.status, 'succeeded');
  assert.equal(calls.length, 6, 'each node of each run once');
  assert.deepEqual(claims, [], 'no second claim of a run claimDue leased');
  assert.deepEqual(taken, handles.map((h) => h.id).sort(), 'each run read once to take it up');
  // Ended: the leases went back, so another owner can claim the (finished) runs at once.
  for (const h of handles)
    assert.equal(await memory.claimRun!(h.id, 'other', clock.now(), clock.now() + 1000), true);
  await front.close();
  await worker.close();
});
