import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { finishLayout, prepareLayout } from '../../src/core/layout-flow.ts';
import { partKey } from '../../src/core/layout-cache.ts';
import {
  createPartCache,
  joinElkGraphs,
  layoutInParts,
  splitElkGraph,
} from '../../src/core/layout-split.ts';
import { serializeLayoutResult } from '../../src/core/layout-cache.ts';
import { warmUpFlow } from '../../src/core/layout-warm-up.ts';
import { generateFlow } from '../../bench/layout-flows.ts';
import { branchFlow, everyKindFlow } from '../layout/layout-fixtures.ts';

const elk = new ELK();
const run = (graph: ElkNode): Promise<ElkNode> => elk.layout(structuredClone(graph));

/** Top-level ids of a part. */
const idsOf = (part: ElkNode): string[] => (part.children ?? []).map((c) => c.id);

/** The flow with a new card `extra` inserted after the chain node `id`. */
function insertAfter(flow: unknown, id: string): unknown {
  const edited = structuredClone(flow) as {
    nodes: Record<string, unknown>[];
    edges: { from: string; to: string }[];
  };
  const at = edited.edges.findIndex((e) => e.from === id);
  const next = edited.edges[at]!.to;
  edited.edges[at]!.to = 'extra';
  edited.edges.push({ from: 'extra', to: next });
  edited.nodes.push({ id: 'extra', type: 'log' });
  return edited;
}

describe('splitting a layout graph', () => {
  it('leaves small flows, and flows without a cut node, whole', () => {
    assert.equal(splitElkGraph(prepareLayout(branchFlow()).graph.elk), undefined);
    assert.equal(splitElkGraph(prepareLayout(everyKindFlow()).graph.elk), undefined);
    // Two parallel chains from one trigger: no node that every path passes through.
    const nodes = Array.from({ length: 120 }, (_, i) => ({ id: `n${i}`, type: 'log' }));
    const edges = nodes.slice(2).map((n, i) => ({ from: nodes[i]!.id, to: n.id }));
    const flow = { format: 'millrace.flow/v1', id: 'two', nodes, edges };
    assert.equal(splitElkGraph(prepareLayout(flow).graph.elk), undefined);
  });

  it('cuts a block-structured flow into consecutive parts that share their cut nodes', () => {
    const { graph } = prepareLayout(generateFlow(400));
    const parts = splitElkGraph(graph.elk)!;
    assert.ok(parts.length >= 4, `${parts.length} parts`);
    const top = idsOf(graph.elk);
    const seen = parts.flatMap(idsOf);
    // Every node is in one part; each cut node opens the next part as well.
    assert.deepEqual([...new Set(seen)].sort(), [...top].sort());
    assert.equal(seen.length, top.length + parts.length - 1);
    for (let p = 1; p < parts.length; p++) {
      const cut = idsOf(parts[p]!)[0]!;
      assert.ok(idsOf(parts[p - 1]!).includes(cut), `part ${p} starts at ${cut}`);
      assert.equal(parts[p]!.children![0]!.children, undefined, 'cut nodes are cards');
    }
    // Every edge in exactly one part.
    const edgeIds = parts.flatMap((p) => (p.edges ?? []).map((e) => e.id));
    assert.deepEqual([...edgeIds].sort(), (graph.elk.edges ?? []).map((e) => e.id).sort());
    // Triggers open the first part; parts keep the root's options.
    assert.ok(idsOf(parts[0]!)[0]!.startsWith('trigger:'));
    for (const p of parts) assert.deepEqual(p.layoutOptions, graph.elk.layoutOptions);
  });

  it('puts the onFailure region in the last part', () => {
    const flow = generateFlow(200) as unknown as Record<string, unknown>;
    flow['onFailure'] = { nodes: [{ id: 'alert', type: 'log', input: { message: 'x' } }] };
    const parts = splitElkGraph(prepareLayout(flow).graph.elk)!;
    assert.ok(idsOf(parts[parts.length - 1]!).includes('#onFailure'));
    assert.equal(parts.slice(0, -1).flatMap(idsOf).includes('#onFailure'), false);
  });

  for (const [name, flow] of [
    ['a 300-node chain of if-blocks, loops and try blocks', generateFlow(300)],
    ['a 160-node flow with switches', warmUpFlow(160)],
  ] as const) {
    it(`gives exactly the picture of the whole for ${name}`, async () => {
      const { graph } = prepareLayout(flow);
      const parts = splitElkGraph(graph.elk)!;
      assert.ok(parts.length > 1);
      const whole = finishLayout(await run(graph.elk), graph);
      const joined = finishLayout(
        joinElkGraphs(graph.elk, await Promise.all(parts.map(run))),
        graph,
      );
      assert.deepEqual(serializeLayoutResult(joined), serializeLayoutResult(whole));
    });
  }

  it('keeps part boundaries where an edit did not touch (content-defined cuts)', () => {
    const flow = generateFlow(600);
    const before = splitElkGraph(prepareLayout(flow).graph.elk)!.map(partKey);
    const edited = insertAfter(flow, 'n300');
    const after = splitElkGraph(prepareLayout(edited).graph.elk)!.map(partKey);
    const kept = after.filter((k) => before.includes(k)).length;
    assert.ok(kept >= before.length - 2, `${kept} of ${before.length} parts kept`);
    assert.ok(kept < after.length, 'the edited part changed');
  });

  it('keys a part by its content: a copy has the same key, any changed field another', () => {
    const part = splitElkGraph(prepareLayout(generateFlow(200)).graph.elk)![1]!;
    const copy = structuredClone(part);
    assert.equal(partKey(copy), partKey(part));
    const wider = structuredClone(part);
    const card = wider.children!.find((c) => !c.children)!;
    card.width = (card.width ?? 0) + 1;
    assert.notEqual(partKey(wider), partKey(part));
    const relabelled = structuredClone(part);
    relabelled.edges![0]!.labels = [{ text: 'x', width: 8, height: 12 }];
    assert.notEqual(partKey(relabelled), partKey(part));
    const holder = splitElkGraph(prepareLayout(generateFlow(200)).graph.elk)!.find((p) =>
      p.children!.some((c) => (c.children ?? []).length > 0),
    )!;
    const nested = structuredClone(holder);
    const box = nested.children!.find((c) => (c.children ?? []).length > 0)!;
    box.children![0]!.height = (box.children![0]!.height ?? 0) + 1;
    assert.notEqual(partKey(nested), partKey(holder), 'a change inside a container');
  });

  it('answers unchanged parts from the part cache and runs ELK for the changed one only', async () => {
    const cache = createPartCache();
    let calls = 0;
    const counting = (g: ElkNode): Promise<ElkNode> => {
      calls++;
      return run(g);
    };
    const flow = generateFlow(300);
    const { graph } = prepareLayout(flow);
    await layoutInParts(graph.elk, counting, cache);
    const first = calls;
    assert.equal(cache.size, first);
    const edited = insertAfter(flow, 'n150');
    calls = 0;
    await layoutInParts(prepareLayout(edited).graph.elk, counting, cache);
    assert.ok(calls >= 1 && calls < first, `${calls} of ${first} parts re-laid out`);
  });
});
