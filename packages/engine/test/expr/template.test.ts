import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExpressionError,
  TemplateCache,
  compileTemplate,
  createTemplateCache,
  evaluateTemplate,
  parseTemplate,
} from '../../src/expr/index.ts';
import { scanTemplate } from '../../src/expr/template-scanner.ts';

const scope = { flow: { input: { name: 'Dana', n: 3 } }, nodes: { a: { output: [1, 2] } } };

const expressions = (template: string) =>
  scanTemplate(template)
    .filter((s) => s.kind === 'expression')
    .map((s) => template.slice(s.exprStart, s.exprEnd));

test('a > between operands with a closing > later is greater-than', () => {
  assert.deepEqual(expressions('$<a > b>'), ['a > b']);
  assert.deepEqual(expressions("$<a > 1 ? 'x' : 'y'>"), ["a > 1 ? 'x' : 'y'"]);
  assert.deepEqual(expressions('$<a.length>0>'), ['a.length>0']);
});

test('a > with no closing > after it closes the expression', () => {
  assert.deepEqual(expressions('Loaded $<nodes.each.output.length> records'), [
    'nodes.each.output.length',
  ]);
  assert.deepEqual(expressions('Hello $<name>!'), ['name']);
});

test('two expressions never merge: the $ of the next one stops the look-ahead', () => {
  assert.deepEqual(expressions('$<a> and $<b>'), ['a', 'b']);
  assert.deepEqual(expressions('$<a > b> and $<c>'), ['a > b', 'c']);
});

test('> inside strings and brackets never closes', () => {
  assert.deepEqual(expressions("$<'>'>"), ["'>'"]);
  assert.deepEqual(expressions('$<f(a > b)>x'), ['f(a > b)']);
  assert.deepEqual(expressions('$<items.map(x => x)>'), ['items.map(x => x)']);
});

test('$$< is a literal $<', () => {
  const { parts } = parseTemplate('a $$<b> $<c>');
  assert.deepEqual(
    parts.map((p) => p.kind),
    ['text', 'expression'],
  );
  assert.equal(parts[0]?.kind === 'text' && parts[0].value, 'a $<b> ');
});

test('parseTemplate gives parts with offsets relative to the template', () => {
  const { parts } = parseTemplate('Hi $<flow.input.name>!');
  const expr = parts[1];
  assert.ok(expr?.kind === 'expression');
  assert.deepEqual([expr.start, expr.exprStart, expr.exprEnd, expr.end], [3, 5, 20, 21]);
  assert.deepEqual([expr.ast.start, expr.ast.end], [5, 20]);
});

test('syntax errors carry positions relative to the whole template', () => {
  try {
    compileTemplate('Hello $<len(flow');
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(err instanceof ExpressionError);
    assert.equal(err.code, 'E_EXPR_SYNTAX');
    assert.equal(
      err.message,
      "Expected ')' to close the call opened at 11, found end of expression",
    );
    assert.deepEqual(err.position, { start: 16, end: 16 });
  }
});

test('an unclosed expression is an error that points at its $<', () => {
  const { errors } = parseTemplate('ab $<x + 1', { recover: true });
  assert.equal(
    errors.at(-1)?.message,
    "Expected '>' to close the expression opened at 3, found end of template",
  );
  assert.deepEqual(errors.at(-1)?.position, { start: 3, end: 10 });
});

test('one expression alone yields the raw value; with text around it a string', () => {
  assert.deepEqual(compileTemplate('$<nodes.a.output>').evaluate(scope), [1, 2]);
  assert.equal(compileTemplate(' $<nodes.a.output>').evaluate(scope), ' [1,2]');
  assert.equal(compileTemplate('[$<null>|$<flow.input.missing>]').evaluate(scope), '[|]');
});

test('isStatic, source and references describe the template', () => {
  const t = compileTemplate('$<flow.input.name> $<nodes.a.output[0]>');
  assert.equal(t.isStatic, false);
  assert.equal(t.source, '$<flow.input.name> $<nodes.a.output[0]>');
  assert.deepEqual(
    t.references.map((r) => [r.root, r.path]),
    [
      ['flow', ['input', 'name']],
      ['nodes', ['a', 'output', 0]],
    ],
  );
  assert.equal(compileTemplate('plain $$< text').isStatic, true);
  assert.equal(compileTemplate('plain $$< text').evaluate({}), 'plain $< text');
});

test('evaluating with a scope that is not an object is a type error', () => {
  assert.throws(() => compileTemplate('$<flow>').evaluate(null as unknown as object), {
    code: 'E_EXPR_TYPE',
  });
});

test('runtime errors point at the failing part of the template', () => {
  try {
    compileTemplate('x $<nodes.b.output.id>').evaluate(scope);
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(err instanceof ExpressionError);
    assert.equal(err.code, 'E_EXPR_REFERENCE');
    assert.equal(err.message, 'nodes.b is undefined, cannot read .output');
    assert.deepEqual(err.position, { start: 4, end: 18 });
  }
});

test('evaluateTemplate compiles once and caches', () => {
  assert.equal(evaluateTemplate('$<flow.input.n * 2>', scope), 6);
  assert.equal(evaluateTemplate('$<flow.input.n * 2>', scope), 6);
});

test('TemplateCache is a bounded LRU', () => {
  const cache = createTemplateCache({ maxEntries: 2 });
  assert.ok(cache instanceof TemplateCache);
  const a = cache.get('$<1>');
  cache.get('$<2>');
  assert.equal(cache.get('$<1>'), a, 'a hit returns the same compiled template');
  cache.get('$<3>'); // evicts $<2>, the least recently used
  assert.equal(cache.size, 2);
  assert.equal(cache.get('$<1>'), a);
  assert.equal(cache.evaluate('$<2>', {}), 2);
  cache.clear();
  assert.equal(cache.size, 0);
});

test('a cache applies its limits to what it compiles', () => {
  const cache = createTemplateCache({ limits: { maxStringLength: 5 } });
  assert.throws(() => cache.evaluate("$<'abc' + 'def'>", {}), { code: 'E_EXPR_LIMIT' });
});
