import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, createMemoryStore, type FlowDefinition } from '@millrace/engine';

// Durability costs one commit (store append) per effect, not per node: a chain of pure nodes
// (transform, if) between two actions is recorded together with the next effect.
function flow(pure: number): FlowDefinition {
  // first → p0 (transform) → p1 (if, true) → p2 (transform) → … → last
  const nodes: FlowDefinition['nodes'][number][] = [{ id: 'first', type: 'step', input: { v: 1 } }];
  for (let i = 0; i < pure; i++) {
    nodes.push(
      i % 2 === 0
        ? { id: `p${i}`, type: 'transform', input: { x: '$<nodes.first.output.v>' } }
        : { id: `p${i}`, type: 'if', input: { condition: '$<nodes.first.output.v == 1>' } },
    );
  }
  nodes.push({ id: 'last', type: 'step', input: { v: 2 } });
  return {
    format: 'millrace.flow/v1',
    id: `pure${pure}`,
    nodes,
    edges: nodes.slice(1).map((n, i) => ({
      from: nodes[i]!.id,
      to: n.id,
      ...(nodes[i]!.type === 'if' ? { port: 'true' } : {}),
    })),
  };
}

test('a chain of pure nodes between two actions costs no commit of its own', async () => {
  const commits: number[] = [];
  for (const pure of [0, 25]) {
    const store = createMemoryStore();
    let appends = 0;
    const counted = Object.create(store) as typeof store;
    counted.append = (...args) => {
      appends++;
      return store.append(...args);
    };
    const engine = createEngine({
      store: counted,
      actions: [{ type: 'step', title: 'Step', run: (input) => input }],
    });
    await engine.deploy(flow(pure));
    const before = appends;
    const run = await engine.start(`pure${pure}`);
    await run.result();
    assert.equal((await engine.getRun(run.id))?.status, 'succeeded');
    commits.push(appends - before);
    await engine.close();
  }
  assert.equal(commits[1], commits[0], `commits with 0 and 25 pure nodes: ${commits.join(', ')}`);
});

// `start()` answers once the run is stored: a host that acknowledges a start (an HTTP 202, a
// webhook delivery it refuses from then on) never acknowledges a run that a crash could lose.
test('start() resolves only once the run is in the store, and rejects when storing it fails', async () => {
  const store = createMemoryStore();
  let gate: (() => void) | undefined;
  let failNext: Error | undefined;
  const gated = Object.create(store) as typeof store;
  gated.append = async (...args) => {
    if (failNext) {
      const error = failNext;
      failNext = undefined;
      throw error;
    }
    if (gate === undefined) await new Promise<void>((resolve) => (gate = resolve));
    return store.append(...args);
  };
  const engine = createEngine({
    store: gated,
    actions: [{ type: 'step', title: 'Step', run: (input) => input }],
  });
  await engine.deploy(flow(2));
  let answered = false;
  const starting = engine.start('pure2').then((run) => {
    answered = true;
    return run;
  });
  while (gate === undefined) await new Promise((resolve) => setTimeout(resolve, 1));
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(answered, false, 'not answered while its first append is held');
  const release = gate;
  release();
  const run = await starting;
  assert.equal((await store.getSummary(run.id))?.runId, run.id, 'stored when answered');
  assert.equal(((await run.result()) as { v: number }).v, 2);

  failNext = new Error('disk full');
  await assert.rejects(engine.start('pure2'), /disk full/);
  await engine.close();
});
