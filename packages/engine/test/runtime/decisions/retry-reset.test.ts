import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowDefinition } from '@millrace/engine';
import { compileFlow } from '../../../src/runtime/compile-flow.ts';
import { recordsInside } from '../../../src/runtime/decisions/retry-reset.ts';

const flow = compileFlow({
  format: 'millrace.flow/v1',
  id: 'f',
  nodes: [
    {
      id: 'attempt',
      type: 'try',
      nodes: [{ id: 'call', type: 'transform' }],
      catch: { nodes: [{ id: 'handle', type: 'transform' }] },
    },
    {
      id: 'each',
      type: 'forEach',
      input: { items: '$<flow.input.items>' },
      nodes: [{ id: 'inner', type: 'transform' }],
    },
    { id: 'after', type: 'transform' },
  ],
  edges: [{ from: 'attempt', to: 'after' }],
} as FlowDefinition);

test("a container's retry resets the records of the nodes inside it, not its own or others'", () => {
  const paths = ['attempt', 'call', 'handle', 'after', 'handle#compensate'];
  assert.deepEqual(recordsInside(paths, '', flow.nodes.get('attempt')!, 'attempt'), [
    'call',
    'handle',
    'handle#compensate',
  ]);
});

test("a loop's retry resets its iterations and everything recorded under them", () => {
  const paths = ['each', 'each[0]/inner', 'each[1]/inner', 'each[1]', 'after'];
  assert.deepEqual(recordsInside(paths, '', flow.nodes.get('each')!, 'each'), [
    'each[0]/inner',
    'each[1]/inner',
    'each[1]',
  ]);
});

test('inside a loop iteration, only the records under that iteration’s prefix are reset', () => {
  const paths = ['x[0]/call', 'x[1]/call'];
  assert.deepEqual(recordsInside(paths, 'x[1]/', flow.nodes.get('attempt')!, 'x[1]/attempt'), [
    'x[1]/call',
  ]);
});
