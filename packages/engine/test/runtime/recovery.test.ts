import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SimulatedClock,
  createEngine,
  createMemoryStore,
  isFinished,
  sequentialIds,
  type ActionDefinition,
  type Engine,
  type FlowDefinition,
  type MemoryStore,
  type RunEvent,
} from '@millrace/engine';

// Crash at every point: for each flow, run it once uninterrupted; then for every prefix length
// k of its event log, start a fresh engine on a store holding only those k events (a crash
// right after event k was written), recover, and check that the run ends the same way and
// that no action whose success was recorded in the prefix runs again.

interface Recorder {
  readonly calls: string[];
  readonly actions: ActionDefinition[];
}

function recorder(): Recorder {
  const calls: string[] = [];
  const flaky = new Map<string, number>();
  return {
    calls,
    actions: [
      {
        type: 'work',
        title: 'Work',
        run(input, ctx) {
          calls.push(ctx.idempotencyKey);
          return { did: (input as { what?: unknown }).what ?? null, attempt: ctx.attempt };
        },
      },
      {
        type: 'flaky',
        title: 'Fails on its first attempt per path',
        run(_input, ctx) {
          calls.push(ctx.idempotencyKey);
          const n = (flaky.get(ctx.nodePath) ?? 0) + 1;
          flaky.set(ctx.nodePath, n);
          if (ctx.attempt === 1)
            throw Object.assign(new Error('transient'), { code: 'E_TRANSIENT' });
          return { ok: true, attempt: ctx.attempt };
        },
      },
      {
        type: 'boom',
        title: 'Always fails',
        run(_input, ctx) {
          calls.push(ctx.idempotencyKey);
          throw Object.assign(new Error('boom'), { code: 'E_BOOM' });
        },
      },
      {
        type: 'undo',
        title: 'Compensation',
        run(input, ctx) {
          calls.push(ctx.idempotencyKey);
          return { undone: input };
        },
      },
    ],
  };
}

const base = { format: 'millrace.flow/v1' as const };

