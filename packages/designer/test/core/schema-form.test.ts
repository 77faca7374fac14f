import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_ACTIONS, type Diagnostic, type JsonSchema } from '@millrace/engine';
import {
  defaultValueOf,
  diagnosticsAt,
  fieldAt,
  fieldPointers,
  formFieldsOf,
  planEdit,
  removeAt,
  selectVariant,
  setAt,
  type FormField,
} from '../../src/core/schema-form.ts';
import { resolveSchema } from '../../src/core/schema-keywords.ts';

/** The root's child fields by key. */
function fields(root: FormField): Record<string, FormField> {
  assert.equal(root.kind, 'object');
  return Object.fromEntries(
    (root.kind === 'object' ? root.fields : []).map((f) => [String(f.key), f]),
  );
}

const diag = (path: string, code: Diagnostic['code'] = 'E_VALUE'): Diagnostic => ({
  code,
  severity: 'error',
  path,
  message: `at ${path}`,
});

// ---------------------------------------------------------------------------------------------
// Kinds

test('each primitive type becomes its kind', () => {
  const root = formFieldsOf(
    {
      type: 'object',
      properties: {
        s: { type: 'string' },
        n: { type: 'number' },
        i: { type: 'integer' },
        b: { type: 'boolean' },
      },
    },
    { s: 'x', n: 1.5, i: 2, b: true },
  );
  const f = fields(root);
  assert.deepEqual(
    Object.values(f).map((x) => [x.kind, x.value]),
    [
      ['string', 'x'],
      ['number', 1.5],
      ['integer', 2],
      ['boolean', true],
    ],
  );
});

test('paths and pointers are relative to the node, under the given base path', () => {
  const root = formFieldsOf(
    { type: 'object', properties: { url: { type: 'string' } } },
    {},
    { path: ['input'] },
  );
  assert.deepEqual(root.path, ['input']);
  assert.equal(root.pointer, '/input');
  const url = fields(root)['url']!;
  assert.deepEqual(url.path, ['input', 'url']);
  assert.equal(url.pointer, '/input/url');
  assert.equal(url.key, 'url');
});

test('pointer segments are escaped (RFC 6901)', () => {
  const root = formFieldsOf({ type: 'object', properties: { 'a/b~c': { type: 'string' } } }, {});
  assert.equal(fields(root)['a/b~c']!.pointer, '/a~1b~0c');
});

test('the label is the title, else the property name; description, default and format carry over', () => {
  const root = formFieldsOf(
    {
      type: 'object',
      properties: {
        url: { type: 'string', title: 'URL', description: 'Where to send it', format: 'uri' },
        retries: { type: 'integer', default: 3, minimum: 0, maximum: 10 },
      },
    },
    {},
  );
  const { url, retries } = fields(root);
  assert.equal(url!.label, 'URL');
  assert.equal(url!.description, 'Where to send it');
  assert.equal(url!.format, 'uri');
  assert.equal(retries!.label, 'retries');
  assert.equal(retries!.default, 3);
  assert.equal(retries!.value, undefined);
  assert.ok(retries!.kind === 'integer');
  assert.equal(retries!.minimum, 0);
  assert.equal(retries!.maximum, 10);
});

test('required properties are marked required', () => {
  const root = formFieldsOf(
    { type: 'object', required: ['url'], properties: { url: { type: 'string' }, x: {} } },
    {},
  );
  assert.equal(fields(root)['url']!.required, true);
  assert.equal(fields(root)['x']!.required, false);
});

test('the root takes its label from the options, else the title', () => {
  assert.equal(formFieldsOf({ type: 'string', title: 'T' }, 'v').label, 'T');
  assert.equal(formFieldsOf({ type: 'string', title: 'T' }, 'v', { label: 'L' }).label, 'L');
});

test('multiline strings: format textarea / code or x-multiline', () => {
  for (const schema of [
    { type: 'string', format: 'textarea' },
    { type: 'string', format: 'code' },
    { type: 'string', 'x-multiline': true },
  ]) {
    const f = formFieldsOf(schema, '');
    assert.ok(f.kind === 'string' && f.multiline, JSON.stringify(schema));
  }
  const plain = formFieldsOf({ type: 'string' }, '');
  assert.ok(plain.kind === 'string' && !plain.multiline);
});

