import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScriptCallRecord } from '@millrace/engine';
import { sameJson, scriptCallStep } from '../../../src/runtime/decisions/script-call-step.ts';

const record = (extra: Partial<ScriptCallRecord> = {}): ScriptCallRecord => ({
  attempt: 1,
  index: 0,
  kind: 'action',
  name: 'send',
  input: { to: 'dana', tags: ['a', 'b'] },
  status: 'succeeded',
  output: { id: 1 },
  startedAt: 0,
  ...extra,
});

describe('scriptCallStep', () => {
  test('no record: perform the call', () => {
    assert.deepEqual(scriptCallStep(undefined, 0, 'action', 'send', {}), { kind: 'perform' });
  });

  test('the same call, finished: replay its output or its error', () => {
    assert.deepEqual(
      scriptCallStep(record(), 0, 'action', 'send', { tags: ['a', 'b'], to: 'dana' }),
      { kind: 'replay', output: { id: 1 } },
    );
    const error = { code: 'E_NO', message: 'no' };
    assert.deepEqual(
      scriptCallStep(record({ status: 'failed', error }), 0, 'action', 'send', {
        to: 'dana',
        tags: ['a', 'b'],
      }),
      { kind: 'replay-error', error },
    );
  });

  test('the same call, started but not finished: perform it again (same child run)', () => {
    assert.deepEqual(
      scriptCallStep(
        record({ kind: 'subflow', name: 'child', status: 'running', childRunId: 'r.x.1.call-0' }),
        0,
        'subflow',
        'child',
        { to: 'dana', tags: ['a', 'b'] },
      ),
      { kind: 'resume', childRunId: 'r.x.1.call-0' },
    );
  });

  test('another kind, name or input at the index: E_NONDETERMINISM naming the call', () => {
    for (const [kind, name, input] of [
      ['subflow', 'send', { to: 'dana', tags: ['a', 'b'] }],
      ['action', 'sms', { to: 'dana', tags: ['a', 'b'] }],
      ['action', 'send', { to: 'dana', tags: ['b', 'a'] }],
    ] as const) {
      const step = scriptCallStep(record({ index: 3 }), 3, kind, name, input);
      assert.equal(step.kind, 'mismatch');
      if (step.kind !== 'mismatch') continue;
      assert.equal(step.error.code, 'E_NONDETERMINISM');
      assert.match(step.error.message, /call #3/);
      assert.deepEqual(step.error.details?.['got'], { kind, name, input });
    }
  });

  test('sameJson ignores key order and nothing else', () => {
    assert.ok(sameJson({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 }));
    assert.ok(!sameJson({ a: 1 }, { a: 1, b: undefined }));
    assert.ok(!sameJson([1, 2], { 0: 1, 1: 2 }));
    assert.ok(!sameJson(1, '1'));
  });
});
