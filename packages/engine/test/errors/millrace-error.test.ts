import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, MillraceError, isErrorCode, isMillraceError } from '@millrace/engine';

test('carries code, message, path and position', () => {
  const err = new MillraceError('E_EXPR_SYNTAX', 'Expected ")" after arguments', {
    path: '/nodes/0/input/url',
    position: { start: 4, end: 5 },
  });
  assert.equal(err.code, 'E_EXPR_SYNTAX');
  assert.equal(err.family, 'expr');
  assert.equal(err.path, '/nodes/0/input/url');
  assert.deepEqual(err.position, { start: 4, end: 5 });
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'MillraceError');
});

test('round-trips through JSON without losing fields', () => {
  const err = new MillraceError('E_NODE_TIMEOUT', 'Node "fetch" timed out after 100 ms', {
    path: '/nodes/2',
    details: { timeoutMs: 100 },
  });
  const back = MillraceError.fromJSON(JSON.parse(JSON.stringify(err)));
  assert.equal(back.code, 'E_NODE_TIMEOUT');
  assert.equal(back.message, err.message);
  assert.equal(back.path, '/nodes/2');
  assert.deepEqual(back.details, { timeoutMs: 100 });
  assert.equal(back.position, undefined);
});

test('omits absent fields from its JSON form', () => {
  const json = new MillraceError('E_INTERNAL', 'x').toJSON();
  assert.deepEqual(Object.keys(json).sort(), ['code', 'message', 'name']);
});

test('keeps the cause', () => {
  const cause = new TypeError('boom');
  assert.equal(new MillraceError('E_INTERNAL', 'wrapped', { cause }).cause, cause);
});

test('isMillraceError recognises structurally equal errors from another realm', () => {
  assert.ok(isMillraceError(new MillraceError('E_INTERNAL', 'x')));
  assert.ok(isMillraceError({ name: 'MillraceError', code: 'E_INTERNAL', message: 'x' }));
  assert.ok(!isMillraceError(new Error('x')));
  assert.ok(!isMillraceError(null));
});

test('every code in the table has a family and a summary', () => {
  for (const [code, entry] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^E_[A-Z_]+$/);
    assert.ok(isErrorCode(code));
    assert.ok(['flow', 'expr', 'run', 'store', 'host'].includes(entry.family), code);
    assert.ok(entry.summary.length > 10, code);
  }
  assert.ok(!isErrorCode('E_NOPE'));
  assert.ok(!isErrorCode('toString'));
});
