import { test } from 'node:test';
import assert from 'node:assert/strict';
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

test('a chain passes each node output downstream through nodes.<id>.output', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'a', type: 'transform', input: { n: '$<flow.input.n + 1>' } },
        { id: 'b', type: 'transform', input: { n: '$<nodes.a.output.n * 10>' } },
        { id: 'c', type: 'transform', input: { text: 'n=$<nodes.b.output.n>' } },
      ],
      chain('a', 'b', 'c'),
    ),
    { n: 1 },
  );
  assert.deepEqual(r.outcome.value, { text: 'n=20' });
  assert.equal(r.view.status, 'succeeded');
  assert.deepEqual(trace(r.events), [
    'RunCreated',
    'NodeSucceeded a',
    'NodeSucceeded b',
    'NodeSucceeded c',
    'RunSucceeded',
  ]);
});

test('events are numbered 1..n without gaps and stamped with the simulated clock', async () => {
  const h = harness();
  const start = h.clock.now();
  const r = await execute(h, flow([{ id: 'a', type: 'transform', input: { x: 1 } }]));
  assert.deepEqual(
    r.events.map((e) => e.seq),
    r.events.map((_e, i) => i + 1),
  );
  for (const e of r.events) assert.equal(e.at, start);
  assert.equal(r.view.lastSeq, r.events.length);
});

test('if takes the true port and skips the false branch as dead', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'check', type: 'if', input: { condition: '$<flow.input.amount > 100>' } },
        { id: 'big', type: 'transform', input: { size: 'big' } },
        { id: 'small', type: 'transform', input: { size: 'small' } },
      ],
      [
        { from: 'check', port: 'true', to: 'big' },
        { from: 'check', port: 'false', to: 'small' },
      ],
      { output: '$<nodes.big.output ?? nodes.small.output>' },
    ),
    { amount: 500 },
  );
  assert.deepEqual(r.outcome.value, { size: 'big' });
  assert.equal(node(r.view, 'check').port, 'true');
  assert.equal(node(r.view, 'big').status, 'succeeded');
  assert.equal(node(r.view, 'small').status, 'skipped');
  assert.equal(node(r.view, 'small').skipReason, 'dead');
});

test('if takes the false port when the condition is falsy', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'check', type: 'if', input: { condition: '$<flow.input.amount > 100>' } },
        { id: 'big', type: 'transform', input: { size: 'big' } },
        { id: 'small', type: 'transform', input: { size: 'small' } },
      ],
      [
        { from: 'check', port: 'true', to: 'big' },
        { from: 'check', port: 'false', to: 'small' },
      ],
      { output: '$<nodes.big.output ?? nodes.small.output>' },
    ),
    { amount: 5 },
  );
  assert.deepEqual(r.outcome.value, { size: 'small' });
  assert.deepEqual(node(r.view, 'check').output, { condition: false });
  assert.equal(node(r.view, 'check').port, 'false');
  assert.equal(node(r.view, 'big').skipReason, 'dead');
});

test('a dead branch skips every node after it, and the skip reaches the end of the branch', async () => {
  const act = recorder('act');
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow(
      [
        { id: 'check', type: 'if', input: { condition: false } },
        { id: 'b1', type: 'act', input: {} },
        { id: 'b2', type: 'act', input: {} },
        { id: 'b3', type: 'log', input: { message: 'never' } },
      ],
      [{ from: 'check', port: 'true', to: 'b1' }, ...chain('b1', 'b2', 'b3')],
    ),
  );
  // Skipped: no action ran; the run still succeeds.
  assert.equal(act.calls.length, 0);
  assert.equal(r.view.status, 'succeeded');
  for (const id of ['b1', 'b2', 'b3']) {
    assert.equal(node(r.view, id).status, 'skipped', id);
    assert.equal(node(r.view, id).skipReason, 'dead', id);
  }
  assert.deepEqual(trace(ofType(r.events, 'NodeSkipped')), [
    'NodeSkipped b1',
    'NodeSkipped b2',
    'NodeSkipped b3',
  ]);
});