test('enum becomes an enum field with its values as labels', () => {
  const f = formFieldsOf({ enum: ['GET', 'POST', 1] }, 'POST');
  assert.ok(f.kind === 'enum');
  assert.deepEqual(f.enumValues, ['GET', 'POST', 1]);
  assert.deepEqual(f.enumLabels, ['GET', 'POST', '1']);
  assert.equal(f.constant, false);
});

test('const becomes a constant enum', () => {
  const f = formFieldsOf({ const: 'fixed' }, 'fixed');
  assert.ok(f.kind === 'enum');
  assert.deepEqual(f.enumValues, ['fixed']);
  assert.equal(f.constant, true);
});

test('oneOf of titled consts is a labelled enum', () => {
  const f = formFieldsOf(
    {
      oneOf: [
        { const: 'http', title: 'HTTP request' },
        { const: 'log', title: 'Log' },
      ],
    },
    'log',
  );
  assert.ok(f.kind === 'enum');
  assert.deepEqual(f.enumValues, ['http', 'log']);
  assert.deepEqual(f.enumLabels, ['HTTP request', 'Log']);
});

test('type null is a constant null', () => {
  const f = formFieldsOf({ type: 'null' }, null);
  assert.ok(f.kind === 'enum' && f.constant);
  assert.deepEqual(f.enumValues, [null]);
});

test('a type array with one non-null type is that type (null allowed)', () => {
  const f = formFieldsOf({ type: ['string', 'null'] }, 'x');
  assert.equal(f.kind, 'string');
  assert.equal(formFieldsOf({ type: ['string', 'null'] }, null).kind, 'string');
});

test('a type array of several types is a oneOf with one variant per type', () => {
  const f = formFieldsOf({ type: ['string', 'number'] }, 5);
  assert.ok(f.kind === 'oneOf');
  assert.deepEqual(
    f.variants.map((v) => v.title),
    ['string', 'number'],
  );
  assert.equal(f.selected, 1);
  assert.equal(f.field?.kind, 'number');
});

test('true, {} and unknown schemas are json', () => {
  assert.equal(formFieldsOf(true, 1).kind, 'json');
  assert.equal(formFieldsOf({}, { a: 1 }).kind, 'json');
  assert.equal(formFieldsOf(undefined, 'x').kind, 'json');
  assert.equal(formFieldsOf({ type: 'mystery' }, 'x').kind, 'json');
});

test('the type is inferred from properties and items when absent', () => {
  assert.equal(formFieldsOf({ properties: { a: {} } }, {}).kind, 'object');
  assert.equal(formFieldsOf({ items: { type: 'string' } }, []).kind, 'array');
});

// ---------------------------------------------------------------------------------------------
// Expressions and mismatches

test('a string holding $< is an expression whatever the declared type, keeping its kind', () => {
  const root = formFieldsOf(
    {
      type: 'object',
      properties: {
        amount: { type: 'number' },
        flag: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } },
        opts: { type: 'object', properties: { a: { type: 'string' } } },
        url: { type: 'string' },
        kind: { enum: ['a', 'b'] },
      },
    },
    {
      amount: '$<flow.input.amount>',
      flag: '$<vars.on>',
      tags: '$<nodes.x.output.tags>',
      opts: '$<nodes.x.output>',
      url: 'https://x/$<flow.input.id>',
      kind: '$<vars.kind>',
    },
  );
  for (const f of Object.values(fields(root))) {
    assert.equal(f.expression, true, String(f.key));
  }
  const { amount, tags, opts, url } = fields(root);
  assert.equal(amount!.kind, 'number');
  assert.ok(tags!.kind === 'array' && tags!.items.length === 0);
  assert.ok(opts!.kind === 'object' && opts!.fields.length === 0);
  assert.equal(url!.kind, 'string');
});

test('a oneOf holding an expression selects no variant', () => {
  const f = formFieldsOf({ oneOf: [{ type: 'string' }, { type: 'number' }] }, '$<x>');
  assert.ok(f.kind === 'oneOf');
  assert.equal(f.expression, true);
  assert.equal(f.selected, -1);
  assert.equal(f.field, undefined);
});

test('a literal of the wrong type is shown as json, marked as a mismatch', () => {
  const root = formFieldsOf(
    {
      type: 'object',
      properties: { n: { type: 'number' }, s: { type: 'string' }, i: { type: 'integer' } },
    },
    { n: 'ten', s: 3, i: 1.5 },
  );
  for (const f of Object.values(fields(root))) {
    assert.ok(f.kind === 'json' && f.mismatch, String(f.key));
  }
  const n = fields(root)['n']!;
  assert.ok(n.kind === 'json');
  assert.deepEqual(n.expected, ['number']);
});

