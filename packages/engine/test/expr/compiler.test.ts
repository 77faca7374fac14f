import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpressionError, compileTemplate } from '../../src/expr/index.ts';

function failure(template: string, scope: object = {}, limits = {}): ExpressionError {
  try {
    compileTemplate(template, { limits }).evaluate(scope);
  } catch (err) {
    assert.ok(err instanceof ExpressionError, String(err));
    return err;
  }
  assert.fail(`expected ${template} to fail`);
}

test('names the missing path in reference errors', () => {
  const scope = { nodes: { extract: { output: { records: [] } } } };
  const err = failure('$<nodes.extract.output.records[0].id>', scope);
  assert.equal(err.code, 'E_EXPR_REFERENCE');
  assert.equal(err.message, 'nodes.extract.output.records[0] is undefined, cannot read .id');
  assert.equal(
    failure('$<nodes.extract.output.records[0].tags.map(t => t)>', scope).message,
    'nodes.extract.output.records[0] is undefined, cannot read .tags',
  );
  assert.equal(failure('$<len(nodes.extract.output.x).y>', scope).code, 'E_EXPR_TYPE');
});

test('unknown names and functions are found at compile time, with suggestions', () => {
  assert.throws(() => compileTemplate('$<node.x>'), {
    code: 'E_EXPR_REFERENCE',
    message: /did you mean 'nodes'/,
  });
  assert.throws(() => compileTemplate('$<lne(x)>'), {
    code: 'E_EXPR_REFERENCE',
    message: /did you mean 'len'/,
  });
  assert.throws(() => compileTemplate('$<vars.a.mapp(x => x)>'), {
    code: 'E_EXPR_FORBIDDEN',
    message: /did you mean 'map'/,
  });
});

test('a root missing from the scope says where it exists', () => {
  assert.match(failure('$<item.id>').message, /only inside a forEach body/);
  assert.match(failure('$<error.message>').message, /catch region/);
});

test('the step budget stops runaway callbacks', () => {
  const err = failure('$<range(1000).map(i => range(1000).map(j => j))>', {}, { maxSteps: 50_000 });
  assert.equal(err.code, 'E_EXPR_LIMIT');
  assert.match(err.message, /ran out of steps/);
  assert.doesNotThrow(() =>
    compileTemplate('$<range(100).map(i => i)>', { limits: { maxSteps: 500 } }).evaluate({}),
  );
});

test('every evaluation gets a fresh step budget', () => {
  const t = compileTemplate('$<range(100).map(i => i * 2).length>', { limits: { maxSteps: 500 } });
  for (let i = 0; i < 10; i++) assert.equal(t.evaluate({}), 100);
});

test('size limits apply before allocating', () => {
  assert.equal(failure("$<'ab'.repeat(10)>", {}, { maxStringLength: 5 }).code, 'E_EXPR_LIMIT');
  assert.equal(failure('$<range(11)>', {}, { maxArrayLength: 10 }).code, 'E_EXPR_LIMIT');
  assert.equal(
    failure('$<[...range(6), ...range(6)]>', {}, { maxArrayLength: 10 }).code,
    'E_EXPR_LIMIT',
  );
});

test('limits must be sensible numbers', () => {
  assert.throws(() => compileTemplate('$<1>', { limits: { maxSteps: -1 } }), RangeError);
});

test('reads the same objects repeatedly through the per-link cache, and sees changes', () => {
  const t = compileTemplate('$<vars.a.b>');
  const vars = { a: { b: 1 } };
  const scope = { vars };
  assert.equal(t.evaluate(scope), 1);
  vars.a.b = 2;
  assert.equal(t.evaluate(scope), 2);
  delete (vars.a as { b?: number }).b;
  assert.equal(t.evaluate(scope), undefined);
  (vars as { a: unknown }).a = null;
  assert.equal(failure('$<vars.a.b>', scope).code, 'E_EXPR_REFERENCE');
});

test('getters in scope data are refused, not invoked', () => {
  let called = false;
  const data = Object.defineProperty({}, 'x', {
    enumerable: true,
    get: () => ((called = true), 1),
  });
  assert.equal(failure('$<vars.x>', { vars: data }).code, 'E_EXPR_FORBIDDEN');
  assert.equal(
    failure('$<vars.x>', {
      get vars() {
        return {};
      },
    }).code,
    'E_EXPR_FORBIDDEN',
  );
  assert.equal(called, false);
});

test('== treats null and undefined as equal and nothing else as coercible', () => {
  const t = compileTemplate('$<[null == undefined, 0 == false, "1" == 1, 1 == 1]>');
  assert.deepEqual(t.evaluate({}), [true, false, false, true]);
});

test('typeof of a missing root is undefined instead of an error', () => {
  assert.equal(
    compileTemplate("$<typeof item === 'undefined' ? 'no loop' : item>").evaluate({}),
    'no loop',
  );
  assert.equal(
    compileTemplate("$<typeof item === 'undefined' ? 'no loop' : item>").evaluate({ item: 3 }),
    3,
  );
});

test('errors thrown by host proxies in the scope become typed errors', () => {
  const scope = new Proxy(
    {},
    {
      getOwnPropertyDescriptor: () => {
        throw new TypeError('boom');
      },
    },
  );
  assert.equal(failure('$<vars>', scope).code, 'E_EXPR_TYPE');
});
