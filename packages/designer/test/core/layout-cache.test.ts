import { test } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { FlowDefinition } from '@millrace/engine';
import {
  LAYOUT_CACHE_FORMAT,
  LAYOUT_VERSION,
  createLayoutCache,
  deserializeLayoutResult,
  serializeLayoutResult,
} from '../../src/core/layout-cache.ts';
import { layoutKey } from '../../src/core/layout-key.ts';
import { buildLayoutGraph } from '../../src/core/layout-graph.ts';
import { finishLayout } from '../../src/core/layout-flow.ts';
import type { LayoutResult } from '../../src/core/layout-result.ts';
import { branchFlow, everyKindFlow } from '../layout/layout-fixtures.ts';

const keyOf = (flow: unknown, catalog?: Parameters<typeof buildLayoutGraph>[1]): string =>
  layoutKey(flow, catalog);

type Mutable = { -readonly [K in keyof FlowDefinition]: unknown } & {
  nodes: Record<string, unknown>[];
  edges: Record<string, unknown>[];
};
const edit = (fn: (f: Mutable) => void): FlowDefinition => {
  const f = structuredClone(branchFlow()) as unknown as Mutable;
  fn(f);
  return f as unknown as FlowDefinition;
};

test('the same structure gives the same key', () => {
  assert.equal(keyOf(branchFlow()), keyOf(branchFlow()));
  assert.equal(keyOf(everyKindFlow()), keyOf(structuredClone(everyKindFlow())));
  assert.match(keyOf(branchFlow()), new RegExp(`^v${LAYOUT_VERSION}:[0-9a-f]{28}:`));
});

test('renaming, describing or editing inputs keeps the key', () => {
  const base = keyOf(branchFlow());
  assert.equal(
    keyOf(edit((f) => (f.nodes[0]!['name'] = 'Fetch the expenses from the ledger'))),
    base,
  );
  assert.equal(keyOf(edit((f) => (f.nodes[0]!['description'] = 'Calls the ledger'))), base);
  assert.equal(
    keyOf(edit((f) => (f.nodes[0]!['input'] = { url: 'https://elsewhere.example' }))),
    base,
  );
  assert.equal(keyOf(edit((f) => (f.nodes[0]!['retry'] = { maxAttempts: 3 }))), base);
  assert.equal(keyOf(edit((f) => (f.name = 'Renamed flow'))), base);
  assert.equal(keyOf(edit((f) => (f.nodes[0]!['ui'] = { color: 'red' }))), base);
});

test('structural edits change the key', () => {
  const base = keyOf(branchFlow());
  const changed = [
    edit((f) => f.nodes.push({ id: 'extra', type: 'log' })),
    edit((f) => f.edges.pop()),
    edit((f) => (f.edges[1]!['port'] = 'false')),
    edit((f) => (f.edges[3]!['label'] = 'then')),
    edit((f) => (f.nodes[0]!['type'] = 'log')),
    edit((f) => (f.nodes[0]!['ui'] = { pinned: true, position: { x: 1, y: 2 } })),
    edit((f) => (f.triggers = [])),
    edit((f) => (f.nodes[1] = { id: 'check', type: 'switch', cases: [{ port: 'a', when: 'x' }] })),
    edit((f) => (f.nodes[4] = { id: 'join', type: 'group', nodes: [] })),
  ];
  const keys = changed.map((f) => keyOf(f));
  for (const key of keys) assert.notEqual(key, base);
  assert.equal(new Set(keys).size, keys.length);
});

