import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WaitInfo } from '@millrace/engine';
import {
  deadlineOutcome,
  decisionOf,
  signalProblem,
  waitOutcome,
} from '../../../src/runtime/decisions/wait-outcome.ts';

const approval: WaitInfo = { kind: 'approval', token: 't', path: 'a' };

test('an approval decision comes from `decision` or the boolean `approved`', () => {
  assert.equal(decisionOf({ decision: 'rejected' }), 'rejected');
  assert.equal(decisionOf({ approved: true }), 'approved');
  assert.equal(decisionOf({ approved: 'yes' }), undefined);
});

test('an approval signal without a decision is refused', () => {
  assert.equal(signalProblem(approval, {})?.code, 'E_SIGNAL_INVALID');
  assert.equal(signalProblem(approval, { approved: false }), undefined);
});

test('only a listed approver may decide', () => {
  const wait = { ...approval, approvers: ['dana'] };
  assert.match(signalProblem(wait, { approved: true, by: 'eve' })?.message ?? '', /Only dana/);
  assert.equal(signalProblem(wait, { approved: true, by: 'dana' }), undefined);
});

test("an approval's form data must match the form's schema", () => {
  const wait = {
    ...approval,
    form: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
  };
  const problem = signalProblem(wait, { approved: true, data: { amount: 'x' } });
  assert.equal(problem?.code, 'E_SIGNAL_INVALID');
  assert.equal(signalProblem(wait, { approved: true, data: { amount: 3 } }), undefined);
  assert.equal(signalProblem(wait, { approved: false }), undefined); // a rejection needs no form
});

test('signals to other waits are never refused here', () => {
  assert.equal(signalProblem({ kind: 'waitForEvent', token: 't', path: 'a' }, 42), undefined);
});

test('an approval leaves on the port of its decision, with who decided and why', () => {
  assert.deepEqual(waitOutcome(approval, { approved: true, by: 'dana', comment: 'fine' }, 5), {
    kind: 'succeed',
    output: { decision: 'approved', by: 'dana', comment: 'fine' },
    port: 'approved',
  });
});

test("a subflow outputs its child's output, or fails the attempt when the child did not succeed", () => {
  const wait: WaitInfo = { kind: 'subflow', token: 't', path: 'a', childRunId: 'r.a.1' };
  assert.deepEqual(waitOutcome(wait, { status: 'succeeded', output: 7 }, 0), {
    kind: 'succeed',
    output: 7,
  });
  const failed = waitOutcome(wait, { status: 'failed', error: { code: 'E_X', message: 'no' } }, 0);
  assert.equal(failed.kind, 'fail');
  assert.equal(failed.kind === 'fail' && failed.error.code, 'E_SUBFLOW_FAILED');
  assert.deepEqual(failed.kind === 'fail' && failed.error.details, {
    childRunId: 'r.a.1',
    error: { code: 'E_X', message: 'no' },
  });
});

test('a wait outputs how long it waited; a waitForEvent the event payload', () => {
  assert.deepEqual(waitOutcome({ kind: 'wait', token: 't', path: 'a' }, {}, 250), {
    kind: 'succeed',
    output: { waitedMs: 250 },
  });
  assert.deepEqual(waitOutcome({ kind: 'waitForEvent', token: 't', path: 'a' }, { id: 1 }, 0), {
    kind: 'succeed',
    output: { id: 1 },
  });
});

test('a deadline times out approvals and waitForEvent nodes on their timeout port', () => {
  assert.deepEqual(deadlineOutcome(approval, 'deadline'), {
    kind: 'succeed',
    output: { decision: 'timeout' },
    port: 'timeout',
  });
  assert.deepEqual(deadlineOutcome({ kind: 'waitForEvent', token: 't', path: 'a' }, 'deadline'), {
    kind: 'succeed',
    output: null,
    port: 'timeout',
  });
  assert.deepEqual(deadlineOutcome(approval, 'retry'), { kind: 'none' });
});