// ---------------------------------------------------------------------------------------------
// Objects

test('nested objects give nested fields with nested paths', () => {
  const root = formFieldsOf(
    {
      type: 'object',
      properties: {
        auth: {
          type: 'object',
          title: 'Authentication',
          required: ['user'],
          properties: { user: { type: 'string' }, token: { type: 'string' } },
        },
      },
    },
    { auth: { user: 'ann' } },
    { path: ['input'] },
  );
  const auth = fields(root)['auth']!;
  assert.equal(auth.label, 'Authentication');
  const inner = fields(auth);
  assert.deepEqual(inner['user']!.path, ['input', 'auth', 'user']);
  assert.equal(inner['user']!.value, 'ann');
  assert.equal(inner['user']!.required, true);
  assert.equal(inner['token']!.value, undefined);
});

test('keys the properties do not declare follow as extra fields of the additionalProperties schema', () => {
  const root = formFieldsOf(
    {
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: { type: 'string', title: 'Header' },
    },
    { a: 'x', Accept: 'text/plain' },
  );
  assert.ok(root.kind === 'object');
  const accept = fields(root)['Accept']!;
  assert.equal(accept.extra, true);
  assert.equal(accept.kind, 'string');
  assert.equal(accept.label, 'Accept');
  assert.equal(fields(root)['a']!.extra, false);
  assert.deepEqual(root.additional, { type: 'string', title: 'Header' });
});

test('a free-form object shows each key as a json field and may take more', () => {
  const root = formFieldsOf({ type: 'object' }, { record: '$<item>', n: 1 });
  assert.ok(root.kind === 'object');
  assert.deepEqual(root.additional, {});
  const { record, n } = fields(root);
  assert.ok(record!.kind === 'json' && record!.expression);
  assert.ok(n!.kind === 'json' && !n!.mismatch);
});

test('a closed object still shows unknown keys (so they can be removed)', () => {
  const root = formFieldsOf(
    { type: 'object', properties: {}, additionalProperties: false },
    { stray: 1 },
  );
  assert.ok(root.kind === 'object');
  assert.equal(root.additional, false);
  assert.equal(fields(root)['stray']!.extra, true);
});

test('a partial root lists only its declared keys and offers no new ones', () => {
  const root = formFieldsOf(
    { type: 'object', properties: { retry: { type: 'object', properties: {} } } },
    { id: 'a', type: 'http', retry: { extra: 1 } },
    { partial: true },
  );
  assert.ok(root.kind === 'object');
  assert.deepEqual(Object.keys(fields(root)), ['retry']);
  assert.equal(root.additional, false);
  // Only the root is partial: below it, undeclared keys still show.
  assert.deepEqual(Object.keys(fields(fields(root)['retry']!)), ['extra']);
});

test('anyOf of required-only constraints beside properties stays an object', () => {
  const wait = BUILTIN_ACTIONS.find((a) => a.type === 'wait')!;
  const root = formFieldsOf(wait.inputSchema, { durationMs: 10 });
  assert.deepEqual(Object.keys(fields(root)), ['durationMs', 'until']);
});

test('allOf parts are merged', () => {
  const root = formFieldsOf(
    {
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        { properties: { b: { type: 'number' } }, required: ['b'] },
      ],
    },
    {},
  );
  const f = fields(root);
  assert.equal(f['a']!.required, true);
  assert.equal(f['b']!.kind, 'number');
  assert.equal(f['b']!.required, true);
});

// ---------------------------------------------------------------------------------------------
// Arrays

test('arrays give one item field per value, labelled by the array, keyed by index', () => {
  const f = formFieldsOf(
    { type: 'array', title: 'Approvers', items: { type: 'string' }, minItems: 1, maxItems: 5 },
    ['ann', 'bob'],
    { path: ['input', 'approvers'] },
  );
  assert.ok(f.kind === 'array');
  assert.deepEqual(
    f.items.map((i) => [i.kind, i.key, i.label, i.value, i.pointer]),
    [
      ['string', 0, 'Approvers', 'ann', '/input/approvers/0'],
      ['string', 1, 'Approvers', 'bob', '/input/approvers/1'],
    ],
  );
  assert.deepEqual(f.itemSchema, { type: 'string' });
  assert.equal(f.minItems, 1);
  assert.equal(f.maxItems, 5);
});

