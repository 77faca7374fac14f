import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunError, type RunEvent } from '@millrace/engine';
import {
  advance,
  chain,
  drain,
  execute,
  flow,
  flush,
  gated,
  harness,
  node,
  ofType,
  recorder,
  rejection,
  track,
} from './helpers.ts';

// ---------------------------------------------------------------------------------------------
// deploy, versions

test('deploy stores numbered versions and getFlow / listFlows show them', async () => {
  const h = harness();
  const v1 = await h.engine.deploy(
    flow([{ id: 'a', type: 'transform', input: { v: 1 } }], [], { name: 'F' }),
  );
  const v2 = await h.engine.deploy(
    flow([{ id: 'a', type: 'transform', input: { v: 2 } }], [], { name: 'F' }),
  );
  assert.equal(v1.version, 1);
  assert.equal(v2.version, 2);
  assert.equal((await h.engine.getFlow('f'))?.version, 2);
  assert.equal((await h.engine.getFlow('f', 1))?.definition.version, 1);
  assert.deepEqual(
    (await h.engine.listFlows()).map((f) => [f.id, f.latestVersion, f.name]),
    [['f', 2, 'F']],
  );
});

test('deploy rejects an invalid flow with E_FLOW_INVALID and every diagnostic', async () => {
  const h = harness();
  const err = await rejection(
    h.engine.deploy(
      flow(
        [
          { id: 'a', type: 'transform', input: { v: '$<nodes.b.output>' } },
          { id: 'b', type: 'nope.unknown', input: {} },
        ],
        [{ from: 'a', to: 'ghost' }],
      ),
    ),
  );
  assert.equal(err['code'], 'E_FLOW_INVALID');
  const diagnostics = (err['details'] as { diagnostics: { code: string }[] }).diagnostics;
  assert.ok(diagnostics.length >= 2, JSON.stringify(diagnostics));
  assert.equal(await h.engine.getFlow('f'), undefined, 'nothing is stored');
});

test('saveDraft stores an editable (even invalid) draft without deploying it', async () => {
  const h = harness();
  await h.engine.deploy(flow([{ id: 'a', type: 'transform' }], [], { name: 'Live' }));
  const broken = flow([{ id: 'a', type: 'transform', input: { v: '$<nodes.b.output>' } }], [], {
    name: 'Work in progress',
  });
  const draft = await h.engine.saveDraft(broken);
  assert.equal(draft.id, 'f');
  assert.equal((await h.engine.getDraft('f'))?.definition.name, 'Work in progress');
  assert.equal(
    (await h.engine.getFlow('f'))?.definition.name,
    'Live',
    'the deployed version stays',
  );
  assert.equal((await h.engine.getFlow('f'))?.version, 1);
  await h.engine.discardDraft('f');
  assert.equal(await h.engine.getDraft('f'), undefined);
  const err = await rejection(h.engine.saveDraft({ nodes: [] } as never));
  assert.equal(err['code'], 'E_INVALID_ARGUMENT');
  assert.equal(err['path'], '/id');
});

test('start of an unknown flow fails with E_FLOW_NOT_FOUND, of an unknown version with E_FLOW_VERSION_NOT_FOUND', async () => {
  const h = harness();
  assert.equal((await rejection(h.engine.start('missing')))['code'], 'E_FLOW_NOT_FOUND');
  await h.engine.deploy(flow([{ id: 'a', type: 'transform', input: {} }]));
  assert.equal(
    (await rejection(h.engine.start('f', {}, { version: 9 })))['code'],
    'E_FLOW_VERSION_NOT_FOUND',
  );
});

test('a run keeps its flow version after a new version is deployed', async () => {
  const h = harness();
  const def = (label: string) =>
    flow(
      [
        { id: 'ask', type: 'approval', input: {} },
        { id: 'after', type: 'transform', input: { label } },
      ],
      [{ from: 'ask', port: 'approved', to: 'after' }],
    );
  await h.engine.deploy(def('v1'));
  const old = await h.engine.start('f');
  const oldResult = track(old.result());
  await flush();
  await h.engine.deploy(def('v2'));
  const fresh = await h.engine.start('f');
  const freshResult = track(fresh.result());
  await flush();
  assert.equal(old.version, 1);
  assert.equal(fresh.version, 2);
  for (const w of await h.engine.listWaiting()) await h.engine.signal(w.token, { approved: true });
  await flush();
  assert.deepEqual(oldResult.value, { label: 'v1' });
  assert.deepEqual(freshResult.value, { label: 'v2' });
  assert.equal((await h.engine.getRun(old.id))?.flowVersion, 1);
});

