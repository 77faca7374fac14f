import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowNode } from '@millrace/engine';
import {
  chain,
  execute,
  flow,
  flush,
  gated,
  harness,
  node,
  ofType,
  recorder,
  track,
  trace,
} from './helpers.ts';

// ---------------------------------------------------------------------------------------------
// forEach

test('forEach outputs the body output of each item, in item order', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: '$<flow.input.items>' },
        nodes: [{ id: 'double', type: 'transform', input: { v: '$<item * 2>' } }],
        edges: [],
      },
    ]),
    { items: [1, 2, 3] },
  );
  assert.deepEqual(r.outcome.value, [{ v: 2 }, { v: 4 }, { v: 6 }]);
  assert.deepEqual(node(r.view, 'each').output, [{ v: 2 }, { v: 4 }, { v: 6 }]);
});

test('forEach binds item and index in the body and addresses iterations as each[i]/node', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: ['a', 'b'] },
        nodes: [{ id: 'body', type: 'transform', input: { item: '$<item>', index: '$<index>' } }],
        edges: [],
      },
    ]),
  );
  assert.deepEqual(r.outcome.value, [
    { item: 'a', index: 0 },
    { item: 'b', index: 1 },
  ]);
  assert.deepEqual(node(r.view, 'each[1]/body').output, { item: 'b', index: 1 });
  assert.equal(node(r.view, 'each[1]/body').iteration, 1);
  const succeeded = ofType(r.events, 'NodeSucceeded').filter((e) => e.path.startsWith('each['));
  assert.deepEqual(
    succeeded.map((e) => [e.path, e.iteration]),
    [
      ['each[0]/body', 0],
      ['each[1]/body', 1],
    ],
  );
});

test('forEach keeps item order when parallel iterations finish out of order', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: [10, 20, 30] },
        parallelism: 3,
        nodes: [{ id: 'call', type: 'slow', input: { v: '$<item>' } }],
        edges: [],
      },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  assert.equal(slow.inFlight(), 3);
  slow.gates[2]!.resolve('third');
  await flush();
  slow.gates[0]!.resolve('first');
  await flush();
  slow.gates[1]!.resolve('second');
  await flush();
  assert.deepEqual(result.value, ['first', 'second', 'third']);
});

test('forEach runs at most `parallelism` iterations at once and starts them in item order', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: [0, 1, 2, 3, 4] },
        parallelism: 2,
        nodes: [{ id: 'call', type: 'slow', input: { v: '$<item>' } }],
        edges: [],
      },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  assert.equal(slow.calls.length, 2);
  for (let i = 0; i < 5; i++) {
    slow.gates[i]!.resolve(i);
    await flush();
  }
  assert.equal(slow.maxInFlight(), 2);
  assert.deepEqual(
    slow.calls.map((c) => c.input),
    [0, 1, 2, 3, 4].map((v) => ({ v })),
  );
  assert.deepEqual(result.value, [0, 1, 2, 3, 4]);
});

test('forEach without parallelism runs its iterations one at a time', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: [1, 2, 3] },
        nodes: [{ id: 'call', type: 'slow', input: {} }],
        edges: [],
      },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  assert.equal(slow.calls.length, 1);
  slow.gates[0]!.resolve(1);
  await flush();
  assert.equal(slow.calls.length, 2);
  slow.gates[1]!.resolve(2);
  await flush();
  slow.gates[2]!.resolve(3);
  await flush();
  assert.equal(slow.maxInFlight(), 1);
  assert.deepEqual(result.value, [1, 2, 3]);
});

test('forEach over an empty array outputs [] without running its body', async () => {
  const act = recorder('act');
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: '$<flow.input.items>' },
        nodes: [{ id: 'call', type: 'act', input: {} }],
        edges: [],
      },
    ]),
    { items: [] },
  );
  assert.deepEqual(r.outcome.value, []);
  assert.equal(act.calls.length, 0);
});

test('forEach over a value that is not an array fails the node', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: '$<flow.input.items>' },
        nodes: [{ id: 'x', type: 'transform', input: {} }],
        edges: [],
      },
    ]),
    { items: 'not a list' },
  );
  assert.equal(r.view.status, 'failed');
  assert.equal(node(r.view, 'each').status, 'failed');
  assert.equal(node(r.view, 'each').error?.code, 'E_EXPR_TYPE');
});

