import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  downstreamOf,
  findCycles,
  indexFlow,
  rootsOf,
  scopeChain,
  sinksOf,
  topologicalOrder,
  upstreamOf,
} from '../../src/model/graph.ts';
import { portsOf } from '../../src/model/ports.ts';
import type { FlowDefinition, FlowNode } from '../../src/model/flow.ts';

const flow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'g',
  nodes: [
    { id: 'c', type: 'log', input: { message: 'c' } },
    { id: 'a', type: 'transform' },
    { id: 'b', type: 'if', input: { condition: true } },
    {
      id: 'each',
      type: 'forEach',
      input: { items: [] },
      nodes: [
        { id: 'inner', type: 'transform' },
        {
          id: 't',
          type: 'try',
          nodes: [{ id: 'risky', type: 'http', input: { url: 'x' } }],
          catch: { nodes: [{ id: 'handle', type: 'log', input: { message: 'm' } }] },
        },
      ],
      edges: [{ from: 'inner', to: 't' }],
    },
  ],
  edges: [
    { from: 'a', to: 'b' },
    { from: 'b', port: 'true', to: 'each' },
    { from: 'each', to: 'c' },
  ],
  onFailure: { nodes: [{ id: 'alert', type: 'log', input: { message: 'x' } }] },
};

test('indexes every node of every graph with its JSON pointer', () => {
  const index = indexFlow(flow);
  assert.deepEqual(
    [...index.nodes.values()].map((n) => [n.id, n.pointer]),
    [
      ['c', '/nodes/0'],
      ['a', '/nodes/1'],
      ['b', '/nodes/2'],
      ['each', '/nodes/3'],
      ['inner', '/nodes/3/nodes/0'],
      ['t', '/nodes/3/nodes/1'],
      ['risky', '/nodes/3/nodes/1/nodes/0'],
      ['handle', '/nodes/3/nodes/1/catch/nodes/0'],
      ['alert', '/onFailure/nodes/0'],
    ],
  );
  assert.deepEqual(
    index.graphs.map((g) => [g.key, g.region]),
    [
      ['', 'main'],
      ['each', 'body'],
      ['t', 'body'],
      ['t#catch', 'catch'],
      ['onFailure', 'onFailure'],
    ],
  );
});

test('topological order follows edges and breaks ties by declaration order', () => {
  const index = indexFlow(flow);
  assert.deepEqual(topologicalOrder(index.main), ['a', 'b', 'each', 'c']);
});

test('upstream and downstream sets', () => {
  const main = indexFlow(flow).main;
  assert.deepEqual([...upstreamOf(main, 'c')].sort(), ['a', 'b', 'each']);
  assert.deepEqual([...downstreamOf(main, 'a')].sort(), ['b', 'c', 'each']);
  assert.equal(upstreamOf(main, 'a').size, 0);
});

test('scope chain lists enclosing containers innermost first with the region', () => {
  const index = indexFlow(flow);
  assert.deepEqual(
    scopeChain(index, 'handle').map((s) => [s.container.id, s.region]),
    [
      ['t', 'catch'],
      ['each', 'body'],
    ],
  );
  assert.deepEqual(scopeChain(index, 'a'), []);
});

test('roots and sinks', () => {
  const main = indexFlow(flow).main;
  assert.deepEqual(
    rootsOf(main).map((n) => n.id),
    ['a'],
  );
  assert.deepEqual(
    sinksOf(main).map((n) => n.id),
    ['c'],
  );
});

test('findCycles names each strongly connected component, including self loops', () => {
  const index = indexFlow({
    nodes: [
      { id: 'x', type: 'log' },
      { id: 'y', type: 'log' },
      { id: 'z', type: 'log' },
      { id: 's', type: 'log' },
    ],
    edges: [
      { from: 'x', to: 'y' },
      { from: 'y', to: 'z' },
      { from: 'z', to: 'x' },
      { from: 's', to: 's' },
    ],
  });
  assert.deepEqual(
    findCycles(index.main).map((c) => [...c].sort()),
    [['x', 'y', 'z'], ['s']],
  );
  assert.deepEqual(topologicalOrder(index.main), []);
});

test('graph utilities handle a 10,000-node chain without recursion limits', () => {
  const n = 10_000;
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'transform' }));
  const edges = Array.from({ length: n - 1 }, (_, i) => ({ from: `n${i}`, to: `n${i + 1}` }));
  const index = indexFlow({ nodes, edges });
  assert.equal(topologicalOrder(index.main).length, n);
  assert.deepEqual(findCycles(index.main), []);
  assert.equal(upstreamOf(index.main, `n${n - 1}`).size, n - 1);
});

test('indexing tolerates malformed input', () => {
  for (const bad of [
    null,
    1,
    'x',
    [],
    { nodes: 'no' },
    { nodes: [null, 1, { id: 3 }, { type: 'x' }] },
  ]) {
    const index = indexFlow(bad);
    assert.equal(index.nodes.size, 0);
  }
});

test('ports of each node kind, in display order', () => {
  const node = (n: object) => n as FlowNode;
  assert.deepEqual(portsOf(node({ id: 'i', type: 'if' })), {
    ports: ['true', 'false'],
    requiresPort: true,
  });
  assert.deepEqual(
    portsOf(
      node({
        id: 's',
        type: 'switch',
        cases: [
          { port: 'small', when: '' },
          { port: 'big', when: '' },
        ],
      }),
    ),
    { ports: ['small', 'big', 'default'], requiresPort: true },
  );
  assert.deepEqual(portsOf(node({ id: 'l', type: 'log' })), {
    ports: ['out'],
    requiresPort: false,
  });
  assert.deepEqual(
    portsOf(node({ id: 'a', type: 'approval' }), {
      type: 'approval',
      title: 'A',
      ports: ['approved', 'rejected', 'timeout'],
    }),
    { ports: ['approved', 'rejected', 'timeout'], requiresPort: true },
  );
});
