import { test } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { buildLayoutGraph, type LayoutGraph } from '../../src/core/layout-graph.ts';
import { boundsOf, toLayoutResult } from '../../src/core/layout-result.ts';
import { everyKindFlow } from '../layout/layout-fixtures.ts';

/** A hand-made ELK answer: a group at (100, 50) holding a card at (16, 76), plus a card. */
function handMade(): { graph: LayoutGraph; laidOut: ElkNode } {
  const graph = buildLayoutGraph({
    format: 'millrace.flow/v1',
    id: 'f',
    nodes: [
      {
        id: 'g',
        type: 'group',
        nodes: [
          { id: 'a', type: 'log' },
          { id: 'b', type: 'if', input: { condition: true } },
        ],
        edges: [{ from: 'a', to: 'b' }],
      },
      { id: 'z', type: 'log' },
    ],
    edges: [{ from: 'g', to: 'z' }],
  });
  const laidOut: ElkNode = {
    id: 'root',
    width: 600,
    height: 800,
    children: [
      {
        id: 'g',
        x: 100,
        y: 50,
        width: 252,
        height: 400,
        ports: [
          { id: 'g#in', x: 126, y: 0, width: 0, height: 0 },
          { id: 'g#out:out', x: 126, y: 400, width: 0, height: 0 },
        ],
        children: [
          {
            id: 'a',
            x: 16,
            y: 76,
            width: 220,
            height: 80,
            ports: [
              { id: 'a#in', x: 110, y: 0 },
              { id: 'a#out:out', x: 110, y: 80 },
            ],
          },
          {
            id: 'b',
            x: 16,
            y: 204,
            width: 220,
            height: 80,
            ports: [
              { id: 'b#in', x: 110, y: 0 },
              { id: 'b#out:true', x: 55, y: 80 },
              // A sized port: the anchor is its centre.
              { id: 'b#out:false', x: 163, y: 78, width: 4, height: 4 },
            ],
          },
        ],
        edges: [
          {
            id: 'a->b',
            sources: ['a#out:out'],
            targets: ['b#in'],
            sections: [{ id: 's', startPoint: { x: 126, y: 156 }, endPoint: { x: 126, y: 204 } }],
          },
        ],
      },
      {
        id: 'z',
        x: 116,
        y: 500,
        width: 220,
        height: 80,
        ports: [
          { id: 'z#in', x: 110, y: 0 },
          { id: 'z#out:out', x: 110, y: 80 },
        ],
      },
    ],
    edges: [
      {
        id: 'g->z',
        sources: ['g#out:out'],
        targets: ['z#in'],
        sections: [
          {
            id: 's1',
            startPoint: { x: 226, y: 450 },
            bendPoints: [
              { x: 226, y: 470 },
              { x: 226, y: 470 },
            ],
            endPoint: { x: 226, y: 500 },
          },
        ],
        labels: [{ text: 'x', x: 230, y: 452, width: 20, height: 16 }],
      },
    ],
  };
  return { graph, laidOut };
}

test('nodes get absolute coordinates: their parents offsets are added up', () => {
  const { graph, laidOut } = handMade();
  const result = toLayoutResult(laidOut, graph);
  assert.deepEqual(result.nodes.get('g'), {
    id: 'g',
    x: 100,
    y: 50,
    width: 252,
    height: 400,
    kind: 'container',
    type: 'group',
  });
  assert.deepEqual(result.nodes.get('a'), {
    id: 'a',
    x: 116,
    y: 126,
    width: 220,
    height: 80,
    kind: 'action',
    type: 'log',
    parentId: 'g',
    region: 'body',
  });
  assert.equal(result.nodes.get('b')!.y, 254);
  assert.deepEqual([...result.nodes.keys()], ['g', 'a', 'b', 'z'], 'parents before children');
  assert.deepEqual([result.width, result.height], [600, 800]);
});

test('ports are absolute anchors, outputs in display order', () => {
  const { graph, laidOut } = handMade();
  const result = toLayoutResult(laidOut, graph);
  assert.deepEqual(result.ports.get('b'), {
    input: { x: 226, y: 254 },
    outputs: [
      { port: 'true', x: 171, y: 334 },
      { port: 'false', x: 281, y: 334 },
    ],
  });
  assert.deepEqual(result.ports.get('g')!.outputs, [{ port: 'out', x: 226, y: 450 }]);
});