test('inside a forEach body nodes.<id> resolves to the current iteration first', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'base', type: 'transform', input: { k: 100 } },
        {
          id: 'each',
          type: 'forEach',
          input: { items: [1, 2] },
          nodes: [
            { id: 'first', type: 'transform', input: { v: '$<item>' } },
            {
              id: 'second',
              type: 'transform',
              input: { v: '$<nodes.first.output.v + nodes.base.output.k>' },
            },
          ],
          edges: chain('first', 'second'),
        },
      ],
      chain('base', 'each'),
    ),
  );
  assert.deepEqual(r.outcome.value, [{ v: 101 }, { v: 102 }]);
});

test('forEach output expression is evaluated per item in the body scope', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: [{ id: 'x' }, { id: 'y' }] },
        nodes: [
          { id: 'a', type: 'transform', input: { n: '$<index>' } },
          { id: 'b', type: 'transform', input: { m: '$<index * 10>' } },
        ],
        edges: [],
        output: '$<item.id + ":" + nodes.a.output.n + ":" + nodes.b.output.m>',
      },
    ]),
  );
  assert.deepEqual(r.outcome.value, ['x:0:0', 'y:1:10']);
});

test('a forEach body with several sinks outputs an object keyed by sink id per item', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: [1] },
        nodes: [
          { id: 'a', type: 'transform', input: { a: '$<item>' } },
          { id: 'b', type: 'transform', input: { b: '$<item>' } },
        ],
        edges: [],
      },
    ]),
  );
  assert.deepEqual(r.outcome.value, [{ a: { a: 1 }, b: { b: 1 } }]);
});

test('nested forEach loops address nodes as outer[i]/inner[j]/node', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'outer',
        type: 'forEach',
        input: { items: [[1, 2], [3]] },
        nodes: [
          {
            id: 'inner',
            type: 'forEach',
            input: { items: '$<item>' },
            nodes: [{ id: 'sq', type: 'transform', input: { v: '$<item * item>' } }],
            edges: [],
          },
        ],
        edges: [],
      },
    ]),
  );
  assert.deepEqual(r.outcome.value, [[{ v: 1 }, { v: 4 }], [{ v: 9 }]]);
  assert.deepEqual(node(r.view, 'outer[0]/inner[1]/sq').output, { v: 4 });
  assert.deepEqual(node(r.view, 'outer[1]/inner[0]/sq').output, { v: 9 });
});

test('a failing forEach iteration fails the loop and aborts the iterations still in flight', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: [0, 1, 2] },
        parallelism: 3,
        nodes: [{ id: 'call', type: 'slow', input: { v: '$<item>' } }],
        edges: [],
      },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  slow.gates[1]!.reject(Object.assign(new Error('boom'), { code: 'E_BOOM' }));
  await flush();
  assert.equal(slow.calls[0]!.ctx.signal.aborted, true);
  assert.equal(slow.calls[2]!.ctx.signal.aborted, true);
  assert.equal(result.settled && !result.ok, true);
  const view = await h.engine.getRun(run.id);
  assert.equal(view?.status, 'failed');
  assert.equal(view?.error?.code, 'E_BOOM');
  assert.equal(view?.error?.nodePath, 'each[1]/call');
  assert.equal(node(view!, 'each').status, 'failed');
  assert.equal(node(view!, 'each[0]/call').error?.code, 'E_NODE_ABORTED');
});

test('forEach items are recorded as the loop node input', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: '$<flow.input.items>' },
        nodes: [{ id: 'x', type: 'transform', input: {} }],
        edges: [],
      },
    ]),
    { items: ['p', 'q'] },
  );
  assert.deepEqual(node(r.view, 'each').input, { items: ['p', 'q'] });
});

// ---------------------------------------------------------------------------------------------
// while

const counterLoop = (extra: Partial<FlowNode> = {}): FlowNode =>
  ({
    id: 'loop',
    type: 'while',
    input: { condition: '$<vars.i < 3>' },
    nodes: [
      { id: 'bump', type: 'setVars', input: { i: '$<vars.i + 1>' } },
      { id: 'body', type: 'transform', input: { i: '$<vars.i>', index: '$<index>' } },
    ],
    edges: chain('bump', 'body'),
    ...extra,
  }) as FlowNode;

