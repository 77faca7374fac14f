import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UNBOUNDED_PARALLELISM } from '../../../src/import/index.ts';
import {
  assertValid,
  codes,
  evaluate,
  importModules,
  js,
  nodeOf,
  script,
  stat,
  tpl,
} from './helpers.ts';

function forLoop(
  id: string,
  modules: unknown[],
  value: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return {
    id,
    value: {
      type: 'forloopflow',
      iterator: js('flow_input.items'),
      skip_failures: false,
      modules,
      ...value,
    },
    ...extra,
  };
}

function whileLoop(
  id: string,
  modules: unknown[],
  value: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return {
    id,
    value: { type: 'whileloopflow', skip_failures: false, modules, ...value },
    ...extra,
  };
}

describe('forloopflow', () => {
  test('becomes a forEach over the iterator whose output is the body result per item', () => {
    const { flow, diagnostics } = importModules([
      forLoop('each', [
        script('double', { n: js('flow_input.iter.value * 2'), i: js('flow_input.iter.index') }),
      ]),
    ]);
    assert.deepEqual(flow.nodes, [
      {
        id: 'each',
        type: 'forEach',
        input: { items: tpl('flow.input.items') },
        nodes: [
          {
            id: 'double',
            type: 'code',
            language: 'typescript',
            code: "export function main() { return 'double'; }",
            input: { n: tpl('item * 2'), i: tpl('index') },
          },
        ],
        output: tpl('nodes.double.output'),
      },
    ]);
    assert.equal(flow.output, tpl('nodes.each.output'));
    assert.deepEqual(diagnostics, []);
    assertValid(flow);
  });

  test('a static iterator is a literal array', () => {
    const { flow } = importModules([
      forLoop('each', [script('a')], { iterator: stat([1, '$<x>']) }),
    ]);
    assert.deepEqual(nodeOf(flow, 'each').input, { items: [1, '$$<x>'] });
  });

  test('the iterator sees the previous result as result', () => {
    const { flow } = importModules([
      script('a'),
      forLoop('each', [script('b')], { iterator: js('result.rows') }),
    ]);
    assert.deepEqual(nodeOf(flow, 'each').input, { items: tpl('nodes.a.output.rows') });
  });

  test('parallel loops keep parallelism; without one they are unbounded', () => {
    const a = importModules([
      forLoop('each', [script('a')], { parallel: true, parallelism: stat(4) }),
    ]);
    assert.equal(nodeOf(a.flow, 'each')['parallelism'], 4);
    const b = importModules([forLoop('each', [script('a')], { parallel: true, parallelism: 3 })]);
    assert.equal(nodeOf(b.flow, 'each')['parallelism'], 3);
    const c = importModules([forLoop('each', [script('a')], { parallel: true })]);
    assert.equal(nodeOf(c.flow, 'each')['parallelism'], UNBOUNDED_PARALLELISM);
    const d = importModules([
      forLoop('each', [script('a')], { parallel: false, parallelism: stat(4) }),
    ]);
    assert.equal(nodeOf(d.flow, 'each')['parallelism'], undefined);
    const e = importModules([
      forLoop('each', [script('a')], { parallel: true, parallelism: js('flow_input.n') }),
    ]);
    assert.equal(nodeOf(e.flow, 'each')['parallelism'], UNBOUNDED_PARALLELISM);
    assert.deepEqual(codes(e.diagnostics), ['W_IMPORT_LOSSY']);
  });

  test('skip_failures on a one-node body sets continueOnError: the error is that iteration’s result', () => {
    const { flow } = importModules([forLoop('each', [script('a')], { skip_failures: true })]);
    assert.equal(nodeOf(flow, 'a').continueOnError, true);
    assert.equal(nodeOf(flow, 'each').output, tpl('nodes.a.output'));
  });

  test('skip_failures on a longer body wraps it in a try whose catch yields { error }', () => {
    const { flow } = importModules([
      forLoop('each', [script('a'), script('b')], { skip_failures: true }),
    ]);
    const each = nodeOf(flow, 'each');
    assert.deepEqual(
      (each['nodes'] as { id: string }[]).map((n) => n.id),
      ['each__try'],
    );
    const tryNode = nodeOf(flow, 'each__try');
    assert.equal(tryNode.type, 'try');
    assert.equal(tryNode['output'], tpl('nodes.b.output'));
    assert.deepEqual(tryNode['catch'], { nodes: [], output: tpl('{ error: error }') });
    assert.deepEqual(tryNode['edges'], [{ from: 'a', to: 'b' }]);
    assert.equal(each['output'], tpl('nodes.each__try.output'));
    assertValid(flow);
  });

  test('an empty body yields [] as in Windmill', () => {
    const { flow } = importModules([forLoop('each', [])]);
    assert.deepEqual(flow.nodes, [{ id: 'each', type: 'transform', input: { value: [] } }]);
    assert.equal(flow.output, tpl('nodes.each.output?.value'));
  });

  test('the first step of a multi-step body sees the iteration input as previous_result', () => {
    const { flow } = importModules([
      forLoop('each', [
        script('a', { p: js('previous_result.iter.value') }),
        script('b', { p: js('previous_result') }),
      ]),
    ]);
    assert.deepEqual(nodeOf(flow, 'a').input, { p: tpl('item') });
    assert.deepEqual(nodeOf(flow, 'b').input, { p: tpl('nodes.a.output') });
  });

  test('a one-step body without options sees the loop’s previous result, as Windmill runs it directly', () => {
    const { flow } = importModules([
      script('before'),
      forLoop('each', [script('a', { p: js('previous_result') })]),
    ]);
    assert.deepEqual(nodeOf(flow, 'a').input, { p: tpl('nodes.before.output') });
  });

  test('stop_after_if on the loop breaks it: a while over the items checks the previous iteration', () => {
    const { flow, diagnostics } = importModules([
      forLoop('each', [script('a')], {}, { stop_after_if: { expr: 'result.last' } }),
    ]);
    assert.deepEqual(
      flow.nodes.map((n) => [n.id, n.type]),
      [
        ['each__items', 'transform'],
        ['each', 'while'],
      ],
    );
    assert.deepEqual(nodeOf(flow, 'each__items').input, { items: tpl('flow.input.items') });
    const condition = (nodeOf(flow, 'each').input as { condition: string }).condition;
    assert.equal(
      condition,
      tpl('index < nodes.each__items.output.items.length && (index == 0 || !nodes.a.output.last)'),
    );
    assert.deepEqual(diagnostics, []);
    assertValid(flow);
    const items = { each__items: { output: { items: [1, 2, 3] } } };
    assert.equal(evaluate(condition, { index: 0, nodes: items }), true);
    assert.equal(
      evaluate(condition, { index: 1, nodes: { ...items, a: { output: { last: false } } } }),
      true,
    );
    assert.equal(
      evaluate(condition, { index: 2, nodes: { ...items, a: { output: { last: true } } } }),
      false,
    );
    assert.equal(
      evaluate(condition, { index: 3, nodes: { ...items, a: { output: { last: false } } } }),
      false,
    );
  });

  test('in the converted loop the item is read from the items node', () => {
    const { flow } = importModules([
      forLoop(
        'each',
        [script('a', { v: js('flow_input.iter.value') })],
        {},
        { stop_after_if: { expr: 'false' } },
      ),
    ]);
    assert.deepEqual(nodeOf(flow, 'a').input, { v: tpl('nodes.each__items.output.items[index]') });
  });

  test('an early stop in the body ends the iteration with its result and breaks the loop', () => {
    const { flow } = importModules([
      forLoop('each', [script('a', {}, { stop_after_if: { expr: 'result == "x"' } }), script('b')]),
    ]);
    const each = nodeOf(flow, 'each');
    assert.equal(each.type, 'while');
    assert.deepEqual(nodeOf(flow, 'a__break'), {
      id: 'a__break',
      type: 'transform',
      name: 'Break',
      input: { value: tpl('nodes.a.output') },
    });
    assert.equal(
      each['output'],
      tpl("nodes.a__break?.status == 'succeeded' ? nodes.a.output : nodes.b.output"),
    );
    assert.match(
      (each.input as { condition: string }).condition,
      /nodes\.a__break\?\.status == 'succeeded'/,
    );
    assert.deepEqual(each['edges'], [
      { from: 'a', to: 'a__stop' },
      { from: 'a__stop', port: 'true', to: 'a__break' },
      { from: 'a__stop', port: 'false', to: 'b' },
    ]);
    assertValid(flow);
  });

  test('with skip_failures the loop’s stop_after_if ignores failed iterations, as Windmill checks it after a success', () => {
    const { flow } = importModules([
      forLoop(
        'each',
        [script('a')],
        { skip_failures: true },
        { stop_after_if: { expr: 'flow_input.n == 2' } },
      ),
    ]);
    assert.deepEqual(nodeOf(flow, 'each__try')['catch'], {
      nodes: [
        { id: 'each__failed', type: 'transform', name: 'Iteration failed', input: { value: true } },
      ],
      output: tpl('{ error: error }'),
    });
    assert.equal(
      (nodeOf(flow, 'each').input as { condition: string }).condition,
      tpl(
        "index < nodes.each__items.output.items.length && (index == 0 || !(!(nodes.each__failed?.status == 'succeeded') && flow.input.n == 2))",
      ),
    );
    assertValid(flow);
  });

  test('a nested loop’s stop condition and simple body read the outer iteration through its capture', () => {
    const { flow } = importModules([
      forLoop('outer', [
        {
          id: 'inner',
          stop_after_if: { expr: 'flow_input.iter.value == result' },
          value: {
            type: 'forloopflow',
            iterator: js('[1, 2]'),
            skip_failures: false,
            modules: [script('a', { p: js('previous_result.iter.index') })],
          },
        },
      ]),
    ]);
    assert.equal(
      (nodeOf(flow, 'inner').input as { condition: string }).condition,
      tpl(
        'index < nodes.inner__items.output.items.length && (index == 0 || !(nodes.outer__iter.output.value == nodes.a.output))',
      ),
    );
    // The one-step body sees the inner loop's previous result: the outer iteration's input.
    assert.deepEqual(nodeOf(flow, 'a').input, { p: tpl('nodes.outer__iter.output.index') });
    assertValid(flow);
  });

  test('a parallel loop cannot break: reported, and it stays a forEach', () => {
    const { flow, diagnostics } = importModules([
      forLoop('each', [script('a')], { parallel: true }, { stop_after_if: { expr: 'true' } }),
    ]);
    assert.equal(nodeOf(flow, 'each').type, 'forEach');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.path]),
      [['W_IMPORT_LOSSY', '/value/modules/0/stop_after_if']],
    );
  });

  test('stop_after_all_iters_if stops the flow after the loop with its result', () => {
    const { flow } = importModules([
      forLoop(
        'each',
        [script('a')],
        {},
        { stop_after_all_iters_if: { expr: 'result.length == 0' } },
      ),
      script('next'),
    ]);
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['each', 'each__stop', 'each__stopped_early', 'next'],
    );
    assert.deepEqual(nodeOf(flow, 'each__stop').input, {
      condition: tpl('nodes.each.output.length == 0'),
    });
  });

  test('nested loops read the outer iteration through iter_parent', () => {
    const { flow } = importModules([
      forLoop('outer', [
        forLoop(
          'inner',
          [
            script('a', {
              g: js('flow_input.iter_parent.value.name'),
              v: js('flow_input.iter.value'),
              i: js('flow_input.iter_parent.index'),
            }),
          ],
          {
            iterator: js('flow_input.iter.value.items'),
          },
        ),
      ]),
    ]);
    const outer = nodeOf(flow, 'outer');
    assert.deepEqual(
      (outer['nodes'] as { id: string }[]).map((n) => n.id),
      ['outer__iter', 'inner'],
    );
    assert.deepEqual(nodeOf(flow, 'outer__iter').input, {
      value: tpl('item'),
      index: tpl('index'),
    });
    assert.deepEqual(outer['edges'], [{ from: 'outer__iter', to: 'inner' }]);
    assert.deepEqual(nodeOf(flow, 'inner').input, { items: tpl('item.items') });
    assert.deepEqual(nodeOf(flow, 'a').input, {
      g: tpl('nodes.outer__iter.output.value.name'),
      v: tpl('item'),
      i: tpl('nodes.outer__iter.output.index'),
    });
    assertValid(flow);
  });

  test('results of a step inside a loop read from outside it are reported', () => {
    const { diagnostics } = importModules([
      forLoop('each', [script('a')]),
      script('b', { x: js('results.a') }),
    ]);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.path]),
      [['W_IMPORT_LOSSY', '/value/modules/1/value/input_transforms/x/expr']],
    );
  });
});

