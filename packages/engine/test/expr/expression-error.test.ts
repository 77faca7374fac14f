import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MillraceError, isMillraceError } from '../../src/index.ts';
import { ExpressionError, isExpressionError } from '../../src/expr/index.ts';

test('is a MillraceError of the expr family with a position', () => {
  const err = new ExpressionError('E_EXPR_TYPE', 'bad', { start: 1, end: 2 });
  assert.ok(err instanceof MillraceError);
  assert.ok(isMillraceError(err));
  assert.ok(isExpressionError(err));
  assert.equal(err.family, 'expr');
  assert.deepEqual(err.toJSON(), {
    name: 'MillraceError',
    code: 'E_EXPR_TYPE',
    message: 'bad',
    position: { start: 1, end: 2 },
  });
});

test('copies only the offsets when given an AST node as position', () => {
  const node = { type: 'Identifier', name: 'x', start: 3, end: 4 };
  assert.deepEqual(new ExpressionError('E_EXPR_REFERENCE', 'x', node).position, {
    start: 3,
    end: 4,
  });
});

test('survives the trip across a boundary as plain data', () => {
  const back = MillraceError.fromJSON(
    new ExpressionError('E_EXPR_LIMIT', 'too big', { start: 0, end: 5 }).toJSON(),
  );
  assert.ok(isExpressionError(back));
  assert.equal(back.code, 'E_EXPR_LIMIT');
});
