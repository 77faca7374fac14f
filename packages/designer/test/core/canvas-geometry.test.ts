import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowNode } from '@millrace/engine';
import {
  arrowHeadPath,
  clipText,
  edgePath,
  indexFlow,
  inputSummary,
  triggerSummary,
  trimEnd,
  trimStart,
  viewportTransform,
} from '../../src/core/canvas-geometry.ts';

test('edgePath joins the polyline points with M and L commands', () => {
  const d = edgePath([
    { x: 10, y: 0 },
    { x: 10, y: 20.123 },
    { x: 40, y: 20.123 },
  ]);
  assert.equal(d, 'M10 0 L10 20.12 L40 20.12');
});

test('edgePath is empty for fewer than two points', () => {
  assert.equal(edgePath([{ x: 1, y: 1 }]), '');
});

test('arrowHeadPath points along the last segment with its tip on the last point', () => {
  const down = arrowHeadPath(
    [
      { x: 0, y: 0 },
      { x: 0, y: 100 },
    ],
    8,
  );
  assert.equal(down, 'M0 100 L-4 92 L4 92 Z');
  const right = arrowHeadPath(
    [
      { x: 0, y: 0 },
      { x: 50, y: 0 },
    ],
    8,
  );
  assert.equal(right, 'M50 0 L42 4 L42 -4 Z');
});

test('clipText ends a long text with an ellipsis within the limit', () => {
  assert.equal(clipText('short', 10), 'short');
  assert.equal(clipText('a very long name', 8), 'a very …');
  assert.equal(clipText('a very long name', 8).length, 8);
});

test('inputSummary shows the first input field as key: value on one line', () => {
  const node = { id: 'a', type: 'http', input: { url: 'https://x', method: 'GET' } } as FlowNode;
  assert.equal(inputSummary(node), 'url: https://x');
  const multi = { id: 'b', type: 'log', input: { message: 'a\n  b' } } as FlowNode;
  assert.equal(inputSummary(multi), 'message: a b');
  assert.equal(
    inputSummary({ id: 'c', type: 'approval', input: { approvers: ['f'] } } as FlowNode),
    'approvers: ["f"]',
  );
  assert.equal(inputSummary({ id: 'd', type: 'log' } as FlowNode), '');
});

test('triggerSummary shows the schedule, path or event, else the kind', () => {
  assert.equal(triggerSummary({ id: 'n', kind: 'schedule', cron: '0 2 * * *' }), '0 2 * * *');
  assert.equal(triggerSummary({ id: 'h', kind: 'webhook', path: 'in' }), 'in');
  assert.equal(triggerSummary({ id: 'm', kind: 'manual' }), 'manual');
});

test('indexFlow finds nested nodes, try regions, onFailure and triggers', () => {
  const byId = indexFlow({
    triggers: [{ id: 'go', kind: 'manual' }],
    nodes: [
      {
        id: 't',
        type: 'try',
        nodes: [{ id: 'body', type: 'log' }],
        catch: { nodes: [{ id: 'c', type: 'log' }] },
        finally: { nodes: [{ id: 'f', type: 'log' }] },
      } as FlowNode,
    ],
    onFailure: { nodes: [{ id: 'alert', type: 'log' } as FlowNode] },
  });
  assert.deepEqual([...byId.keys()].sort(), ['alert', 'body', 'c', 'f', 't', 'trigger:go']);
});

test('viewportTransform writes translate then scale', () => {
  assert.equal(
    viewportTransform({ x: 10.456, y: -3, zoom: 0.5 }),
    'translate(10.46 -3) scale(0.5)',
  );
});

test('trimEnd moves the last point back along the last segment', () => {
  const points = [
    { x: 0, y: 0 },
    { x: 0, y: 50 },
    { x: 40, y: 50 },
  ];
  assert.deepEqual(trimEnd(points, 5), [
    { x: 0, y: 0 },
    { x: 0, y: 50 },
    { x: 35, y: 50 },
  ]);
  assert.deepEqual(trimEnd(points, 100).at(-1), { x: 0, y: 50 }, 'never past the previous point');
  assert.deepEqual(trimEnd(points, 0), points);
  assert.deepEqual(trimEnd([{ x: 1, y: 1 }], 5), [{ x: 1, y: 1 }]);
});

test('trimStart moves the first point forward along the first segment', () => {
  const points = [
    { x: 0, y: 0 },
    { x: 0, y: 50 },
  ];
  assert.deepEqual(trimStart(points, 5), [
    { x: 0, y: 5 },
    { x: 0, y: 50 },
  ]);
});
