import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseExpression,
  parseTemplate,
  printExpression,
  printTemplate,
} from '../../src/expr/index.ts';

const roundTrip = (src: string) => printExpression(parseExpression(src).ast);

test('prints with minimal parentheses', () => {
  assert.equal(roundTrip('((a + b)) * c'), '(a + b) * c');
  assert.equal(roundTrip('a + (b * c)'), 'a + b * c');
  assert.equal(roundTrip('a - (b - c)'), 'a - (b - c)');
  assert.equal(roundTrip('(a ** b) ** c'), '(a ** b) ** c');
  assert.equal(roundTrip('(-a) ** 2'), '(-a) ** 2');
  assert.equal(roundTrip('(a ?? b) || c'), '(a ?? b) || c');
  assert.equal(roundTrip('(a ? b : c) ? d : e'), '(a ? b : c) ? d : e');
});

test('prints strings with single quotes and escapes', () => {
  assert.equal(roundTrip('"it\'s\\n"'), "'it\\'s\\n'");
  assert.equal(roundTrip("'\\x00\\u2028'"), "'\\x00\\u2028'");
});

test('prints chains, arrows and literals so they re-parse', () => {
  assert.equal(roundTrip('(a?.b).c'), '(a?.b).c');
  assert.equal(roundTrip('a?.[0]?.(x)'), 'a?.[0]?.(x)');
  assert.equal(roundTrip('items.map(x => ({ id: x }))'), 'items.map(x => ({ id: x }))');
  assert.equal(roundTrip('f((a, b) => a)'), 'f((a, b) => a)');
  assert.equal(roundTrip("{a, 'b c': 1, [k]: 2, ...o}"), "{ a, 'b c': 1, [k]: 2, ...o }");
  assert.equal(roundTrip('1.5.toFixed(1)'), '(1.5).toFixed(1)');
  assert.equal(roundTrip('- -a'), '-(-a)');
  assert.equal(roundTrip('typeof a'), 'typeof a');
});

test('printTemplate escapes $< in text and protects expressions with >', () => {
  const { parts } = parseTemplate('a $$< b $<x > y> c');
  const printed = printTemplate(
    parts.map((p) => (p.kind === 'text' ? p : { kind: 'expression', ast: p.ast })),
  );
  assert.equal(printed, 'a $$< b $<x > y> c');
  const risky = printTemplate([
    { kind: 'expression', ast: parseExpression('n').ast },
    { kind: 'text', value: ' items > 5' },
  ]);
  assert.equal(risky, "$<n>$<' items > 5'>");
  const { parts: back } = parseTemplate(risky);
  assert.equal(back.length, 2);
  assert.equal(
    printTemplate([
      { kind: 'text', value: 'cost $' },
      { kind: 'expression', ast: parseExpression('n').ast },
    ]),
    "cost $<'$'>$<n>",
  );
});
