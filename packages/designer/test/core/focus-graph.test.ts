import { test } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import type { FlowDefinition } from '@millrace/engine';
import { layoutFlow } from '../../src/core/layout-flow.ts';
import { nextFocus } from '../../src/core/focus-graph.ts';

const elk = new ELK();
const flow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'nav',
  nodes: [
    { id: 'start', type: 'transform' },
    { id: 'check', type: 'if', input: { condition: '$<flow.input.ok>' } },
    { id: 'yes', type: 'log', input: { message: 'y' } },
    { id: 'no', type: 'log', input: { message: 'n' } },
    {
      id: 'g',
      type: 'group',
      nodes: [
        { id: 'inner1', type: 'transform' },
        { id: 'inner2', type: 'transform' },
      ],
      edges: [{ from: 'inner1', to: 'inner2' }],
    },
  ],
  edges: [
    { from: 'start', to: 'check' },
    { from: 'check', port: 'true', to: 'yes' },
    { from: 'check', port: 'false', to: 'no' },
    { from: 'yes', to: 'g' },
  ],
};

async function layout() {
  return layoutFlow(flow, undefined, (g: ElkNode) => elk.layout(g));
}

test('down follows edges, trying successors left to right', async () => {
  const l = await layout();
  assert.equal(nextFocus(flow, l, 'start', 'down'), 'check');
  const down = nextFocus(flow, l, 'check', 'down');
  const leftmost = l.nodes.get('yes')!.x < l.nodes.get('no')!.x ? 'yes' : 'no';
  assert.equal(down, leftmost);
});

test('up goes to a predecessor; at a body start it leaves the container', async () => {
  const l = await layout();
  assert.equal(nextFocus(flow, l, 'check', 'up'), 'start');
  assert.equal(nextFocus(flow, l, 'inner1', 'up'), 'g');
  assert.equal(nextFocus(flow, l, 'inner2', 'down'), 'g');
  assert.equal(nextFocus(flow, l, 'start', 'up'), undefined);
});

test('left and right move across branches at the same height', async () => {
  const l = await layout();
  const [left, right] =
    l.nodes.get('yes')!.x < l.nodes.get('no')!.x ? ['yes', 'no'] : ['no', 'yes'];
  assert.equal(nextFocus(flow, l, left, 'right'), right);
  assert.equal(nextFocus(flow, l, right, 'left'), left);
  assert.equal(nextFocus(flow, l, left, 'left'), undefined);
});

test('unknown nodes have no neighbours', async () => {
  assert.equal(nextFocus(flow, await layout(), 'ghost', 'down'), undefined);
});
