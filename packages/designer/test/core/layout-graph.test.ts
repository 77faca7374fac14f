import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import {
  buildLayoutGraph,
  inputPortId,
  outputPortId,
  regionLayoutId,
  triggerLayoutId,
} from '../../src/core/layout-graph.ts';
import { LAYOUT_OPTIONS } from '../../src/core/layout-options.ts';
import {
  ACTION_CARD_HEIGHT,
  CARD_WIDTH,
  CONTAINER_BOX_PADDING,
  REGION_BOX_PADDING,
} from '../../src/core/node-size.ts';
import { branchFlow, everyKindFlow } from '../layout/layout-fixtures.ts';

function find(root: ElkNode, id: string): ElkNode | undefined {
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.id === id) return n;
    stack.push(...(n.children ?? []));
  }
  return undefined;
}

const ids = (nodes: readonly ElkNode[] | undefined): string[] => (nodes ?? []).map((n) => n.id);
const flow = (extra: Record<string, unknown>) => ({
  format: 'millrace.flow/v1',
  id: 'f',
  ...extra,
});

test('the root asks for a layered, top-down, orthogonal layout that keeps model order', () => {
  const { elk } = buildLayoutGraph(branchFlow());
  assert.equal(elk.layoutOptions!['elk.algorithm'], 'layered');
  assert.equal(elk.layoutOptions!['elk.direction'], 'DOWN');
  assert.equal(elk.layoutOptions!['elk.edgeRouting'], 'ORTHOGONAL');
  assert.equal(elk.layoutOptions!['elk.layered.considerModelOrder.strategy'], 'NODES_AND_EDGES');
  assert.deepEqual(elk.layoutOptions, LAYOUT_OPTIONS);
});

test('an action card has a fixed size, one NORTH input and its output on the SOUTH side', () => {
  const fetch = find(buildLayoutGraph(branchFlow()).elk, 'fetch')!;
  assert.equal(fetch.width, CARD_WIDTH);
  assert.equal(fetch.height, ACTION_CARD_HEIGHT);
  assert.equal(fetch.layoutOptions!['elk.portConstraints'], 'FIXED_POS');
  assert.deepEqual(
    fetch.ports!.map((p) => [p.id, p.layoutOptions!['elk.port.side'], p.x, p.y]),
    [
      [inputPortId('fetch'), 'NORTH', CARD_WIDTH / 2, 0],
      [outputPortId('fetch', 'out'), 'SOUTH', CARD_WIDTH / 2, ACTION_CARD_HEIGHT],
    ],
  );
});

test('output ports follow portsOf order from left to right', () => {
  const { elk } = buildLayoutGraph(everyKindFlow());
  const route = find(elk, 'route')!;
  const south = route.ports!.filter((p) => p.layoutOptions!['elk.port.side'] === 'SOUTH');
  assert.deepEqual(
    south.map((p) => p.id),
    ['small', 'large', 'default'].map((p) => outputPortId('route', p)),
  );
  const xs = south.map((p) => p.x!);
  assert.deepEqual(
    [...xs].sort((a, b) => a - b),
    xs,
  );
  const ask = find(elk, 'ask')!;
  assert.deepEqual(
    ask.ports!.slice(1).map((p) => p.id),
    ['approved', 'rejected', 'timeout'].map((p) => outputPortId('ask', p)),
    'the built-in approval descriptor gives its ports without a catalog',
  );
});

test('a host catalog gives host actions their ports', () => {
  const def = flow({ nodes: [{ id: 'l', type: 'crm.lookup' }] });
  const plain = find(buildLayoutGraph(def).elk, 'l')!;
  assert.deepEqual(
    plain.ports!.map((p) => p.id),
    [inputPortId('l'), outputPortId('l', 'out')],
  );
  const withCatalog = find(
    buildLayoutGraph(def, [{ type: 'crm.lookup', title: 'Lookup', ports: ['found', 'missing'] }])
      .elk,
    'l',
  )!;
  assert.deepEqual(
    withCatalog.ports!.slice(1).map((p) => p.id),
    [outputPortId('l', 'found'), outputPortId('l', 'missing')],
  );
});

