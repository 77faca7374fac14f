import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseExpression } from '../../../src/expr/index.ts';
import {
  flowInput,
  ident,
  lit,
  member,
  nodeOutput,
  object,
  property,
  spread,
} from '../../../src/import/openflow/ast-build.ts';
import {
  escapeText,
  rewriteJs,
  type ExprBindings,
} from '../../../src/import/openflow/expressions.ts';
import { evaluate, tpl } from './helpers.ts';

function bindings(extra: Partial<ExprBindings> = {}): ExprBindings {
  return {
    flowInput: flowInput(),
    previous: nodeOutput('prev'),
    resume: lit(null),
    resumes: { type: 'Array', elements: [], start: 0, end: 0 },
    approvers: { type: 'Array', elements: [], start: 0, end: 0 },
    results: (id) => nodeOutput(id === 'a-b' ? 'a_b' : id),
    finalize: (ast) => ast,
    ...extra,
  };
}

function rewrite(source: string, extra: Partial<ExprBindings> = {}): string {
  const r = rewriteJs(source, bindings(extra));
  assert.ok(r.ok, r.ok ? '' : `rewrite of ${source} failed: ${r.reason}`);
  return r.text;
}

const loopInput = object([
  spread(flowInput()),
  property('iter', object([property('value', ident('item')), property('index', ident('index'))])),
]);

describe('rewriting Windmill expressions', () => {
  test('flow_input becomes flow.input', () => {
    assert.equal(rewrite('flow_input.amount * 2'), tpl('flow.input.amount * 2'));
  });

  test('results.<id> becomes the result of that step, also with an id that needed sanitizing', () => {
    assert.equal(rewrite('results.a.items.length'), tpl('nodes.a.output.items.length'));
    assert.equal(rewrite("results['a-b'].x"), tpl('nodes.a_b.output.x'));
  });

  test('previous_result becomes the previous step result', () => {
    assert.equal(rewrite('previous_result.total'), tpl('nodes.prev.output.total'));
  });

  test('result is rejected where Windmill binds none, and rewritten where it does', () => {
    assert.equal(rewriteJs('result', bindings()).ok, false);
    assert.equal(rewrite('result.done', { result: nodeOutput('x') }), tpl('nodes.x.output.done'));
  });

  test('flow_input.iter in a loop body becomes item and index', () => {
    assert.equal(rewrite('flow_input.iter.value.id', { flowInput: loopInput }), tpl('item.id'));
    assert.equal(rewrite('flow_input.iter.index + 1', { flowInput: loopInput }), tpl('index + 1'));
    assert.equal(rewrite('flow_input.x', { flowInput: loopInput }), tpl('flow.input.x'));
    assert.equal(rewrite('flow_input?.iter?.value', { flowInput: loopInput }), tpl('item'));
  });

  test('a bare flow_input in a loop body keeps iter next to the flow input', () => {
    assert.equal(
      rewrite('flow_input', { flowInput: loopInput }),
      tpl('{ ...flow.input, iter: { value: item, index: index } }'),
    );
  });

  test('arrow function parameters are not Windmill variables', () => {
    assert.equal(
      rewrite('results.a.map((result) => result.id)'),
      tpl('nodes.a.output.map((result) => result.id)'),
    );
  });

  test('a template literal that is the whole expression becomes a Millrace template', () => {
    assert.equal(
      rewrite('`Hello ${flow_input.name}, ${results.a.count} items`'),
      `Hello ${tpl('flow.input.name')}, ${tpl('nodes.a.output.count')} items`,
    );
  });

  test('a template literal of one substitution stays text', () => {
    assert.equal(rewrite('`${flow_input.n}`'), tpl('string(flow.input.n)'));
    assert.equal(evaluate(rewrite('`${flow_input.n}`'), { flow: { input: { n: 4 } } }), '4');
  });

  test('a template literal inside an expression becomes string concatenation', () => {
    assert.equal(
      rewrite('flow_input.ok ? `ok ${flow_input.n}` : "no"'),
      tpl(`flow.input.ok ? ('ok ' + string(flow.input.n)) : "no"`),
    );
  });

  test('comments and a trailing semicolon are dropped', () => {
    assert.equal(rewrite('flow_input.x // the x\n;'), tpl('flow.input.x'));
    assert.equal(rewrite('/* a */ flow_input.x;'), tpl('flow.input.x'));
  });

  test("variable('path') reads a secret and says so", () => {
    const r = rewriteJs("variable('u/me/token')", bindings());
    assert.ok(r.ok);
    assert.equal(r.text, tpl("secrets['u/me/token']"));
    assert.equal(r.notes.length, 1);
  });

  test('resume, resumes and approvers read the approval bindings', () => {
    const resume = member(nodeOutput('ap'), 'data');
    assert.equal(rewrite('resume.comment', { resume }), tpl('nodes.ap.output.data.comment'));
  });

  test('error exists only in the failure module', () => {
    assert.equal(rewriteJs('error.message', bindings()).ok, false);
    assert.equal(rewrite('error.message', { error: ident('error') }), tpl('error.message'));
    const previous = object([property('error', ident('error'))]);
    assert.equal(rewrite('previous_result.error.message', { previous }), tpl('error.message'));
  });

  test('JavaScript the language lacks is refused with a reason', () => {
    for (const source of [
      'new Date()',
      'JSON.stringify(flow_input)',
      'Math.max(1, 2)',
      'x = 1',
      'flow_input.a.charCodeAt(0)',
      'results[flow_input.k]',
      "resource('u/me/db')",
      '`unterminated',
    ]) {
      const r = rewriteJs(source, bindings());
      assert.equal(r.ok, false, source);
      assert.ok(!r.ok && r.reason.length > 0);
    }
  });

  test('the rewritten expression computes what Windmill computes', () => {
    const scope = {
      flow: { input: { amount: 20, name: 'Dana', items: [1, 2, 3] } },
      nodes: { a: { output: { items: [4, 5] } } },
    };
    assert.equal(evaluate(rewrite('flow_input.amount * 2 + results.a.items.length'), scope), 42);
    assert.equal(evaluate(rewrite('`Hi ${flow_input.name}!`'), scope), 'Hi Dana!');
    assert.deepEqual(
      evaluate(rewrite('flow_input.items.filter((x) => x > 1).map((x) => x * 10)'), scope),
      [20, 30],
    );
    assert.equal(evaluate(rewrite('flow_input.missing?.deep ?? "none"'), scope), 'none');
    const loopScope = { ...scope, item: { id: 7 }, index: 2 };
    assert.equal(
      evaluate(
        rewrite('flow_input.iter.value.id * 10 + flow_input.iter.index', { flowInput: loopInput }),
        loopScope,
      ),
      72,
    );
  });
});

describe('escaping literal text', () => {
  test('$< in a literal becomes $$< so it stays text', () => {
    assert.equal(escapeText('price: $<5'), 'price: $$<5');
    assert.equal(evaluate(escapeText('price: $<5 and $$<'), {}), 'price: $<5 and $$<');
  });

  test('text without $< is unchanged', () => {
    assert.equal(escapeText('a > b, $x'), 'a > b, $x');
  });

  test('printed ASTs parse back', () => {
    assert.deepEqual(parseExpression(tpl('a.b').slice(2, -1)).errors, []);
  });
});
