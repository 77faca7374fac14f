import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attemptFailureStep,
  isRetryable,
  nodeFailureStep,
} from '../../../src/runtime/decisions/failure-step.ts';

const error = { code: 'E_HTTP_STATUS', message: 'HTTP 503' };
const always = () => true;
const never = () => false;
const noRandom = () => 0.5;

test('a failed attempt is retried after the policy delay while attempts remain', () => {
  const step = attemptFailureStep(
    { retry: { maxAttempts: 3, delayMs: 100 } },
    'a',
    1,
    error,
    1000,
    noRandom,
    always,
  );
  assert.deepEqual(step, { kind: 'retry', delayMs: 100, dueAt: 1100 });
});

test('exponential backoff grows the delay with the attempt', () => {
  const step = attemptFailureStep(
    { retry: { maxAttempts: 5, delayMs: 100, backoff: 'exponential' } },
    'a',
    3,
    error,
    0,
    noRandom,
    always,
  );
  assert.deepEqual(step, { kind: 'retry', delayMs: 400, dueAt: 400 });
});

test('the last attempt is not retried: the node fails with its path', () => {
  const step = attemptFailureStep(
    { retry: { maxAttempts: 2, delayMs: 100 } },
    'each[1]/a',
    2,
    error,
    0,
    noRandom,
    always,
  );
  assert.deepEqual(step, { kind: 'fail', error: { ...error, nodePath: 'each[1]/a' } });
});

test('an error the policy does not retry fails at once, and retryable is not asked without a policy', () => {
  assert.equal(
    attemptFailureStep({ retry: { maxAttempts: 3 } }, 'a', 1, error, 0, noRandom, never).kind,
    'fail',
  );
  let asked = false;
  const step = attemptFailureStep({}, 'a', 1, error, 0, noRandom, () => (asked = true));
  assert.equal(step.kind, 'fail');
  assert.equal(asked, false);
});

test('continueOnError turns the final failure into an output', () => {
  assert.deepEqual(nodeFailureStep({ continueOnError: true }, 'a', error), {
    kind: 'recover',
    output: { error },
  });
});

test('a failure that already names a deeper node path keeps it', () => {
  const inner = { ...error, nodePath: 'group/inner' };
  assert.deepEqual(nodeFailureStep({}, 'group', inner), { kind: 'fail', error: inner });
});

test('errors that retrying cannot fix are never retryable', () => {
  assert.equal(isRetryable({ code: 'E_EXPR_TYPE', message: '' }, undefined), false);
  assert.equal(isRetryable({ code: 'E_INPUT_INVALID', message: '' }, ['E_INPUT_INVALID']), false);
});

test('retryOn lists the retryable codes, or asks its expression', () => {
  assert.equal(isRetryable(error, ['E_HTTP_STATUS']), true);
  assert.equal(isRetryable(error, ['E_TIMEOUT']), false);
  assert.equal(
    isRetryable(error, '$<error.code == "x">', () => false),
    false,
  );
  assert.equal(isRetryable(error, undefined), true);
});