describe('whileloopflow', () => {
  test('loops until stop_after_if holds for the previous iteration; iter.value is the index', () => {
    const { flow, diagnostics } = importModules([
      whileLoop(
        'w',
        [script('a', { n: js('flow_input.iter.value'), i: js('flow_input.iter.index') })],
        {},
        { stop_after_if: { expr: 'result >= 2' } },
      ),
    ]);
    assert.deepEqual(flow.nodes, [
      {
        id: 'w',
        type: 'while',
        input: { condition: tpl('index == 0 || !(nodes.a.output >= 2)') },
        nodes: [
          {
            id: 'a',
            type: 'code',
            language: 'typescript',
            code: "export function main() { return 'a'; }",
            input: { n: tpl('index'), i: tpl('index') },
          },
        ],
        output: tpl('nodes.a.output'),
      },
    ]);
    assert.deepEqual(diagnostics, []);
    assertValid(flow);
    const condition = (nodeOf(flow, 'w').input as { condition: string }).condition;
    assert.equal(evaluate(condition, { index: 0, nodes: {} }), true);
    assert.equal(evaluate(condition, { index: 2, nodes: { a: { output: 1 } } }), true);
    assert.equal(evaluate(condition, { index: 3, nodes: { a: { output: 2 } } }), false);
  });

  test('without any stop it runs until cancelled, or maxWhileIterations', () => {
    const a = importModules([whileLoop('w', [script('a')])]);
    assert.deepEqual(nodeOf(a.flow, 'w').input, { condition: tpl('true') });
    assert.equal(nodeOf(a.flow, 'w')['maxIterations'], undefined);
    const b = importModules([whileLoop('w', [script('a')])], {}, { maxWhileIterations: 50 });
    assert.equal(nodeOf(b.flow, 'w')['maxIterations'], 50);
  });

  test('an early stop in the body breaks it', () => {
    const { flow } = importModules([
      whileLoop('w', [script('a', {}, { stop_after_if: { expr: 'result.done' } }), script('b')]),
    ]);
    assert.equal(
      (nodeOf(flow, 'w').input as { condition: string }).condition,
      tpl("index == 0 || !(nodes.a__break?.status == 'succeeded')"),
    );
  });

  test('parallel is reported and dropped', () => {
    const { diagnostics } = importModules([whileLoop('w', [script('a')], { parallel: true })]);
    assert.deepEqual(codes(diagnostics), ['W_IMPORT_LOSSY']);
  });

  test('a stop condition beyond the language is computed at the end of each iteration', () => {
    const { flow } = importModules([
      whileLoop('w', [script('a')], {}, { stop_after_if: { expr: 'Number.isNaN(result)' } }),
    ]);
    const w = nodeOf(flow, 'w');
    assert.deepEqual(
      (w['nodes'] as { id: string }[]).map((n) => n.id),
      ['a', 'w__stop_js'],
    );
    assert.deepEqual(nodeOf(flow, 'w__stop_js').input, { result: tpl('nodes.a.output') });
    assert.deepEqual(w.input, { condition: tpl('index == 0 || !nodes.w__stop_js.output.stop') });
    assertValid(flow);
  });
});
