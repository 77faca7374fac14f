import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowDefinition } from '@millrace/engine';
import { eventTriggersOf } from '../../../src/runtime/engine/triggers.ts';

test('a flow lists each enabled event trigger, several on one event included', () => {
  const def = {
    format: 'millrace.flow/v1',
    id: 'f',
    triggers: [
      { id: 'a', kind: 'event', event: 'paid' },
      { id: 'b', kind: 'event', event: 'paid', filter: '$<event.amount > 10>' },
      { id: 'c', kind: 'event', event: 'paid', enabled: false },
      { id: 'm', kind: 'manual' },
    ],
    nodes: [],
  } as FlowDefinition;
  assert.deepEqual(eventTriggersOf(def), [
    { event: 'paid', flowId: 'f', triggerId: 'a' },
    { event: 'paid', flowId: 'f', triggerId: 'b', filter: '$<event.amount > 10>' },
  ]);
});
