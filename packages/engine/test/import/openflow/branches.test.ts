import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertValid, codes, evaluate, importModules, js, nodeOf, script, tpl } from './helpers.ts';

function branchOne(
  id: string,
  branches: { expr: string; modules: unknown[]; summary?: string }[],
  fallback: unknown[] = [],
  extra: Record<string, unknown> = {},
) {
  return { id, value: { type: 'branchone', branches, default: fallback }, ...extra };
}

function branchAll(
  id: string,
  branches: { modules: unknown[]; skip_failure?: boolean }[],
  parallel?: boolean,
  extra: Record<string, unknown> = {},
) {
  return {
    id,
    value: { type: 'branchall', branches, ...(parallel === undefined ? {} : { parallel }) },
    ...extra,
  };
}

describe('branchone', () => {
  test('a switch with one case per branch inside a group that outputs the taken branch’s result', () => {
    const { flow, diagnostics } = importModules([
      script('a'),
      branchOne(
        'pick',
        [
          {
            expr: 'results.a.kind == "email"',
            summary: 'Email',
            modules: [script('send', { to: js('flow_input.to') })],
          },
        ],
        [script('log')],
      ),
      script('after', { r: js('previous_result') }),
    ]);
    assert.deepEqual(nodeOf(flow, 'pick'), {
      id: 'pick',
      type: 'group',
      nodes: [
        {
          id: 'pick__branch',
          type: 'switch',
          name: 'Branch',
          cases: [
            { port: 'branch_0', when: tpl('nodes.a.output.kind == "email"'), label: 'Email' },
          ],
        },
        {
          id: 'send',
          type: 'code',
          language: 'typescript',
          code: "export function main() { return 'send'; }",
          input: { to: tpl('flow.input.to') },
        },
        {
          id: 'log',
          type: 'code',
          language: 'typescript',
          code: "export function main() { return 'log'; }",
          input: {},
        },
      ],
      edges: [
        { from: 'pick__branch', port: 'branch_0', to: 'send' },
        { from: 'pick__branch', port: 'default', to: 'log' },
      ],
      output: tpl('nodes.a.output.kind == "email" ? nodes.send.output : nodes.log.output'),
    });
    assert.deepEqual(nodeOf(flow, 'after').input, { r: tpl('nodes.pick.output') });
    assert.deepEqual(diagnostics, []);
    assertValid(flow);
  });

  test('the output picks the branch the switch took, also when its result is null', () => {
    const { flow } = importModules([
      branchOne(
        'pick',
        [
          { expr: 'flow_input.n > 10', modules: [script('big')] },
          { expr: 'flow_input.n > 5', modules: [script('mid')] },
        ],
        [script('small')],
      ),
    ]);
    const output = nodeOf(flow, 'pick')['output'];
    const nodes = { big: { output: null }, mid: { output: 'mid' }, small: { output: 'small' } };
    assert.equal(evaluate(output, { flow: { input: { n: 20 } }, nodes }), null);
    assert.equal(evaluate(output, { flow: { input: { n: 7 } }, nodes }), 'mid');
    assert.equal(evaluate(output, { flow: { input: { n: 1 } }, nodes }), 'small');
  });

  test('an empty branch yields [] as in Windmill, with a node so its port leads somewhere', () => {
    const { flow } = importModules([
      script('a'),
      branchOne('pick', [{ expr: 'true', modules: [] }]),
    ]);
    assert.deepEqual(nodeOf(flow, 'pick__branch_0_empty'), {
      id: 'pick__branch_0_empty',
      type: 'transform',
      name: 'Empty branch',
      input: { value: tpl('[]') },
    });
    assert.equal(
      nodeOf(flow, 'pick')['output'],
      tpl('true ? nodes.pick__branch_0_empty.output?.value : []'),
    );
    assertValid(flow);
  });

  test("with emptyBranchResult 'previous' an empty branch passes the previous result through", () => {
    const { flow } = importModules(
      [script('a'), branchOne('pick', [{ expr: 'false', modules: [] }])],
      {},
      { emptyBranchResult: 'previous' },
    );
    assert.equal(
      nodeOf(flow, 'pick')['output'],
      tpl('false ? nodes.pick__branch_0_empty.output?.value : nodes.a.output'),
    );
    assert.deepEqual(nodeOf(flow, 'pick__branch_0_empty').input, { value: tpl('nodes.a.output') });
  });

  test('the first step of a branch sees the branch input (the flow input) as previous_result', () => {
    const { flow } = importModules([
      script('a'),
      branchOne('pick', [{ expr: 'true', modules: [script('b', { p: js('previous_result.x') })] }]),
    ]);
    assert.deepEqual(nodeOf(flow, 'b').input, { p: tpl('flow.input.x') });
  });

  test('branch conditions beyond the language are computed by a code node before the switch', () => {
    const { flow } = importModules([
      branchOne('pick', [{ expr: '/^a/.test(flow_input.s)', modules: [script('b')] }]),
    ]);
    const group = nodeOf(flow, 'pick');
    assert.deepEqual(
      (group['nodes'] as { id: string }[]).map((n) => n.id),
      ['pick__branches_js', 'pick__branch', 'b'],
    );
    assert.deepEqual(nodeOf(flow, 'pick__branch')['cases'], [
      { port: 'branch_0', when: tpl('nodes.pick__branches_js.output.branch_0') },
    ]);
    assert.match(nodeOf(flow, 'pick__branches_js')['code'] as string, /"branch_0": Boolean\(/);
    assertValid(flow);
  });

  test('Windmill’s nested branchone test: the default of the inner branch runs', () => {
    const add = (i: number, from: string) => ({
      id: `id_${i}`.replace('-', '_'),
      value: {
        type: 'rawscript',
        language: 'deno',
        content: 'export function main(array, i){ array.push(i); return array }',
        input_transforms: { array: js(`results.${from}`), i: { type: 'static', value: i } },
      },
    });
    const { flow } = importModules([
      {
        id: 'a',
        value: {
          type: 'rawscript',
          language: 'deno',
          content: 'export function main(){ return [] }',
          input_transforms: {},
        },
      },
      add(1, 'a'),
      branchOne(
        'b',
        [
          { expr: 'false', modules: [] },
          {
            expr: 'true',
            modules: [
              {
                value: {
                  type: 'branchone',
                  branches: [{ expr: 'false', modules: [] }],
                  default: [add(2, 'id_1')],
                },
              },
            ],
          },
        ],
        [add(-4, 'id_1')],
      ),
      add(3, 'b'),
    ]);
    assertValid(flow);
    assert.deepEqual(nodeOf(flow, 'id_2').input, { array: tpl('nodes.id_1.output'), i: 2 });
    assert.deepEqual(nodeOf(flow, 'id_3').input, { array: tpl('nodes.b.output'), i: 3 });
    const nodes = {
      b__branch_0_empty: { output: null },
      b_b1_0__branch_0_empty: { output: null },
      id_2: { output: [1, 2] },
      id__4: { output: [1, -4] },
      b_b1_0: { output: undefined as unknown },
    };
    nodes.b_b1_0.output = evaluate(nodeOf(flow, 'b_b1_0')['output'], { nodes });
    assert.deepEqual(nodes.b_b1_0.output, [1, 2]);
    assert.deepEqual(evaluate(nodeOf(flow, 'b')['output'], { nodes }), [1, 2]);
  });

  test('an early stop inside a branch ends the flow: a guard after the group', () => {
    const { flow } = importModules([
      branchOne('pick', [
        { expr: 'true', modules: [script('b', {}, { stop_after_if: { expr: 'true' } })] },
      ]),
      script('after'),
    ]);
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['pick', 'pick__stopped', 'after'],
    );
    assert.deepEqual(nodeOf(flow, 'pick__stopped').input, {
      condition: tpl("nodes.b__stopped_early?.status == 'succeeded'"),
    });
    assert.deepEqual(flow.edges, [
      { from: 'pick', to: 'pick__stopped' },
      { from: 'pick__stopped', port: 'false', to: 'after' },
    ]);
    assertValid(flow);
  });
});

