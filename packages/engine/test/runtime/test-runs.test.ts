import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { foldEvents, toRunView, type FlowDefinition } from '@millrace/engine';
import { drain, flow, harness, node, ofType, recorder, rejection, snapshot } from './helpers.ts';

// Test runs (mocks, pinned outputs), rerun from a node, and replay of a log prefix.

/** fetch -> check (if) -> notify (on true); fetch and notify are host actions. */
function pipeline(): FlowDefinition {
  return flow(
    [
      { id: 'fetch', type: 'fetch', input: { id: '$<flow.input.id>' } },
      { id: 'vars', type: 'setVars', input: { total: '$<nodes.fetch.output.amount * 2>' } },
      { id: 'check', type: 'if', input: { condition: '$<vars.total > 100>' } },
      { id: 'notify', type: 'notify', input: { text: 'big: $<vars.total>' } },
    ],
    [
      { from: 'fetch', to: 'vars' },
      { from: 'vars', to: 'check' },
      { from: 'check', port: 'true', to: 'notify' },
    ],
    { output: '$<nodes.notify.output>' },
  );
}

function setup() {
  const fetch = recorder('fetch', (input) => ({ id: (input as { id: string }).id, amount: 80 }));
  const notify = recorder('notify', (input) => ({ sent: (input as { text: string }).text }));
  const h = harness({ actions: [fetch, notify] });
  return { h, fetch, notify };
}

async function run(h: ReturnType<typeof setup>['h'], input: unknown, opts = {}) {
  const handle = await h.engine.start('f', input, opts);
  const result = handle.result().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await drain(h.clock);
  return { id: handle.id, result: await result, ...(await snapshot(h, handle.id)) };
}

describe('test runs: mocks and pinned outputs', () => {
  test('a mocked node is not executed; its given output is used and marked mocked', async () => {
    const { h, fetch, notify } = setup();
    await h.engine.deploy(pipeline());
    const r = await run(
      h,
      { id: 'x' },
      { mocks: { fetch: { amount: 7 }, notify: { sent: 'fake' } } },
    );
    assert.equal(fetch.calls.length, 0);
    assert.equal(notify.calls.length, 0);
    assert.equal(node(r.view, 'fetch').replaced, 'mocked');
    assert.deepEqual(node(r.view, 'fetch').output, { amount: 7 });
    // 7 * 2 is not > 100: notify is skipped, the flow's output reads it as null.
    assert.equal(node(r.view, 'notify').status, 'skipped');
    const succeeded = ofType(r.events, 'NodeSucceeded').find((e) => e.path === 'fetch')!;
    assert.equal(succeeded.mocked, true);
    assert.deepEqual(r.view.testNodes, ['fetch', 'notify']);
  });

  test('pinned outputs replace execution too, marked pinned; a mock wins over a pin', async () => {
    const { h, fetch, notify } = setup();
    await h.engine.deploy(pipeline());
    const r = await run(
      h,
      { id: 'x' },
      {
        pinned: { fetch: { amount: 500 }, notify: { sent: 'pinned' } },
        mocks: { notify: { sent: 'mock' } },
      },
    );
    assert.equal(fetch.calls.length, 0);
    assert.equal(notify.calls.length, 0);
    assert.deepEqual(r.result, { value: { sent: 'mock' } });
    assert.equal(node(r.view, 'fetch').replaced, 'pinned');
    assert.equal(node(r.view, 'notify').replaced, 'mocked');
    assert.equal(ofType(r.events, 'NodeSucceeded').find((e) => e.path === 'fetch')?.pinned, true);
  });

  test('mocks are recorded in RunCreated, so a recovered run keeps them', async () => {
    const { h } = setup();
    await h.engine.deploy(pipeline());
    const r = await run(h, { id: 'x' }, { mocks: { fetch: { amount: 90 } } });
    const created = r.events[0]!;
    assert.equal(created.type, 'RunCreated');
    assert.deepEqual((created as { overrides?: unknown }).overrides, {
      fetch: { kind: 'mocked', output: { amount: 90 } },
    });
  });

  test('unknown node ids and branching nodes are refused with a pointer, nothing stored', async () => {
    const { h } = setup();
    await h.engine.deploy(pipeline());
    const unknown = await rejection(h.engine.start('f', {}, { mocks: { nope: 1 } }));
    assert.equal(unknown['code'], 'E_INVALID_ARGUMENT');
    assert.equal(unknown['path'], '/mocks/nope');
    const branching = await rejection(h.engine.start('f', {}, { pinned: { check: true } }));
    assert.equal(branching['code'], 'E_INVALID_ARGUMENT');
    assert.equal(branching['path'], '/pinned/check');
    assert.equal((await h.engine.listRuns()).length, 0);
  });
});