test('a join "any" node after an if runs when one incoming branch is active', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'check', type: 'if', input: { condition: true } },
        { id: 'yes', type: 'transform', input: { v: 'yes' } },
        { id: 'no', type: 'transform', input: { v: 'no' } },
        {
          id: 'merge',
          type: 'transform',
          input: { got: '$<nodes.yes.output.v>', other: '$<nodes.no.status>' },
        },
      ],
      [
        { from: 'check', port: 'true', to: 'yes' },
        { from: 'check', port: 'false', to: 'no' },
        { from: 'yes', to: 'merge' },
        { from: 'no', to: 'merge' },
      ],
    ),
  );
  assert.deepEqual(r.outcome.value, { got: 'yes', other: 'skipped' });
  assert.equal(node(r.view, 'merge').status, 'succeeded');
});

test('a join "all" node is skipped when one of its incoming edges is dead', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'check', type: 'if', input: { condition: true } },
        { id: 'yes', type: 'transform', input: { v: 'yes' } },
        { id: 'no', type: 'transform', input: { v: 'no' } },
        { id: 'merge', type: 'transform', join: 'all', input: { v: 'merged' } },
        { id: 'after', type: 'transform', input: { v: 'after' } },
      ],
      [
        { from: 'check', port: 'true', to: 'yes' },
        { from: 'check', port: 'false', to: 'no' },
        { from: 'yes', to: 'merge' },
        { from: 'no', to: 'merge' },
        { from: 'merge', to: 'after' },
      ],
    ),
  );
  assert.equal(node(r.view, 'merge').status, 'skipped');
  assert.equal(node(r.view, 'merge').skipReason, 'dead');
  assert.equal(node(r.view, 'after').skipReason, 'dead');
  assert.equal(r.view.status, 'succeeded');
});

test('a join "all" node runs once both branches succeeded and sees both outputs', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'start', type: 'transform', input: { n: 2 } },
        { id: 'left', type: 'transform', input: { v: '$<nodes.start.output.n + 1>' } },
        { id: 'right', type: 'transform', input: { v: '$<nodes.start.output.n * 5>' } },
        {
          id: 'merge',
          type: 'transform',
          join: 'all',
          input: { sum: '$<nodes.left.output.v + nodes.right.output.v>' },
        },
      ],
      [
        { from: 'start', to: 'left' },
        { from: 'start', to: 'right' },
        { from: 'left', to: 'merge' },
        { from: 'right', to: 'merge' },
      ],
    ),
  );
  assert.deepEqual(r.outcome.value, { sum: 13 });
});

test('switch picks the first case whose when is true', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        {
          id: 'route',
          type: 'switch',
          cases: [
            { port: 'small', when: '$<flow.input.amount < 500>' },
            { port: 'medium', when: '$<flow.input.amount < 5000>' },
          ],
        },
        { id: 's', type: 'transform', input: { r: 'small' } },
        { id: 'm', type: 'transform', input: { r: 'medium' } },
        { id: 'd', type: 'transform', input: { r: 'default' } },
      ],
      [
        { from: 'route', port: 'small', to: 's' },
        { from: 'route', port: 'medium', to: 'm' },
        { from: 'route', port: 'default', to: 'd' },
      ],
      { output: '$<nodes.s.output ?? nodes.m.output ?? nodes.d.output>' },
    ),
    { amount: 100 },
  );
  // 100 matches both cases; the first wins.
  assert.deepEqual(r.outcome.value, { r: 'small' });
  assert.equal(node(r.view, 'route').port, 'small');
  assert.equal(node(r.view, 'm').skipReason, 'dead');
  assert.equal(node(r.view, 'd').skipReason, 'dead');
});

test('switch takes the default port when no case matches', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        {
          id: 'route',
          type: 'switch',
          cases: [{ port: 'small', when: '$<flow.input.amount < 500>' }],
        },
        { id: 's', type: 'transform', input: { r: 'small' } },
        { id: 'd', type: 'transform', input: { r: 'default' } },
      ],
      [
        { from: 'route', port: 'small', to: 's' },
        { from: 'route', port: 'default', to: 'd' },
      ],
      { output: '$<nodes.s.output ?? nodes.d.output>' },
    ),
    { amount: 9000 },
  );
  assert.deepEqual(r.outcome.value, { r: 'default' });
  assert.equal(node(r.view, 'route').port, 'default');
});

