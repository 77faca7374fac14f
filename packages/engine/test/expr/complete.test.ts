import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeAt, type CompletionScope } from '../../src/expr/index.ts';

const scope: CompletionScope = {
  roots: ['flow', 'nodes', 'vars'],
  nodes: {
    extract: {
      title: 'Extract data',
      outputSchema: {
        type: 'object',
        properties: {
          records: {
            type: 'array',
            items: {
              type: 'object',
              properties: { id: { type: 'number' }, 'first name': { type: 'string' } },
            },
          },
          count: { type: 'integer', description: 'How many records' },
        },
      },
    },
    validate: { sample: { is_valid: true, reasons: ['a'] } },
  },
  samples: { flow: { input: { source: 'https://x' } }, vars: { region: 'eu' } },
};

const labels = (template: string, offset = template.length) =>
  completeAt(template, offset, scope).map((c) => c.label);

test('proposes node ids after nodes., replacing the partial word', () => {
  assert.deepEqual(completeAt('$<nodes.ex', 10, scope), [
    { label: 'extract', kind: 'node', detail: 'Extract data', from: 8, to: 10 },
  ]);
  assert.deepEqual(labels('$<nodes.'), ['extract', 'validate']);
});

test('proposes output, status, error and attempts after nodes.<id>.', () => {
  assert.deepEqual(labels('$<nodes.extract.'), ['attempts', 'error', 'output', 'status']);
});

test('proposes fields from the output schema', () => {
  const out = completeAt('$<nodes.extract.output.', 23, scope);
  assert.deepEqual(
    out.map((c) => c.label),
    ['count', 'records'],
  );
  assert.equal(out[0]?.detail, 'How many records');
});

test('proposes fields from sample data when there is no schema', () => {
  assert.deepEqual(labels('$<nodes.validate.output.'), ['is_valid', 'reasons']);
  assert.deepEqual(labels('$<flow.input.'), ['source']);
  assert.deepEqual(labels('$<vars.'), ['region']);
});

test('proposes length and methods for arrays, and array items after [n]', () => {
  const out = labels('$<nodes.extract.output.records.');
  assert.ok(out.includes('length') && out.includes('map') && out.includes('filter'));
  assert.deepEqual(labels('$<nodes.extract.output.records[0].'), ["['first name']", 'id']);
  const quoted = completeAt('$<nodes.extract.output.records[0].', 34, scope)[0];
  assert.deepEqual([quoted?.from, quoted?.to], [33, 34], 'a quoted key replaces the dot as well');
});

test('proposes string methods after a string field', () => {
  assert.deepEqual(labels('$<nodes.extract.output.records[0].first'), ["['first name']"]);
  assert.ok(labels('$<vars.region.').includes('toUpperCase'));
});

test('knows the items of the array an arrow function iterates', () => {
  assert.deepEqual(labels('$<nodes.extract.output.records.map(r => r.'), ["['first name']", 'id']);
  assert.deepEqual(labels('$<nodes.extract.output.records.map(r => r.i'), ['id']);
});

test('proposes roots, parameters, functions and keywords at a name position', () => {
  const out = completeAt('$<', 2, scope);
  const roots = out.filter((c) => c.kind === 'root').map((c) => c.label);
  assert.deepEqual(roots, ['flow', 'nodes', 'vars']);
  assert.ok(out.some((c) => c.kind === 'function' && c.label === 'len'));
  assert.ok(out.some((c) => c.kind === 'keyword' && c.label === 'true'));
  assert.deepEqual(labels('$<items.map(rec => re'), ['rec', 'replace']);
});

test('filters by the typed prefix, case-insensitively', () => {
  assert.deepEqual(labels('$<FL'), ['flow', 'flatten', 'floor']);
});

test('returns nothing outside expressions, after an operand, or inside a string', () => {
  assert.deepEqual(labels('plain text'), []);
  assert.deepEqual(labels('$<a> text', 8), []);
  assert.deepEqual(labels('$<flow ', 7), []);
  assert.deepEqual(labels("$<'nod", 6), []);
});

test('unknown values get no member completions', () => {
  assert.deepEqual(labels('$<nodes.nothere.output.'), []);
  assert.deepEqual(labels('$<len(x).'), []);
});