test('while repeats its body while the condition over vars holds and outputs every iteration', async () => {
  const h = harness();
  const r = await execute(h, flow([counterLoop()], [], { vars: { i: 0 } }));
  assert.deepEqual(r.outcome.value, [
    { i: 1, index: 0 },
    { i: 2, index: 1 },
    { i: 3, index: 2 },
  ]);
  assert.deepEqual(r.view.vars, { i: 3 });
  assert.equal(node(r.view, 'loop[2]/body').status, 'succeeded');
});

test('while checks its condition before the first iteration (a false condition runs nothing)', async () => {
  const act = recorder('act');
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([
      {
        id: 'loop',
        type: 'while',
        input: { condition: false },
        nodes: [{ id: 'x', type: 'act', input: {} }],
        edges: [],
      },
    ]),
  );
  assert.deepEqual(r.outcome.value, []);
  assert.equal(act.calls.length, 0);
});

test('while condition reads the previous iteration output through nodes.<id>', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'loop',
        type: 'while',
        // Before iteration i, nodes.step is iteration i-1's step (absent before the first).
        input: { condition: '$<(nodes.step.output?.n ?? 0) < 6>' },
        nodes: [{ id: 'step', type: 'transform', input: { n: '$<index * 3>' } }],
        edges: [],
      },
    ]),
  );
  assert.deepEqual(r.outcome.value, [{ n: 0 }, { n: 3 }, { n: 6 }]);
  assert.deepEqual(node(r.view, 'loop[2]/step').output, { n: 6 });
});

test('while output expression is evaluated per iteration', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        {
          id: 'loop',
          type: 'while',
          input: { condition: '$<vars.total < 10>' },
          nodes: [{ id: 'add', type: 'setVars', input: { total: '$<vars.total + 4>' } }],
          edges: [],
          output: '$<vars.total>',
        },
      ],
      [],
      { vars: { total: 0 } },
    ),
  );
  assert.deepEqual(r.outcome.value, [4, 8, 12]);
});

test('while fails with E_LOOP_LIMIT when the condition still holds after maxIterations', async () => {
  const act = recorder('act');
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([
      {
        id: 'loop',
        type: 'while',
        input: { condition: true },
        maxIterations: 4,
        nodes: [{ id: 'x', type: 'act', input: {} }],
        edges: [],
      },
    ]),
  );
  assert.equal(act.calls.length, 4);
  assert.equal(r.view.status, 'failed');
  assert.equal(node(r.view, 'loop').error?.code, 'E_LOOP_LIMIT');
});

test('while stops without error when the condition turns false exactly at maxIterations', async () => {
  const h = harness();
  const r = await execute(h, flow([counterLoop({ maxIterations: 3 })], [], { vars: { i: 0 } }));
  assert.equal(r.view.status, 'succeeded');
  assert.equal((r.outcome.value as unknown[]).length, 3);
});

test('the engine limit defaultMaxIterations bounds a while loop without maxIterations', async () => {
  const h = harness({ limits: { defaultMaxIterations: 5 } });
  const r = await execute(
    h,
    flow([
      {
        id: 'loop',
        type: 'while',
        input: { condition: true },
        nodes: [{ id: 'x', type: 'transform', input: {} }],
        edges: [],
      },
    ]),
  );
  assert.equal(node(r.view, 'loop').error?.code, 'E_LOOP_LIMIT');
  assert.equal(r.view.nodes.filter((n) => n.nodeId === 'x').length, 5);
});

test('while iterations run one after another, never overlapping', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow(
      [
        {
          id: 'loop',
          type: 'while',
          input: { condition: '$<vars.i < 2>' },
          nodes: [
            { id: 'call', type: 'slow', input: {} },
            { id: 'bump', type: 'setVars', input: { i: '$<vars.i + 1>' } },
          ],
          edges: chain('call', 'bump'),
          output: '$<nodes.call.output>',
        },
      ],
      [],
      { vars: { i: 0 } },
    ),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  assert.equal(slow.calls.length, 1);
  slow.gates[0]!.resolve('one');
  await flush();
  assert.equal(slow.calls.length, 2);
  slow.gates[1]!.resolve('two');
  await flush();
  assert.equal(slow.maxInFlight(), 1);
  assert.deepEqual(result.value, ['one', 'two']);
});

