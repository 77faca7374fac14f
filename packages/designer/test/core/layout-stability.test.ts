import { test } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import type { FlowDefinition } from '@millrace/engine';
import { createLayoutCache } from '../../src/core/layout-cache.ts';
import { layoutFlow } from '../../src/core/layout-flow.ts';
import type { LayoutResult } from '../../src/core/layout-result.ts';
import { branchFlow, everyKindFlow } from '../layout/layout-fixtures.ts';

const elk = new ELK();
const run = (graph: ElkNode): Promise<ElkNode> => elk.layout(graph);
const layout = (flow: unknown): Promise<LayoutResult> => layoutFlow(flow, undefined, run);
const centre = (r: LayoutResult, id: string): number => {
  const n = r.nodes.get(id)!;
  return n.x + n.width / 2;
};

test('the same flow gives the same coordinates, also from another ELK instance', async () => {
  const a = await layout(everyKindFlow());
  const b = await layout(everyKindFlow());
  const other = new ELK();
  const c = await layoutFlow(everyKindFlow(), undefined, (g) => other.layout(g));
  assert.deepEqual(a, b);
  assert.deepEqual(a, c);
});

test('renaming a node does not move anything', async () => {
  const renamed = structuredClone(branchFlow()) as unknown as { nodes: Record<string, unknown>[] };
  renamed.nodes[2]!['name'] = 'A considerably longer name for the yes branch';
  assert.deepEqual(await layout(renamed), await layout(branchFlow()));
});

/** An if whose arms are chains, declared false-arm first to make the test harder. */
function ifFlow(trueLength: number, falseLength: number, appendTrueLast = false): FlowDefinition {
  const nodes: Record<string, unknown>[] = [{ id: 'cond', type: 'if', input: { condition: true } }];
  const edges: Record<string, unknown>[] = [];
  const arm = (prefix: string, port: string, length: number): void => {
    for (let i = 0; i < length; i++) {
      nodes.push({ id: `${prefix}${i}`, type: 'log' });
      edges.push(
        i === 0
          ? { from: 'cond', port, to: `${prefix}0` }
          : { from: `${prefix}${i - 1}`, to: `${prefix}${i}` },
      );
    }
  };
  arm('f', 'false', falseLength);
  arm('t', 'true', appendTrueLast ? trueLength - 1 : trueLength);
  if (appendTrueLast) {
    // The new node is declared last, after everything else.
    const last = trueLength - 1;
    nodes.push({ id: `t${last}`, type: 'log' });
    edges.push({ from: `t${last - 1}`, to: `t${last}` });
  }
  nodes.push({ id: 'join', type: 'log' });
  edges.push(
    { from: `t${trueLength - 1}`, to: 'join' },
    { from: `f${falseLength - 1}`, to: 'join' },
  );
  return { format: 'millrace.flow/v1', id: 'if', nodes, edges } as unknown as FlowDefinition;
}

test('the true branch stays left of the false branch when either grows', async () => {
  for (const [t, f, last] of [
    [1, 1, false],
    [2, 1, false],
    [1, 2, false],
    [3, 1, true],
    [1, 4, false],
    [5, 2, true],
  ] as const) {
    const r = await layout(ifFlow(t, f, last));
    assert.ok(centre(r, 't0') < centre(r, 'f0'), `true left of false with arms ${t}/${f}`);
    const tx = r.ports.get('cond')!.outputs[0]!;
    assert.equal(tx.port, 'true');
    assert.ok(tx.x < r.ports.get('cond')!.outputs[1]!.x);
  }
});

test('adding a node to one arm moves nothing in the other arm sideways', async () => {
  const before = await layout(ifFlow(2, 2));
  const after = await layout(ifFlow(3, 2, true));
  // The untouched arm may shift as a whole (the picture re-centres) but keeps its side and shape.
  const shift = centre(after, 'f0') - centre(before, 'f0');
  assert.equal(centre(after, 'f1') - centre(before, 'f1'), shift);
  assert.ok(centre(after, 't0') < centre(after, 'f0'));
  assert.ok(centre(after, 't2') < centre(after, 'f1'));
});

test('switch branches keep their port order left to right', async () => {
  const flow = {
    format: 'millrace.flow/v1',
    id: 's',
    nodes: [
      { id: 'sw', type: 'switch', cases: ['a', 'b', 'c'].map((port) => ({ port, when: 'true' })) },
      { id: 'zz', type: 'log' },
      { id: 'yy', type: 'log' },
      { id: 'xx', type: 'log' },
      { id: 'dd', type: 'log' },
    ],
    edges: [
      { from: 'sw', port: 'default', to: 'dd' },
      { from: 'sw', port: 'c', to: 'xx' },
      { from: 'sw', port: 'b', to: 'yy' },
      { from: 'sw', port: 'a', to: 'zz' },
    ],
  };
  const r = await layout(flow);
  const xs = ['zz', 'yy', 'xx', 'dd'].map((id) => centre(r, id));
  assert.deepEqual(
    [...xs].sort((p, q) => p - q),
    xs,
  );
});

test('a cache hit needs no ELK at all', async () => {
  const cache = createLayoutCache();
  let calls = 0;
  const counting = (g: ElkNode): Promise<ElkNode> => {
    calls++;
    return elk.layout(g);
  };
  const first = await layoutFlow(everyKindFlow(), undefined, counting, cache);
  const renamed = structuredClone(everyKindFlow()) as unknown as { name: string };
  renamed.name = 'Another name';
  const second = await layoutFlow(renamed, undefined, counting, cache);
  assert.equal(calls, 1);
  assert.equal(second, first);
});