describe('rerun from a node', () => {
  test('reuses the recorded outputs upstream of fromNode (marked reused) and executes from there', async () => {
    const { h, fetch, notify } = setup();
    await h.engine.deploy(pipeline());
    const first = await run(h, { id: 'big' }, { mocks: { fetch: { amount: 300 } } });
    assert.deepEqual(first.result, { value: { sent: 'big: 600' } });
    assert.equal(notify.calls.length, 1);

    const handle = await h.engine.rerun(first.id, { fromNode: 'notify' });
    const result = handle.result();
    await drain(h.clock);
    assert.deepEqual(await result, { sent: 'big: 600' });
    const { view, events } = await snapshot(h, handle.id);
    assert.equal(fetch.calls.length, 0);
    assert.equal(notify.calls.length, 2, 'notify ran again');
    assert.equal(node(view, 'fetch').replaced, 'reused');
    assert.equal(node(view, 'vars').replaced, 'reused');
    // The reused if keeps its branch; the reused setVars its variables.
    assert.equal(node(view, 'check').port, 'true');
    assert.deepEqual(view.vars, { total: 600 });
    assert.equal(node(view, 'notify').replaced, undefined);
    assert.deepEqual(view.rerunOf, { runId: first.id, fromNode: 'notify' });
    assert.equal(view.flowVersion, first.view.flowVersion);
    assert.deepEqual(view.input, { id: 'big' });
    assert.equal(ofType(events, 'NodeSucceeded').find((e) => e.path === 'fetch')?.reused, true);
  });

  test('rerun from the first node executes everything again', async () => {
    const { h, fetch } = setup();
    await h.engine.deploy(pipeline());
    const first = await run(h, { id: 'a' });
    const handle = await h.engine.rerun(first.id, { fromNode: 'fetch' });
    await drain(h.clock);
    assert.equal(fetch.calls.length, 2);
    const { view } = await snapshot(h, handle.id);
    assert.equal(node(view, 'fetch').replaced, undefined);
  });

  test('bad arguments: unknown run, unknown node, a node inside a container', async () => {
    const { h } = setup();
    await h.engine.deploy(
      flow([
        {
          id: 'loop',
          type: 'forEach',
          input: { items: [1] },
          nodes: [{ id: 'inner', type: 'log', input: { message: 'x' } }],
          edges: [],
        },
      ] as never),
    );
    const r = await run(h, {});
    assert.equal(
      (await rejection(h.engine.rerun('ghost', { fromNode: 'loop' })))['code'],
      'E_RUN_NOT_FOUND',
    );
    const unknown = await rejection(h.engine.rerun(r.id, { fromNode: 'nope' }));
    assert.equal(unknown['code'], 'E_INVALID_ARGUMENT');
    assert.equal(unknown['path'], '/fromNode');
    const nested = await rejection(h.engine.rerun(r.id, { fromNode: 'inner' }));
    assert.equal(nested['code'], 'E_INVALID_ARGUMENT');
    assert.match(String(nested['message']), /rerun from "loop"/);
  });
});

describe('replay of a log prefix', () => {
  test('the state after every prefix equals the fold of that prefix; the whole log is the run', async () => {
    const { h } = setup();
    await h.engine.deploy(pipeline());
    const r = await run(h, { id: 'x' });
    for (let k = 1; k <= r.events.length; k++) {
      const view = await h.engine.replay(r.id, { untilSeq: k });
      assert.equal(view.lastSeq, k);
      assert.deepEqual(view, toRunView(foldEvents(r.events.slice(0, k))!));
    }
    assert.deepEqual(await h.engine.replay(r.id), r.view);
    const first = await h.engine.replay(r.id, { untilSeq: 1 });
    assert.equal(first.status, 'running');
    assert.deepEqual(first.nodes, []);
  });

  test('bad untilSeq and unknown runs get typed errors', async () => {
    const { h } = setup();
    await h.engine.deploy(pipeline());
    const r = await run(h, { id: 'x' });
    const bad = await rejection(h.engine.replay(r.id, { untilSeq: 0 }));
    assert.equal(bad['code'], 'E_INVALID_ARGUMENT');
    assert.equal(bad['path'], '/untilSeq');
    assert.equal((await rejection(h.engine.replay('ghost')))['code'], 'E_RUN_NOT_FOUND');
  });
});
