import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFromEvents } from '../../src/core/run-overlay.ts';
import { createRunFeed, isEventStream } from '../../src/core/run-feed.ts';
import { timelineOf, timelineOfView } from '../../src/core/run-timeline.ts';
import type { FlowDefinition } from '@millrace/engine';
import { FORMAT, T0, mixedFlow, nestedFlow, recorder } from './recorded-runs.ts';

const mixed = () => recorder().run(mixedFlow(), { approveAfterMs: 1000 });

test('an event stream gives the same view as folding it at once', async () => {
  const events = await mixed();
  const feed = createRunFeed();
  assert.deepEqual(feed.update(events), runFromEvents(events));
  assert.equal(isEventStream(events), true);
});

test('a RunView is passed through as it is', async () => {
  const view = runFromEvents(await mixed())!;
  const feed = createRunFeed();
  assert.equal(feed.update(view), view);
  assert.equal(isEventStream(view), false);
  assert.deepEqual(feed.timeline(), timelineOfView(view));
  assert.equal(feed.update(undefined), undefined);
  assert.equal(feed.timeline(), undefined);
});

test('a live stream, reassigned longer event by event, matches a full fold at every step', async () => {
  const events = await mixed();
  const feed = createRunFeed();
  for (let n = 1; n <= events.length; n++) {
    const prefix = events.slice(0, n); // a new array each time, as a host would pass
    assert.deepEqual(feed.update(prefix), runFromEvents(prefix), `after ${n} events`);
    const now = events[n - 1]!.at + 5;
    assert.deepEqual(feed.timeline(now), timelineOf(prefix, { now }), `timeline after ${n}`);
  }
});

test('only the new tail is folded when the stream grows', async () => {
  const events = await mixed();
  let reads = 0;
  // Count reads of events by index: a full refold would read the prefix again.
  const counted = (n: number) =>
    new Proxy(events.slice(0, n), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  const feed = createRunFeed();
  feed.update(counted(10));
  reads = 0;
  feed.update(counted(12));
  // The two new events, plus the first and the former last to check the prefix.
  assert.equal(reads, 4);
});

test('events pushed onto the same array are folded too', async () => {
  const events = await mixed();
  const live = events.slice(0, 5);
  const feed = createRunFeed();
  feed.update(live);
  live.push(...events.slice(5));
  assert.deepEqual(feed.update(live), runFromEvents(events));
});

test('another run with the same ids and times (two simulated engines) is folded anew', async () => {
  const a = await recorder().run(mixedFlow(), { approveAfterMs: 1000 });
  const b = await recorder().run({ ...mixedFlow(), id: 'other' }, { approveAfterMs: 1000 });
  assert.equal(a.length, b.length);
  const feed = createRunFeed();
  feed.update(a);
  assert.equal(feed.update(b)?.flowId, 'other');
});

test('a different stream is folded from scratch', async () => {
  const a = await mixed();
  const b = await recorder().run(nestedFlow());
  const feed = createRunFeed();
  feed.update(a);
  assert.deepEqual(feed.update(b), runFromEvents(b));
  // A shorter prefix of the first stream (a host rewinding a replay) is also refolded.
  assert.deepEqual(feed.update(a.slice(0, 4)), runFromEvents(a.slice(0, 4)));
});

test('views handed out earlier do not change as the stream grows', async () => {
  const events = await mixed();
  const feed = createRunFeed();
  const cut = events.findIndex((e) => e.type === 'NodeSuspended') + 1;
  const early = feed.update(events.slice(0, cut))!;
  const copy = structuredClone(early);
  feed.update(events);
  assert.deepEqual(early, copy);
});

test('a broken stream throws the engine error and leaves no view', async () => {
  const events = await mixed();
  const feed = createRunFeed();
  assert.throws(() => feed.update(events.slice(1)), { code: 'E_STORE_CORRUPT' });
  assert.equal(feed.update([]), undefined);
  assert.equal(feed.timeline(T0), undefined);
});

test('a container retry (records dropped and run anew) is followed exactly', async () => {
  const flow = {
    format: FORMAT,
    id: 'retry-group',
    nodes: [
      {
        id: 'g',
        type: 'group',
        retry: { maxAttempts: 2, delayMs: 20 },
        nodes: [
          { id: 'a', type: 'work', input: { ms: 5 } },
          { id: 'b', type: 'failOnce' },
        ],
        edges: [{ from: 'a', to: 'b' }],
      },
    ],
    edges: [],
  } as FlowDefinition;
  const events = await recorder().run(flow);
  assert.ok(events.some((e) => e.type === 'NodeRetryScheduled' && e.reset?.length));
  const feed = createRunFeed();
  for (let n = 1; n <= events.length; n++) {
    const prefix = events.slice(0, n);
    assert.deepEqual(feed.update(prefix), runFromEvents(prefix), `after ${n} events`);
  }
  assert.equal(feed.update(events)?.status, 'succeeded');
});