test('start with a version runs that version', async () => {
  const h = harness();
  await h.engine.deploy(flow([{ id: 'a', type: 'transform', input: { v: 1 } }]));
  await h.engine.deploy(flow([{ id: 'a', type: 'transform', input: { v: 2 } }]));
  const run = await h.engine.start('f', {}, { version: 1 });
  const result = track(run.result());
  await flush();
  assert.deepEqual(result.value, { v: 1 });
});

test('start with an existing runId returns that run instead of starting another', async () => {
  const act = recorder('act');
  const h = harness({ actions: [act] });
  await h.engine.deploy(flow([{ id: 'a', type: 'act', input: {} }]));
  const first = await h.engine.start('f', { n: 1 }, { runId: 'order-42' });
  await flush();
  const again = await h.engine.start('f', { n: 2 }, { runId: 'order-42' });
  await flush();
  assert.equal(first.id, 'order-42');
  assert.equal(again.id, 'order-42');
  assert.equal(act.calls.length, 1);
  assert.equal((await h.engine.listRuns()).length, 1);
});

// ---------------------------------------------------------------------------------------------
// subscribe

test('subscribe delivers live events in order, the same as the stored log', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow(
      [
        { id: 'a', type: 'transform', input: {} },
        { id: 's', type: 'slow', input: {} },
      ],
      chain('a', 's'),
    ),
  );
  const run = await h.engine.start('f');
  const seen: RunEvent[] = [];
  h.engine.subscribe(run.id, (e) => seen.push(e));
  // Catching up: what getRun shows (after subscribing) plus the live events is the whole log.
  const caughtUp = (await h.engine.getRun(run.id))!.lastSeq;
  await flush();
  slow.gates[0]!.resolve('x');
  await flush();
  assert.ok(seen.length > 0, 'events keep coming');
  assert.equal(seen.at(-1)?.type, 'RunSucceeded');
  const stored = await h.store.readEvents(run.id);
  assert.deepEqual(
    seen,
    stored.filter((e) => e.seq > caughtUp),
  );
  assert.deepEqual(
    seen.map((e) => e.seq),
    seen.map((_e, i) => caughtUp + 1 + i),
  );
});

test('subscribe follows a run across parking and waking', async () => {
  const h = harness();
  await h.engine.deploy(
    flow(
      [
        { id: 'w', type: 'wait', input: { durationMs: 1_000 } },
        { id: 'after', type: 'transform', input: {} },
      ],
      chain('w', 'after'),
    ),
  );
  const run = await h.engine.start('f');
  const seen: string[] = [];
  h.engine.subscribe(run.id, (e) => seen.push(e.type));
  await advance(h.clock, 1_000);
  assert.deepEqual(seen.slice(-3), ['NodeSucceeded', 'NodeSucceeded', 'RunSucceeded']);
  assert.ok(seen.includes('TimerFired'));
});

test('unsubscribe stops the events', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(flow([{ id: 's', type: 'slow', input: {} }]));
  const run = await h.engine.start('f');
  const seen: RunEvent[] = [];
  const stop = h.engine.subscribe(run.id, (e) => seen.push(e));
  await flush();
  const count = seen.length;
  stop();
  slow.gates[0]!.resolve(1);
  await flush();
  assert.equal(seen.length, count);
});

test('a listener that throws does not disturb the run or other listeners', async () => {
  const errors: string[] = [];
  const h = harness({ logger: { error: (m) => errors.push(m) } });
  await h.engine.deploy(flow([{ id: 'w', type: 'wait', input: { durationMs: 10 } }]));
  const run = await h.engine.start('f');
  const seen: string[] = [];
  h.engine.subscribe(run.id, () => {
    throw new Error('listener broke');
  });
  h.engine.subscribe(run.id, (e) => seen.push(e.type));
  const result = track(run.result());
  await drain(h.clock);
  assert.equal(result.ok, true);
  assert.equal(seen.at(-1), 'RunSucceeded');
  assert.ok(errors.length > 0);
});

