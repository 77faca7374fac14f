import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatPreview,
  previewExpression,
  syntaxDiagnostics,
} from '../../src/core/expression-preview.ts';

const scope = {
  flow: { input: { name: 'Dana' } },
  nodes: { extract: { output: { count: 3, items: ['a', 'b'] } } },
};

test('a single expression previews as its raw value', () => {
  assert.deepEqual(previewExpression('$<nodes.extract.output.count * 2>', scope), {
    ok: true,
    value: 6,
  });
  assert.deepEqual(previewExpression('$<nodes.extract.output.items>', scope), {
    ok: true,
    value: ['a', 'b'],
  });
});

test('a template with text previews as the joined string', () => {
  assert.deepEqual(previewExpression('Hello $<flow.input.name>!', scope), {
    ok: true,
    value: 'Hello Dana!',
  });
  assert.deepEqual(previewExpression('plain text', {}), { ok: true, value: 'plain text' });
});

test('a syntax error comes back as its code and message, not as an exception', () => {
  const result = previewExpression('$<1 +>', scope);
  assert.equal(result.ok, false);
  assert.ok(!result.ok);
  assert.equal(result.code, 'E_EXPR_SYNTAX');
  assert.match(result.message, /Expected an expression/);
});

test('an unknown name and a missing node are reference errors', () => {
  const unknown = previewExpression('$<foo>', scope);
  assert.ok(!unknown.ok);
  assert.equal(unknown.code, 'E_EXPR_REFERENCE');
  const missing = previewExpression('$<nodes.nope.output>', scope);
  assert.ok(!missing.ok);
  assert.equal(missing.code, 'E_EXPR_REFERENCE');
  assert.match(missing.message, /nodes\.nope/);
});

test('an evaluation over the budget stops with E_EXPR_LIMIT', () => {
  const big = { vars: { list: Array.from({ length: 50 }, (_, i) => i) } };
  const result = previewExpression('$<vars.list.map(x => vars.list.map(y => x * y))>', big, {
    limits: { maxSteps: 100 },
  });
  assert.ok(!result.ok);
  assert.equal(result.code, 'E_EXPR_LIMIT');
});

test('a bad limits option is reported, not thrown', () => {
  const result = previewExpression('$<1>', {}, { limits: { maxSteps: -1 } });
  assert.ok(!result.ok);
  assert.match(result.message, /maxSteps/);
});

test('a scope that throws from a getter yields an error result', () => {
  const hostile = {
    get nodes(): never {
      throw new Error('boom');
    },
  };
  const result = previewExpression('$<nodes.a>', hostile);
  assert.equal(result.ok, false);
});

test('syntax diagnostics carry the parser messages and template offsets', () => {
  assert.deepEqual(syntaxDiagnostics('$<nodes.>'), [
    {
      from: 8,
      to: 8,
      code: 'E_EXPR_SYNTAX',
      message: "Expected a property name after '.', found end of expression",
    },
  ]);
  const unclosed = syntaxDiagnostics('hi $<flow');
  assert.equal(unclosed.length, 1);
  assert.deepEqual([unclosed[0]!.from, unclosed[0]!.to], [3, 9]);
  assert.deepEqual(syntaxDiagnostics('ok $<flow.input> ok'), []);
  assert.deepEqual(syntaxDiagnostics(''), []);
});

test('formatPreview renders JSON-like text', () => {
  assert.equal(formatPreview(6), '6');
  assert.equal(formatPreview('Hello'), '"Hello"');
  assert.equal(formatPreview(null), 'null');
  assert.equal(formatPreview(undefined), 'undefined');
  assert.equal(formatPreview(Number.NaN), 'NaN');
  assert.equal(formatPreview(true), 'true');
  assert.equal(formatPreview({ count: 2, items: ['a', 'b'] }), '{"count": 2, "items": ["a", "b"]}');
  assert.equal(formatPreview([]), '[]');
  assert.equal(formatPreview({}), '{}');
});

test('formatPreview cuts long text with an ellipsis within maxLength', () => {
  const text = formatPreview(
    Array.from({ length: 1000 }, (_, i) => i),
    20,
  );
  assert.equal(text.length, 20);
  assert.ok(text.endsWith('…'));
  assert.ok(text.startsWith('[0, 1, 2'));
  assert.equal(formatPreview('abc', 5), '"abc"');
  assert.equal(formatPreview('abcd', 5), '"abc…');
});

test('formatPreview stops walking once the text is long enough', () => {
  let reads = 0;
  const huge = new Proxy(
    Array.from({ length: 200_000 }, (_, i) => i),
    {
      getOwnPropertyDescriptor(target, key) {
        reads++;
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
    },
  );
  assert.equal(formatPreview(huge, 50).length, 50);
  assert.ok(reads < 30, `read ${reads} elements for 50 characters`);
});

test('formatPreview shows cycles and never runs getters', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic['self'] = cyclic;
  assert.equal(formatPreview(cyclic), '{"a": 1, "self": [Circular]}');
  let ran = false;
  const withGetter = {
    get secret(): string {
      ran = true;
      return 'x';
    },
  };
  assert.equal(formatPreview(withGetter), '{"secret": [Getter]}');
  assert.equal(ran, false);
});

test('formatPreview survives a Proxy that throws', () => {
  const proxy = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('trap');
      },
    },
  );
  assert.equal(formatPreview(proxy), '{…');
  assert.equal(formatPreview([1, proxy]), '[1, {…');
});
