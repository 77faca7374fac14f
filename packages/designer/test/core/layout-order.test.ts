import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexFlow } from '@millrace/engine';
import { modelOrder } from '../../src/core/layout-order.ts';

const portRank = (port?: string): number => ['true', 'false'].indexOf(port ?? 'true');

test('nodes come depth-first from the roots, first port first', () => {
  const { main } = indexFlow({
    format: 'millrace.flow/v1',
    id: 'f',
    nodes: ['join', 'f1', 't2', 't1', 'c'].map((id) => ({ id, type: 'log' })),
    edges: [
      { from: 'c', port: 'false', to: 'f1' },
      { from: 'c', port: 'true', to: 't1' },
      { from: 't1', to: 't2' },
      { from: 't2', to: 'join' },
      { from: 'f1', to: 'join' },
    ],
  });
  const order = modelOrder(main, (_from, port) => portRank(port)).map((n) => n.id);
  assert.deepEqual(order, ['c', 't1', 't2', 'join', 'f1']);
});

test('nodes on a cycle follow in declaration order, each once', () => {
  const { main } = indexFlow({
    format: 'millrace.flow/v1',
    id: 'f',
    nodes: ['a', 'b', 'lone'].map((id) => ({ id, type: 'log' })),
    edges: [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'a' },
    ],
  });
  assert.deepEqual(
    modelOrder(main, () => 0).map((n) => n.id),
    ['lone', 'a', 'b'],
  );
});