// ---------------------------------------------------------------------------------------------
// try / catch / finally

const failing = (code = 'E_BOOM', message = 'it broke'): FlowNode =>
  ({ id: 'risky', type: 'fail', input: { code, message } }) as FlowNode;

test('try catches a body failure, runs catch with $<error>, and outputs the catch output', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        {
          id: 't',
          type: 'try',
          nodes: [failing()],
          edges: [],
          catch: {
            nodes: [
              {
                id: 'handle',
                type: 'transform',
                input: {
                  code: '$<error.code>',
                  message: '$<error.message>',
                  at: '$<error.nodePath>',
                },
              },
            ],
          },
        },
        { id: 'after', type: 'transform', input: { got: '$<nodes.t.output>' } },
      ],
      chain('t', 'after'),
    ),
  );
  assert.equal(r.view.status, 'succeeded');
  assert.deepEqual(r.outcome.value, {
    got: { code: 'E_BOOM', message: 'it broke', at: 'risky' },
  });
  assert.equal(node(r.view, 't').status, 'succeeded');
  assert.equal(node(r.view, 'risky').status, 'failed');
});

test('try whose body succeeds outputs the body output and never runs catch', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 't',
        type: 'try',
        nodes: [{ id: 'ok', type: 'transform', input: { fine: true } }],
        edges: [],
        catch: { nodes: [{ id: 'handle', type: 'transform', input: { caught: true } }] },
      },
    ]),
  );
  assert.deepEqual(r.outcome.value, { fine: true });
  assert.equal(
    r.view.nodes.some((n) => n.nodeId === 'handle'),
    false,
  );
});

test('try catch region output expression is used when given', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 't',
        type: 'try',
        nodes: [failing('E_X')],
        edges: [],
        catch: {
          nodes: [{ id: 'handle', type: 'log', input: { message: 'caught' } }],
          output: { recovered: '$<error.code>' },
        },
      },
    ]),
  );
  assert.deepEqual(r.outcome.value, { recovered: 'E_X' });
});

test('finally runs after a body that succeeded', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 't',
        type: 'try',
        nodes: [{ id: 'ok', type: 'transform', input: { v: 1 } }],
        edges: [],
        finally: { nodes: [{ id: 'cleanup', type: 'log', input: { message: 'cleanup' } }] },
      },
    ]),
  );
  assert.equal(node(r.view, 'cleanup').status, 'succeeded');
  assert.deepEqual(r.outcome.value, { v: 1 }, 'finally does not change the try output');
  const order = trace(r.events, (e) => e.type === 'NodeSucceeded');
  assert.deepEqual(order, ['NodeSucceeded ok', 'NodeSucceeded cleanup', 'NodeSucceeded t']);
});

test('finally runs after catch handled a failure', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 't',
        type: 'try',
        nodes: [failing()],
        edges: [],
        catch: { nodes: [{ id: 'handle', type: 'transform', input: { caught: true } }] },
        finally: { nodes: [{ id: 'cleanup', type: 'log', input: { message: 'cleanup' } }] },
      },
    ]),
  );
  assert.equal(r.view.status, 'succeeded');
  assert.deepEqual(r.outcome.value, { caught: true });
  assert.deepEqual(
    trace(r.events, (e) => e.type === 'NodeSucceeded'),
    ['NodeSucceeded handle', 'NodeSucceeded cleanup', 'NodeSucceeded t'],
  );
});

test('finally runs when there is no catch, then the failure propagates', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        {
          id: 't',
          type: 'try',
          nodes: [failing('E_NOPE')],
          edges: [],
          finally: {
            nodes: [{ id: 'cleanup', type: 'log', input: { message: 'saw $<error.code>' } }],
          },
        },
        { id: 'after', type: 'transform', input: {} },
      ],
      chain('t', 'after'),
    ),
  );
  assert.equal(node(r.view, 'cleanup').status, 'succeeded');
  assert.equal(node(r.view, 'cleanup').logs[0]?.message, 'saw E_NOPE');
  assert.equal(node(r.view, 't').status, 'failed');
  assert.equal(r.view.status, 'failed');
  assert.equal(r.view.error?.code, 'E_NOPE');
  assert.equal(
    r.view.nodes.some((n) => n.nodeId === 'after' && n.status === 'succeeded'),
    false,
  );
});

