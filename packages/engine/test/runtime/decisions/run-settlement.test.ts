import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunError, type RunState } from '@millrace/engine';
import { runSettlement } from '../../../src/runtime/decisions/run-settlement.ts';

const state = (fields: Partial<RunState>): RunState => ({ runId: 'r1', ...fields }) as RunState;

test('a succeeded run answers with its output', () => {
  assert.deepEqual(runSettlement(state({ status: 'succeeded', output: 7 })), {
    kind: 'resolve',
    value: 7,
  });
});

test('a failed run answers with a RunError naming the failing node and the onFailure output', () => {
  const s = runSettlement(
    state({
      status: 'failed',
      error: { code: 'E_X', message: 'no', nodePath: 'each[1]/a' },
      output: { alerted: true },
    }),
  );
  assert.equal(s.kind, 'reject');
  const error = s.kind === 'reject' ? s.error : undefined;
  assert.ok(error instanceof RunError);
  assert.equal(error.code, 'E_X');
  assert.equal(error.nodePath, 'each[1]/a');
  assert.deepEqual(error.output, { alerted: true });
});

test('a cancelled run answers with E_RUN_CANCELLED', () => {
  const s = runSettlement(state({ status: 'cancelled' }));
  assert.equal(s.kind === 'reject' && s.error.code, 'E_RUN_CANCELLED');
});

test('a running run answers early once a return node set its output, else not yet', () => {
  assert.deepEqual(runSettlement(state({ status: 'running', returned: { value: 'early' } })), {
    kind: 'resolve',
    value: 'early',
  });
  assert.deepEqual(runSettlement(state({ status: 'waiting' })), { kind: 'pending' });
});