test('array items of objects have sub-fields; the item title labels them', () => {
  const f = formFieldsOf(
    {
      type: 'array',
      items: { type: 'object', title: 'Case', properties: { port: { type: 'string' } } },
    },
    [{ port: 'small' }],
    { path: ['cases'] },
  );
  assert.ok(f.kind === 'array');
  const item = f.items[0]!;
  assert.equal(item.label, 'Case');
  assert.deepEqual(fields(item)['port']!.path, ['cases', 0, 'port']);
});

test('tuples: prefixItems, then items for the rest', () => {
  const f = formFieldsOf(
    {
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'number' }],
      items: { type: 'boolean' },
    },
    ['a', 1, true],
  );
  assert.ok(f.kind === 'array');
  assert.deepEqual(
    f.items.map((i) => i.kind),
    ['string', 'number', 'boolean'],
  );
  assert.deepEqual(f.itemSchema, { type: 'boolean' });
});

test('draft 7 tuples: items as an array, then additionalItems', () => {
  const f = formFieldsOf(
    { type: 'array', items: [{ type: 'string' }], additionalItems: { type: 'integer' } },
    ['a', 2],
  );
  assert.ok(f.kind === 'array');
  assert.deepEqual(
    f.items.map((i) => i.kind),
    ['string', 'integer'],
  );
});

test('an absent array has no items', () => {
  const f = formFieldsOf({ type: 'array', items: { type: 'string' } }, undefined);
  assert.ok(f.kind === 'array' && f.items.length === 0);
});

// ---------------------------------------------------------------------------------------------
// oneOf / anyOf

const auth: JsonSchema = {
  title: 'Auth',
  oneOf: [
    {
      title: 'Basic',
      type: 'object',
      required: ['kind', 'user'],
      properties: { kind: { const: 'basic' }, user: { type: 'string' } },
    },
    {
      title: 'Bearer token',
      type: 'object',
      required: ['kind', 'token'],
      properties: { kind: { const: 'bearer' }, token: { type: 'string' } },
    },
  ],
};

test('oneOf picks the variant by a const discriminator and gives its sub-form', () => {
  const f = formFieldsOf(auth, { kind: 'bearer', token: 't' }, { path: ['input', 'auth'] });
  assert.ok(f.kind === 'oneOf');
  assert.deepEqual(
    f.variants.map((v) => v.title),
    ['Basic', 'Bearer token'],
  );
  assert.equal(f.selected, 1);
  assert.equal(f.label, 'Auth');
  const sub = f.field!;
  assert.equal(sub.kind, 'object');
  const inner = fields(sub);
  assert.deepEqual(inner['token']!.path, ['input', 'auth', 'token']);
  assert.equal(inner['token']!.value, 't');
  assert.equal(inner['kind']!.discriminator, true, 'the picker sets the const');
  assert.equal(inner['token']!.discriminator, false);
});