test('triggers are entry cards in the first layer, connected to every root', () => {
  const graph = buildLayoutGraph(branchFlow());
  assert.deepEqual(ids(graph.elk.children).slice(0, 2), [
    triggerLayoutId('manual'),
    triggerLayoutId('nightly'),
  ]);
  const manual = find(graph.elk, triggerLayoutId('manual'))!;
  assert.equal(manual.layoutOptions!['elk.layered.layering.layerConstraint'], 'FIRST');
  assert.deepEqual(
    manual.ports!.map((p) => p.id),
    [outputPortId(triggerLayoutId('manual'), 'out')],
  );
  const triggerEdges = graph.edges.filter((e) => e.kind === 'trigger');
  assert.deepEqual(
    triggerEdges.map((e) => [e.from, e.to]),
    [
      [triggerLayoutId('manual'), 'fetch'],
      [triggerLayoutId('nightly'), 'fetch'],
    ],
  );
  assert.equal(graph.nodes.get(triggerLayoutId('nightly'))!.type, 'schedule');
});

test('a trigger id may equal a node id', () => {
  const graph = buildLayoutGraph(
    flow({ triggers: [{ id: 'a', kind: 'manual' }], nodes: [{ id: 'a', type: 'log' }] }),
  );
  assert.ok(graph.nodes.has('a'));
  assert.ok(graph.nodes.has(triggerLayoutId('a')));
});

test('a container is a compound node holding its body, with header padding', () => {
  const { elk, nodes } = buildLayoutGraph(everyKindFlow());
  const each = find(elk, 'each')!;
  assert.deepEqual(ids(each.children), ['enrich', 'stage']);
  assert.deepEqual(
    each.edges!.map((e) => [e.sources, e.targets]),
    [[[outputPortId('enrich', 'out')], [inputPortId('stage')]]],
  );
  assert.equal(
    each.layoutOptions!['elk.padding'],
    `[top=${CONTAINER_BOX_PADDING.top},left=${CONTAINER_BOX_PADDING.left},bottom=${CONTAINER_BOX_PADDING.bottom},right=${CONTAINER_BOX_PADDING.right}]`,
  );
  assert.equal(each.layoutOptions!['elk.direction'], 'DOWN', 'ELK does not inherit options');
  assert.equal(each.width, undefined, 'ELK sizes containers');
  // Nested two deep: the group inside the forEach holds its own body.
  assert.deepEqual(ids(find(elk, 'stage')!.children), ['inner']);
  assert.deepEqual(nodes.get('inner'), {
    id: 'inner',
    kind: 'action',
    type: 'log',
    parentId: 'stage',
    region: 'body',
    ports: ['out'],
  });
  assert.equal(nodes.get('stage')!.parentId, 'each');
});

test('a try holds body, catch and finally regions stacked by partition', () => {
  const { elk, nodes } = buildLayoutGraph(everyKindFlow());
  const guard = find(elk, 'guard')!;
  assert.equal(guard.layoutOptions!['elk.partitioning.activate'], 'true');
  assert.deepEqual(ids(guard.children), [
    regionLayoutId('guard', 'body'),
    regionLayoutId('guard', 'catch'),
    regionLayoutId('guard', 'finally'),
  ]);
  assert.deepEqual(
    guard.children!.map((r) => r.layoutOptions!['elk.partitioning.partition']),
    ['0', '1', '2'],
  );
  const body = guard.children![0]!;
  assert.deepEqual(ids(body.children), ['call', 'parse']);
  assert.equal(body.edges!.length, 1);
  assert.equal(
    body.layoutOptions!['elk.padding'],
    `[top=${REGION_BOX_PADDING.top},left=${REGION_BOX_PADDING.left},bottom=${REGION_BOX_PADDING.bottom},right=${REGION_BOX_PADDING.right}]`,
  );
  assert.deepEqual(ids(guard.children![1]!.children), ['recover']);
  assert.deepEqual(ids(guard.children![2]!.children), ['cleanup']);
  assert.deepEqual(nodes.get(regionLayoutId('guard', 'catch')), {
    id: 'guard#catch',
    kind: 'region',
    type: 'catch',
    parentId: 'guard',
    region: 'catch',
    ports: [],
  });
  assert.equal(nodes.get('recover')!.parentId, 'guard#catch');
  assert.equal(nodes.get('recover')!.region, 'catch');
});