test('a catch region that fails makes the try fail with the catch error', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 't',
        type: 'try',
        nodes: [failing('E_FIRST')],
        edges: [],
        catch: {
          nodes: [{ id: 'rethrow', type: 'fail', input: { code: 'E_SECOND', message: 'again' } }],
        },
      },
    ]),
  );
  assert.equal(r.view.status, 'failed');
  assert.equal(node(r.view, 't').status, 'failed');
  assert.equal(r.view.error?.code, 'E_SECOND');
  assert.equal(r.view.error?.nodePath, 'rethrow');
});

test('the nearest enclosing try catches a failure inside a nested forEach', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 't',
        type: 'try',
        nodes: [
          {
            id: 'each',
            type: 'forEach',
            input: { items: [1, 2, 3] },
            nodes: [
              { id: 'check', type: 'if', input: { condition: '$<item == 2>' } },
              { id: 'bad', type: 'fail', input: { code: 'E_ITEM', message: 'bad $<item>' } },
            ],
            edges: [{ from: 'check', port: 'true', to: 'bad' }],
          },
        ],
        edges: [],
        catch: {
          nodes: [
            {
              id: 'h',
              type: 'transform',
              input: { at: '$<error.nodePath>', m: '$<error.message>' },
            },
          ],
        },
      },
    ]),
  );
  assert.equal(r.view.status, 'succeeded');
  assert.deepEqual(r.outcome.value, { at: 'each[1]/bad', m: 'bad 2' });
});

test('a try inside a forEach catches per iteration and the loop goes on', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: [1, 2, 3] },
        nodes: [
          {
            id: 't',
            type: 'try',
            nodes: [
              { id: 'check', type: 'if', input: { condition: '$<item == 2>' } },
              { id: 'bad', type: 'fail', input: { code: 'E_ITEM' } },
              { id: 'good', type: 'transform', input: { ok: '$<item>' } },
            ],
            edges: [
              { from: 'check', port: 'true', to: 'bad' },
              { from: 'check', port: 'false', to: 'good' },
            ],
            output: '$<nodes.good.output>',
            catch: { nodes: [{ id: 'h', type: 'transform', input: { failed: '$<item>' } }] },
          },
        ],
        edges: [],
      },
    ]),
  );
  assert.deepEqual(r.outcome.value, [{ ok: 1 }, { failed: 2 }, { ok: 3 }]);
});

// ---------------------------------------------------------------------------------------------
// group

test('a group outputs its body sink output and the nodes after it see it', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        {
          id: 'stage',
          type: 'group',
          nodes: [
            { id: 'g1', type: 'transform', input: { n: 1 } },
            { id: 'g2', type: 'transform', input: { n: '$<nodes.g1.output.n + 1>' } },
          ],
          edges: chain('g1', 'g2'),
        },
        { id: 'after', type: 'transform', input: { fromGroup: '$<nodes.stage.output.n>' } },
      ],
      chain('stage', 'after'),
    ),
  );
  assert.deepEqual(node(r.view, 'stage').output, { n: 2 });
  assert.deepEqual(r.outcome.value, { fromGroup: 2 });
});

test('a group output expression is evaluated in the group scope', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'stage',
        type: 'group',
        nodes: [
          { id: 'g1', type: 'transform', input: { n: 1 } },
          { id: 'g2', type: 'transform', input: { n: 2 } },
        ],
        edges: [],
        output: '$<nodes.g1.output.n + nodes.g2.output.n>',
      },
    ]),
  );
  assert.equal(r.outcome.value, 3);
});

test('a failure inside a group fails the group and the run', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([{ id: 'stage', type: 'group', nodes: [failing('E_IN_GROUP')], edges: [] }]),
  );
  assert.equal(node(r.view, 'stage').status, 'failed');
  assert.equal(r.view.status, 'failed');
  assert.equal(r.view.error?.code, 'E_IN_GROUP');
  assert.equal(r.view.error?.nodePath, 'risky');
});

