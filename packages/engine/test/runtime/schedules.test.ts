import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SimulatedClock,
  createEngine,
  createMemoryStore,
  sequentialIds,
  type FlowDefinition,
} from '@millrace/engine';
import { Scheduler } from '../../src/runtime/schedules.ts';

const nightly = (cron: string, timezone?: string): FlowDefinition => ({
  format: 'millrace.flow/v1',
  id: 'report',
  triggers: [
    {
      id: 'tick',
      kind: 'schedule',
      cron,
      ...(timezone ? { timezone } : {}),
      input: { source: 'schedule' },
    },
  ],
  nodes: [
    {
      id: 'echo',
      type: 'transform',
      input: { source: '$<flow.input.source>', at: '$<trigger.event.scheduledAt>' },
    },
  ],
});

test('a deployed schedule starts a run at each fire time, with the trigger input', async () => {
  const clock = new SimulatedClock(Date.UTC(2026, 0, 1, 0, 0, 0));
  const store = createMemoryStore();
  const engine = createEngine({ store, clock, ids: sequentialIds() });
  await engine.deploy(nightly('*/5 * * * *'));
  await clock.advance(16 * 60_000);
  const runs = await engine.listRuns({ flowId: 'report' });
  assert.equal(runs.length, 3);
  const times = runs.map((r) => r.createdAt).sort();
  assert.deepEqual(
    times,
    [5, 10, 15].map((m) => Date.UTC(2026, 0, 1, 0, m)),
  );
  const view = await engine.getRun(runs[0]!.runId);
  assert.equal(view?.status, 'succeeded');
  assert.equal((view?.output as { source: string }).source, 'schedule');
  await engine.close();
});

test('a new deploy re-arms the schedule and close() stops it', async () => {
  const clock = new SimulatedClock(Date.UTC(2026, 0, 1));
  const engine = createEngine({ clock, ids: sequentialIds() });
  await engine.deploy(nightly('*/5 * * * *'));
  await engine.deploy({ ...nightly('0 * * * *') });
  await clock.advance(30 * 60_000);
  assert.equal((await engine.listRuns()).length, 0);
  await clock.advance(31 * 60_000);
  assert.equal((await engine.listRuns()).length, 1);
  await engine.close();
  await clock.advance(3 * 3_600_000);
  assert.equal(clock.pending, 0);
});

test('two engines on one store start each scheduled fire once', async () => {
  const clock = new SimulatedClock(Date.UTC(2026, 0, 1));
  const store = createMemoryStore();
  const logger = { error: () => undefined };
  const a = createEngine({ store, clock, ids: sequentialIds(1), logger });
  const b = createEngine({ store, clock, ids: sequentialIds(2), logger });
  await a.deploy(nightly('*/10 * * * *'));
  await b.recover();
  await clock.advance(25 * 60_000);
  const runs = await a.listRuns();
  assert.equal(runs.length, 2);
  assert.deepEqual(new Set(runs.map((r) => r.status)), new Set(['succeeded']));
  await a.close();
  await b.close();
});

test('next fire times follow the time zone', () => {
  const trigger = {
    id: 't',
    kind: 'schedule' as const,
    cron: '0 2 * * *',
    timezone: 'Europe/Berlin',
  };
  // 02:00 in Berlin in January is 01:00 UTC.
  assert.equal(Scheduler.nextFire(trigger, Date.UTC(2026, 0, 1)), Date.UTC(2026, 0, 1, 1, 0));
  assert.equal(
    Scheduler.nextFire({ ...trigger, cron: '0 0 31 2 *' }, Date.UTC(2026, 0, 1)),
    undefined,
  );
});

const hourly = (catchUp?: 'skip' | 'runOnce', timezone?: string): FlowDefinition => ({
  ...nightly('0 * * * *', timezone),
  triggers: [
    {
      id: 'tick',
      kind: 'schedule',
      cron: '0 * * * *',
      ...(timezone ? { timezone } : {}),
      ...(catchUp ? { catchUp } : {}),
      input: { source: 'schedule' },
    },
  ],
});

