import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpressionError, parseExpression, printExpression } from '../../src/expr/index.ts';

const shape = (src: string) => printExpression(parseExpression(src).ast);

function syntaxError(src: string): ExpressionError {
  try {
    parseExpression(src);
  } catch (err) {
    assert.ok(err instanceof ExpressionError);
    return err;
  }
  assert.fail(`expected ${src} to fail`);
}

test('respects JavaScript precedence and associativity', () => {
  assert.equal(shape('1 + 2 * 3 ** 2 ** 2'), '1 + 2 * 3 ** 2 ** 2');
  const ast = parseExpression('a - b - c').ast;
  assert.equal(ast.type === 'Binary' && ast.left.type, 'Binary');
  const pow = parseExpression('a ** b ** c').ast;
  assert.equal(pow.type === 'Binary' && pow.right.type, 'Binary');
  assert.equal(shape('a || b && c'), 'a || b && c');
  assert.equal(shape('(a || b) && c'), '(a || b) && c');
  assert.equal(shape('a ? b : c ? d : e'), 'a ? b : c ? d : e');
});

test('wraps optional chains in a Chain node up to the end of the chain', () => {
  const ast = parseExpression('a?.b.c(1)').ast;
  assert.equal(ast.type, 'Chain');
  const grouped = parseExpression('(a?.b).c').ast;
  assert.equal(grouped.type, 'Member');
  assert.equal(grouped.type === 'Member' && grouped.object.type, 'Chain');
});

test('parses arrows only as call arguments', () => {
  const ast = parseExpression('items.map((a, b) => a + b)').ast;
  assert.equal(ast.type === 'Call' && ast.args[0]?.type, 'Arrow');
  assert.match(syntaxError('x => x').message, /only allowed as arguments/);
  assert.match(syntaxError('(a, b) => a').message, /only allowed as arguments/);
});

test('records absolute offsets on every node', () => {
  const ast = parseExpression('nodes.a.b').ast;
  assert.deepEqual([ast.start, ast.end], [0, 9]);
});

test("says what was expected and where it was opened: ')' of a call", () => {
  const err = syntaxError('len(nodes.x');
  assert.equal(err.code, 'E_EXPR_SYNTAX');
  assert.equal(err.message, "Expected ')' to close the call opened at 3, found end of expression");
  assert.deepEqual(err.position, { start: 11, end: 11 });
});

test('reports an unexpected token after a complete expression', () => {
  const err = syntaxError('a b');
  assert.equal(err.message, "Unexpected 'b' after the end of the expression");
  assert.deepEqual(err.position, { start: 2, end: 3 });
});

test('explains unsupported JavaScript', () => {
  assert.match(syntaxError('new Date()').message, /cannot construct objects/);
  assert.match(syntaxError('this.x').message, /'this' is not available/);
  assert.match(syntaxError('a ?? b || c').message, /Cannot mix '\?\?'/);
  assert.match(syntaxError('-a ** 2').message, /Wrap the unary expression/);
  assert.match(syntaxError('items.map(x => { x })').message, /block body/);
  assert.match(syntaxError('[1,,2]').message, /Empty array elements/);
});

test('limits nesting with E_EXPR_LIMIT instead of overflowing the stack', () => {
  const deep = '('.repeat(10_000) + '1' + ')'.repeat(10_000);
  assert.equal(syntaxError(deep).code, 'E_EXPR_LIMIT');
  assert.equal(syntaxError('a' + '.b'.repeat(5000)).code, 'E_EXPR_LIMIT');
  assert.doesNotThrow(() => parseExpression('(((1)))', { maxDepth: 10 }));
});

test('with recover, returns every error and a partial AST instead of throwing', () => {
  const { ast, errors } = parseExpression('len(a +) + [1, 2', { recover: true });
  assert.ok(errors.length >= 2);
  assert.ok(errors.every((e) => e instanceof ExpressionError && e.code === 'E_EXPR_SYNTAX'));
  assert.equal(ast.type, 'Binary');
});

test('with recover, an incomplete member access keeps its object', () => {
  const { ast, errors } = parseExpression('nodes.', { recover: true });
  assert.equal(errors.length, 1);
  assert.equal(ast.type === 'Member' && ast.object.type, 'Identifier');
});

test('with recover, too deep input stops with one limit error', () => {
  const { errors } = parseExpression('['.repeat(5000), { recover: true });
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.code, 'E_EXPR_LIMIT');
});
