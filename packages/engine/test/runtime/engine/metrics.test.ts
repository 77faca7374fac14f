import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { flowMetrics, type RunSummary } from '@millrace/engine';
import { advance, drain, flow, harness, recorder, rejection } from '../helpers.ts';

// engine.metrics(flowId, { since }): one store query, folded by flowMetrics.

function summary(runId: string, extra: Partial<RunSummary>): RunSummary {
  return {
    runId,
    flowId: 'f',
    flowVersion: 1,
    status: 'succeeded',
    createdAt: 0,
    updatedAt: 0,
    waiting: [],
    lastSeq: 1,
    ...extra,
  };
}

describe('flowMetrics', () => {
  test('counts by status, success rate over finished runs, average and nearest-rank p95', () => {
    const runs: RunSummary[] = [];
    for (let i = 1; i <= 20; i++) runs.push(summary(`s${i}`, { startedAt: 0, finishedAt: i * 10 }));
    runs.push(
      summary('f1', {
        status: 'failed',
        createdAt: 5,
        finishedAt: 105,
        error: { code: 'E_BOOM', message: 'x', nodePath: 'each[3]/call' },
      }),
      summary('f2', {
        status: 'failed',
        startedAt: 0,
        finishedAt: 10,
        error: { code: 'E_BOOM', message: 'x', nodePath: 'each[4]/call' },
      }),
      summary('f3', {
        status: 'failed',
        startedAt: 0,
        finishedAt: 10,
        error: { code: 'E_RUN_TIMEOUT', message: 'x' },
      }),
      summary('w', { status: 'waiting' }),
    );
    const m = flowMetrics('f', runs);
    assert.equal(m.runs, 24);
    assert.deepEqual(m.byStatus, {
      queued: 0,
      running: 0,
      waiting: 1,
      succeeded: 20,
      failed: 3,
      cancelled: 0,
    });
    assert.equal(m.successRate, 20 / 23);
    assert.equal(m.durationMs.count, 23);
    // 10..200 plus 100, 10, 10: sum 2100 + 120.
    assert.equal(m.durationMs.average, 2220 / 23);
    // nearest rank: ceil(0.95 * 23) = 22nd smallest of [10,10,10,20,...,200] = 190.
    assert.equal(m.durationMs.p95, 190);
    assert.deepEqual(m.errors, [
      { node: 'call', code: 'E_BOOM', count: 2 },
      { node: null, code: 'E_RUN_TIMEOUT', count: 1 },
    ]);
    assert.deepEqual(m.errorsByNode, { call: 2, '(run)': 1 });
    assert.deepEqual(m.errorsByCode, { E_BOOM: 2, E_RUN_TIMEOUT: 1 });
  });

  test('no runs: zero counts and null rates', () => {
    const m = flowMetrics('f', []);
    assert.equal(m.runs, 0);
    assert.equal(m.successRate, null);
    assert.deepEqual(m.durationMs, { count: 0, average: null, p95: null });
  });
});

describe('engine.metrics', () => {
  test('from the store: runs since a time, durations on the engine clock, errors by node', async () => {
    const work = recorder('work', (input) => {
      if ((input as { fail?: boolean }).fail)
        throw Object.assign(new Error('no'), { code: 'E_NO' });
      return {};
    });
    const h = harness({ actions: [work] });
    await h.engine.deploy(
      flow(
        [
          { id: 'pause', type: 'wait', input: { durationMs: '$<flow.input.ms>' } },
          { id: 'step', type: 'work', input: { fail: '$<flow.input.fail>' } },
        ],
        [{ from: 'pause', to: 'step' }],
      ),
    );
    const start = async (input: unknown) => {
      const handle = await h.engine.start('f', input);
      handle.result().catch(() => undefined);
      await drain(h.clock);
    };
    await start({ ms: 1000, fail: false });
    await advance(h.clock, 60_000);
    const since = h.clock.now();
    await start({ ms: 2000, fail: false });
    await start({ ms: 4000, fail: true });
    await start({ ms: 1000, fail: true });

    const all = await h.engine.metrics('f');
    assert.equal(all.runs, 4);
    const m = await h.engine.metrics('f', { since });
    assert.equal(m.runs, 3);
    assert.equal(m.since, since);
    assert.equal(m.byStatus.succeeded, 1);
    assert.equal(m.byStatus.failed, 2);
    assert.equal(m.successRate, 1 / 3);
    assert.equal(m.durationMs.average, 7000 / 3);
    assert.equal(m.durationMs.p95, 4000);
    assert.deepEqual(m.errors, [{ node: 'step', code: 'E_NO', count: 2 }]);
    assert.equal(
      (await rejection(h.engine.metrics('f', { since: Number.NaN })))['code'],
      'E_INVALID_ARGUMENT',
    );
  });
});