test('a try without finally has only body and catch regions', () => {
  const { elk } = buildLayoutGraph(
    flow({ nodes: [{ id: 't', type: 'try', nodes: [], catch: { nodes: [] } }] }),
  );
  assert.deepEqual(ids(find(elk, 't')!.children), ['t#body', 't#catch']);
});

test('a collapsed container is a card; its children are not laid out', () => {
  const { elk, nodes } = buildLayoutGraph(everyKindFlow());
  const loop = find(elk, 'loop')!;
  assert.equal(loop.children, undefined);
  assert.equal(loop.width, CARD_WIDTH);
  assert.equal(nodes.get('loop')!.kind, 'collapsed');
  assert.equal(nodes.has('page'), false);
});

test('onFailure is a region box in the last layer', () => {
  const { elk, nodes } = buildLayoutGraph(everyKindFlow());
  const last = elk.children![elk.children!.length - 1]!;
  assert.equal(last.id, '#onFailure');
  assert.equal(last.layoutOptions!['elk.layered.layering.layerConstraint'], 'LAST');
  assert.deepEqual(ids(last.children), ['alert']);
  assert.equal(nodes.get('alert')!.region, 'onFailure');
});

test('branch edges carry their port name as a label; an explicit label wins', () => {
  const { edges, elk } = buildLayoutGraph(everyKindFlow());
  const byId = new Map(edges.map((e) => [e.id, e]));
  assert.equal(byId.get('route:small->each')!.label, 'small');
  assert.equal(byId.get('route:default->end')!.label, 'otherwise');
  assert.equal(byId.get('start->route')!.label, undefined);
  const elkEdge = elk.edges!.find((e) => e.id === 'route:small->each')!;
  assert.equal(elkEdge.labels![0]!.text, 'small');
  assert.equal(elkEdge.labels![0]!.layoutOptions!['elk.edgeLabels.placement'], 'TAIL');
  assert.deepEqual(elkEdge.sources, [outputPortId('route', 'small')]);
});

test('children follow the branches depth-first in port order, whatever the declaration order', () => {
  const def = flow({
    nodes: [
      { id: 'c', type: 'if', input: { condition: true } },
      { id: 'f1', type: 'log' },
      { id: 't1', type: 'log' },
      { id: 't2', type: 'log' },
    ],
    edges: [
      { from: 'c', port: 'false', to: 'f1' },
      { from: 'c', port: 'true', to: 't1' },
      { from: 't1', to: 't2' },
    ],
  });
  const { elk } = buildLayoutGraph(def);
  assert.deepEqual(ids(elk.children), ['c', 't1', 't2', 'f1']);
  assert.deepEqual(
    elk.edges!.map((e) => e.id),
    ['c:true->t1', 'c:false->f1', 't1->t2'],
  );
});

