import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  expressionTextValue,
  parseJsonText,
  parseNumberText,
  textOf,
} from '../../src/core/field-text.ts';

test('number text: empty removes, numbers parse, integers must be whole', () => {
  assert.deepEqual(parseNumberText('', false), { ok: true, value: undefined });
  assert.deepEqual(parseNumberText(' 2.5 ', false), { ok: true, value: 2.5 });
  assert.deepEqual(parseNumberText('2.5', true), { ok: false, error: 'number' });
  assert.deepEqual(parseNumberText('abc', false), { ok: false, error: 'number' });
});

test('json text: empty removes, valid JSON parses, invalid is an error', () => {
  assert.deepEqual(parseJsonText('  '), { ok: true, value: undefined });
  assert.deepEqual(parseJsonText('{"a":[1]}'), { ok: true, value: { a: [1] } });
  assert.deepEqual(parseJsonText('{a:1}'), { ok: false, error: 'json' });
  assert.equal(textOf({ a: 1 }), '{"a":1}');
  assert.equal(textOf({ a: 1 }, true), '{\n  "a": 1\n}');
  assert.equal(textOf('s'), 's');
  assert.equal(textOf(undefined), '');
});

test('expression text: $< stays a string; literals are read per kind', () => {
  const number = { kind: 'number', required: false } as const;
  assert.equal(expressionTextValue(number, '$<flow.input.n>'), '$<flow.input.n>');
  assert.equal(expressionTextValue(number, '42'), 42);
  assert.equal(expressionTextValue(number, ''), undefined);
  assert.equal(expressionTextValue({ kind: 'boolean', required: false }, 'true'), true);
  assert.deepEqual(expressionTextValue({ kind: 'json', required: false }, '[1]'), [1]);
  assert.equal(expressionTextValue({ kind: 'json', required: false }, 'plain'), 'plain');
  assert.equal(expressionTextValue({ kind: 'string', required: false }, '42'), '42');
  assert.equal(expressionTextValue({ kind: 'string', required: true }, ''), '');
  assert.equal(expressionTextValue({ kind: 'string', required: false }, ''), undefined);
});