test('flows with the same key build the same ELK graph', () => {
  // The key stands in for the graph (a recorded layout is checked against it without building
  // the graph): over many variants, equal keys must mean equal graphs, in both fixtures.
  const variants: { flow: FlowDefinition; catalog?: Parameters<typeof buildLayoutGraph>[1] }[] = [];
  const every = everyKindFlow() as unknown as Mutable;
  for (const base of [branchFlow() as unknown as Mutable, every]) {
    const mutate = (fn: (f: Mutable) => void): void => {
      const f = structuredClone(base);
      fn(f);
      variants.push({ flow: f as unknown as FlowDefinition });
    };
    mutate(() => undefined);
    mutate((f) => (f.name = 'Other'));
    mutate((f) => f.nodes.forEach((n, i) => (n['name'] = `Step number ${i}`)));
    mutate((f) => f.nodes.forEach((n) => (n['input'] = { changed: true })));
    mutate((f) => f.nodes.reverse());
    mutate((f) => f.edges.reverse());
    mutate((f) => (f.nodes[0]!['ui'] = { collapsed: true }));
    mutate((f) => (f.nodes[0]!['ui'] = { pinned: true, position: { x: 10, y: 20 } }));
    mutate((f) => (f.nodes[0]!['ui'] = { pinned: true, position: { x: 10, y: 21 } }));
    mutate((f) => (f.nodes[1]!['type'] = 'crm.lookup'));
    mutate((f) => (f.edges[0]!['label'] = 'first'));
    mutate((f) => (f.edges[0]!['port'] = 'error'));
    mutate((f) => f.nodes.splice(1, 1));
    mutate((f) => ((f as { triggers: unknown[] }).triggers = []));
    for (const n of base.nodes)
      if (Array.isArray(n['nodes']))
        mutate((f) => {
          const c = f.nodes.find((x) => x['id'] === n['id'])!;
          (c['nodes'] as unknown[]).push({ id: `${String(n['id'])}-more`, type: 'log' });
        });
  }
  variants.push({
    flow: variants[9]!.flow,
    catalog: [{ type: 'crm.lookup', title: 'Lookup', ports: ['found', 'missing'] }],
  });
  const graphOf = new Map<string, string>();
  let distinct = 0;
  for (const { flow, catalog } of variants) {
    const key = layoutKey(flow, catalog);
    const graph = JSON.stringify(buildLayoutGraph(flow, catalog).elk);
    const seen = graphOf.get(key);
    if (seen === undefined) {
      graphOf.set(key, graph);
      distinct++;
    } else assert.equal(graph, seen, `two different graphs under the key ${key}`);
  }
  // And the key is not trivially the same for all: the structural variants are told apart.
  assert.ok(distinct >= 20, `only ${distinct} distinct keys`);
});

test('a catalog that gives an action ports changes the key', () => {
  const f = edit((x) => (x.nodes[4]!['type'] = 'crm.lookup'));
  assert.notEqual(keyOf(f), keyOf(f, [{ type: 'crm.lookup', title: 'L', ports: ['a', 'b'] }]));
  assert.equal(keyOf(f), keyOf(f, [{ type: 'crm.lookup', title: 'Another title' }]));
});

const fake = (width: number): LayoutResult => ({
  x: 0,
  y: 0,
  width,
  height: 10,
  nodes: new Map([
    ['a', { id: 'a', x: 1, y: 2, width: 3, height: 4, kind: 'action', type: 'log' }],
  ]),
  edges: [],
  ports: new Map([['a', { input: { x: 2, y: 2 }, outputs: [{ port: 'out', x: 2, y: 6 }] }]]),
});

test('the cache evicts the least recently used entry', () => {
  const cache = createLayoutCache({ maxEntries: 2 });
  cache.set('v1:a', fake(1));
  cache.set('v1:b', fake(2));
  assert.equal(cache.get('v1:a')!.width, 1); // a is now the most recent
  cache.set('v1:c', fake(3));
  assert.equal(cache.has('v1:b'), false);
  assert.equal(cache.has('v1:a'), true);
  assert.equal(cache.has('v1:c'), true);
  assert.equal(cache.size, 2);
  cache.clear();
  assert.equal(cache.size, 0);
});

test('a persisted cache is plain JSON and restores to equal layouts', async () => {
  const elk = new ELK();
  const flow = everyKindFlow();
  const graph = buildLayoutGraph(flow);
  const result = finishLayout(await elk.layout(structuredClone(graph.elk)), graph);
  const cache = createLayoutCache();
  cache.set(layoutKey(flow), result);
  const stored = JSON.parse(JSON.stringify(cache.persist())) as unknown;
  const restored = createLayoutCache({ persisted: stored });
  // Restored entries know the structure they were computed for.
  assert.deepEqual(restored.get(layoutKey(flow)), { ...result, key: layoutKey(flow) });
  assert.deepEqual(deserializeLayoutResult(serializeLayoutResult(result)), result);
});

test('a persisted cache of another format or layout version is ignored', () => {
  assert.equal(createLayoutCache({ persisted: { format: 'other', entries: [] } }).size, 0);
  assert.equal(createLayoutCache({ persisted: 'garbage' }).size, 0);
  const old = {
    format: LAYOUT_CACHE_FORMAT,
    entries: [
      [`v${LAYOUT_VERSION - 1}:abc`, serializeLayoutResult(fake(1))],
      [`v${LAYOUT_VERSION}:abc`, serializeLayoutResult(fake(2))],
      [`v${LAYOUT_VERSION}:bad`, { nodes: 'no' }],
    ],
  };
  const cache = createLayoutCache({ persisted: old });
  assert.equal(cache.size, 1);
  assert.equal(cache.get(`v${LAYOUT_VERSION}:abc`)!.width, 2);
});