test('fan-out by edges runs the branches concurrently', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow(
      [
        { id: 'start', type: 'transform', input: {} },
        { id: 'a', type: 'slow', input: { b: 'a' } },
        { id: 'b', type: 'slow', input: { b: 'b' } },
        { id: 'c', type: 'slow', input: { b: 'c' } },
      ],
      [
        { from: 'start', to: 'a' },
        { from: 'start', to: 'b' },
        { from: 'start', to: 'c' },
      ],
    ),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  // All three are in flight before any of them finished.
  assert.equal(slow.inFlight(), 3);
  assert.deepEqual(
    slow.calls.map((c) => c.input),
    [{ b: 'a' }, { b: 'b' }, { b: 'c' }],
  );
  slow.gates[2]!.resolve('C');
  slow.gates[0]!.resolve('A');
  slow.gates[1]!.resolve('B');
  await flush();
  // Several sinks: the flow output is an object keyed by sink id.
  assert.deepEqual(result.value, { a: 'A', b: 'B', c: 'C' });
});

test('fan-in runs the joining node once, after every incoming branch resolved', async () => {
  const slow = gated('slow');
  const join = recorder('join');
  const h = harness({ actions: [slow, join] });
  await h.engine.deploy(
    flow(
      [
        { id: 'a', type: 'slow', input: {} },
        { id: 'b', type: 'slow', input: {} },
        { id: 'merge', type: 'join', input: { a: '$<nodes.a.output>', b: '$<nodes.b.output>' } },
      ],
      [
        { from: 'a', to: 'merge' },
        { from: 'b', to: 'merge' },
      ],
    ),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  slow.gates[0]!.resolve(1);
  await flush();
  assert.equal(join.calls.length, 0, 'merge must wait for b');
  slow.gates[1]!.resolve(2);
  await flush();
  assert.equal(join.calls.length, 1);
  assert.deepEqual(join.calls[0]!.input, { a: 1, b: 2 });
  assert.deepEqual(result.value, { a: 1, b: 2 });
});

test('skipIf true skips the node (output null) and the nodes after it still run', async () => {
  const act = recorder('act', () => 'ran');
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow(
      [
        { id: 'maybe', type: 'act', skipIf: '$<flow.input.skip>', input: {} },
        { id: 'after', type: 'transform', input: { prev: '$<nodes.maybe.output>' } },
      ],
      chain('maybe', 'after'),
    ),
    { skip: true },
  );
  assert.equal(act.calls.length, 0);
  assert.equal(node(r.view, 'maybe').status, 'skipped');
  assert.equal(node(r.view, 'maybe').skipReason, 'skipIf');
  assert.equal(node(r.view, 'after').status, 'succeeded');
  assert.deepEqual(r.outcome.value, { prev: null });
});

test('skipIf false runs the node', async () => {
  const act = recorder('act', () => 'ran');
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([{ id: 'maybe', type: 'act', skipIf: '$<flow.input.skip>', input: {} }]),
    { skip: false },
  );
  assert.equal(act.calls.length, 1);
  assert.equal(r.outcome.value, 'ran');
});

test('a skipIf node on a dead branch is skipped as dead, not by skipIf', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'check', type: 'if', input: { condition: false } },
        { id: 'x', type: 'transform', skipIf: '$<true>', input: {} },
        { id: 'y', type: 'transform', input: {} },
      ],
      [{ from: 'check', port: 'true', to: 'x' }, ...chain('x', 'y')],
    ),
  );
  assert.equal(node(r.view, 'x').skipReason, 'dead');
  assert.equal(node(r.view, 'y').skipReason, 'dead');
});