test('each fire is recorded in the store, per flow and trigger', async () => {
  const clock = new SimulatedClock(Date.UTC(2026, 0, 1));
  const store = createMemoryStore();
  const engine = createEngine({ store, clock, ids: sequentialIds() });
  await engine.deploy(nightly('*/5 * * * *'));
  await clock.advance(11 * 60_000);
  assert.equal(await store.getScheduleFire('report', 'tick'), Date.UTC(2026, 0, 1, 0, 10));
  await engine.close();
});

test('a new engine over the same store does not fire a time that already fired', async () => {
  const clock = new SimulatedClock(Date.UTC(2026, 0, 1));
  const store = createMemoryStore();
  const a = createEngine({ store, clock, ids: sequentialIds(1) });
  await a.deploy(hourly('runOnce'));
  await clock.advance(60 * 60_000); // 01:00 fires
  await a.close();
  // The restart comes at the very instant of the fire: nothing is missed, nothing repeats.
  const b = createEngine({ store, clock, ids: sequentialIds(2) });
  await b.recover();
  await clock.advance(30 * 60_000);
  const runs = await b.listRuns();
  assert.deepEqual(
    runs.map((r) => r.runId),
    [`report.tick.${Date.UTC(2026, 0, 1, 1)}`],
  );
  await b.close();
});

test('catchUp runOnce: one run for the fires missed while down, then the series goes on', async () => {
  const clock = new SimulatedClock(Date.UTC(2026, 0, 1));
  const store = createMemoryStore();
  const a = createEngine({ store, clock, ids: sequentialIds(1) });
  await a.deploy(hourly('runOnce'));
  await clock.advance(60 * 60_000); // 01:00 fires
  await a.close();
  await clock.advance(3.5 * 3_600_000); // down at 02:00, 03:00, 04:00; back at 04:30
  const b = createEngine({ store, clock, ids: sequentialIds(2) });
  await b.recover();
  const afterRecover = (await b.listRuns()).map((r) => r.runId).sort();
  assert.deepEqual(afterRecover, [
    `report.tick.${Date.UTC(2026, 0, 1, 1)}`,
    `report.tick.${Date.UTC(2026, 0, 1, 4)}`, // the latest missed fire, once
  ]);
  const view = await b.getRun(`report.tick.${Date.UTC(2026, 0, 1, 4)}`);
  assert.equal(view?.status, 'succeeded');
  await clock.advance(30 * 60_000); // 05:00
  assert.equal((await b.listRuns()).length, 3);
  // A third engine right after does not catch up on 04:00 again.
  await b.close();
  const c = createEngine({ store, clock, ids: sequentialIds(3) });
  await c.recover();
  assert.equal((await c.listRuns()).length, 3);
  await c.close();
});

test('catchUp skip (the default): fires missed while down start nothing', async () => {
  for (const policy of ['skip', undefined] as const) {
    const clock = new SimulatedClock(Date.UTC(2026, 0, 1));
    const store = createMemoryStore();
    const a = createEngine({ store, clock, ids: sequentialIds(1) });
    await a.deploy(hourly(policy));
    await clock.advance(60 * 60_000);
    await a.close();
    await clock.advance(3.5 * 3_600_000);
    const b = createEngine({ store, clock, ids: sequentialIds(2) });
    await b.recover();
    assert.equal((await b.listRuns()).length, 1, `policy ${policy}`);
    await clock.advance(30 * 60_000);
    assert.equal((await b.listRuns()).length, 2, `policy ${policy}`);
    await b.close();
  }
});

test('time spent inactive is not caught up after a restart', async () => {
  const clock = new SimulatedClock(Date.UTC(2026, 0, 1));
  const store = createMemoryStore();
  const a = createEngine({ store, clock, ids: sequentialIds(1) });
  await a.deploy(hourly('runOnce'));
  await clock.advance(60 * 60_000); // 01:00
  await a.deactivate('report');
  await clock.advance(5 * 3_600_000); // 02:00–06:00 inactive
  await a.activate('report');
  await clock.advance(10 * 60_000);
  await a.close();
  const b = createEngine({ store, clock, ids: sequentialIds(2) });
  await b.recover();
  assert.equal((await b.listRuns()).length, 1);
  await b.close();
});

