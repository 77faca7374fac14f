import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_ACTIONS } from '@millrace/engine';
import { nodeFormSections } from '../../src/core/control-schemas.ts';
import { formFieldsOf, type FormField } from '../../src/core/schema-form.ts';

const http = BUILTIN_ACTIONS.find((a) => a.type === 'http')!;

/** Every section's fields as [pointer, kind]. */
function formOf(type: string, node: Record<string, unknown>): [string, string][] {
  return nodeFormSections(type, type === 'http' ? http : undefined).flatMap((section) => {
    let value: unknown = node;
    for (const s of section.path) value = (value as Record<string, unknown> | undefined)?.[s];
    const root = formFieldsOf(section.schema, value, {
      path: section.path,
      partial: section.path.length === 0,
    });
    return root.kind === 'object' ? root.fields.map((f: FormField) => [f.pointer, f.kind]) : [];
  }) as [string, string][];
}

test('an action edits its input with the descriptor schema, under an Input heading', () => {
  const [section, ...rest] = nodeFormSections('http', http);
  assert.equal(rest.length, 0);
  assert.deepEqual(section!.path, ['input']);
  assert.equal(section!.schema, http.inputSchema);
  assert.equal(section!.label, 'Input');
});

test('an action without an input schema (or an unknown type) edits a free mapping', () => {
  assert.deepEqual(
    nodeFormSections(
      'transform',
      BUILTIN_ACTIONS.find((a) => a.type === 'transform'),
    )[0]!.schema,
    {
      type: 'object',
    },
  );
  assert.deepEqual(nodeFormSections('acme.thing', undefined)[0]!.schema, { type: 'object' });
  assert.deepEqual(formOf('acme.thing', { input: { a: '$<x>' } }), [['/input/a', 'json']]);
});

test('if edits input.condition (expression or literal)', () => {
  assert.deepEqual(formOf('if', { input: { condition: '$<flow.input.ok>' } }), [
    ['/input/condition', 'json'],
  ]);
  const [section] = nodeFormSections('if', undefined);
  const root = formFieldsOf(section!.schema, { condition: '$<x>' }, { path: ['input'] });
  assert.ok(root.kind === 'object');
  assert.equal(root.fields[0]!.expression, true);
  assert.equal(root.fields[0]!.required, true);
  assert.equal(root.fields[0]!.format, 'expression');
});

test('while edits input.condition, maxIterations and output', () => {
  assert.deepEqual(formOf('while', { input: { condition: true } }), [
    ['/input/condition', 'json'],
    ['/maxIterations', 'integer'],
    ['/output', 'json'],
  ]);
});

test('forEach edits input.items, parallelism and output', () => {
  assert.deepEqual(formOf('forEach', { input: { items: '$<nodes.a.output>' }, parallelism: 4 }), [
    ['/input/items', 'json'],
    ['/parallelism', 'integer'],
    ['/output', 'json'],
  ]);
});

test('switch edits its cases: port, when, label', () => {
  const [section] = nodeFormSections('switch', undefined);
  const root = formFieldsOf(
    section!.schema,
    { cases: [{ port: 'small', when: '$<flow.input.amount < 500>' }] },
    { path: [] },
  );
  assert.ok(root.kind === 'object');
  const cases = root.fields[0]!;
  assert.ok(cases.kind === 'array');
  const item = cases.items[0]!;
  assert.ok(item.kind === 'object');
  assert.deepEqual(
    item.fields.map((f) => [f.pointer, f.kind, f.required, f.expression]),
    [
      ['/cases/0/port', 'string', true, false],
      ['/cases/0/when', 'string', true, true],
      ['/cases/0/label', 'string', false, false],
    ],
  );
});

test('try and group edit their output', () => {
  assert.deepEqual(formOf('try', {}), [['/output', 'json']]);
  assert.deepEqual(formOf('group', {}), [['/output', 'json']]);
});

test('code edits its input mapping, a multiline code and the language', () => {
  assert.deepEqual(
    formOf('code', { input: { record: '$<item>' }, code: 'x', language: 'typescript' }),
    [
      ['/input/record', 'json'],
      ['/code', 'string'],
      ['/language', 'enum'],
    ],
  );
  const section = nodeFormSections('code', undefined)[1]!;
  const root = formFieldsOf(section.schema, { code: '' });
  assert.ok(root.kind === 'object');
  const code = root.fields[0]!;
  assert.ok(code.kind === 'string' && code.multiline && code.format === 'code');
  const language = root.fields[1]!;
  assert.ok(language.kind === 'enum');
  assert.deepEqual(language.enumLabels, ['JavaScript', 'TypeScript']);
});

test('texts can be replaced', () => {
  const [section] = nodeFormSections('if', undefined, { condition: 'Bedingung' });
  const root = formFieldsOf(section!.schema, {}, { path: ['input'] });
  assert.ok(root.kind === 'object');
  assert.equal(root.fields[0]!.label, 'Bedingung');
});
