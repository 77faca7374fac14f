import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowDefinition, RunEvent } from '@millrace/engine';
import { runFromEvents } from '../../src/core/run-overlay.ts';
import {
  TimelineBuilder,
  tickStep,
  timelineOf,
  timelineOfView,
  type Timeline,
  type TimelineRow,
} from '../../src/core/run-timeline.ts';
import { FORMAT, T0, mixedFlow, recorder } from './recorded-runs.ts';

const rowOf = (t: Timeline, path: string): TimelineRow => {
  const row = t.rows.find((r) => r.path === path);
  assert.ok(row, `no row for ${path}`);
  return row;
};

/** Segments as `kind attempt outcome start-end` with times relative to T0, for readable specs. */
const shape = (row: TimelineRow): string[] =>
  row.segments.map(
    (s) =>
      `${s.kind}${s.wait ? `:${s.wait}` : ''} #${s.attempt} ${s.outcome} ${s.start - T0}-${s.end - T0}${s.open ? ' open' : ''}`,
  );

const mixed = () => recorder().run(mixedFlow(), { approveAfterMs: 1000 });

test('a retried node gets a bar per attempt and the retry delay between them', async () => {
  const t = timelineOf(await mixed())!;
  assert.deepEqual(shape(rowOf(t, 'fetch')), [
    'attempt #1 failed 0-50',
    'retryDelay #1 failed 50-150',
    'attempt #2 succeeded 150-200',
  ]);
  const fetch = rowOf(t, 'fetch');
  assert.equal(fetch.status, 'succeeded');
  assert.equal(fetch.attempts, 2);
  assert.equal(fetch.durationMs, 200);
  assert.equal(fetch.segments[0]!.error, 'first try fails');
  assert.equal(fetch.segments[1]!.dueAt, T0 + 150);
});

test('an approval wait is one suspension, labelled with its kind, until the signal', async () => {
  const t = timelineOf(await mixed())!;
  assert.deepEqual(shape(rowOf(t, 'ask')), ['suspended:approval #1 succeeded 290-1290']);
  assert.equal(rowOf(t, 'ask').status, 'succeeded');
});

test('each forEach iteration gets its own row, in the order they ran', async () => {
  const t = timelineOf(await mixed())!;
  const inside = t.rows.filter((r) => r.nodeId === 'enrich');
  assert.deepEqual(
    inside.map((r) => [r.path, r.loops, r.start - T0, r.end - T0]),
    [
      ['each[0]/enrich', [['each', 0]], 200, 230],
      ['each[1]/enrich', [['each', 1]], 230, 260],
      ['each[2]/enrich', [['each', 2]], 260, 290],
    ],
  );
  assert.deepEqual(shape(rowOf(t, 'each')), ['attempt #1 succeeded 200-290']);
  assert.deepEqual(
    t.rows.map((r) => r.path),
    ['fetch', 'each', 'each[0]/enrich', 'each[1]/enrich', 'each[2]/enrich', 'ask', 'done'],
  );
});

test('the axis spans the run and ticks at a readable step', async () => {
  const t = timelineOf(await mixed())!;
  assert.equal(t.start, T0);
  assert.equal(t.end, T0 + 1290);
  assert.equal(t.spanMs, 1290);
  assert.equal(t.live, false);
  assert.equal(t.tickMs, 500);
  assert.deepEqual(
    t.ticks.map((k) => k.offsetMs),
    [0, 500, 1000],
  );
  assert.deepEqual(
    t.ticks.map((k) => k.at),
    [T0, T0 + 500, T0 + 1000],
  );
});

test('tick steps are 1-2-5 below a second, then whole seconds, minutes and hours', () => {
  assert.equal(tickStep(10, 5), 2);
  assert.equal(tickStep(1290, 6), 500);
  assert.equal(tickStep(45_000, 6), 10_000);
  assert.equal(tickStep(80_000, 6), 15_000);
  assert.equal(tickStep(20 * 60_000, 6), 300_000);
  assert.equal(tickStep(5 * 3_600_000, 6), 3_600_000);
  assert.equal(tickStep(20 * 86_400_000, 6), 4 * 86_400_000);
});