const FLOWS: FlowDefinition[] = [
  {
    ...base,
    id: 'branches',
    nodes: [
      { id: 'a', type: 'work', input: { what: '$<flow.input.n>' } },
      { id: 'check', type: 'if', input: { condition: '$<flow.input.n > 1>' } },
      { id: 'yes', type: 'work', input: { what: 'yes' } },
      { id: 'no', type: 'work', input: { what: 'no' } },
      {
        id: 'sw',
        type: 'switch',
        cases: [{ port: 'two', when: '$<flow.input.n == 2>' }],
        join: 'any',
      },
      { id: 'two', type: 'transform', input: { v: 2 } },
      { id: 'other', type: 'transform', input: { v: 'other' } },
      { id: 'end', type: 'work', input: { what: '$<nodes.two.output.v ?? nodes.other.output.v>' } },
    ],
    edges: [
      { from: 'a', to: 'check' },
      { from: 'check', port: 'true', to: 'yes' },
      { from: 'check', port: 'false', to: 'no' },
      { from: 'yes', to: 'sw' },
      { from: 'no', to: 'sw' },
      { from: 'sw', port: 'two', to: 'two' },
      { from: 'sw', port: 'default', to: 'other' },
      { from: 'two', to: 'end' },
      { from: 'other', to: 'end' },
    ],
  },
  {
    ...base,
    id: 'loop',
    nodes: [
      {
        id: 'each',
        type: 'forEach',
        input: { items: '$<flow.input.items>' },
        parallelism: 2,
        nodes: [
          { id: 'step', type: 'work', input: { what: '$<item * 10 + index>' } },
          { id: 'shape', type: 'transform', input: { v: '$<nodes.step.output.did>' } },
        ],
        edges: [{ from: 'step', to: 'shape' }],
      },
      { id: 'sum', type: 'transform', input: { total: '$<nodes.each.output.map(o => o.v)>' } },
    ],
    edges: [{ from: 'each', to: 'sum' }],
  },
  {
    ...base,
    id: 'counter',
    vars: { count: 0 },
    nodes: [
      {
        id: 'w',
        type: 'while',
        input: { condition: '$<vars.count < 3>' },
        maxIterations: 10,
        nodes: [
          { id: 'tick', type: 'work', input: { what: '$<vars.count>' } },
          { id: 'inc', type: 'setVars', input: { count: '$<vars.count + 1>' } },
        ],
        edges: [{ from: 'tick', to: 'inc' }],
      },
      {
        id: 'done',
        type: 'transform',
        input: { count: '$<vars.count>', iterations: '$<nodes.w.output.length>' },
      },
    ],
    edges: [{ from: 'w', to: 'done' }],
  },
  {
    ...base,
    id: 'guarded',
    nodes: [
      {
        id: 't',
        type: 'try',
        nodes: [
          { id: 'retry', type: 'flaky', retry: { maxAttempts: 3, delayMs: 500 } },
          { id: 'explode', type: 'boom' },
        ],
        edges: [{ from: 'retry', to: 'explode' }],
        catch: { nodes: [{ id: 'handle', type: 'work', input: { what: '$<error.code>' } }] },
        finally: { nodes: [{ id: 'cleanup', type: 'work', input: { what: 'cleanup' } }] },
      },
      {
        id: 'g',
        type: 'group',
        nodes: [
          { id: 'left', type: 'work', input: { what: 'left' } },
          { id: 'right', type: 'work', input: { what: 'right' } },
          {
            id: 'join',
            type: 'transform',
            input: { l: '$<nodes.left.output.did>', r: '$<nodes.right.output.did>' },
            join: 'all',
          },
        ],
        edges: [
          { from: 'left', to: 'join' },
          { from: 'right', to: 'join' },
        ],
      },
    ],
    edges: [{ from: 't', to: 'g' }],
    output: { caught: '$<nodes.t.output>', joined: '$<nodes.g.output>' },
  },
  {
    ...base,
    id: 'human',
    nodes: [
      { id: 'ask', type: 'approval', input: { approvers: ['dana'], timeoutMs: 3_600_000 } },
      { id: 'pause', type: 'wait', input: { durationMs: 5000 } },
      { id: 'event', type: 'waitForEvent', input: { event: 'paid', timeoutMs: 60_000 } },
      { id: 'after', type: 'work', input: { what: '$<nodes.ask.output.decision>' } },
      { id: 'denied', type: 'work', input: { what: 'denied' } },
    ],
    edges: [
      { from: 'ask', port: 'approved', to: 'pause' },
      { from: 'ask', port: 'rejected', to: 'denied' },
      { from: 'pause', to: 'event' },
      { from: 'event', to: 'after' },
    ],
    output: '$<nodes.after.output>',
  },
  {
    ...base,
    id: 'parent',
    nodes: [
      { id: 'first', type: 'work', input: { what: 'first' } },
      { id: 'child', type: 'subflow', input: { flowId: 'branches', input: { n: 2 } } },
      { id: 'early', type: 'return', input: { value: '$<nodes.child.output>' } },
      { id: 'last', type: 'work', input: { what: 'last', skip: '$<1>' }, skipIf: '$<false>' },
      { id: 'skipped', type: 'work', skipIf: '$<true>' },
    ],
    edges: [
      { from: 'first', to: 'child' },
      { from: 'child', to: 'early' },
      { from: 'early', to: 'last' },
      { from: 'last', to: 'skipped' },
    ],
  },
  {
    ...base,
    id: 'saga',
    nodes: [
      {
        id: 'book',
        type: 'work',
        input: { what: 'book' },
        compensate: { type: 'undo', input: { booking: '$<nodes.book.output.did>' } },
      },
      {
        id: 'charge',
        type: 'work',
        input: { what: 'charge' },
        compensate: { type: 'undo', input: { charge: 'charge' } },
      },
      { id: 'soft', type: 'boom', continueOnError: true },
      { id: 'ship', type: 'boom' },
    ],
    edges: [
      { from: 'book', to: 'charge' },
      { from: 'charge', to: 'soft' },
      { from: 'soft', to: 'ship' },
    ],
    onFailure: { nodes: [{ id: 'alert', type: 'work', input: { what: '$<error.code>' } }] },
  },
];

const INPUTS: Record<string, unknown> = {
  branches: { n: 2 },
  loop: { items: [1, 2, 3, 4, 5] },
  parent: {},
};