// ---------------------------------------------------------------------------------------------
// listRuns, getRun, handle

test('listRuns lists newest first and filters by flow, status and limit', async () => {
  const h = harness();
  await h.engine.deploy(flow([{ id: 'a', type: 'transform', input: {} }]));
  await h.engine.deploy(flow([{ id: 'x', type: 'fail', input: {} }], [], { id: 'bad' }));
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    ids.push((await h.engine.start('f')).id);
    await advance(h.clock, 1_000);
  }
  const badRun = await h.engine.start('bad');
  await flush();
  assert.deepEqual(
    (await h.engine.listRuns()).map((r) => r.runId),
    [badRun.id, ...ids.reverse()],
  );
  assert.deepEqual(
    (await h.engine.listRuns({ flowId: 'f', limit: 2 })).map((r) => r.runId),
    ids.slice(0, 2),
  );
  const failed = await h.engine.listRuns({ status: 'failed' });
  assert.deepEqual(
    failed.map((r) => r.runId),
    [badRun.id],
  );
  assert.equal(failed[0]!.error?.code, 'E_FLOW_FAILED');
  assert.equal((await h.engine.listRuns({ status: ['succeeded', 'failed'] })).length, 4);
});

test('getRun shows per node: status, input, output, error, attempts, logs and timings', async () => {
  const work = recorder('work', async (input, ctx) => {
    ctx.log('info', 'working');
    return { got: input };
  });
  const slow = gated('slow');
  const flakyOnce = recorder('flakyOnce', (_i, _c, call) => {
    if (call === 1) throw Object.assign(new Error('first'), { code: 'E_ONCE' });
    return 'second';
  });
  const h = harness({ actions: [work, slow, flakyOnce] });
  const t0 = h.clock.now();
  await h.engine.deploy(
    flow(
      [
        { id: 'w', type: 'work', input: { n: '$<flow.input.n>' } },
        { id: 's', type: 'slow', input: {} },
        { id: 'r', type: 'flakyOnce', input: {}, retry: { maxAttempts: 2, delayMs: 100 } },
        { id: 'bad', type: 'fail', input: { code: 'E_END', message: 'end' } },
      ],
      chain('w', 's', 'r', 'bad'),
    ),
  );
  const run = await h.engine.start('f', { n: 7 });
  await flush();
  await advance(h.clock, 250);
  slow.gates[0]!.resolve('slow done');
  await advance(h.clock, 100);
  const view = (await h.engine.getRun(run.id))!;
  assert.equal(view.runId, run.id);
  assert.equal(view.flowId, 'f');
  assert.deepEqual(view.input, { n: 7 });
  assert.equal(view.status, 'failed');
  assert.equal(view.createdAt, t0);
  assert.equal(view.finishedAt, t0 + 350);
  assert.equal(view.durationMs, 350);

  const w = node(view, 'w');
  assert.equal(w.status, 'succeeded');
  assert.deepEqual(w.input, { n: 7 });
  assert.deepEqual(w.output, { got: { n: 7 } });
  assert.equal(w.attempts, 1);
  assert.deepEqual(
    w.logs.map((l) => l.message),
    ['working'],
  );

  const s = node(view, 's');
  assert.equal(s.startedAt, t0);
  assert.equal(s.finishedAt, t0 + 250);
  assert.equal(s.durationMs, 250);

  const r = node(view, 'r');
  assert.equal(r.attempts, 2);
  assert.equal(r.output, 'second');
  assert.equal(r.startedAt, t0 + 250);
  assert.equal(r.finishedAt, t0 + 350);

  const bad = node(view, 'bad');
  assert.equal(bad.status, 'failed');
  assert.equal(bad.error?.code, 'E_END');
  assert.equal(bad.error?.message, 'end');
  assert.equal(view.error?.nodePath, 'bad');
});

test('getRun of an unknown run is undefined and handle() of one fails with E_RUN_NOT_FOUND', async () => {
  const h = harness();
  assert.equal(await h.engine.getRun('nope'), undefined);
  assert.equal((await rejection(h.engine.handle('nope')))['code'], 'E_RUN_NOT_FOUND');
});