test('edge points are offset by the node that holds the edge; repeated points are dropped', () => {
  const { graph, laidOut } = handMade();
  const result = toLayoutResult(laidOut, graph);
  const inner = result.edges.find((e) => e.id === 'a->b')!;
  assert.deepEqual(inner.points, [
    { x: 226, y: 206 },
    { x: 226, y: 254 },
  ]);
  const outer = result.edges.find((e) => e.id === 'g->z')!;
  assert.deepEqual(outer.points, [
    { x: 226, y: 450 },
    { x: 226, y: 470 },
    { x: 226, y: 500 },
  ]);
  assert.equal(outer.label, undefined, 'ELK labels the builder did not ask for are ignored');
  assert.equal(outer.kind, 'flow');
});

test('the conversion agrees with ELK’s own absolute (ROOT) coordinates on a real layout', async () => {
  const elk = new ELK();
  const graph = buildLayoutGraph(everyKindFlow());
  const relative = toLayoutResult(await elk.layout(structuredClone(graph.elk)), graph);
  const absolute: ElkNode = await elk.layout(structuredClone(graph.elk), {
    layoutOptions: { 'elk.json.shapeCoords': 'ROOT', 'elk.json.edgeCoords': 'ROOT' },
  });
  const stack = [...(absolute.children ?? [])];
  let checked = 0;
  while (stack.length > 0) {
    const n = stack.pop()!;
    const mine = relative.nodes.get(n.id)!;
    assert.deepEqual(
      [mine.x, mine.y, mine.width, mine.height],
      [n.x, n.y, n.width, n.height],
      n.id,
    );
    for (const e of n.edges ?? []) {
      const s = e.sections![0]!;
      const edge = relative.edges.find((x) => x.id === e.id)!;
      assert.deepEqual(edge.points[0], s.startPoint, e.id);
      assert.deepEqual(edge.points[edge.points.length - 1], s.endPoint, e.id);
      if (e.labels?.[0])
        assert.deepEqual([edge.label!.x, edge.label!.y], [e.labels[0].x, e.labels[0].y]);
    }
    stack.push(...(n.children ?? []));
    checked++;
  }
  assert.equal(checked, relative.nodes.size);
  const rootEdge = absolute.edges![0]!;
  const mineRoot = relative.edges.find((x) => x.id === rootEdge.id)!;
  assert.deepEqual(mineRoot.points[0], rootEdge.sections![0]!.startPoint);
});

test('every edge starts on its source port and ends on its target port', async () => {
  const elk = new ELK();
  const graph = buildLayoutGraph(everyKindFlow());
  const result = toLayoutResult(await elk.layout(structuredClone(graph.elk)), graph);
  assert.ok(result.edges.length > 5);
  for (const edge of result.edges) {
    const info = graph.edges.find((e) => e.id === edge.id)!;
    const from = result.ports.get(edge.from)!.outputs.find((p) => p.port === info.sourcePort)!;
    const to = result.ports.get(edge.to)!.input!;
    assert.deepEqual(edge.points[0], { x: from.x, y: from.y }, edge.id);
    assert.deepEqual(edge.points[edge.points.length - 1], { x: to.x, y: to.y }, edge.id);
    for (let i = 1; i < edge.points.length; i++) {
      const p = edge.points[i - 1]!;
      const q = edge.points[i]!;
      assert.ok(p.x === q.x || p.y === q.y, `${edge.id} is orthogonal`);
    }
  }
});

test('children lie inside their parent box', async () => {
  const elk = new ELK();
  const graph = buildLayoutGraph(everyKindFlow());
  const result = toLayoutResult(await elk.layout(structuredClone(graph.elk)), graph);
  for (const n of result.nodes.values()) {
    if (n.parentId === undefined) continue;
    const p = result.nodes.get(n.parentId)!;
    assert.ok(n.x >= p.x && n.y >= p.y, n.id);
    assert.ok(n.x + n.width <= p.x + p.width && n.y + n.height <= p.y + p.height, n.id);
  }
  const b = boundsOf(result);
  assert.ok(b.width <= result.width && b.height <= result.height);
});

test('a try stacks body, catch and finally top-down', async () => {
  const elk = new ELK();
  const graph = buildLayoutGraph(everyKindFlow());
  const result = toLayoutResult(await elk.layout(structuredClone(graph.elk)), graph);
  const body = result.nodes.get('guard#body')!;
  const onError = result.nodes.get('guard#catch')!;
  const always = result.nodes.get('guard#finally')!;
  assert.ok(body.y + body.height <= onError.y);
  assert.ok(onError.y + onError.height <= always.y);
  const trigger = result.nodes.get('trigger:hook')!;
  for (const n of result.nodes.values()) {
    if (n.id !== trigger.id) assert.ok(n.y > trigger.y, `${n.id} is below the trigger`);
  }
});
