import { test } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import { validateFlow, type FlowDefinition } from '@millrace/engine';
import { layoutFlow, prepareLayout } from '../../src/core/layout-flow.ts';
import { recordLayout, recordedKey, recordedLayout } from '../../src/core/recorded-layout.ts';
import { insertNode } from '../../src/core/node-commands.ts';

const elk = new ELK();
const flow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'r',
  nodes: [
    { id: 'a', type: 'log', input: { message: 'a' } },
    { id: 'b', type: 'log', input: { message: 'b' } },
  ],
  edges: [{ from: 'a', to: 'b' }],
};

test('a recorded layout is read back for the same structure only', async () => {
  const layout = await layoutFlow(flow, undefined, (g) => elk.layout(g));
  const key = prepareLayout(flow).key;
  assert.equal(layout.key, key);
  const r = recordLayout(flow, key, layout);
  assert.equal(r.change.kind, 'layout-recorded');
  assert.equal(recordedKey(r.flow), key);
  // Through JSON, as a host saves it.
  const saved = JSON.parse(JSON.stringify(r.flow)) as FlowDefinition;
  const back = recordedLayout(saved, prepareLayout(saved).key);
  assert.ok(back, 'the recorded key still matches: ui is not part of the structure');
  assert.deepEqual([...back.nodes.values()], [...layout.nodes.values()]);
  assert.deepEqual(back.edges, layout.edges);
  // Renaming keeps the structure; adding a node does not.
  const renamed = { ...saved, nodes: saved.nodes.map((n) => ({ ...n, name: `${n.id}!` })) };
  assert.ok(recordedLayout(renamed, prepareLayout(renamed).key));
  const grown = insertNode(saved, { id: 'c', type: 'log' }, { kind: 'port', from: 'b' }).flow;
  assert.equal(recordedLayout(grown, prepareLayout(grown).key), undefined);
  // The engine's validator accepts it.
  assert.deepEqual(
    validateFlow(saved).filter((d) => d.severity === 'error'),
    [],
  );
});

test('a malformed recorded layout is ignored', () => {
  const key = prepareLayout(flow).key;
  const broken = { ...flow, ui: { layout: { key, nodes: 'x' } } };
  assert.equal(recordedLayout(broken, key), undefined);
  assert.equal(recordedKey({ ...flow, ui: { layout: 'elk' } }), undefined);
});