test('handle(runId).result() answers for a run that already finished', async () => {
  const h = harness();
  const ok = await execute(h, flow([{ id: 'a', type: 'transform', input: { v: 1 } }]));
  await h.engine.deploy(
    flow([{ id: 'x', type: 'fail', input: { code: 'E_X' } }], [], { id: 'bad' }),
  );
  const bad = await h.engine.start('bad');
  await flush();
  assert.deepEqual(await (await h.engine.handle(ok.id)).result(), { v: 1 });
  const err = await rejection((await h.engine.handle(bad.id)).result());
  assert.ok(err instanceof RunError);
  assert.equal(err['code'], 'E_X');
  assert.equal(err['nodePath'], 'x');
});

test('a closed engine refuses to start runs', async () => {
  const h = harness();
  await h.engine.deploy(flow([{ id: 'a', type: 'transform', input: {} }]));
  await h.engine.close();
  await assert.rejects(h.engine.start('f'));
});

// ---------------------------------------------------------------------------------------------
// cancel

test('cancel aborts the actions in flight, records RunCancelled and rejects result()', async () => {
  const slow = gated('slow');
  const after = recorder('after');
  const h = harness({ actions: [slow, after] });
  await h.engine.deploy(
    flow(
      [
        { id: 'a', type: 'slow', input: {} },
        { id: 'b', type: 'slow', input: {} },
        { id: 'c', type: 'after', input: {} },
      ],
      [
        { from: 'a', to: 'c' },
        { from: 'b', to: 'c' },
      ],
    ),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  await h.engine.cancel(run.id, 'user asked');
  await flush();
  assert.equal(slow.calls[0]!.ctx.signal.aborted, true);
  assert.equal(slow.calls[1]!.ctx.signal.aborted, true);
  assert.equal(after.calls.length, 0);
  assert.equal((result.error as RunError).code, 'E_RUN_CANCELLED');
  const view = await h.engine.getRun(run.id);
  assert.equal(view?.status, 'cancelled');
  const events = await h.store.readEvents(run.id);
  const last = events.at(-1);
  assert.equal(last?.type, 'RunCancelled');
  assert.equal(last?.type === 'RunCancelled' ? last.reason : undefined, 'user asked');
});

test('cancel of a parked run ends it and invalidates its tokens', async () => {
  const h = harness();
  await h.engine.deploy(flow([{ id: 'ask', type: 'approval', input: { timeoutMs: 10_000 } }]));
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  const [w] = await h.engine.listWaiting();
  await h.engine.cancel(run.id);
  await flush();
  assert.equal((await h.engine.getRun(run.id))?.status, 'cancelled');
  assert.deepEqual(await h.engine.listWaiting(), []);
  assert.equal(
    (await rejection(h.engine.signal(w!.token, { approved: true })))['code'],
    'E_SIGNAL_UNKNOWN',
  );
  assert.equal((result.error as RunError).code, 'E_RUN_CANCELLED');
  const count = (await h.store.readEvents(run.id)).length;
  await advance(h.clock, 20_000);
  assert.equal((await h.store.readEvents(run.id)).length, count, 'no timer fires after cancel');
});

test('cancel aborts every iteration of a parallel loop', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: [1, 2, 3, 4] },
        parallelism: 4,
        nodes: [{ id: 's', type: 'slow', input: {} }],
        edges: [],
      },
    ]),
  );
  const run = await h.engine.start('f');
  await flush();
  await h.engine.cancel(run.id);
  assert.equal(slow.calls.length, 4);
  assert.ok(slow.calls.every((c) => c.ctx.signal.aborted));
});

test('cancel of a run that already finished changes nothing', async () => {
  const h = harness();
  const r = await execute(h, flow([{ id: 'a', type: 'transform', input: {} }]));
  await h.engine.cancel(r.id);
  assert.equal((await h.engine.getRun(r.id))?.status, 'succeeded');
  assert.equal((await h.store.readEvents(r.id)).length, r.events.length);
});

test('a cancelled run does not run compensations or onFailure', async () => {
  const step = recorder('step');
  const undo = recorder('undo');
  const notify = recorder('notify');
  const slow = gated('slow');
  const h = harness({ actions: [step, undo, notify, slow] });
  await h.engine.deploy(
    flow(
      [
        { id: 'a', type: 'step', input: {}, compensate: { type: 'undo' } },
        { id: 's', type: 'slow', input: {} },
      ],
      chain('a', 's'),
      { onFailure: { nodes: [{ id: 'n', type: 'notify', input: {} }] } },
    ),
  );
  const run = await h.engine.start('f');
  await flush();
  await h.engine.cancel(run.id);
  await flush();
  assert.equal(undo.calls.length, 0);
  assert.equal(notify.calls.length, 0);
});

