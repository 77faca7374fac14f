import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowDefinition, NodeRecord } from '@millrace/engine';
import { compileFlow } from '../../../src/runtime/compile-flow.ts';
import {
  compensationOrder,
  nodeOfPath,
} from '../../../src/runtime/decisions/compensation-order.ts';

const flow = compileFlow({
  format: 'millrace.flow/v1',
  id: 'trip',
  nodes: [
    { id: 'flight', type: 'transform', compensate: { type: 'cancelFlight' } },
    { id: 'hotel', type: 'transform', compensate: { type: 'cancelHotel' } },
    { id: 'note', type: 'transform' },
    {
      id: 'each',
      type: 'forEach',
      input: { items: '$<flow.input.cars>' },
      nodes: [{ id: 'car', type: 'transform', compensate: { type: 'cancelCar' } }],
    },
  ],
} as FlowDefinition);

const done = (path: string, finishedSeq: number, status: NodeRecord['status'] = 'succeeded') =>
  ({ path, status, attempt: 1, finishedSeq }) as NodeRecord;

test('a recorded path belongs to its last segment’s node, inside loops too', () => {
  assert.equal(nodeOfPath(flow, 'each[3]/car')?.id, 'car');
  assert.equal(nodeOfPath(flow, 'flight')?.id, 'flight');
  assert.equal(nodeOfPath(flow, 'gone'), undefined);
});

test('succeeded nodes with a compensate action are undone latest first', () => {
  const order = compensationOrder(flow, [
    done('flight', 3),
    done('note', 4),
    done('hotel', 5),
    done('each[0]/car', 8),
    done('each[1]/car', 7, 'failed'),
  ]);
  assert.deepEqual(
    order.map((r) => r.path),
    ['each[0]/car', 'hotel', 'flight'],
  );
});

test('compensation records themselves are not compensated', () => {
  assert.deepEqual(compensationOrder(flow, [done('flight#compensate', 9)]), []);
});