test('oneOf picks by type', () => {
  const schema = { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
  const s = formFieldsOf(schema, 'x');
  const a = formFieldsOf(schema, ['x']);
  assert.ok(s.kind === 'oneOf' && a.kind === 'oneOf');
  assert.equal(s.selected, 0);
  assert.equal(a.selected, 1);
  assert.equal(a.field?.kind, 'array');
});

test('anyOf picks by required keys', () => {
  const schema = {
    anyOf: [
      {
        title: 'By duration',
        type: 'object',
        required: ['ms'],
        properties: { ms: { type: 'number' } },
      },
      { title: 'Until', type: 'object', required: ['at'], properties: { at: { type: 'string' } } },
    ],
  };
  const f = formFieldsOf(schema, { at: '2030-01-01' });
  assert.ok(f.kind === 'oneOf');
  assert.equal(f.selected, 1);
});

test('variants without a title are named by their discriminator or type', () => {
  const f = formFieldsOf(
    {
      oneOf: [
        { type: 'object', properties: { kind: { const: 'a' } } },
        { type: 'number' },
        { required: ['x'], properties: { x: {} }, type: 'object', minProperties: 1, not: {} },
      ],
    },
    undefined,
  );
  assert.ok(f.kind === 'oneOf');
  assert.deepEqual(
    f.variants.map((v) => v.title),
    ['a', 'number', 'object'],
  );
});

test('oneOf with no value selects nothing; a value no variant matches shows as json', () => {
  const none = formFieldsOf(auth, undefined);
  assert.ok(none.kind === 'oneOf' && none.selected === -1 && none.field === undefined);
  const odd = formFieldsOf(auth, { kind: 'digest' });
  assert.ok(odd.kind === 'oneOf' && odd.selected === -1);
  assert.ok(odd.field?.kind === 'json' && odd.field.mismatch);
});

test('oneOf variants inherit the properties declared beside oneOf', () => {
  const f = formFieldsOf(
    {
      type: 'object',
      properties: { timeoutMs: { type: 'number' } },
      oneOf: [
        { title: 'A', properties: { kind: { const: 'a' } }, required: ['kind'] },
        { title: 'B', properties: { kind: { const: 'b' }, extra: { type: 'string' } } },
      ],
    },
    { kind: 'b', timeoutMs: 5 },
  );
  assert.ok(f.kind === 'oneOf');
  assert.equal(f.selected, 1);
  assert.deepEqual(Object.keys(fields(f.field!)), ['timeoutMs', 'kind', 'extra']);
});

test('selectVariant prefers the variant with more agreeing discriminators', () => {
  const variants = [
    { title: 'any object', schema: { type: 'object' } },
    { title: 'kind a', schema: { type: 'object', properties: { kind: { const: 'a' } } } },
  ];
  assert.equal(selectVariant(variants, { kind: 'a' }), 1);
  assert.equal(selectVariant(variants, { kind: 'z' }), 0);
  assert.equal(selectVariant(variants, 'text'), -1);
});

// ---------------------------------------------------------------------------------------------
// $ref

test('$ref to #/$defs and #/definitions resolves, with sibling keywords kept', () => {
  const schema = {
    type: 'object',
    properties: {
      a: { $ref: '#/$defs/address', title: 'Home' },
      b: { $ref: '#/definitions/count' },
    },
    $defs: { address: { type: 'object', properties: { city: { type: 'string' } } } },
    definitions: { count: { type: 'integer', minimum: 0 } },
  };
  const { a, b } = fields(formFieldsOf(schema, { a: { city: 'Bern' } }));
  assert.equal(a!.kind, 'object');
  assert.equal(a!.label, 'Home');
  assert.equal(fields(a!)['city']!.value, 'Bern');
  assert.ok(b!.kind === 'integer' && b!.minimum === 0);
});

test('a $ref against an explicit root document', () => {
  const root = { $defs: { s: { type: 'string', title: 'S' } } };
  const f = formFieldsOf({ $ref: '#/$defs/s' }, 'x', { root });
  assert.equal(f.kind, 'string');
  assert.equal(f.label, 'S');
});

test('recursive $refs expand only as deep as the value goes', () => {
  const schema = {
    $ref: '#/$defs/node',
    $defs: {
      node: {
        type: 'object',
        properties: { name: { type: 'string' }, child: { $ref: '#/$defs/node' } },
      },
    },
  };
  const root = formFieldsOf(schema, { name: 'a', child: { name: 'b' } });
  const child = fields(root)['child']!;
  assert.equal(child.kind, 'object');
  const grandchild = fields(child)['child']!;
  assert.equal(grandchild.kind, 'json', 'an absent recursive value stops the expansion');
});

test('unresolvable and circular $refs become json', () => {
  assert.equal(formFieldsOf({ $ref: '#/$defs/missing' }, 1).kind, 'json');
  assert.equal(formFieldsOf({ $ref: 'https://example.com/s.json' }, 1).kind, 'json');
  const loop = { $ref: '#/$defs/a', $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } } };
  assert.equal(formFieldsOf(loop, 1).kind, 'json');
  assert.deepEqual(resolveSchema(loop).refs.slice(0, 3), ['#/$defs/a', '#/$defs/b', '#/$defs/a']);
});

test('schemas deeper than maxDepth become json', () => {
  const deep = {
    type: 'object',
    properties: { a: { type: 'object', properties: { b: { type: 'string' } } } },
  };
  const root = formFieldsOf(deep, {}, { maxDepth: 1 });
  const a = fields(root)['a']!;
  assert.equal(a.kind, 'object');
  assert.equal(fields(a)['b']!.kind, 'json');
});