test('a group on a dead branch is skipped with its whole body', async () => {
  const act = recorder('act');
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow(
      [
        { id: 'check', type: 'if', input: { condition: false } },
        {
          id: 'stage',
          type: 'group',
          nodes: [{ id: 'inner', type: 'act', input: {} }],
          edges: [],
        },
      ],
      [{ from: 'check', port: 'true', to: 'stage' }],
    ),
  );
  assert.equal(act.calls.length, 0);
  assert.equal(node(r.view, 'stage').skipReason, 'dead');
});

test('a try without catch inside a try with catch: the outer catch handles it', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'outer',
        type: 'try',
        nodes: [
          {
            id: 'inner',
            type: 'try',
            nodes: [failing('E_DEEP')],
            edges: [],
            finally: { nodes: [{ id: 'innerCleanup', type: 'log', input: { message: 'c' } }] },
          },
        ],
        edges: [],
        catch: { nodes: [{ id: 'h', type: 'transform', input: { code: '$<error.code>' } }] },
      },
    ]),
  );
  assert.equal(r.view.status, 'succeeded');
  assert.deepEqual(r.outcome.value, { code: 'E_DEEP' });
  assert.equal(node(r.view, 'innerCleanup').status, 'succeeded');
  assert.equal(node(r.view, 'inner').status, 'failed');
});

test('a finally region that fails makes a successful try fail', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 't',
        type: 'try',
        nodes: [{ id: 'ok', type: 'transform', input: {} }],
        edges: [],
        finally: { nodes: [{ id: 'cleanup', type: 'fail', input: { code: 'E_CLEANUP' } }] },
      },
    ]),
  );
  assert.equal(node(r.view, 't').status, 'failed');
  assert.equal(r.view.error?.code, 'E_CLEANUP');
});

test('skipIf on a container skips its whole body and the nodes after it run', async () => {
  const act = recorder('act');
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow(
      [
        {
          id: 'each',
          type: 'forEach',
          skipIf: '$<flow.input.items.length > 2>',
          input: { items: '$<flow.input.items>' },
          nodes: [{ id: 'x', type: 'act', input: {} }],
          edges: [],
        },
        { id: 'after', type: 'transform', input: { loop: '$<nodes.each.output>' } },
      ],
      chain('each', 'after'),
    ),
    { items: [1, 2, 3] },
  );
  assert.equal(act.calls.length, 0);
  assert.equal(node(r.view, 'each').skipReason, 'skipIf');
  assert.deepEqual(r.outcome.value, { loop: null });
});

test('a switch inside a forEach routes each item on its own', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: [5, 500, 5000] },
        nodes: [
          {
            id: 'size',
            type: 'switch',
            cases: [
              { port: 'small', when: '$<item < 100>' },
              { port: 'mid', when: '$<item < 1000>' },
            ],
          },
          { id: 's', type: 'transform', input: { r: 'small' } },
          { id: 'm', type: 'transform', input: { r: 'mid' } },
          { id: 'l', type: 'transform', input: { r: 'large' } },
        ],
        edges: [
          { from: 'size', port: 'small', to: 's' },
          { from: 'size', port: 'mid', to: 'm' },
          { from: 'size', port: 'default', to: 'l' },
        ],
        output: '$<(nodes.s.output ?? nodes.m.output ?? nodes.l.output).r>',
      },
    ]),
  );
  assert.deepEqual(r.outcome.value, ['small', 'mid', 'large']);
  assert.equal(node(r.view, 'each[1]/s').skipReason, 'dead');
});

test('retry on a container runs its body again', async () => {
  const once = recorder('once', (_i, _c, call) => {
    if (call === 1) throw Object.assign(new Error('first'), { code: 'E_ONCE' });
    return { call };
  });
  const h = harness({ actions: [once] });
  const r = await execute(
    h,
    flow([
      {
        id: 'stage',
        type: 'group',
        retry: { maxAttempts: 2, delayMs: 10 },
        nodes: [{ id: 'inner', type: 'once', input: {} }],
        edges: [],
      },
    ]),
  );
  assert.equal(once.calls.length, 2);
  assert.deepEqual(r.outcome.value, { call: 2 });
  assert.equal(node(r.view, 'stage').attempts, 2);
});
