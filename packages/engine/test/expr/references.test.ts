import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectReferences, parseExpression, templateReferences } from '../../src/expr/index.ts';

const refs = (src: string) =>
  collectReferences(parseExpression(src).ast).map((r) => [r.root, r.path]);

test('takes the longest static prefix of each chain', () => {
  assert.deepEqual(refs('nodes.extract.output.records[0].id'), [
    ['nodes', ['extract', 'output', 'records', 0, 'id']],
  ]);
  assert.deepEqual(refs("nodes['my-node'].output"), [['nodes', ['my-node', 'output']]]);
});

test('stops at a computed key and records the key expression separately', () => {
  assert.deepEqual(refs('nodes.a.output[vars.i].x'), [
    ['nodes', ['a', 'output']],
    ['vars', ['i']],
  ]);
});

test('stops before a method name and visits call arguments', () => {
  assert.deepEqual(refs('nodes.a.output.items.map(i => i.id + vars.k)'), [
    ['nodes', ['a', 'output', 'items']],
    ['vars', ['k']],
  ]);
});

test('arrow parameters are not references', () => {
  assert.deepEqual(refs('flow.input.list.filter(item => item.ok)'), [['flow', ['input', 'list']]]);
});

test('function names are not references, their arguments are', () => {
  assert.deepEqual(refs('len(nodes.a.output)'), [['nodes', ['a', 'output']]]);
});

test('free names that are not roots are reported too (the validator flags them)', () => {
  assert.deepEqual(refs('input.name'), [['input', ['name']]]);
});

test('offsets cover the static prefix, relative to the template', () => {
  const { references, errors } = templateReferences('Hi $<nodes.x.output.y> $<item>');
  assert.deepEqual(errors, []);
  assert.deepEqual(
    references.map((r) => [r.root, r.start, r.end]),
    [
      ['nodes', 5, 21],
      ['item', 25, 29],
    ],
  );
});

test('templateReferences recovers: it returns references and errors, never throws', () => {
  const { references, errors } = templateReferences('$<nodes.a.output + > and $<nodes.b');
  assert.deepEqual(
    references.map((r) => r.path[0]),
    ['a', 'b'],
  );
  assert.equal(errors.length, 2);
  assert.ok(errors.every((e) => e.code === 'E_EXPR_SYNTAX'));
});