test('the built-in http input schema renders url, method, headers, query, body, responseType', () => {
  const http = BUILTIN_ACTIONS.find((a) => a.type === 'http')!;
  const root = formFieldsOf(
    http.inputSchema,
    { url: 'https://x', method: 'GET' },
    { path: ['input'] },
  );
  assert.deepEqual(
    Object.values(fields(root)).map((f) => [f.key, f.kind, f.required]),
    [
      ['url', 'string', true],
      ['method', 'enum', false],
      ['headers', 'object', false],
      ['query', 'object', false],
      ['body', 'json', false],
      ['responseType', 'enum', false],
    ],
  );
});

// ---------------------------------------------------------------------------------------------
// Defaults

test('defaultValueOf: default, const, first enum value, empty value of the type', () => {
  assert.equal(defaultValueOf({ type: 'string', default: 'x' }), 'x');
  assert.equal(defaultValueOf({ const: 'c' }), 'c');
  assert.equal(defaultValueOf({ enum: ['a', 'b'] }), 'a');
  assert.equal(defaultValueOf({ type: 'string' }), '');
  assert.equal(defaultValueOf({ type: 'number' }), 0);
  assert.equal(defaultValueOf({ type: 'integer', minimum: 1 }), 1);
  assert.equal(defaultValueOf({ type: 'number', exclusiveMinimum: 0 }), 1);
  assert.equal(defaultValueOf({ type: 'boolean' }), false);
  assert.equal(defaultValueOf({ type: 'null' }), null);
  assert.equal(defaultValueOf({ type: ['null', 'string'] }), '');
  assert.deepEqual(defaultValueOf({ type: 'array' }), []);
  assert.deepEqual(
    defaultValueOf({ type: 'array', minItems: 2, items: { type: 'number' } }),
    [0, 0],
  );
  assert.equal(defaultValueOf(true), null);
  assert.equal(defaultValueOf(undefined), null);
});

test('defaultValueOf an object fills its required and const properties only', () => {
  assert.deepEqual(
    defaultValueOf({
      type: 'object',
      required: ['maxAttempts'],
      properties: {
        maxAttempts: { type: 'integer', default: 3 },
        kind: { const: 'retry' },
        delayMs: { type: 'number' },
      },
    }),
    { maxAttempts: 3, kind: 'retry' },
  );
});

test('defaultValueOf a oneOf is its first variant (with its discriminator)', () => {
  assert.deepEqual(defaultValueOf(auth), { kind: 'basic', user: '' });
  assert.equal(defaultValueOf({ oneOf: [{ const: 'x', title: 'X' }] }), 'x');
});

test('defaultValueOf follows $refs and returns copies', () => {
  const dflt = { a: [1] };
  const schema = { $ref: '#/$defs/x', $defs: { x: { type: 'object', default: dflt } } };
  const v = defaultValueOf(schema);
  assert.deepEqual(v, dflt);
  assert.notEqual(v, dflt);
});

// ---------------------------------------------------------------------------------------------
// Immutable edits

test('setAt copies along the path and leaves the original alone', () => {
  const before = { input: { url: 'a', headers: { x: '1' } }, name: 'n' };
  const after = setAt(before, ['input', 'url'], 'b') as typeof before;
  assert.deepEqual(after, { input: { url: 'b', headers: { x: '1' } }, name: 'n' });
  assert.equal(before.input.url, 'a');
  assert.notEqual(after.input, before.input);
  assert.equal(after.input.headers, before.input.headers, 'untouched branches are shared');
});

test('setAt creates missing objects and arrays (number segments make arrays)', () => {
  assert.deepEqual(setAt(undefined, ['retry', 'maxAttempts'], 3), { retry: { maxAttempts: 3 } });
  assert.deepEqual(setAt({}, ['cases', 0, 'port'], 'a'), { cases: [{ port: 'a' }] });
  assert.deepEqual(setAt([1], [3], 4), [1, null, null, 4]);
  assert.equal(setAt({ a: 1 }, [], 'x'), 'x');
});

test('setAt with undefined removes; array items are spliced out', () => {
  assert.deepEqual(setAt({ a: 1, b: 2 }, ['a'], undefined), { b: 2 });
  assert.deepEqual(setAt({ l: ['a', 'b', 'c'] }, ['l', 1], undefined), { l: ['a', 'c'] });
});