// ---------------------------------------------------------------------------------------------
// secrets

test('secrets are resolved for actions and redacted from every stored event', async () => {
  const SECRET = 'hunter2-very-secret';
  const echo = recorder('echo', (input, ctx) => {
    ctx.log('info', `using ${(input as { key: string }).key}`, {
      key: (input as { key: string }).key,
    });
    return { sawKey: (input as { key: string }).key };
  });
  const leak = recorder('leak', (input) => {
    throw Object.assign(new Error(`bad key ${(input as { key: string }).key}`), { code: 'E_LEAK' });
  });
  const h = harness({ actions: [echo, leak], secrets: { API_KEY: SECRET } });
  const r = await execute(
    h,
    flow(
      [
        { id: 'e', type: 'echo', input: { key: '$<secrets.API_KEY>' } },
        { id: 't', type: 'transform', input: { header: 'Bearer $<secrets.API_KEY>' } },
        {
          id: 'l',
          type: 'log',
          input: { message: 'key is $<secrets.API_KEY>', data: { k: '$<secrets.API_KEY>' } },
        },
        { id: 'v', type: 'setVars', input: { token: '$<secrets.API_KEY>' } },
        { id: 'x', type: 'leak', input: { key: '$<secrets.API_KEY>' } },
      ],
      chain('e', 't', 'l', 'v', 'x'),
    ),
  );
  assert.equal(
    (echo.calls[0]!.input as { key: string }).key,
    SECRET,
    'the action gets the real value',
  );
  const everything = JSON.stringify(r.events);
  assert.ok(!everything.includes(SECRET), `a secret leaked into the log: ${everything}`);
  assert.ok(everything.includes('[secret]'));
  assert.ok(!JSON.stringify(r.view).includes(SECRET));
  assert.ok(!JSON.stringify(await h.engine.listRuns()).includes(SECRET));
  assert.equal(r.view.error?.code, 'E_LEAK');
  assert.ok(!JSON.stringify((r.outcome.error as RunError).message).includes(SECRET));
});

test('a secret copied downstream from a node output stays redacted', async () => {
  const SECRET = 'tok-abcdef-123456';
  const h = harness({ secrets: { T: SECRET } });
  const r = await execute(
    h,
    flow(
      [
        { id: 'a', type: 'transform', input: { t: '$<secrets.T>' } },
        { id: 'b', type: 'transform', input: { copied: '$<nodes.a.output.t>' } },
      ],
      chain('a', 'b'),
    ),
  );
  assert.ok(!JSON.stringify(r.events).includes(SECRET));
  assert.deepEqual(r.outcome.value, { copied: '[secret]' });
});

test('secrets may come from a function', async () => {
  const seen: string[] = [];
  const use = recorder('use', (input) => (input as { k: string }).k.length);
  const h = harness({
    actions: [use],
    secrets: (name) => {
      seen.push(name);
      return name === 'DYN' ? 'dynamic-value' : undefined;
    },
  });
  const r = await execute(h, flow([{ id: 'u', type: 'use', input: { k: '$<secrets.DYN>' } }]));
  assert.equal(r.outcome.value, 'dynamic-value'.length);
  assert.ok(seen.includes('DYN'));
  assert.ok(!JSON.stringify(r.events).includes('dynamic-value'));
});

test('secrets in a run input are not redacted unless they come from $<secrets>', async () => {
  // Only values resolved from $<secrets.X> are known to be secret.
  const h = harness({ secrets: { K: 'kkkkkkkk' } });
  const r = await execute(
    h,
    flow([{ id: 'a', type: 'transform', input: { v: '$<flow.input.v>' } }]),
    {
      v: 'plain',
    },
  );
  assert.deepEqual(r.outcome.value, { v: 'plain' });
});

// ---------------------------------------------------------------------------------------------
// emit and event triggers

