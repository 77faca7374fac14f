import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowDefinition } from '@millrace/engine';
import { compileFlow } from '../../../src/runtime/compile-flow.ts';
import { createRunAdmission } from '../../../src/runtime/engine/run-admission.ts';

const flow = (maxConcurrentRuns?: number) =>
  compileFlow({
    format: 'millrace.flow/v1',
    id: 'f',
    ...(maxConcurrentRuns === undefined ? {} : { maxConcurrentRuns }),
    nodes: [{ id: 'a', type: 'transform' }],
  } as FlowDefinition);

function queuedRun(runId: string, f = flow(1), started: string[] = []) {
  return { runId, flow: f, dequeue: () => started.push(runId) };
}

test("a flow's own maxConcurrentRuns wins over the engine's", () => {
  const admission = createRunAdmission(5);
  admission.setRunning('f', 'r1', true);
  assert.equal(admission.mustQueue(flow(1)), true);
  assert.equal(admission.mustQueue(flow()), false);
});

test('once a run waits in line, new runs queue behind it even under the limit', () => {
  const admission = createRunAdmission(2);
  admission.enqueue('f', 'r9');
  assert.equal(admission.mustQueue(flow()), true);
});

test('a freed slot starts the next queued run, in arrival order, one at a time', () => {
  const admission = createRunAdmission(undefined);
  const started: string[] = [];
  const runs = new Map(['r2', 'r3'].map((id) => [id, queuedRun(id, flow(1), started)]));
  admission.setRunning('f', 'r1', true);
  admission.enqueue('f', 'r2');
  admission.enqueue('f', 'r3');
  admission.dequeue('f', (id) => runs.get(id));
  assert.deepEqual(started, []);
  admission.setRunning('f', 'r1', false);
  admission.dequeue('f', (id) => runs.get(id));
  assert.deepEqual(started, ['r2']);
});

test('a queued run that is no longer loaded gives up its place', () => {
  const admission = createRunAdmission(1);
  const started: string[] = [];
  const r3 = queuedRun('r3', flow(1), started);
  admission.enqueue('f', 'r2');
  admission.enqueue('f', 'r3');
  admission.dequeue('f', (id) => (id === 'r3' ? r3 : undefined));
  assert.deepEqual(started, ['r3']);
});