test('broken parts are left out: duplicates, unknown ends, edges across graphs', () => {
  const def = flow({
    nodes: [
      { id: 'a', type: 'log' },
      { id: 'a', type: 'http' },
      { id: 'g', type: 'group', nodes: [{ id: 'in', type: 'log' }] },
      { id: 'b' },
      'junk',
    ],
    edges: [
      { from: 'a', to: 'ghost' },
      { from: 'a', to: 'in' },
      { from: 'a', to: 'g' },
      { from: 'a', to: 'g' },
      { from: 'a', port: 'nope', to: 'b' },
    ],
  });
  const graph = buildLayoutGraph(def);
  assert.deepEqual(ids(graph.elk.children), ['a', 'g', 'b']);
  assert.equal(graph.nodes.get('a')!.type, 'log', 'the first of duplicated ids wins');
  assert.deepEqual(
    graph.edges.map((e) => e.id),
    ['a->g', 'a->g~2', 'a:nope->b'],
  );
  const unknownPort = graph.edges.find((e) => e.id === 'a:nope->b')!;
  assert.equal(unknownPort.port, 'nope');
  assert.equal(unknownPort.sourcePort, 'out', 'an unknown port leaves from the default one');
});

test('anything that is not a flow gives an empty graph', () => {
  for (const junk of [undefined, null, 42, 'flow', { nodes: 'x' }]) {
    const graph = buildLayoutGraph(junk);
    assert.deepEqual(graph.elk.children, []);
    assert.equal(graph.nodes.size, 0);
  }
});

test('pinned positions are recorded for the post-pass, not sent to ELK', () => {
  const def = flow({
    nodes: [
      { id: 'a', type: 'log', ui: { pinned: true, position: { x: 10, y: 20 } } },
      { id: 'b', type: 'log', ui: { position: { x: 10, y: 20 } } },
      { id: 'c', type: 'log', ui: { pinned: true, position: { x: 'x', y: 1 } } },
    ],
  });
  const graph = buildLayoutGraph(def);
  assert.deepEqual(graph.nodes.get('a')!.pinned, { x: 10, y: 20 });
  assert.equal(graph.nodes.get('b')!.pinned, undefined);
  assert.equal(graph.nodes.get('c')!.pinned, undefined);
  assert.equal(find(graph.elk, 'a')!.x, undefined);
});

test('layout options can be overridden on every compound node', () => {
  const { elk } = buildLayoutGraph(everyKindFlow(), undefined, {
    layoutOptions: { 'elk.layered.thoroughness': '1' },
  });
  assert.equal(elk.layoutOptions!['elk.layered.thoroughness'], '1');
  assert.equal(find(elk, 'each')!.layoutOptions!['elk.layered.thoroughness'], '1');
  assert.equal(find(elk, 'guard#body')!.layoutOptions!['elk.layered.thoroughness'], '1');
});

test('an unchanged card object keeps its ELK node across builds; a changed or re-described one gets a new one', () => {
  const log = { id: 'a', type: 'log', input: { message: 'hi' } };
  const approval = { id: 'b', type: 'approval', input: {} };
  const flow = (nodes: object[]) => ({
    format: 'millrace.flow/v1',
    id: 'f',
    nodes,
    edges: [{ from: 'a', to: 'b' }],
  });
  const first = buildLayoutGraph(flow([log, approval]));
  // An edit elsewhere: a new document that shares the unchanged node objects.
  const second = buildLayoutGraph(flow([log, { ...approval }]));
  assert.equal(find(second.elk, 'a'), find(first.elk, 'a'), 'same object: same ELK node');
  assert.notEqual(find(second.elk, 'b'), find(first.elk, 'b'), 'new object: new ELK node');
  assert.deepEqual(find(second.elk, 'b'), find(first.elk, 'b'), 'equal content, equal node');
  // A catalog that describes `log` with two ports: the same object is built anew.
  const catalog = [{ type: 'log', title: 'Log', ports: ['out', 'err'] }];
  const described = buildLayoutGraph(flow([log, approval]), catalog as never);
  assert.notEqual(find(described.elk, 'a'), find(first.elk, 'a'));
  assert.equal(find(described.elk, 'a')!.ports!.length, 3);
});
