import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput } from '../../../src/runtime/decisions/output-check.ts';

test('a JSON output is recorded as it is; undefined becomes null', () => {
  const value = { a: [1, 'x'] };
  assert.deepEqual(checkOutput(value, 1024), { value });
  assert.deepEqual(checkOutput(undefined, 1024), { value: null });
});

test('an output that cannot be JSON fails with E_OUTPUT_NOT_JSON', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  const r = checkOutput(cyclic, 1024);
  assert.equal('error' in r && r.error.code, 'E_OUTPUT_NOT_JSON');
});

test('an output over maxOutputBytes (counted in UTF-8) fails with E_OUTPUT_TOO_LARGE', () => {
  const r = checkOutput('é'.repeat(10), 20); // 22 bytes as JSON: 2 quotes + 10 × 2
  assert.equal('error' in r && r.error.code, 'E_OUTPUT_TOO_LARGE');
  assert.deepEqual('error' in r && r.error.details, { bytes: 22, limit: 20 });
  assert.deepEqual(checkOutput('é'.repeat(9), 20), { value: 'é'.repeat(9) });
});