async function drive(
  engine: Engine,
  clock: SimulatedClock,
  store: MemoryStore,
  runId: string,
): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const summary = await store.getSummary(runId);
    if (summary && isFinished(summary.status)) return;
    for (const w of await engine.listWaiting()) {
      if (w.kind === 'approval') await engine.signal(w.token, { approved: true, by: 'dana' });
      if (w.kind === 'waitForEvent' && w.event) await engine.emit(w.event, { amount: 5 });
    }
    await clock.advance(1000);
  }
  throw new Error(`run ${runId} did not finish`);
}

interface Outcome {
  status: string;
  output: unknown;
  errorCode: string | undefined;
}

async function outcome(store: MemoryStore, runId: string): Promise<Outcome> {
  const loaded = await store.load(runId);
  const last = loaded!.events[loaded!.events.length - 1] as RunEvent;
  return {
    status: loaded!.summary.status,
    output:
      last.type === 'RunSucceeded'
        ? last.output
        : last.type === 'RunFailed'
          ? (last.output ?? null)
          : null,
    errorCode: loaded!.summary.error?.code,
  };
}

for (const flow of FLOWS) {
  test(`recovers "${flow.id}" after a crash at every point of its log`, async () => {
    const clock = new SimulatedClock();
    const store = createMemoryStore();
    const rec = recorder();
    const engine = createEngine({ store, clock, ids: sequentialIds(7), actions: rec.actions });
    for (const f of FLOWS) await engine.deploy(f);
    const run = await engine.start(flow.id, INPUTS[flow.id] ?? {}, { runId: `r-${flow.id}` });
    await drive(engine, clock, store, run.id);
    const expected = await outcome(store, run.id);
    const events = await store.readEvents(run.id);
    assert.ok(events.length > 3);
    await engine.close();

    for (let k = 1; k < events.length; k++) {
      const cut = store.clone();
      cut.truncateRun(run.id, k);
      const recorded = new Set(
        events
          .slice(0, k)
          .filter((e) => e.type === 'NodeSucceeded')
          .map(
            (e) =>
              `${run.id}/${(e as { path: string }).path}/${(e as { attempt: number }).attempt}`,
          ),
      );
      const clock2 = new SimulatedClock(events[k - 1]!.at);
      const rec2 = recorder();
      const engine2 = createEngine({
        store: cut,
        clock: clock2,
        ids: sequentialIds(100 + k),
        actions: rec2.actions,
      });
      const recovered = await engine2.recover();
      assert.ok(recovered.includes(run.id), `k=${k}: run not recovered`);
      await drive(engine2, clock2, cut, run.id).catch((err: Error) => {
        throw new Error(`k=${k} (after ${events[k - 1]!.type}): ${err.message}`);
      });
      const got = await outcome(cut, run.id);
      assert.deepEqual(
        got,
        expected,
        `k=${k}: different outcome after a crash after event ${k} (${events[k - 1]!.type})`,
      );
      const again = rec2.calls.filter((key) => recorded.has(key));
      assert.deepEqual(again, [], `k=${k}: actions whose success was recorded ran again`);
      // The recovered log is still a valid log: dense sequence numbers, one terminal event.
      const log = await cut.readEvents(run.id);
      assert.deepEqual(
        log.map((e) => e.seq),
        log.map((_, i) => i + 1),
      );
      assert.equal(
        log.filter(
          (e) => e.type === 'RunSucceeded' || e.type === 'RunFailed' || e.type === 'RunCancelled',
        ).length,
        1,
      );
      await engine2.close();
    }
  });
}

test('replaying a finished run log yields the state the engine had', async () => {
  const { foldEvents, toRunView } = await import('@millrace/engine');
  const clock = new SimulatedClock();
  const store = createMemoryStore();
  const rec = recorder();
  const engine = createEngine({ store, clock, ids: sequentialIds(3), actions: rec.actions });
  for (const f of FLOWS) await engine.deploy(f);
  const run = await engine.start('loop', INPUTS['loop'], { runId: 'det' });
  await drive(engine, clock, store, run.id);
  const live = await engine.getRun(run.id);
  const replayed = toRunView(foldEvents(await store.readEvents(run.id))!);
  assert.deepEqual(replayed, live);
});
