import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, type RunEvent, type RunState } from '@millrace/engine';
import {
  isSummaryStale,
  nextWakeAt,
  runSummary,
} from '../../../src/runtime/decisions/run-summary.ts';

function fold(events: readonly Omit<RunEvent, 'seq' | 'at'>[]): RunState {
  let state: RunState | undefined;
  events.forEach(
    (e, i) => (state = applyEvent(state, { ...e, seq: i + 1, at: 100 + i } as RunEvent)),
  );
  return state!;
}

const created = {
  type: 'RunCreated',
  runId: 'r1',
  flowId: 'f',
  flowVersion: 2,
  input: {},
  trigger: { kind: 'api' },
  vars: {},
} as const;

test('the next wake of a run is its earliest timer', () => {
  const state = fold([
    created,
    { type: 'TimerScheduled', path: 'a', timerId: 'a@retry#1', dueAt: 900, purpose: 'retry' },
    { type: 'TimerScheduled', path: 'b', timerId: 'b@wait#1', dueAt: 500, purpose: 'wait' },
  ] as RunEvent[]);
  assert.equal(nextWakeAt(state), 500);
  assert.equal(nextWakeAt(fold([created] as RunEvent[])), undefined);
});

test("a run's summary names its status, parked nodes and next wake", () => {
  const wait = { kind: 'approval', token: 't1', path: 'ok' } as const;
  const state = fold([
    created,
    { type: 'NodeSuspended', path: 'ok', attempt: 1, wait },
    {
      type: 'TimerScheduled',
      path: 'ok',
      timerId: 'ok@deadline#1',
      dueAt: 5000,
      purpose: 'deadline',
    },
  ] as RunEvent[]);
  assert.deepEqual(runSummary(state), {
    runId: 'r1',
    flowId: 'f',
    flowVersion: 2,
    status: 'waiting',
    createdAt: 100,
    startedAt: 100,
    updatedAt: 102,
    waiting: [wait],
    lastSeq: 3,
    nextWakeAt: 5000,
  });
});

test('a stored summary is stale when its sequence, status or parked tokens differ', () => {
  const fresh = runSummary(fold([created] as RunEvent[]));
  assert.equal(isSummaryStale(fresh, fresh), false);
  assert.equal(isSummaryStale({ ...fresh, lastSeq: 0 }, fresh), true);
  assert.equal(isSummaryStale({ ...fresh, status: 'waiting' }, fresh), true);
  const parked = { ...fresh, waiting: [{ kind: 'wait', token: 'x', path: 'w' }] } as typeof fresh;
  assert.equal(isSummaryStale(parked, fresh), true);
});
