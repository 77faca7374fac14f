import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRecord, WaitInfo } from '@millrace/engine';
import { readyStep } from '../../../src/runtime/decisions/ready-step.ts';

const rec = (fields: Partial<NodeRecord> & Pick<NodeRecord, 'status'>): NodeRecord => ({
  path: 'a',
  attempt: 1,
  ...fields,
});

test('a node whose incoming edges are all inactive is skipped, whatever its record', () => {
  assert.deepEqual(readyStep(false, undefined, 'a'), { kind: 'skip' });
  assert.deepEqual(readyStep(false, rec({ status: 'skipped', skipReason: 'dead' }), 'a'), {
    kind: 'skip',
  });
});

test('a new node runs its first attempt', () => {
  assert.deepEqual(readyStep(true, undefined, 'a'), { kind: 'run', attempt: 1 });
});

test('a node that only waited for a slot runs as new, with its recorded attempt', () => {
  assert.deepEqual(readyStep(true, rec({ status: 'scheduled', attempt: 3 }), 'a'), {
    kind: 'run',
    attempt: 3,
  });
});

test('a node that succeeded is resolved with its recorded port, never run again', () => {
  assert.deepEqual(readyStep(true, rec({ status: 'succeeded' }), 'a'), {
    kind: 'resolve',
    port: 'out',
  });
  assert.deepEqual(readyStep(true, rec({ status: 'succeeded', port: 'false' }), 'a'), {
    kind: 'resolve',
    port: 'false',
  });
});

test('a skipIf skip resolves on the default port, a dead skip on none', () => {
  assert.deepEqual(readyStep(true, rec({ status: 'skipped', skipReason: 'skipIf' }), 'a'), {
    kind: 'resolve',
    port: 'out',
  });
  assert.deepEqual(readyStep(true, rec({ status: 'skipped', skipReason: 'dead' }), 'a'), {
    kind: 'resolve',
    port: null,
  });
});

test('a node that failed fails its frame again, with the error naming its path', () => {
  const error = { code: 'E_ACTION_FAILED', message: 'boom' };
  assert.deepEqual(readyStep(true, rec({ status: 'failed', error }), 'each[2]/a'), {
    kind: 'fail',
    error: { ...error, nodePath: 'each[2]/a' },
  });
});

test('an aborted node does nothing: the failure that aborted it replays too', () => {
  const error = { code: 'E_NODE_ABORTED', message: 'aborted' };
  assert.deepEqual(readyStep(true, rec({ status: 'failed', error, aborted: true }), 'a'), {
    kind: 'none',
  });
});

test('a node waiting for a retry re-arms its timer at the recorded time', () => {
  assert.deepEqual(readyStep(true, rec({ status: 'retrying', attempt: 2, retryAt: 5000 }), 'a'), {
    kind: 'retry',
    attempt: 2,
    dueAt: 5000,
  });
});

test('a parked node parks again, with the signal when one was recorded before the crash', () => {
  const wait: WaitInfo = { kind: 'approval', token: 't1', path: 'a' };
  assert.deepEqual(readyStep(true, rec({ status: 'waiting', wait }), 'a'), {
    kind: 'park',
    attempt: 1,
    wait,
    signal: undefined,
  });
  assert.deepEqual(
    readyStep(true, rec({ status: 'waiting', wait, signal: { approved: true } }), 'a'),
    { kind: 'park', attempt: 1, wait, signal: { payload: { approved: true } } },
  );
});

test('a node that was running continues with its recorded input', () => {
  assert.deepEqual(
    readyStep(true, rec({ status: 'running', attempt: 2, input: { items: [1] } }), 'a'),
    { kind: 'continue', attempt: 2, input: { items: [1] } },
  );
});