test('a live run: open bars extend to now, and the axis too', async () => {
  const events = await mixed();
  // Cut the stream while the approval is pending (after NodeSuspended).
  const cut = events.findIndex((e) => e.type === 'NodeSuspended') + 1;
  const t = timelineOf(events.slice(0, cut), { now: T0 + 700 })!;
  assert.equal(t.live, true);
  assert.equal(t.end, T0 + 700);
  assert.deepEqual(shape(rowOf(t, 'ask')), ['suspended:approval #1 running 290-700 open']);
  assert.equal(rowOf(t, 'ask').status, 'waiting');
  // Closed bars do not move with now.
  assert.deepEqual(shape(rowOf(t, 'fetch'))[2], 'attempt #2 succeeded 150-200');
});

test('a live retry delay is open until the next attempt starts', async () => {
  const events = await mixed();
  const cut = events.findIndex((e) => e.type === 'NodeRetryScheduled') + 1;
  const t = timelineOf(events.slice(0, cut), { now: T0 + 120 })!;
  assert.deepEqual(shape(rowOf(t, 'fetch')), [
    'attempt #1 failed 0-50',
    'retryDelay #1 failed 50-120 open',
  ]);
  assert.equal(rowOf(t, 'fetch').status, 'retrying');
});

test('without now, a live timeline ends at its last event', async () => {
  const events = await mixed();
  const t = timelineOf(events.slice(0, 3))!;
  assert.equal(t.end, T0 + 50);
  assert.equal(t.live, true);
});

test('queued time (NodeScheduled to NodeStarted) is its own segment', async () => {
  const flow = {
    format: FORMAT,
    id: 'q',
    nodes: [
      {
        id: 'each',
        type: 'forEach',
        parallelism: 2,
        input: { items: [1, 2] },
        nodes: [{ id: 'job', type: 'work', input: { ms: 40 } }],
      },
    ],
    edges: [],
  } as FlowDefinition;
  const events = await recorder({ maxConcurrentNodes: 1 }).run(flow);
  assert.ok(events.some((e) => e.type === 'NodeScheduled'));
  const t = timelineOf(events)!;
  assert.deepEqual(shape(rowOf(t, 'each[0]/job')), ['attempt #1 succeeded 0-40']);
  assert.deepEqual(shape(rowOf(t, 'each[1]/job')), [
    'queued #1 succeeded 0-40',
    'attempt #1 succeeded 40-80',
  ]);
});

test('a wait node is a suspension of kind wait, ended by its timer', async () => {
  const flow = {
    format: FORMAT,
    id: 'w',
    nodes: [{ id: 'pause', type: 'wait', input: { durationMs: 200 } }],
    edges: [],
  } as FlowDefinition;
  const t = timelineOf(await recorder().run(flow))!;
  assert.deepEqual(shape(rowOf(t, 'pause')), ['suspended:wait #1 succeeded 0-200']);
  assert.equal(rowOf(t, 'pause').segments[0]!.dueAt, T0 + 200);
});

test('a node failing for good ends with a failed attempt; the failed run closes the axis', async () => {
  const flow = {
    format: FORMAT,
    id: 'x',
    nodes: [
      { id: 'boom', type: 'flaky', input: { ms: 20 } },
      { id: 'after', type: 'transform', input: {} },
    ],
    edges: [{ from: 'boom', to: 'after' }],
  } as FlowDefinition;
  const t = timelineOf(await recorder().run(flow))!;
  assert.deepEqual(shape(rowOf(t, 'boom')), ['attempt #1 failed 0-20']);
  assert.equal(rowOf(t, 'boom').status, 'failed');
  assert.equal(t.live, false);
  assert.equal(t.end, T0 + 20);
});

test('skipped nodes have a row and no bars', async () => {
  const flow = {
    format: FORMAT,
    id: 's',
    nodes: [
      { id: 'check', type: 'if', input: { condition: false } },
      { id: 'yes', type: 'transform', input: {} },
    ],
    edges: [{ from: 'check', port: 'true', to: 'yes' }],
  } as FlowDefinition;
  const t = timelineOf(await recorder().run(flow))!;
  assert.equal(rowOf(t, 'yes').status, 'skipped');
  assert.deepEqual(rowOf(t, 'yes').segments, []);
  assert.equal(rowOf(t, 'yes').attempts, 0);
});

test('a stream without RunCreated has no timeline', () => {
  assert.equal(timelineOf([]), undefined);
});

test('folding event by event gives the same timeline as folding the whole stream', async () => {
  const events = await mixed();
  const builder = new TimelineBuilder();
  const partial: (Timeline | undefined)[] = [];
  for (const e of events) {
    builder.add(e);
    partial.push(builder.build({ now: e.at }));
  }
  assert.deepEqual(builder.build(), timelineOf(events));
  assert.equal(builder.count, events.length);
  // Each prefix equals a fresh fold of that prefix.
  events.forEach((e, i) =>
    assert.deepEqual(partial[i], timelineOf(events.slice(0, i + 1), { now: e.at })),
  );
});

