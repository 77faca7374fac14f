import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../src/expr/tokenizer.ts';

const kinds = (src: string) =>
  tokenize(src).map((t) => `${t.type}:${t.type === 'number' ? t.number : t.value}`);

test('reads names, numbers, strings and punctuation with offsets', () => {
  const tokens = tokenize("a.b?.[0] >= 'x'");
  assert.deepEqual(
    tokens.map((t) => [t.type, t.value, t.start, t.end]),
    [
      ['name', 'a', 0, 1],
      ['punct', '.', 1, 2],
      ['name', 'b', 2, 3],
      ['punct', '?.', 3, 5],
      ['punct', '[', 5, 6],
      ['number', '0', 6, 7],
      ['punct', ']', 7, 8],
      ['punct', '>=', 9, 11],
      ['string', 'x', 12, 15],
      ['eof', '', 15, 15],
    ],
  );
});

test('reads number forms', () => {
  assert.deepEqual(kinds('1 1.5 .5 1e3 0x10 0b11 0o7'), [
    'number:1',
    'number:1.5',
    'number:0.5',
    'number:1000',
    'number:16',
    'number:3',
    'number:7',
    'eof:',
  ]);
});

test('a dot after an integer starts a member access', () => {
  assert.deepEqual(kinds('1.toFixed'), ['number:1', 'punct:.', 'name:toFixed', 'eof:']);
});

test('?. followed by a digit is a conditional', () => {
  assert.deepEqual(kinds('a?.5:1'), [
    'name:a',
    'punct:?',
    'number:0.5',
    'punct::',
    'number:1',
    'eof:',
  ]);
});

test('decodes string escapes', () => {
  assert.equal(tokenize("'\\n\\t\\'\\\\\\x41\\u0042\\u{1F600}'")[0]?.value, "\n\t'\\AB\u{1F600}");
});

test('reports unterminated strings and bad escapes as error tokens', () => {
  assert.match(tokenize("'abc")[0]?.message ?? '', /Unterminated string/);
  assert.match(tokenize("'\\q'")[0]?.message ?? '', /Unknown escape/);
  assert.match(tokenize("'\\u12'")[0]?.message ?? '', /\\u escape/);
});

test('explains unsupported operators', () => {
  assert.match(tokenize('a = 1')[1]?.message ?? '', /Assignment is not supported/);
  assert.match(tokenize('a++')[1]?.message ?? '', /Increment/);
  assert.match(tokenize('a & b')[1]?.message ?? '', /did you mean &&/);
  assert.match(tokenize('$x')[0]?.message ?? '', /'\$' is not allowed/);
});

test('rejects unicode escapes in names', () => {
  assert.equal(tokenize('\\u0063onstructor')[0]?.type, 'error');
  assert.match(tokenize('a\\u0062')[0]?.message ?? '', /Unicode escapes are not allowed/);
});

test('accepts unicode letters in names', () => {
  assert.deepEqual(kinds('données.été'), ['name:données', 'punct:.', 'name:été', 'eof:']);
});

test('never treats >> as one token, so a closing > stays visible', () => {
  assert.deepEqual(kinds('a>>b'), ['name:a', 'punct:>', 'punct:>', 'name:b', 'eof:']);
});

test('tokenizes a window of a larger string with absolute offsets', () => {
  const tokens = tokenize('xx$<a + 1>yy', 4, 9);
  assert.deepEqual(
    tokens.map((t) => [t.value, t.start]),
    [
      ['a', 4],
      ['+', 6],
      ['1', 8],
      ['', 9],
    ],
  );
});
