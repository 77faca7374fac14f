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
