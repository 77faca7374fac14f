import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ExpressionError,
  completeAt,
  parseExpression,
  parseTemplate,
  printExpression,
  templateReferences,
  tokensForHighlighting,
  type Expression,
} from '../../src/expr/index.ts';

// Property-based tests: the parser only ever fails with ExpressionError, recovery never
// throws, and printing any AST gives source that parses back to the same AST.

const TOKENS = [
  'nodes',
  'flow',
  'item',
  'x',
  '.',
  '?.',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '?',
  '=>',
  '...',
  '+',
  '-',
  '*',
  '/',
  '%',
  '**',
  '!',
  '<',
  '>',
  '<=',
  '>=',
  '==',
  '===',
  '!=',
  '&&',
  '||',
  '??',
  'typeof',
  'in',
  'new',
  'this',
  'true',
  'null',
  'undefined',
  '1',
  '2.5',
  "'s'",
  '"t"',
  '=',
  '$<',
  '$$<',
  '>',
  '#',
  '`',
  "'",
  '\\',
  ' ',
];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((t) => t.join(''));
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  tokenSoup,
);

test('parseExpression throws nothing but ExpressionError', () => {
  fc.assert(
    fc.property(anyText, (src) => {
      try {
        parseExpression(src);
      } catch (err) {
        assert.ok(err instanceof ExpressionError, String(err));
      }
    }),
    { numRuns: 2000 },
  );
});

test('recovering parsers, references, completion and highlighting never throw', () => {
  fc.assert(
    fc.property(anyText, fc.nat({ max: 50 }), (src, offset) => {
      const { errors } = parseExpression(src, { recover: true });
      for (const e of errors) assert.ok(e instanceof ExpressionError);
      const template = `a $<${src}> b $<${src}`;
      parseTemplate(template, { recover: true });
      templateReferences(template);
      tokensForHighlighting(template);
      completeAt(template, Math.min(offset, template.length), { nodes: { a: {} } });
    }),
    { numRuns: 1000 },
  );
});

// --- random ASTs ---------------------------------------------------------------------------

const NAMES = ['nodes', 'flow', 'vars', 'item', 'x', 'y', 'élan', '_tmp'];
const PROPERTY_NAMES = [...NAMES, 'in', 'true', 'new', 'typeof', 'length', 'map'];
const BINARY = [
  '+',
  '-',
  '*',
  '/',
  '%',
  '**',
  '==',
  '!=',
  '===',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  'in',
] as const;
const at = { start: 0, end: 0 };

