import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  validateFlow,
  type ActionCatalog,
  type FlowDefinition,
  type FlowNode,
} from '@millrace/engine';
import {
  addTrigger,
  changeNodeId,
  connect,
  insertNode,
  moveNodes,
  removeEdges,
  removeNodes,
  removeTriggers,
  renameNode,
  setProperty,
} from '../../src/core/node-commands.ts';
import { applyFlowPatches, EditError, type EditResult } from '../../src/core/flow-edit.ts';
import { createNode } from '../../src/core/new-node.ts';
import { locate } from '../../src/core/flow-graphs.ts';

const base: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'expense',
  nodes: [
    { id: 'extract', type: 'transform', input: { amount: '$<flow.input.amount>' } },
    { id: 'big', type: 'if', input: { condition: '$<nodes.extract.output.amount > 2000>' } },
    { id: 'ask', type: 'approval', input: { approvers: ['finance'] } },
    { id: 'notify', type: 'log', input: { message: 'done $<nodes.extract.output.amount>' } },
    {
      id: 'each',
      type: 'forEach',
      input: { items: '$<flow.input.items>' },
      nodes: [{ id: 'inner', type: 'log', input: { message: '$<item>' } }],
      edges: [],
    },
  ],
  edges: [
    { from: 'extract', to: 'big' },
    { from: 'big', port: 'true', to: 'ask' },
    { from: 'big', port: 'false', to: 'notify' },
    { from: 'ask', port: 'approved', to: 'notify' },
    { from: 'notify', to: 'each' },
  ],
};

const log = (id: string): FlowNode => ({ id, type: 'log', input: { message: id } });

/** Undo gives back the identical document; redo the identical result. */
function assertReversible(before: FlowDefinition, result: EditResult): void {
  const undone = applyFlowPatches(result.flow, result.inversePatches);
  assert.deepEqual(undone, before);
  const redone = applyFlowPatches(undone, result.patches);
  assert.deepEqual(redone, result.flow);
}

