import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planWait, type WaitSite } from '../../../src/runtime/decisions/wait-plan.ts';

const site: WaitSite = {
  runId: 'r1',
  nodeId: 'w',
  path: 'each[2]/w',
  attempt: 2,
  now: 1000,
  token: 'tok',
  rawFilter: undefined,
};

test('a wait for a duration parks until now plus the duration', () => {
  assert.deepEqual(planWait('wait', { durationMs: 500 }, site), {
    kind: 'park',
    wait: { kind: 'wait', token: 'tok', path: 'each[2]/w', deadline: 1500 },
  });
});

test('a wait until a time that has passed succeeds at once', () => {
  assert.deepEqual(planWait('wait', { until: 999 }, site), {
    kind: 'done',
    output: { waitedMs: 0 },
  });
  assert.deepEqual(planWait('wait', { until: '1970-01-01T00:00:00.500Z' }, site).kind, 'done');
});

test('an approval parks with its approvers, message, form and timeout', () => {
  const plan = planWait(
    'approval',
    { approvers: ['dana', 7], message: 'OK?', form: { type: 'object' }, timeoutMs: 60 },
    site,
  );
  assert.deepEqual(plan, {
    kind: 'park',
    wait: {
      kind: 'approval',
      token: 'tok',
      path: 'each[2]/w',
      deadline: 1060,
      approvers: ['dana'],
      message: 'OK?',
      form: { type: 'object' },
    },
  });
});

test('a waitForEvent parks on its event name with its filter as written', () => {
  const plan = planWait('waitForEvent', { event: 'paid' }, { ...site, rawFilter: '$<event.ok>' });
  assert.deepEqual(plan, {
    kind: 'park',
    wait: {
      kind: 'waitForEvent',
      token: 'tok',
      path: 'each[2]/w',
      event: 'paid',
      filter: '$<event.ok>',
    },
  });
});

test("a subflow's child run id derives from the run, path and attempt", () => {
  assert.deepEqual(planWait('subflow', { flowId: 'child' }, site), {
    kind: 'park',
    wait: { kind: 'subflow', token: 'tok', path: 'each[2]/w', childRunId: 'r1.each[2].w.2' },
  });
});

test('a subflow without flowId fails with E_INPUT_INVALID', () => {
  const plan = planWait('subflow', {}, site);
  assert.equal(plan.kind, 'fail');
  assert.equal(plan.kind === 'fail' && plan.error.code, 'E_INPUT_INVALID');
});