const literal: fc.Arbitrary<Expression> = fc
  .oneof(
    fc.string({ maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 4 }),
    fc.nat(),
    fc.double({ min: 0, noNaN: true }).filter((n) => !Object.is(n, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  )
  .map((value) => ({ type: 'Literal', value, ...at }));

const { expr } = fc.letrec<{ expr: Expression; arrow: Expression }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    fc.constantFrom(...NAMES).map((name): Expression => ({ type: 'Identifier', name, ...at })),
    fc
      .record({
        object: tie('expr'),
        property: fc.constantFrom(...PROPERTY_NAMES),
        optional: fc.boolean(),
      })
      .map((r): Expression => ({ type: 'Member', ...r, ...at })),
    fc
      .record({ object: tie('expr'), index: tie('expr'), optional: fc.boolean() })
      .map((r): Expression => ({ type: 'Index', ...r, ...at })),
    fc
      .record({
        callee: tie('expr'),
        args: fc.array(fc.oneof(tie('expr'), tie('arrow')), { maxLength: 3 }),
        optional: fc.boolean(),
      })
      .map((r): Expression => ({ type: 'Call', ...r, ...at })),
    fc
      .record({
        operator: fc.constantFrom('!', '-', '+', 'typeof' as const),
        argument: tie('expr'),
      })
      .map((r): Expression => ({ type: 'Unary', ...r, ...at })),
    fc
      .record({ operator: fc.constantFrom(...BINARY), left: tie('expr'), right: tie('expr') })
      .map((r): Expression => ({ type: 'Binary', ...r, ...at })),
    fc
      .record({
        operator: fc.constantFrom('&&', '||', '??' as const),
        left: tie('expr'),
        right: tie('expr'),
      })
      .map((r): Expression => ({ type: 'Logical', ...r, ...at })),
    fc
      .record({ test: tie('expr'), consequent: tie('expr'), alternate: tie('expr') })
      .map((r): Expression => ({ type: 'Conditional', ...r, ...at })),
    fc
      .array(
        fc.oneof(
          tie('expr'),
          tie('expr').map((argument) => ({ type: 'Spread' as const, argument, ...at })),
        ),
        { maxLength: 3 },
      )
      .map((elements): Expression => ({ type: 'Array', elements, ...at })),
    fc
      .array(
        fc.oneof(
          fc
            .record({ key: fc.string({ maxLength: 5 }), value: tie('expr') })
            .map(({ key, value }) => ({
              type: 'Property' as const,
              key: { type: 'Literal' as const, value: key, ...at },
              computed: false,
              shorthand: false,
              value,
              ...at,
            })),
          fc.record({ key: tie('expr'), value: tie('expr') }).map(({ key, value }) => ({
            type: 'Property' as const,
            key,
            computed: true,
            shorthand: false,
            value,
            ...at,
          })),
          fc.constantFrom(...NAMES).map((name) => ({
            type: 'Property' as const,
            key: { type: 'Literal' as const, value: name, ...at },
            computed: false,
            shorthand: true,
            value: { type: 'Identifier' as const, name, ...at },
            ...at,
          })),
          tie('expr').map((argument) => ({ type: 'Spread' as const, argument, ...at })),
        ),
        { maxLength: 3 },
      )
      .map((properties): Expression => ({ type: 'Object', properties, ...at })),
  ),
  arrow: fc
    .record({
      params: fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 3 }),
      body: tie('expr'),
    })
    .map(({ params, body }): Expression => ({
      type: 'Arrow',
      params: params.map((name) => ({ name, ...at })),
      body,
      ...at,
    })),
}));

type Node = Record<string, unknown>;

/** Wraps each outermost link of a chain containing `?.` in a Chain node, as the parser does. */
function normalize(node: unknown, linkObject = false): unknown {
  if (Array.isArray(node)) return node.map((n) => normalize(n));
  if (typeof node !== 'object' || node === null) return node;
  const n = node as Node;
  const out: Node = {};
  const isLink = n['type'] === 'Member' || n['type'] === 'Index' || n['type'] === 'Call';
  for (const [k, v] of Object.entries(n))
    out[k] = normalize(v, isLink && (k === 'object' || k === 'callee'));
  if (isLink && !linkObject && hasOptional(out)) return { type: 'Chain', expression: out, ...at };
  return out;
}

function hasOptional(node: Node): boolean {
  for (let cur: Node | undefined = node; cur;) {
    if (cur['type'] !== 'Member' && cur['type'] !== 'Index' && cur['type'] !== 'Call') return false;
    if (cur['optional'] === true) return true;
    cur = (cur['object'] ?? cur['callee']) as Node | undefined;
  }
  return false;
}

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (typeof node !== 'object' || node === null) return node;
  const out: Node = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'start' && k !== 'end') out[k] = strip(v);
  return out;
}

test('print(ast) parses back to the same AST', () => {
  fc.assert(
    fc.property(expr, (generated) => {
      const ast = normalize(generated) as Expression;
      const source = printExpression(ast);
      const { ast: parsed, errors } = parseExpression(source, { recover: true, maxDepth: 10_000 });
      assert.deepEqual(
        errors.map((e) => e.message),
        [],
        source,
      );
      assert.deepEqual(strip(parsed), strip(ast), source);
    }),
    { numRuns: 1500 },
  );
});

test('printing is stable: print(parse(print(ast))) === print(ast)', () => {
  fc.assert(
    fc.property(expr, (generated) => {
      const source = printExpression(normalize(generated) as Expression);
      assert.equal(printExpression(parseExpression(source).ast), source);
    }),
    { numRuns: 500 },
  );
});