test('the flow output expression is evaluated over the nodes when the run ends', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'a', type: 'transform', input: { n: 3 } },
        { id: 'b', type: 'transform', input: { n: 4 } },
      ],
      [],
      { output: { total: '$<nodes.a.output.n + nodes.b.output.n>', label: 'sum' } },
    ),
  );
  assert.deepEqual(r.outcome.value, { total: 7, label: 'sum' });
  assert.deepEqual(r.view.output, { total: 7, label: 'sum' });
});

test('without an output expression the run outputs its single sink output', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'a', type: 'transform', input: { n: 1 } },
        { id: 'b', type: 'transform', input: { n: 2 } },
      ],
      chain('a', 'b'),
    ),
  );
  assert.deepEqual(r.outcome.value, { n: 2 });
});

test('flow.input, flow.id, flow.runId and the initial vars are in scope', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        {
          id: 'a',
          type: 'transform',
          input: {
            input: '$<flow.input>',
            id: '$<flow.id>',
            runId: '$<flow.runId>',
            v: '$<vars.region>',
          },
        },
      ],
      [],
      { vars: { region: 'eu' } },
    ),
    { x: 1 },
  );
  assert.deepEqual(r.outcome.value, { input: { x: 1 }, id: 'f', runId: r.id, v: 'eu' });
});

test('setVars merges into vars for the nodes after it and shows in getRun', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'set', type: 'setVars', input: { count: '$<vars.count + 1>', added: 'yes' } },
        { id: 'read', type: 'transform', input: { count: '$<vars.count>', keep: '$<vars.keep>' } },
      ],
      chain('set', 'read'),
      { vars: { count: 1, keep: 'k' } },
    ),
  );
  assert.deepEqual(r.outcome.value, { count: 2, keep: 'k' });
  assert.deepEqual(r.view.vars, { count: 2, keep: 'k', added: 'yes' });
});

test('an expression that fails at run time fails the node with an E_EXPR code', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([{ id: 'a', type: 'transform', input: { v: '$<flow.input.list.map(x => x.id)>' } }]),
    { list: 5 },
  );
  assert.equal(r.view.status, 'failed');
  assert.equal(node(r.view, 'a').status, 'failed');
  assert.match(String(node(r.view, 'a').error?.code), /^E_EXPR_/);
  assert.equal(r.view.error?.nodePath, 'a');
});

test('an input mapping keeps literal text around expressions and yields raw values for whole expressions', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'a',
        type: 'transform',
        input: {
          raw: '$<flow.input.list>',
          text: 'Hello $<flow.input.name>!',
          literal: '$$<not an expression>',
          nested: { deep: ['$<flow.input.list.length>'] },
        },
      },
    ]),
    { list: [1, 2], name: 'Ada' },
  );
  assert.deepEqual(r.outcome.value, {
    raw: [1, 2],
    text: 'Hello Ada!',
    literal: '$<not an expression>',
    nested: { deep: [2] },
  });
});

test('a predecessor skipped by skipIf counts as active for a join "all" node', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'a', type: 'transform', input: { v: 1 } },
        { id: 'b', type: 'transform', skipIf: '$<true>', input: { v: 2 } },
        {
          id: 'merge',
          type: 'transform',
          join: 'all',
          input: { a: '$<nodes.a.output.v>', b: '$<nodes.b.output>' },
        },
      ],
      [
        { from: 'a', to: 'merge' },
        { from: 'b', to: 'merge' },
      ],
    ),
  );
  assert.deepEqual(r.outcome.value, { a: 1, b: null });
});

test('a node recovered by continueOnError keeps its outgoing edges active', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'soft', type: 'fail', continueOnError: true, input: { code: 'E_SOFT' } },
        { id: 'ok', type: 'transform', input: { v: 1 } },
        {
          id: 'merge',
          type: 'transform',
          join: 'all',
          input: { e: '$<nodes.soft.output.error.code>' },
        },
      ],
      [
        { from: 'soft', to: 'merge' },
        { from: 'ok', to: 'merge' },
      ],
    ),
  );
  assert.deepEqual(r.outcome.value, { e: 'E_SOFT' });
});
