import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpressionError, compileTemplate } from '../../src/expr/index.ts';

// Known sandbox-escape attempts. Each must fail with a typed ExpressionError of the given
// code and leave the built-in prototypes exactly as they were.

type Code = ExpressionError['code'];

const getterCalls: string[] = [];
function makeScope(): object {
  const withGetter = {};
  Object.defineProperty(withGetter, 'secret', {
    enumerable: true,
    get() {
      getterCalls.push('secret');
      return 'leaked';
    },
  });
  const arrayWithGetter: unknown[] = [1];
  Object.defineProperty(arrayWithGetter, 1, {
    enumerable: true,
    get() {
      getterCalls.push('index');
      return 'leaked';
    },
  });
  return {
    flow: { input: { name: 'x', obj: {}, arr: [1, 2] } },
    nodes: {},
    vars: {
      fn: () => 'called',
      withGetter,
      arrayWithGetter,
      big: 'x'.repeat(900_000),
      proto: JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
    },
  };
}

const ATTEMPTS: readonly (readonly [string, Code | readonly Code[]])[] = [
  ["''.constructor.constructor('return process')()", 'E_EXPR_FORBIDDEN'],
  ["''.constructor", 'E_EXPR_FORBIDDEN'],
  ['[].map.constructor', 'E_EXPR_FORBIDDEN'],
  ["[].map.constructor('return this')()", 'E_EXPR_FORBIDDEN'],
  ['vars.fn.constructor', 'E_EXPR_FORBIDDEN'],
  ['flow.input.__proto__', 'E_EXPR_FORBIDDEN'],
  ['flow.input.prototype', 'E_EXPR_FORBIDDEN'],
  ["flow.input['__pro' + 'to__']", 'E_EXPR_FORBIDDEN'],
  ["flow.input['constr' + 'uctor']", 'E_EXPR_FORBIDDEN'],
  ["flow.input['\\u0063onstructor']", 'E_EXPR_FORBIDDEN'],
  ["flow.input['\\x5f\\x5fproto\\x5f\\x5f']", 'E_EXPR_FORBIDDEN'],
  ['flow.input.\\u0063onstructor', 'E_EXPR_SYNTAX'],
  ["{['__proto__']: {polluted: true}}", 'E_EXPR_FORBIDDEN'],
  ['{__proto__: {polluted: true}}', 'E_EXPR_FORBIDDEN'],
  ["{'__proto__': {polluted: true}}", 'E_EXPR_FORBIDDEN'],
  ["{['constructor']: 1}", 'E_EXPR_FORBIDDEN'],
  ["fromEntries([['__proto__', {polluted: true}]])", 'E_EXPR_FORBIDDEN'],
  ["groupBy(['__proto__'], x => x)", 'E_EXPR_FORBIDDEN'],
  ['vars.proto.__proto__.polluted', 'E_EXPR_FORBIDDEN'],
  ["vars.proto['__proto__']", 'E_EXPR_FORBIDDEN'],
  ['flow.input.obj.toString()', 'E_EXPR_TYPE'],
  ['flow.input.obj.valueOf()', 'E_EXPR_FORBIDDEN'],
  ["flow.input.name.toString.call('x')", 'E_EXPR_FORBIDDEN'],
  ["flow.input.obj.hasOwnProperty('x')", 'E_EXPR_FORBIDDEN'],
  ['flow.input.obj.__defineGetter__', 'E_EXPR_FORBIDDEN'],
  ["flow.input.obj.__lookupGetter__('x')", 'E_EXPR_FORBIDDEN'],
  ['Object', 'E_EXPR_REFERENCE'],
  ['Function', 'E_EXPR_REFERENCE'],
  ["Function('return this')()", 'E_EXPR_REFERENCE'],
  ['globalThis', 'E_EXPR_REFERENCE'],
  ['globalThis.process', 'E_EXPR_REFERENCE'],
  ['process.exit()', 'E_EXPR_REFERENCE'],
  ['require', 'E_EXPR_REFERENCE'],
  ["eval('1')", 'E_EXPR_REFERENCE'],
  ['arguments', 'E_EXPR_REFERENCE'],
  ['this', 'E_EXPR_SYNTAX'],
  ['this.constructor', 'E_EXPR_SYNTAX'],
  ['new Function("x")', 'E_EXPR_SYNTAX'],
  ['import("fs")', 'E_EXPR_SYNTAX'],
  ['vars.fn()', 'E_EXPR_FORBIDDEN'],
  ['vars.fn.call', 'E_EXPR_FORBIDDEN'],
  ['vars.fn.name', 'E_EXPR_FORBIDDEN'],
  ['flow.input.arr.map(vars.fn)', 'E_EXPR_TYPE'],
  ['vars.withGetter.secret', 'E_EXPR_FORBIDDEN'],
  ["vars.withGetter['sec' + 'ret']", 'E_EXPR_FORBIDDEN'],
  ['json(vars.withGetter)', 'E_EXPR_FORBIDDEN'],
  ['values(vars.withGetter)', 'E_EXPR_FORBIDDEN'],
  ['vars.arrayWithGetter[1]', 'E_EXPR_FORBIDDEN'],
  ['vars.arrayWithGetter.map(x => x)', 'E_EXPR_FORBIDDEN'],
  ['{...vars.withGetter}', 'E_EXPR_FORBIDDEN'],
  ["'x'.repeat(1e9)", 'E_EXPR_LIMIT'],
  ["'x'.padStart(1e9)", 'E_EXPR_LIMIT'],
  ['vars.big + vars.big', 'E_EXPR_LIMIT'],
  ["vars.big.split('')", 'E_EXPR_LIMIT'],
  ['range(40).reduce(a => a.concat(a), [1])', 'E_EXPR_LIMIT'],
  ['range(40).reduce(a => a + a, "x")', 'E_EXPR_LIMIT'],
  ['range(100000).map(i => range(100000).map(j => j))', 'E_EXPR_LIMIT'],
  ['('.repeat(10_000) + '1' + ')'.repeat(10_000), 'E_EXPR_LIMIT'],
  ['['.repeat(10_000) + ']'.repeat(10_000), 'E_EXPR_LIMIT'],
  ['!'.repeat(10_000) + 'true', 'E_EXPR_LIMIT'],
  ['1' + ' + 1'.repeat(10_000), 'E_EXPR_LIMIT'],
  ['vars' + '.a'.repeat(10_000), 'E_EXPR_LIMIT'],
  ['x => x', 'E_EXPR_SYNTAX'],
  ['[].concat.apply', 'E_EXPR_REFERENCE'],
  ["flow.input.arr['map'](x => x)", 'E_EXPR_FORBIDDEN'],
  ['(flow.input.arr.map ?? 1)(x => x)', 'E_EXPR_FORBIDDEN'],
  ['flow.input.arr.sort.constructor', 'E_EXPR_FORBIDDEN'],
  ['`${1}`', 'E_EXPR_SYNTAX'],
  ['vars.x = 1', 'E_EXPR_SYNTAX'],
  ['delete vars.fn', 'E_EXPR_SYNTAX'],
];