/** The UTC fire times of a schedule between two instants, on the simulated clock. */
async function firesBetween(cron: string, timezone: string, from: number, to: number) {
  const clock = new SimulatedClock(from);
  const engine = createEngine({ clock, ids: sequentialIds() });
  await engine.deploy({ ...nightly(cron, timezone) });
  await clock.advance(to - from);
  const runs = await engine.listRuns({ limit: 1000 });
  await engine.close();
  return runs.map((r) => new Date(r.createdAt).toISOString()).sort();
}

test('DST in Europe/Berlin: a daily 02:30 fires once on both transition days', async () => {
  // Spring (29 March 2026): 02:30 does not exist; croner fires at 03:00 CEST (01:00 UTC).
  assert.deepEqual(
    await firesBetween(
      '30 2 * * *',
      'Europe/Berlin',
      Date.UTC(2026, 2, 27, 12),
      Date.UTC(2026, 2, 31),
    ),
    [
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // the skipped 02:30 → 03:00 CEST
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ],
  );
  // Autumn (25 October 2026): 02:30 happens twice; it fires at the first (CEST) only.
  assert.deepEqual(
    await firesBetween(
      '30 2 * * *',
      'Europe/Berlin',
      Date.UTC(2026, 9, 23, 12),
      Date.UTC(2026, 9, 27),
    ),
    [
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T00:30:00.000Z', // the first 02:30 (CEST), not again at 01:30 UTC
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ],
  );
});

test('DST in Europe/Berlin: an hourly schedule fires every real hour (23 and 25 in a day)', async () => {
  const spring = await firesBetween(
    '0 * * * *',
    'Europe/Berlin',
    Date.UTC(2026, 2, 28, 23), // 00:00 CET, 29 March
    Date.UTC(2026, 2, 29, 22), // 00:00 CEST, 30 March
  );
  assert.equal(spring.length, 23);
  const autumn = await firesBetween(
    '0 * * * *',
    'Europe/Berlin',
    Date.UTC(2026, 9, 24, 22), // 00:00 CEST, 25 October
    Date.UTC(2026, 9, 25, 23), // 00:00 CET, 26 October
  );
  assert.equal(autumn.length, 25);
  assert.ok(
    autumn.includes('2026-10-25T00:00:00.000Z') && autumn.includes('2026-10-25T01:00:00.000Z'),
  );
});

test('catch-up across the autumn change in America/New_York fires the latest missed time once', async () => {
  const clock = new SimulatedClock(Date.UTC(2026, 9, 31, 12));
  const store = createMemoryStore();
  const a = createEngine({ store, clock, ids: sequentialIds(1) });
  await a.deploy({
    ...nightly('0 1 * * *', 'America/New_York'),
    triggers: [
      {
        id: 'tick',
        kind: 'schedule',
        cron: '0 1 * * *',
        timezone: 'America/New_York',
        catchUp: 'runOnce',
        input: { source: 'schedule' },
      },
    ],
  });
  await clock.advance(Date.UTC(2026, 10, 1, 4, 30) - clock.now()); // before 01:00 EDT (05:00 UTC)
  await a.close();
  // Down over 1 November (clocks fall back at 02:00 EDT) and 2 November.
  await clock.advance(Date.UTC(2026, 10, 2, 12) - clock.now());
  const b = createEngine({ store, clock, ids: sequentialIds(2) });
  await b.recover();
  const runs = (await b.listRuns()).map((r) => r.runId);
  // 01:00 EST on 2 November is 06:00 UTC: the latest missed fire.
  assert.deepEqual(runs, [`report.tick.${Date.UTC(2026, 10, 2, 6)}`]);
  await b.close();
});