test('a container retry keeps the rows of its first try, with their outcomes', () => {
  // A hand-written stream: a group retried after its inside failed (the engine resets the inside).
  const at = (ms: number) => T0 + ms;
  const events: RunEvent[] = [
    {
      seq: 1,
      at: at(0),
      type: 'RunCreated',
      runId: 'r',
      flowId: 'f',
      flowVersion: 1,
      input: {},
      trigger: { kind: 'api' },
      vars: {},
    },
    { seq: 2, at: at(0), type: 'NodeStarted', path: 'g', attempt: 1 },
    { seq: 3, at: at(0), type: 'NodeStarted', path: 'x', attempt: 1 },
    {
      seq: 4,
      at: at(10),
      type: 'NodeFailed',
      path: 'x',
      attempt: 1,
      error: { code: 'E', message: 'no' },
    },
    {
      seq: 5,
      at: at(10),
      type: 'NodeRetryScheduled',
      path: 'g',
      attempt: 1,
      error: { code: 'E', message: 'no' },
      delayMs: 5,
      dueAt: at(15),
      reset: ['x'],
    },
    { seq: 6, at: at(15), type: 'NodeStarted', path: 'g', attempt: 2 },
    { seq: 7, at: at(15), type: 'NodeStarted', path: 'x', attempt: 1 },
    { seq: 8, at: at(25), type: 'NodeSucceeded', path: 'x', attempt: 1, output: 1 },
    { seq: 9, at: at(25), type: 'NodeSucceeded', path: 'g', attempt: 2, output: 1 },
    { seq: 10, at: at(25), type: 'RunSucceeded', output: 1 },
  ];
  const t = timelineOf(events)!;
  assert.deepEqual(shape(rowOf(t, 'x')), ['attempt #1 failed 0-10', 'attempt #1 succeeded 15-25']);
  assert.deepEqual(shape(rowOf(t, 'g')), [
    'attempt #1 failed 0-10',
    'retryDelay #1 failed 10-15',
    'attempt #2 succeeded 15-25',
  ]);
});

test('from a RunView alone: one bar per node from its start to its finish', async () => {
  const events = await mixed();
  const t = timelineOfView(runFromEvents(events)!);
  assert.equal(t.start, T0);
  assert.equal(t.end, T0 + 1290);
  assert.deepEqual(shape(rowOf(t, 'fetch')), ['attempt #2 succeeded 0-200']);
  assert.deepEqual(
    t.rows.filter((r) => r.nodeId === 'enrich').map((r) => r.path),
    ['each[0]/enrich', 'each[1]/enrich', 'each[2]/enrich'],
  );
});

test('from a live RunView: a waiting node is an open suspension up to now', async () => {
  const events = await mixed();
  const cut = events.findIndex((e) => e.type === 'NodeSuspended') + 1;
  const t = timelineOfView(runFromEvents(events.slice(0, cut))!, { now: T0 + 500 });
  assert.equal(t.live, true);
  assert.equal(t.end, T0 + 500);
  const ask = rowOf(t, 'ask');
  assert.equal(ask.segments[0]?.kind, 'suspended');
  assert.equal(ask.segments[0]?.wait, 'approval');
  assert.equal(ask.segments[0]?.open, true);
  assert.equal(ask.segments[0]?.end, T0 + 500);
});

test('a loop with an output has records per iteration, which get no row of their own', async () => {
  const flow = {
    format: FORMAT,
    id: 'out',
    nodes: [
      {
        id: 'each',
        type: 'forEach',
        input: { items: [1, 2] },
        output: '$<item>',
        nodes: [{ id: 'x', type: 'work', input: { ms: 5 } }],
      },
    ],
    edges: [],
  } as FlowDefinition;
  const events = await recorder().run(flow);
  assert.ok(events.some((e) => 'path' in e && e.path === 'each[0]'));
  const paths = ['each', 'each[0]/x', 'each[1]/x'];
  assert.deepEqual(
    timelineOf(events)!.rows.map((r) => r.path),
    paths,
  );
  assert.deepEqual(
    timelineOfView(runFromEvents(events)!).rows.map((r) => r.path),
    paths,
  );
});
