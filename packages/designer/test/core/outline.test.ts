import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowDefinition } from '@millrace/engine';
import { outlineOf, type OutlineItem } from '../../src/core/outline.ts';

const flow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'o',
  nodes: [
    { id: 'last', type: 'log', name: 'Notify', input: { message: 'x' } },
    {
      id: 't',
      type: 'try',
      nodes: [{ id: 'risky', type: 'http', input: { url: 'u' } }],
      catch: { nodes: [{ id: 'handle', type: 'log', input: { message: 'e' } }] },
    },
    { id: 'first', type: 'transform' },
  ],
  edges: [
    { from: 'first', to: 't' },
    { from: 't', to: 'last' },
  ],
  onFailure: { nodes: [{ id: 'alert', type: 'log', input: { message: 'a' } }] },
};

const flat = (items: readonly OutlineItem[]): string[] =>
  items.flatMap((i) => [`${'  '.repeat(i.level - 1)}${i.label}`, ...flat(i.children)]);

test('lists nodes in execution order with containers, try regions and onFailure', () => {
  assert.deepEqual(flat(outlineOf(flow)), [
    'first',
    't',
    '  try',
    '    risky',
    '  catch',
    '    handle',
    'Notify',
    'On failure',
    '  alert',
  ]);
});

test('levels follow nesting (aria-level)', () => {
  const items = outlineOf(flow);
  assert.equal(items[1]!.children[0]!.children[0]!.level, 3);
  assert.equal(items[1]!.children[1]!.region, 'catch');
});

test('nodes on a cycle are still listed', () => {
  const cyclic = {
    ...flow,
    edges: [
      { from: 'first', to: 'last' },
      { from: 'last', to: 'first' },
    ],
    onFailure: undefined,
  } as unknown as FlowDefinition;
  assert.deepEqual(
    outlineOf(cyclic)
      .map((i) => i.id)
      .sort(),
    ['first', 'last', 't'],
  );
});
