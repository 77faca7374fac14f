import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overlayOf, runFromEvents } from '../../src/core/run-overlay.ts';
import {
  loopIterationsOf,
  loopSegments,
  resolvedChoice,
  stepIteration,
} from '../../src/core/iteration-choice.ts';
import { mixedFlow, nestedFlow, recorder } from './recorded-runs.ts';

test('loopSegments lists the loops around a node, outermost first', () => {
  assert.deepEqual(loopSegments('outer[1]/inner[3]/cell'), {
    nodeId: 'cell',
    loops: [
      ['outer', 1],
      ['inner', 3],
    ],
  });
  assert.deepEqual(loopSegments('x'), { nodeId: 'x', loops: [] });
  // Loop ids that look like numbers keep their order (object keys would not).
  assert.deepEqual(loopSegments('b[0]/2[1]/x').loops, [
    ['b', 0],
    ['2', 1],
  ]);
});

test('a loop offers the iterations it has records in; the latest is shown by default', async () => {
  const run = runFromEvents(await recorder().run(mixedFlow(), { approveAfterMs: 10 }))!;
  const loops = loopIterationsOf(run);
  assert.deepEqual([...loops.keys()], ['each']);
  assert.deepEqual(loops.get('each'), { loopId: 'each', iterations: [0, 1, 2], current: 2 });
  assert.equal(loopIterationsOf(run, { each: 0 }).get('each')?.current, 0);
  // An iteration without records falls back to the latest.
  assert.equal(loopIterationsOf(run, { each: 9 }).get('each')?.current, 2);
});

test('nested loops: the inner loop offers the iterations inside the chosen outer one', async () => {
  const run = runFromEvents(await recorder().run(nestedFlow()))!;
  const latest = loopIterationsOf(run);
  assert.deepEqual(latest.get('outer'), { loopId: 'outer', iterations: [0, 1], current: 1 });
  assert.deepEqual(latest.get('inner'), { loopId: 'inner', iterations: [0, 1], current: 1 });
  const first = loopIterationsOf(run, { outer: 0 });
  assert.deepEqual(first.get('inner'), { loopId: 'inner', iterations: [0, 1, 2], current: 2 });
  // The inner choice is kept while it exists in the outer iteration chosen.
  const picked = loopIterationsOf(run, { outer: 0, inner: 0 });
  assert.equal(picked.get('inner')?.current, 0);
  assert.equal(loopIterationsOf(run, { outer: 1, inner: 2 }).get('inner')?.current, 1);
});

test('the resolved choice drives the overlay of nested loops', async () => {
  const run = runFromEvents(await recorder().run(nestedFlow()))!;
  const show = (choice: Record<string, number>) =>
    overlayOf(run, resolvedChoice(loopIterationsOf(run, choice))).get('cell')?.view?.output;
  assert.deepEqual(show({}), { v: 50 });
  assert.deepEqual(show({ outer: 0 }), { v: 30 });
  assert.deepEqual(show({ outer: 0, inner: 1 }), { v: 20 });
  assert.deepEqual(show({ inner: 0 }), { v: 40 });
});

test('stepping moves by one and stops at either end', () => {
  const loop = { loopId: 'each', iterations: [0, 1, 2, 5], current: 1 };
  assert.equal(stepIteration(loop, 'next'), 2);
  assert.equal(stepIteration(loop, 'previous'), 0);
  assert.equal(stepIteration(loop, 'first'), 0);
  assert.equal(stepIteration(loop, 'last'), 5);
  assert.equal(stepIteration({ ...loop, current: 5 }, 'next'), 5);
  assert.equal(stepIteration({ ...loop, current: 0 }, 'previous'), 0);
});
