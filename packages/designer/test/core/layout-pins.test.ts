import { test } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { FlowDefinition } from '@millrace/engine';
import { buildLayoutGraph } from '../../src/core/layout-graph.ts';
import { finishLayout } from '../../src/core/layout-flow.ts';
import { routeOrthogonal } from '../../src/core/layout-pins.ts';
import type { LayoutResult } from '../../src/core/layout-result.ts';
import { CONTAINER_BOX_PADDING } from '../../src/core/node-size.ts';
import { branchFlow } from '../layout/layout-fixtures.ts';

const elk = new ELK();

async function layout(flow: unknown): Promise<LayoutResult> {
  const graph = buildLayoutGraph(flow);
  return finishLayout(await elk.layout(structuredClone(graph.elk)), graph);
}

function pin(flow: FlowDefinition, id: string, x: number, y: number): FlowDefinition {
  const copy = structuredClone(flow) as unknown as { nodes: Record<string, unknown>[] };
  const stack = [...copy.nodes];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n['id'] === id) n['ui'] = { pinned: true, position: { x, y } };
    stack.push(...((n['nodes'] as Record<string, unknown>[] | undefined) ?? []));
  }
  return copy as unknown as FlowDefinition;
}

function assertEdgesAttached(result: LayoutResult): void {
  for (const e of result.edges) {
    const first = e.points[0]!;
    const last = e.points[e.points.length - 1]!;
    const outs = result.ports.get(e.from)!.outputs;
    assert.ok(
      outs.some((p) => p.x === first.x && p.y === first.y),
      `${e.id} leaves a port`,
    );
    assert.deepEqual(last, result.ports.get(e.to)!.input, `${e.id} enters the input port`);
    for (let i = 1; i < e.points.length; i++) {
      const p = e.points[i - 1]!;
      const q = e.points[i]!;
      assert.ok(p.x === q.x || p.y === q.y, `${e.id} stays orthogonal`);
    }
  }
}

test('a pinned node sits exactly at its position; the others do not move', async () => {
  const free = await layout(branchFlow());
  const pinned = await layout(pin(branchFlow(), 'no', 900, 40));
  const no = pinned.nodes.get('no')!;
  assert.deepEqual([no.x, no.y, no.pinned], [900, 40, true]);
  for (const id of ['fetch', 'check', 'yes', 'join']) {
    assert.deepEqual(pinned.nodes.get(id), free.nodes.get(id), id);
  }
  assert.deepEqual(pinned.ports.get('no')!.input, { x: 900 + no.width / 2, y: 40 });
  assertEdgesAttached(pinned);
  assert.ok(pinned.width >= 900 + no.width, 'the bounds grow to hold it');
});

test('a node pinned at its current place changes nothing but the flag', async () => {
  const free = await layout(branchFlow());
  const yes = free.nodes.get('yes')!;
  const pinned = await layout(pin(branchFlow(), 'yes', yes.x, yes.y));
  assert.deepEqual(pinned.edges, free.edges);
  assert.equal(pinned.nodes.get('yes')!.pinned, true);
});

test('a pinned node left of the origin extends the bounds to negative x', async () => {
  const pinned = await layout(pin(branchFlow(), 'join', -300, 100));
  assert.equal(pinned.x, -300);
  assertEdgesAttached(pinned);
});

const containerFlow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'c',
  nodes: [
    { id: 'first', type: 'log' },
    {
      id: 'each',
      type: 'forEach',
      input: { items: [] },
      nodes: [
        { id: 'a', type: 'log' },
        { id: 'b', type: 'log' },
      ],
      edges: [{ from: 'a', to: 'b' }],
    },
    { id: 'last', type: 'log' },
  ],
  edges: [
    { from: 'first', to: 'each' },
    { from: 'each', to: 'last' },
  ],
};

test('a pinned child is placed relative to its container, which grows around it', async () => {
  const free = await layout(containerFlow);
  const pinned = await layout(pin(containerFlow, 'b', 400, 300));
  const each = pinned.nodes.get('each')!;
  const b = pinned.nodes.get('b')!;
  assert.deepEqual([b.x - each.x, b.y - each.y], [400, 300]);
  assert.equal(each.x, free.nodes.get('each')!.x);
  assert.equal(each.x + each.width, b.x + b.width + CONTAINER_BOX_PADDING.right);
  assert.equal(each.y + each.height, b.y + b.height + CONTAINER_BOX_PADDING.bottom);
  // The container's ports stay centred on its grown box.
  assert.deepEqual(pinned.ports.get('each')!.outputs[0], {
    port: 'out',
    x: each.x + each.width / 2,
    y: each.y + each.height,
  });
  assertEdgesAttached(pinned);
});

test('a pinned container carries its children and their edges along', async () => {
  const free = await layout(containerFlow);
  const pinned = await layout(pin(containerFlow, 'each', 500, 20));
  const before = free.nodes.get('each')!;
  const dx = 500 - before.x;
  const dy = 20 - before.y;
  for (const id of ['a', 'b']) {
    const was = free.nodes.get(id)!;
    const now = pinned.nodes.get(id)!;
    assert.deepEqual([now.x, now.y], [was.x + dx, was.y + dy], id);
  }
  const inner = (r: LayoutResult) => r.edges.find((e) => e.id === 'a->b')!.points;
  assert.deepEqual(
    inner(pinned),
    inner(free).map((p) => ({ x: p.x + dx, y: p.y + dy })),
  );
  assertEdgesAttached(pinned);
});

test('re-routed edges go down-across-down, or around when the target is above', () => {
  assert.deepEqual(routeOrthogonal({ x: 0, y: 0 }, { x: 0, y: 100 }, { right: 50 }), [
    { x: 0, y: 0 },
    { x: 0, y: 100 },
  ]);
  assert.deepEqual(routeOrthogonal({ x: 0, y: 0 }, { x: 80, y: 100 }, { right: 50 }), [
    { x: 0, y: 0 },
    { x: 0, y: 50 },
    { x: 80, y: 50 },
    { x: 80, y: 100 },
  ]);
  const around = routeOrthogonal({ x: 0, y: 100 }, { x: 10, y: 0 }, { right: 50 });
  assert.equal(around.length, 6);
  assert.ok(around.every((p) => p.x <= 50 + 24));
  assert.deepEqual(around[around.length - 1], { x: 10, y: 0 });
});