function refusal(fn: () => unknown): EditError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof EditError, `expected an EditError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the edit to be refused');
}

test('inserting on an edge puts the node between the two ends, keeping the port', () => {
  const r = insertNode(base, log('audit'), {
    kind: 'edge',
    edge: { from: 'big', port: 'true', to: 'ask' },
  });
  assert.deepEqual(r.change, {
    kind: 'node-added',
    ids: ['audit'],
    at: { kind: 'edge', edge: { from: 'big', port: 'true', to: 'ask' } },
  });
  const edges = r.flow.edges!;
  assert.ok(edges.some((e) => e.from === 'big' && e.port === 'true' && e.to === 'audit'));
  assert.ok(edges.some((e) => e.from === 'audit' && e.to === 'ask' && e.port === undefined));
  assert.ok(!edges.some((e) => e.from === 'big' && e.to === 'ask'));
  assert.equal(base.edges!.length, 5, 'the input document is not changed');
  assertReversible(base, r);
  assert.deepEqual(
    validateFlow(r.flow).filter((d) => d.severity === 'error'),
    [],
  );
});

test('inserting a branching node on an edge leaves through its first port', () => {
  const node = createNode('if', new Set(['extract']));
  const r = insertNode(base, node, { kind: 'edge', edge: { from: 'extract', to: 'big' } });
  assert.ok(r.flow.edges!.some((e) => e.from === node.id && e.port === 'true' && e.to === 'big'));
  assertReversible(base, r);
});

test('a node added after a port hangs off that port; into a graph it stays unconnected', () => {
  const after = insertNode(base, log('late'), { kind: 'port', from: 'ask', port: 'rejected' });
  assert.ok(
    after.flow.edges!.some((e) => e.from === 'ask' && e.port === 'rejected' && e.to === 'late'),
  );
  assertReversible(base, after);
  const inside = insertNode(base, log('second'), { kind: 'graph', graph: 'each' });
  const each = locate(inside.flow, 'second')!;
  assert.equal(each.key, 'each');
  assertReversible(base, inside);
  const before = insertNode(base, log('first'), { kind: 'before', node: 'extract' });
  assert.ok(before.flow.edges!.some((e) => e.from === 'first' && e.to === 'extract'));
});

test('a try gets its catch region on first use', () => {
  const flow: FlowDefinition = {
    ...base,
    nodes: [...base.nodes, { id: 't', type: 'try', nodes: [], edges: [] }],
  };
  const r = insertNode(flow, log('handler'), { kind: 'graph', graph: 't#catch' });
  assert.equal(locate(r.flow, 'handler')!.key, 't#catch');
  assertReversible(flow, r);
});

test('insertion refuses taken or invalid ids and unknown places', () => {
  assert.equal(
    refusal(() => insertNode(base, log('inner'), { kind: 'graph', graph: '' })).code,
    'E_EDIT_DUPLICATE_ID',
  );
  assert.equal(
    refusal(() => insertNode(base, log('a b'), { kind: 'graph', graph: '' })).code,
    'E_EDIT_INVALID_ID',
  );
  assert.equal(
    refusal(() =>
      insertNode(base, log('x'), { kind: 'edge', edge: { from: 'extract', to: 'ask' } }),
    ).code,
    'E_EDIT_UNKNOWN_EDGE',
  );
  assert.equal(
    refusal(() => insertNode(base, log('x'), { kind: 'graph', graph: 'nope' })).code,
    'E_EDIT_UNKNOWN_GRAPH',
  );
  assert.equal(
    refusal(() => insertNode(base, log('x'), { kind: 'port', from: 'big', port: 'maybe' })).code,
    'E_EDIT_UNKNOWN_PORT',
  );
});

test('removing a node in a chain reconnects its predecessor to its successor', () => {
  const r = removeNodes(base, ['notify']);
  assert.equal(r.change.kind, 'node-removed');
  // notify had two ways in (big:false, ask:approved): ambiguous, so no reconnection.
  assert.deepEqual((r.change as { reconnected: readonly unknown[] }).reconnected, []);
  assert.ok(!r.flow.edges!.some((e) => e.to === 'notify' || e.from === 'notify'));
  assertReversible(base, r);

  const chain = removeNodes(base, ['big']);
  // big: one way in, but two ports out: ambiguous.
  assert.deepEqual((chain.change as { reconnected: readonly unknown[] }).reconnected, []);

  const ask = removeNodes(base, ['ask']);
  assert.deepEqual((ask.change as { reconnected: readonly unknown[] }).reconnected, [
    { from: 'big', port: 'true', to: 'notify' },
  ]);
  assert.ok(
    ask.flow.edges!.some((e) => e.from === 'big' && e.port === 'true' && e.to === 'notify'),
  );
  assertReversible(base, ask);
});

test('removing a chain of nodes reconnects around all of them', () => {
  const flow: FlowDefinition = {
    format: 'millrace.flow/v1',
    id: 'chain',
    nodes: [log('a'), log('b'), log('c'), log('d')],
    edges: [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'd' },
    ],
  };
  const r = removeNodes(flow, ['b', 'c']);
  assert.deepEqual(r.flow.edges, [{ from: 'a', to: 'd' }]);
  assert.deepEqual((r.change as { reconnected: readonly unknown[] }).reconnected, [
    { from: 'a', to: 'd' },
  ]);
  assertReversible(flow, r);
});

test('removing a container removes what is inside it', () => {
  const r = removeNodes(base, ['each']);
  assert.equal(locate(r.flow, 'inner'), undefined);
  assertReversible(base, r);
  assert.equal(refusal(() => removeNodes(base, ['ghost'])).code, 'E_EDIT_UNKNOWN_NODE');
});

test('connect adds valid edges and refuses cycles, unknown ports, duplicates and other graphs', () => {
  const r = connect(base, { from: 'extract', to: 'notify' });
  assert.deepEqual(r.change, { kind: 'edge-added', edges: [{ from: 'extract', to: 'notify' }] });
  assertReversible(base, r);
  assert.equal(
    refusal(() => connect(base, { from: 'notify', to: 'extract' })).code,
    'E_EDIT_CYCLE',
  );
  assert.equal(refusal(() => connect(base, { from: 'ask', to: 'ask' })).code, 'E_EDIT_SELF_LOOP');
  assert.equal(
    refusal(() => connect(base, { from: 'extract', to: 'big' })).code,
    'E_EDIT_DUPLICATE_EDGE',
  );
  assert.equal(
    refusal(() => connect(base, { from: 'extract', to: 'inner' })).code,
    'E_EDIT_CROSS_GRAPH',
  );
  assert.equal(
    refusal(() => connect(base, { from: 'ask', port: 'maybe', to: 'each' })).code,
    'E_EDIT_UNKNOWN_PORT',
  );
  // A branching node's edge without a port takes its first port.
  const branch = connect(base, { from: 'big', to: 'each' });
  assert.deepEqual(branch.change, {
    kind: 'edge-added',
    edges: [{ from: 'big', port: 'true', to: 'each' }],
  });
});

test('catalog ports decide what a host action may connect from', () => {
  const catalog: ActionCatalog = [
    { type: 'jira.find', title: 'Find issue', ports: ['found', 'missing'] },
  ];
  const flow: FlowDefinition = {
    format: 'millrace.flow/v1',
    id: 'j',
    nodes: [{ id: 'find', type: 'jira.find' }, log('x')],
  };
  assert.equal(
    refusal(() => connect(flow, { from: 'find', port: 'out', to: 'x' }, { catalog })).code,
    'E_EDIT_UNKNOWN_PORT',
  );
  const r = connect(flow, { from: 'find', port: 'missing', to: 'x' }, { catalog });
  assert.deepEqual(r.flow.edges, [{ from: 'find', port: 'missing', to: 'x' }]);
});

test('removeEdges removes the named edges', () => {
  const r = removeEdges(base, [{ from: 'big', port: 'false', to: 'notify' }]);
  assert.equal(r.flow.edges!.length, 4);
  assertReversible(base, r);
  assert.equal(
    refusal(() => removeEdges(base, [{ from: 'extract', to: 'ask' }])).code,
    'E_EDIT_UNKNOWN_EDGE',
  );
});

test('moving a node into a container takes it out of its chain', () => {
  const r = moveNodes(base, ['ask'], { kind: 'graph', graph: 'each' });
  assert.equal(locate(r.flow, 'ask')!.key, 'each');
  assert.ok(r.flow.edges!.some((e) => e.from === 'big' && e.port === 'true' && e.to === 'notify'));
  assert.equal(r.change.kind, 'node-moved');
  assertReversible(base, r);
  const out = moveNodes(base, ['inner'], { kind: 'edge', edge: { from: 'extract', to: 'big' } });
  assert.equal(locate(out.flow, 'inner')!.key, '');
  assert.ok(out.flow.edges!.some((e) => e.from === 'inner' && e.to === 'big'));
  assertReversible(base, out);
});

test('moving to another branch and refusing moves into itself', () => {
  const r = moveNodes(base, ['ask'], { kind: 'port', from: 'big', port: 'false' });
  assert.ok(r.flow.edges!.some((e) => e.from === 'big' && e.port === 'false' && e.to === 'ask'));
  assert.equal(
    refusal(() => moveNodes(base, ['each'], { kind: 'graph', graph: 'each' })).code,
    'E_EDIT_MOVE_INTO_ITSELF',
  );
  assert.equal(
    refusal(() =>
      moveNodes(base, ['ask'], { kind: 'edge', edge: { from: 'big', port: 'true', to: 'ask' } }),
    ).code,
    'E_EDIT_MOVE_INTO_ITSELF',
  );
});

test('setProperty sets nested values, creating objects, and removes them again', () => {
  const target = { kind: 'node', id: 'ask' } as const;
  const r = setProperty(base, target, ['retry', 'maxAttempts'], 3);
  assert.deepEqual((locate(r.flow, 'ask')!.node as { retry?: unknown }).retry, { maxAttempts: 3 });
  assertReversible(base, r);
  const removed = setProperty(r.flow, target, ['retry', 'maxAttempts'], undefined);
  assert.equal(
    'retry' in locate(removed.flow, 'ask')!.node,
    false,
    'an emptied settings object goes',
  );
  const input = setProperty(base, { kind: 'node', id: 'extract' }, ['input', 'amount'], undefined);
  assert.deepEqual(locate(input.flow, 'extract')!.node.input, {}, 'input stays as an object');
  const arr = setProperty(base, target, ['input', 'approvers', 1], 'legal');
  assert.deepEqual(locate(arr.flow, 'ask')!.node.input, { approvers: ['finance', 'legal'] });
  assert.equal(
    refusal(() => setProperty(base, target, ['input', 'approvers', 0], 'finance')).code,
    'E_EDIT_NOTHING',
  );
  assert.equal(refusal(() => setProperty(base, target, ['id'], 'x')).code, 'E_EDIT_INVALID_ID');
});

test('rename sets and clears the display name; triggers are renamed like nodes', () => {
  const r = renameNode(base, { kind: 'node', id: 'ask' }, '  Ask finance ');
  assert.equal((locate(r.flow, 'ask')!.node as { name?: string }).name, 'Ask finance');
  const cleared = renameNode(r.flow, { kind: 'node', id: 'ask' }, '');
  assert.equal('name' in locate(cleared.flow, 'ask')!.node, false);
  const withTrigger = addTrigger(base, { id: 'nightly', kind: 'schedule', cron: '0 2 * * *' });
  const named = renameNode(withTrigger.flow, { kind: 'trigger', id: 'nightly' }, 'Nightly');
  assert.equal(named.flow.triggers![0]!.name, 'Nightly');
  const cron = setProperty(named.flow, { kind: 'trigger', id: 'nightly' }, ['cron'], '0 3 * * *');
  assert.equal((cron.flow.triggers![0] as { cron: string }).cron, '0 3 * * *');
  const gone = removeTriggers(cron.flow, ['nightly']);
  assert.deepEqual(gone.flow.triggers, []);
  assertReversible(cron.flow, gone);
  assert.equal(
    refusal(() => addTrigger(withTrigger.flow, { id: 'nightly', kind: 'manual' })).code,
    'E_EDIT_DUPLICATE_ID',
  );
});

test('changeNodeId renames edges and every reference to the node', () => {
  const r = changeNodeId(base, 'extract', 'parse');
  assert.ok(r.flow.edges!.some((e) => e.from === 'parse' && e.to === 'big'));
  assert.equal(
    locate(r.flow, 'big')!.node.input!['condition'],
    '$<nodes.parse.output.amount > 2000>',
  );
  assert.equal(
    locate(r.flow, 'notify')!.node.input!['message'],
    'done $<nodes.parse.output.amount>',
  );
  assertReversible(base, r);
  assert.deepEqual(
    validateFlow(r.flow).filter((d) => d.severity === 'error'),
    [],
  );
  assert.equal(refusal(() => changeNodeId(base, 'extract', 'big')).code, 'E_EDIT_DUPLICATE_ID');
});

test('reads never write into the document (a flow without edges stays as it is)', async () => {
  const { canConnect } = await import('../../src/core/connect-rules.ts');
  const { insertionAfter } = await import('../../src/core/edit-geometry.ts');
  const { duplicateTarget, copyNodes } = await import('../../src/core/clipboard.ts');
  const freeze = <T>(v: T): T => {
    if (typeof v === 'object' && v !== null) {
      for (const x of Object.values(v)) freeze(x);
      Object.freeze(v);
    }
    return v;
  };
  const bare = freeze({
    format: 'millrace.flow/v1',
    id: 'bare',
    nodes: [log('a'), log('b')],
  } as FlowDefinition);
  assert.deepEqual(canConnect(bare, { from: 'a', to: 'b' }), { ok: true, port: undefined });
  assert.deepEqual(insertionAfter(bare, 'a'), { kind: 'port', from: 'a', port: 'out' });
  assert.deepEqual(duplicateTarget(bare, copyNodes(bare, ['a'])), { kind: 'port', from: 'a' });
  assert.equal('edges' in bare, false);
  // Commands make new documents with the edges they need.
  assert.deepEqual(connect(bare, { from: 'a', to: 'b' }).flow.edges, [{ from: 'a', to: 'b' }]);
});