test('emit starts the flows whose event trigger matches, with the payload as input and $<event>', async () => {
  const h = harness();
  await h.engine.deploy(
    flow(
      [
        {
          id: 'a',
          type: 'transform',
          input: { key: '$<event.key>', input: '$<flow.input.key>', kind: '$<trigger.kind>' },
        },
      ],
      [],
      {
        triggers: [
          {
            id: 'jira',
            kind: 'event',
            event: 'jira.issue.updated',
            filter: "$<event.status == 'Done'>",
          },
        ],
      },
    ),
  );
  const skipped = await h.engine.emit('jira.issue.updated', { key: 'J-1', status: 'Open' });
  assert.deepEqual(skipped.started, []);
  const { started } = await h.engine.emit('jira.issue.updated', { key: 'J-2', status: 'Done' });
  assert.equal(started.length, 1);
  await flush();
  const view = await h.engine.getRun(started[0]!);
  assert.deepEqual(view?.output, { key: 'J-2', input: 'J-2', kind: 'event' });
  assert.equal(
    ofType(await h.store.readEvents(started[0]!), 'RunCreated')[0]?.trigger.kind,
    'event',
  );
});

// ---------------------------------------------------------------------------------------------
// secrets: every place a resolved secret can travel

const LEAKY = 'sk-leaky-0123456789';

test('a secret in the flow output expression is redacted from RunSucceeded', async () => {
  const h = harness({ secrets: { K: LEAKY } });
  const r = await execute(
    h,
    flow([{ id: 'a', type: 'transform', input: {} }], [], {
      output: { auth: 'Bearer $<secrets.K>' },
    }),
  );
  assert.ok(!JSON.stringify(r.events).includes(LEAKY));
  assert.deepEqual(r.view.output, { auth: 'Bearer [secret]' });
});

test('a secret in an approval message or form is redacted from the stored wait', async () => {
  const h = harness({ secrets: { K: LEAKY } });
  await h.engine.deploy(
    flow([
      {
        id: 'ask',
        type: 'approval',
        input: { message: 'Use key $<secrets.K>?', form: { title: '$<secrets.K>' } },
      },
    ]),
  );
  const run = await h.engine.start('f');
  await flush();
  assert.ok(!JSON.stringify(await h.store.readEvents(run.id)).includes(LEAKY));
  assert.ok(!JSON.stringify(await h.engine.listWaiting()).includes(LEAKY));
});

test('a secret passed to a subflow is redacted from the child run log', async () => {
  const h = harness({ secrets: { K: LEAKY } });
  await h.engine.deploy(
    flow([{ id: 'c', type: 'transform', input: { len: '$<flow.input.key.length>' } }], [], {
      id: 'child',
    }),
  );
  const r = await execute(
    h,
    flow([
      { id: 'sub', type: 'subflow', input: { flowId: 'child', input: { key: '$<secrets.K>' } } },
    ]),
  );
  const [child] = await h.engine.listRuns({ flowId: 'child' });
  assert.ok(child);
  assert.ok(!JSON.stringify(await h.store.readEvents(child.runId)).includes(LEAKY));
  assert.ok(!JSON.stringify(r.events).includes(LEAKY));
});

test('a secret in forEach items stays redacted in the body outputs', async () => {
  const h = harness({ secrets: { K: LEAKY } });
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: ['$<secrets.K>'] },
        nodes: [{ id: 'b', type: 'transform', input: { v: '$<item>' } }],
        edges: [],
      },
    ]),
  );
  assert.ok(!JSON.stringify(r.events).includes(LEAKY));
});

test('a secret in the onFailure output is redacted from RunFailed', async () => {
  const h = harness({ secrets: { K: LEAKY } });
  const r = await execute(
    h,
    flow([{ id: 'bad', type: 'fail', input: {} }], [], {
      onFailure: {
        nodes: [{ id: 'x', type: 'log', input: { message: 'x' } }],
        output: '$<secrets.K>',
      },
    }),
  );
  assert.ok(!JSON.stringify(r.events).includes(LEAKY));
});

test('with a simulated clock and sequential ids the same run writes the same log', async () => {
  const def = flow(
    [
      { id: 'ask', type: 'approval', input: { timeoutMs: 1_000 } },
      { id: 'w', type: 'wait', input: { durationMs: 500 } },
    ],
    [{ from: 'ask', port: 'timeout', to: 'w' }],
  );
  const logs: RunEvent[][] = [];
  for (let i = 0; i < 2; i++) {
    const h = harness();
    logs.push((await execute(h, def)).events);
  }
  assert.deepEqual(logs[0], logs[1]);
});
