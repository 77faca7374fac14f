import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createEngine,
  createMemoryStore,
  type ActionDefinition,
  type Engine,
  type FlowDefinition,
  type MemoryStore,
  type RunError,
  type RunEvent,
  type RunView,
} from '@millrace/engine';
import { createCodeRunner } from '@millrace/engine/code';

// Flow scripts: a code node's ctx.action / ctx.subflow, run by the engine, recorded as events of
// the node and replayed (not performed again) when the node's script runs again after a crash.
// The code runs in the real sandbox (QuickJS in a worker_threads worker).

const codeRunner = createCodeRunner({ timeoutMs: 5000 });
after(() => codeRunner.close());

const SCRIPT = `export default async function (input, ctx) {
  const sent = await ctx.action('send', { to: input.to });
  const child = await ctx.subflow('child', { n: input.n });
  ctx.log('done', sent.id);
  return { sent, child };
}`;

const PARENT: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'parent',
  nodes: [
    { id: 'script', type: 'code', code: SCRIPT, input: { to: 'dana', n: '$<flow.input.n>' } },
  ],
  edges: [],
};

const CHILD: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'child',
  nodes: [{ id: 'double', type: 'transform', input: { doubled: '$<flow.input.n * 2>' } }],
  edges: [],
};

/** A `send` action that counts its calls and remembers their idempotency keys. */
function sender() {
  const keys: string[] = [];
  const action: ActionDefinition = {
    type: 'send',
    title: 'Send',
    inputSchema: { type: 'object', required: ['to'] },
    run(input, ctx) {
      keys.push(ctx.idempotencyKey);
      return { id: `msg-${keys.length}`, to: (input as { to: string }).to };
    },
  };
  return { keys, action };
}

async function engineOn(store: MemoryStore, action: ActionDefinition): Promise<Engine> {
  const engine = createEngine({ store, codeRunner, actions: [action] });
  return engine;
}

/** The run's view once it has ended (real time passes: the code runs in a worker). */
async function ended(engine: Engine, runId: string): Promise<RunView> {
  for (let i = 0; i < 1000; i++) {
    const view = await engine.getRun(runId);
    if (view && ['succeeded', 'failed', 'cancelled'].includes(view.status)) return view;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`run ${runId} did not end`);
}

/** Runs the parent flow once, uninterrupted, on a fresh store. */
async function fullRun() {
  const store = createMemoryStore();
  const { keys, action } = sender();
  const engine = await engineOn(store, action);
  await engine.deploy(CHILD);
  await engine.deploy(PARENT);
  const run = await engine.start('parent', { n: 21 });
  const output = await run.result();
  await ended(engine, run.id);
  const events = await store.readEvents(run.id);
  await engine.close();
  return { store, keys, runId: run.id, output, events };
}

function seqOf(events: readonly RunEvent[], match: (e: RunEvent) => boolean): number {
  const found = events.find(match);
  assert.ok(found, 'event not found');
  return found.seq;
}