describe('branchall', () => {
  test('sequential by default: branches chained in a group whose output is the array of results', () => {
    const { flow, diagnostics } = importModules([
      script('a'),
      branchAll('all', [{ modules: [script('b1'), script('b2')] }, { modules: [script('c1')] }]),
    ]);
    assert.deepEqual(nodeOf(flow, 'all')['edges'], [
      { from: 'b1', to: 'b2' },
      { from: 'b2', to: 'c1' },
    ]);
    assert.equal(nodeOf(flow, 'all')['output'], tpl('[nodes.b2.output, nodes.c1.output]'));
    assert.deepEqual(diagnostics, []);
    assertValid(flow);
  });

  test('parallel branches are independent chains (fan-out)', () => {
    const { flow } = importModules([
      branchAll(
        'all',
        [{ modules: [script('b1'), script('b2')] }, { modules: [script('c1')] }],
        true,
      ),
    ]);
    assert.deepEqual(nodeOf(flow, 'all')['edges'], [{ from: 'b1', to: 'b2' }]);
    assert.deepEqual(
      (nodeOf(flow, 'all')['nodes'] as { id: string }[]).map((n) => n.id),
      ['b1', 'b2', 'c1'],
    );
  });

  test('an empty branch yields its input, the flow input, as in Windmill', () => {
    const { flow } = importModules([
      script('a'),
      branchAll('all', [{ modules: [] }, { modules: [script('c')] }]),
    ]);
    assert.equal(nodeOf(flow, 'all')['output'], tpl('[flow.input, nodes.c.output]'));
  });

  test('skip_failure: continueOnError on a one-node branch, a try around a longer one', () => {
    const { flow } = importModules([
      branchAll('all', [
        { modules: [script('one')], skip_failure: true },
        { modules: [script('x'), script('y')], skip_failure: true },
      ]),
    ]);
    assert.equal(nodeOf(flow, 'one').continueOnError, true);
    const tryNode = nodeOf(flow, 'all__branch_1');
    assert.equal(tryNode.type, 'try');
    assert.deepEqual(tryNode['catch'], { nodes: [], output: tpl('{ error: error }') });
    assert.equal(
      nodeOf(flow, 'all')['output'],
      tpl('[nodes.one.output, nodes.all__branch_1.output]'),
    );
    assert.deepEqual(nodeOf(flow, 'all')['edges'], [{ from: 'one', to: 'all__branch_1' }]);
    assertValid(flow);
  });

  test('an early stop inside a try-wrapped branch ends that branch only; the flow stops after the branchall with its result', () => {
    const { flow } = importModules([
      branchAll('all', [
        {
          modules: [script('x', {}, { stop_after_if: { expr: 'true' } }), script('y')],
          skip_failure: true,
        },
        { modules: [script('z')] },
      ]),
      script('after'),
    ]);
    // The branch is a group of its own: the stop skips `y`, the next branch still runs.
    assert.deepEqual(nodeOf(flow, 'all')['edges'], [{ from: 'all__branch_0_steps', to: 'z' }]);
    assert.equal(nodeOf(flow, 'x__stopped_branch').type, 'transform');
    assert.deepEqual(nodeOf(flow, 'all__branch_stop').input, {
      condition: tpl("nodes.x__stopped_branch?.status == 'succeeded'"),
    });
    // At the flow level the stop is a return of the branchall's result, not of x's.
    assert.equal(nodeOf(flow, 'all__branch_stopped').type, 'return');
    assert.deepEqual(nodeOf(flow, 'all__branch_stopped').input, { value: tpl('nodes.all.output') });
    assertValid(flow);
  });

  test('Windmill’s nested branchall test nests arrays', () => {
    const add = (i: number, from: string) => ({
      id: `id_${i}`,
      value: {
        type: 'rawscript',
        language: 'deno',
        content: 'export function main(array, i){ array.push(i); return array }',
        input_transforms: { array: js(`results.${from}`), i: { type: 'static', value: i } },
      },
    });
    const { flow } = importModules([
      {
        id: 'a',
        value: {
          type: 'rawscript',
          language: 'deno',
          content: 'export function main(){ return [1] }',
          input_transforms: {},
        },
      },
      {
        value: {
          type: 'branchall',
          branches: [
            {
              modules: [
                {
                  id: 'b',
                  value: {
                    type: 'branchall',
                    branches: [{ modules: [add(2, 'a')] }, { modules: [add(3, 'a')] }],
                  },
                },
                {
                  value: {
                    type: 'branchall',
                    branches: [{ modules: [add(4, 'b')] }, { modules: [add(5, 'b')] }],
                  },
                },
              ],
            },
            { modules: [add(6, 'a')] },
          ],
        },
      },
    ]);
    assertValid(flow);
    assert.equal(flow.output, tpl('nodes.m1.output'));
    assert.equal(nodeOf(flow, 'm1')['output'], tpl('[nodes.m1_b0_1.output, nodes.id_6.output]'));
    assert.equal(nodeOf(flow, 'b')['output'], tpl('[nodes.id_2.output, nodes.id_3.output]'));
    // With each step's result as Windmill computes it (inputs are copies), the outputs nest:
    const nodes: Record<string, { output: unknown }> = {
      id_2: { output: [1, 2] },
      id_3: { output: [1, 3] },
      id_6: { output: [1, 6] },
    };
    nodes['b'] = { output: evaluate(nodeOf(flow, 'b')['output'], { nodes }) };
    nodes['id_4'] = { output: [...(nodes['b'].output as unknown[]), 4] };
    nodes['id_5'] = { output: [...(nodes['b'].output as unknown[]), 5] };
    nodes['m1_b0_1'] = { output: evaluate(nodeOf(flow, 'm1_b0_1')['output'], { nodes }) };
    assert.deepEqual(evaluate(nodeOf(flow, 'm1')['output'], { nodes }), [
      [
        [[1, 2], [1, 3], 4],
        [[1, 2], [1, 3], 5],
      ],
      [1, 6],
    ]);
  });

  test('stop_after_if on a branchall is ignored as in Windmill; stop_after_all_iters_if applies', () => {
    const { flow, diagnostics } = importModules([
      branchAll('all', [{ modules: [script('b')] }], undefined, {
        stop_after_if: { expr: 'true' },
        stop_after_all_iters_if: { expr: 'result.length > 0' },
      }),
    ]);
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['all', 'all__stop', 'all__stopped_early'],
    );
    assert.deepEqual(nodeOf(flow, 'all__stop').input, {
      condition: tpl('nodes.all.output.length > 0'),
    });
    assert.deepEqual(codes(diagnostics), ['W_IMPORT_LOSSY']);
  });
});
