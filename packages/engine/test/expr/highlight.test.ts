import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokensForHighlighting } from '../../src/expr/index.ts';

const render = (template: string) =>
  tokensForHighlighting(template).map((t) => `${t.kind}:${template.slice(t.from, t.to)}`);

test('classifies text, delimiters, roots, properties, methods and operators', () => {
  assert.deepEqual(render("Hi $<nodes.x.output.map(i => i.id) ?? 'none'>!"), [
    'text:Hi ',
    'delimiter:$<',
    'root:nodes',
    'punctuation:.',
    'property:x',
    'punctuation:.',
    'property:output',
    'punctuation:.',
    'function:map',
    'punctuation:(',
    'identifier:i',
    'operator:=>',
    'identifier:i',
    'punctuation:.',
    'property:id',
    'punctuation:)',
    'operator:??',
    "string:'none'",
    'delimiter:>',
    'text:!',
  ]);
});

test('marks numbers, keywords, functions and errors', () => {
  assert.deepEqual(render('$<len(a) > 1 && typeof true || new>'), [
    'delimiter:$<',
    'function:len',
    'punctuation:(',
    'identifier:a',
    'punctuation:)',
    'operator:>',
    'number:1',
    'operator:&&',
    'keyword:typeof',
    'keyword:true',
    'operator:||',
    'error:new',
    'delimiter:>',
  ]);
  assert.deepEqual(render('$<a # b'), ['delimiter:$<', 'identifier:a', 'error:#', 'identifier:b']);
});

test('works on incomplete input', () => {
  assert.deepEqual(render("a $<nodes.x + 'unterminated"), [
    'text:a ',
    'delimiter:$<',
    'root:nodes',
    'punctuation:.',
    'property:x',
    'operator:+',
    "error:'unterminated",
  ]);
  assert.deepEqual(render('$<'), ['delimiter:$<']);
});

test('an escaped $$< is text', () => {
  assert.deepEqual(render('cost $$<x>'), ['text:cost $$<x>']);
});

test('never throws on odd input', () => {
  for (const s of ['$<', '$<$<', '$<)))>', '$<\u0000>', '$<\\u{}>', '$<' + '('.repeat(1000)]) {
    assert.doesNotThrow(() => tokensForHighlighting(s));
  }
});