function snapshot(): string {
  const describe = (o: object): string =>
    Reflect.ownKeys(o)
      .map((k) => String(k))
      .sort()
      .join(',');
  return [
    Object.prototype,
    Array.prototype,
    Object.getPrototypeOf(() => undefined) as object, // Function.prototype (the global is lint-banned)
    String.prototype,
    Number.prototype,
  ]
    .map(describe)
    .join('|');
}

const before = snapshot();

for (const [source, expected] of ATTEMPTS) {
  const codes = typeof expected === 'string' ? [expected] : expected;
  test(`refuses ${source.length > 60 ? source.slice(0, 60) + '…' : source}`, () => {
    getterCalls.length = 0;
    assert.throws(
      () => compileTemplate(`$<${source}>`).evaluate(makeScope()),
      (err: unknown) => {
        assert.ok(
          err instanceof ExpressionError,
          `expected an ExpressionError, got ${String(err)}`,
        );
        assert.ok(
          codes.includes(err.code),
          `expected ${codes.join(' or ')}, got ${err.code}: ${err.message}`,
        );
        return true;
      },
    );
    assert.deepEqual(getterCalls, [], 'no getter in the data was invoked');
    assert.equal(snapshot(), before, 'built-in prototypes are untouched');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
}

test('the corpus has at least 40 attempts', () => {
  assert.ok(ATTEMPTS.length >= 40);
});

test('objects built by expressions have the ordinary prototype and only their own keys', () => {
  const obj = compileTemplate("$<{a: 1, ['b']: 2}>").evaluate({}) as object;
  assert.equal(Object.getPrototypeOf(obj), Object.prototype);
  assert.deepEqual(Object.keys(obj), ['a', 'b']);
});