test('removeAt returns the same value when there is nothing to remove', () => {
  const v = { a: { b: 1 }, l: [1] };
  assert.equal(removeAt(v, ['x']), v);
  assert.equal(removeAt(v, ['a', 'x', 'y']), v);
  assert.equal(removeAt(v, ['l', 5]), v);
  assert.deepEqual(removeAt(v, ['a', 'b']), { a: {}, l: [1] });
  assert.deepEqual(v, { a: { b: 1 }, l: [1] });
});

test('planEdit materialises an absent optional object with its required defaults', () => {
  const schema = {
    type: 'object',
    properties: {
      retry: {
        type: 'object',
        required: ['maxAttempts'],
        properties: { maxAttempts: { type: 'integer', default: 3 }, delayMs: { type: 'number' } },
      },
    },
  };
  const root = formFieldsOf(schema, { id: 'a' });
  assert.deepEqual(planEdit(root, ['retry', 'delayMs'], 500), {
    path: ['retry'],
    value: { maxAttempts: 3, delayMs: 500 },
  });
  const present = formFieldsOf(schema, { retry: { maxAttempts: 2 } });
  assert.deepEqual(planEdit(present, ['retry', 'delayMs'], 500), {
    path: ['retry', 'delayMs'],
    value: 500,
  });
  assert.deepEqual(planEdit(root, ['retry', 'delayMs'], undefined), {
    path: ['retry', 'delayMs'],
    value: undefined,
  });
});

test('planEdit materialises an absent input root and array', () => {
  const root = formFieldsOf(
    { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } },
    undefined,
    { path: ['input'] },
  );
  assert.deepEqual(planEdit(root, ['input', 'tags', 0], 'x'), {
    path: ['input'],
    value: { tags: ['x'] },
  });
});

test('fieldAt finds nested fields, array items and oneOf sub-fields', () => {
  const root = formFieldsOf(
    { type: 'object', properties: { auth, list: { type: 'array', items: { type: 'string' } } } },
    { auth: { kind: 'basic', user: 'u' }, list: ['a'] },
    { path: ['input'] },
  );
  assert.equal(fieldAt(root, ['input', 'auth'])?.kind, 'oneOf');
  assert.equal(fieldAt(root, ['input', 'auth', 'user'])?.value, 'u');
  assert.equal(fieldAt(root, ['input', 'list', 0])?.value, 'a');
  assert.equal(fieldAt(root, ['input', 'nope']), undefined);
  assert.equal(fieldAt(root, ['other']), undefined);
});

// ---------------------------------------------------------------------------------------------
// Diagnostics

test('diagnosticsAt keys each diagnostic by the deepest field containing its pointer', () => {
  const root = formFieldsOf(
    { type: 'object', properties: { url: { type: 'string' }, headers: { type: 'object' } } },
    { url: '$<x', headers: { a: 1 } },
    { path: ['input'] },
  );
  const pointers = fieldPointers(root);
  assert.deepEqual(pointers, ['/input', '/input/url', '/input/headers', '/input/headers/a']);
  const map = diagnosticsAt(
    [
      diag('/nodes/0/input/url', 'E_EXPR_SYNTAX'),
      diag('/nodes/0/input/headers/a/deep'),
      diag('/nodes/0/input'),
      diag('/nodes/0/retry'),
      diag('/nodes/0'),
      diag('/nodes/01/input/url'),
      diag('/nodes/1/input/url'),
    ],
    '/nodes/0',
    pointers,
  );
  assert.deepEqual(
    map.get('/input/url')?.map((d) => d.path),
    ['/nodes/0/input/url'],
  );
  assert.deepEqual(
    map.get('/input/headers/a')?.map((d) => d.path),
    ['/nodes/0/input/headers/a/deep'],
  );
  assert.deepEqual(
    map.get('/input')?.map((d) => d.path),
    ['/nodes/0/input'],
  );
  assert.deepEqual(
    map.get('')?.map((d) => d.path),
    ['/nodes/0/retry', '/nodes/0'],
  );
  assert.equal(map.size, 4, 'other nodes (also /nodes/01) are left out');
});

test('diagnosticsAt: a prefix must end at a segment boundary', () => {
  const map = diagnosticsAt([diag('/t/input/urls')], '/t', ['/input/url', '/input']);
  assert.deepEqual([...map.keys()], ['/input']);
});