describe('flow scripts: ctx.action and ctx.subflow in a code node', () => {
  test('the engine runs the action and the child run; each call is an event of the node', async () => {
    const { store, keys, runId, output, events } = await fullRun();
    assert.deepEqual(output, {
      sent: { id: 'msg-1', to: 'dana' },
      child: { doubled: 42 },
    });
    assert.equal(keys.length, 1);
    assert.match(keys[0]!, /\/script\/1\/call-0$/);
    const calls = events.filter(
      (e) => e.type === 'ScriptCallStarted' || e.type === 'ScriptCallFinished',
    );
    assert.deepEqual(
      calls.map((e) => [e.type, (e as { index: number }).index]),
      [
        ['ScriptCallStarted', 0],
        ['ScriptCallFinished', 0],
        ['ScriptCallStarted', 1],
        ['ScriptCallFinished', 1],
      ],
    );
    // The RunView shows the calls on the node; the child is a run of its own, linked to the parent.
    const engine = createEngine({ store, codeRunner });
    const view = (await engine.getRun(runId))!;
    const node = view.nodes.find((n) => n.nodeId === 'script')!;
    assert.deepEqual(
      node.calls?.map((c) => [c.kind, c.name, c.status, c.output]),
      [
        ['action', 'send', 'succeeded', { id: 'msg-1', to: 'dana' }],
        ['subflow', 'child', 'succeeded', { doubled: 42 }],
      ],
    );
    const [child] = await engine.listRuns({ flowId: 'child' });
    assert.equal(child?.parentRunId, runId);
    assert.equal(child?.runId, node.calls?.[1]?.childRunId);
    assert.equal(child?.status, 'succeeded');
  });

  test('after a crash the script replays the recorded action instead of running it again', async () => {
    const { store, events, runId, output } = await fullRun();
    // Crash right after the action's result was stored, before the subflow call started.
    const crashed = store.clone();
    const childRunId = (
      events.find((e) => e.type === 'ScriptCallStarted' && e.kind === 'subflow') as {
        childRunId: string;
      }
    ).childRunId;
    crashed.truncateRun(
      runId,
      seqOf(events, (e) => e.type === 'ScriptCallFinished' && e.index === 0),
    );
    crashed.truncateRun(childRunId, 0);
    const { keys, action } = sender();
    const engine = await engineOn(crashed, action);
    assert.deepEqual(await engine.recover(), [runId]);
    assert.deepEqual(await (await engine.handle(runId)).result(), output);
    await ended(engine, runId);
    assert.equal(keys.length, 0, 'the recorded action did not run again');
    assert.equal((await engine.listRuns({ flowId: 'child' })).length, 1);
    await engine.close();
  });

  test('a crash during a call performs it again with the same idempotency key and child run', async () => {
    const { store, events, runId, output } = await fullRun();
    // Crash after both calls were recorded as started, before the subflow's result was stored.
    const crashed = store.clone();
    crashed.truncateRun(
      runId,
      seqOf(events, (e) => e.type === 'ScriptCallStarted' && e.index === 1),
    );
    const { keys, action } = sender();
    const engine = await engineOn(crashed, action);
    await engine.recover();
    assert.deepEqual(await (await engine.handle(runId)).result(), output);
    const view = await ended(engine, runId);
    assert.equal(keys.length, 0);
    // The child run that existed is awaited, not started twice.
    assert.equal((await engine.listRuns({ flowId: 'child' })).length, 1);
    const calls = view.nodes.find((n) => n.nodeId === 'script')!.calls!;
    assert.deepEqual(
      calls.map((c) => c.status),
      ['succeeded', 'succeeded'],
    );

    // Crash right after the action's call was recorded as started: it runs again, same key.
    const early = store.clone();
    early.truncateRun(
      runId,
      seqOf(events, (e) => e.type === 'ScriptCallStarted' && e.index === 0),
    );
    const again = sender();
    const engine2 = await engineOn(early, again.action);
    await engine2.recover();
    assert.deepEqual(await (await engine2.handle(runId)).result(), output);
    await ended(engine2, runId);
    assert.equal(again.keys.length, 1);
    assert.match(again.keys[0]!, new RegExp(`^${runId}/script/1/call-0$`));
    await engine.close();
    await engine2.close();
  });

  test('a changed call order fails the node with E_NONDETERMINISM naming the call', async () => {
    const { store, events, runId } = await fullRun();
    const crashed = store.clone();
    crashed.truncateRun(
      runId,
      seqOf(events, (e) => e.type === 'ScriptCallFinished' && e.index === 0),
    );
    // The recorded run called another action at index 0 than the script calls now.
    const loaded = (await crashed.load(runId))!;
    const started = loaded.events.find((e) => e.type === 'ScriptCallStarted') as {
      name: string;
    };
    started.name = 'sms';
    const { keys, action } = sender();
    const engine = await engineOn(crashed, action);
    await engine.recover();
    const error = (await (await engine.handle(runId)).result().then(
      () => assert.fail('the run should fail'),
      (err: unknown) => err,
    )) as RunError;
    assert.equal(error.code, 'E_NONDETERMINISM');
    assert.match(error.message, /call #0/);
    assert.match(error.message, /action "sms"/);
    assert.match(error.message, /action "send"/);
    assert.deepEqual((error.details as { index: number }).index, 0);
    assert.equal(keys.length, 0, 'nothing was performed');
    await engine.close();
  });

  test('E_NONDETERMINISM holds even when the script catches the error', async () => {
    const catching = `export default async function (input, ctx) {
      try { await ctx.action('send', { to: input.to }); } catch (e) { return { swallowed: e.code }; }
      return { ok: true };
    }`;
    const store = createMemoryStore();
    const { action } = sender();
    const engine = await engineOn(store, action);
    await engine.deploy({
      ...PARENT,
      id: 'catching',
      nodes: [{ ...PARENT.nodes[0]!, code: catching } as never],
    });
    const run = await engine.start('catching', { n: 1 });
    assert.deepEqual(await run.result(), { ok: true });
    const events = await store.readEvents(run.id);
    await engine.close();

    const crashed = store.clone();
    crashed.truncateRun(
      run.id,
      seqOf(events, (e) => e.type === 'ScriptCallFinished'),
    );
    (
      (await crashed.load(run.id))!.events.find((e) => e.type === 'ScriptCallStarted') as {
        input: unknown;
      }
    ).input = { to: 'someone else' };
    const engine2 = await engineOn(crashed, sender().action);
    await engine2.recover();
    const error = (await (
      await engine2.handle(run.id)
    )
      .result()
      .catch((e: unknown) => e)) as RunError;
    assert.equal(error.code, 'E_NONDETERMINISM');
    await engine2.close();
  });

  test('a failing action or child run is thrown in the script with its code', async () => {
    const script = `export default async function (input, ctx) {
      const out = {};
      try { await ctx.action('nope', {}); } catch (e) { out.unknown = e.code; }
      try { await ctx.action('send', {}); } catch (e) { out.invalid = e.code; }
      try { await ctx.subflow('broken', {}); } catch (e) { out.child = e.code; }
      await ctx.action('send', { to: 'x' }).then(() => ctx.action('nope', {}));
    }`;
    const store = createMemoryStore();
    const engine = await engineOn(store, sender().action);
    await engine.deploy({
      format: 'millrace.flow/v1',
      id: 'broken',
      nodes: [{ id: 'f', type: 'fail', input: { message: 'no' } }],
    });
    await engine.deploy({
      format: 'millrace.flow/v1',
      id: 'errors',
      nodes: [{ id: 'script', type: 'code', code: script }],
    } as FlowDefinition);
    const run = await engine.start('errors');
    const error = (await run.result().catch((e: unknown) => e)) as RunError;
    // An uncaught failed call fails the node with the call's own code.
    assert.equal(error.code, 'E_ACTION_UNKNOWN');
    const view = await ended(engine, run.id);
    const calls = view.nodes.find((n) => n.nodeId === 'script')!.calls!;
    assert.deepEqual(
      calls.map((c) => [c.name, c.status, c.error?.code]),
      [
        ['nope', 'failed', 'E_ACTION_UNKNOWN'],
        ['send', 'failed', 'E_INPUT_INVALID'],
        ['broken', 'failed', 'E_SUBFLOW_FAILED'],
        ['send', 'succeeded', undefined],
        ['nope', 'failed', 'E_ACTION_UNKNOWN'],
      ],
    );
    await engine.close();
  });
});
