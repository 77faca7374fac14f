import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunError, type CodeRunner } from '@millrace/engine';
import {
  advance,
  chain,
  drain,
  execute,
  flaky,
  flow,
  flush,
  gated,
  harness,
  node,
  ofType,
  recorder,
  rejection,
  track,
  trace,
} from './helpers.ts';

// ---------------------------------------------------------------------------------------------
// transform, log

test('transform outputs its evaluated input object', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 't',
        type: 'transform',
        input: { ids: '$<flow.input.rows.map(r => r.id)>', count: '$<flow.input.rows.length>' },
      },
    ]),
    { rows: [{ id: 'a' }, { id: 'b' }] },
  );
  assert.deepEqual(r.outcome.value, { ids: ['a', 'b'], count: 2 });
  assert.deepEqual(node(r.view, 't').output, { ids: ['a', 'b'], count: 2 });
});

test('log records a NodeLogged event and the entry shows in the node logs', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'note',
        type: 'log',
        input: {
          message: 'Loaded $<flow.input.n> records',
          level: 'warn',
          data: { n: '$<flow.input.n>' },
        },
      },
    ]),
    { n: 3 },
  );
  const logged = ofType(r.events, 'NodeLogged');
  assert.equal(logged.length, 1);
  assert.equal(logged[0]!.path, 'note');
  assert.equal(logged[0]!.level, 'warn');
  assert.equal(logged[0]!.message, 'Loaded 3 records');
  assert.deepEqual(logged[0]!.data, { n: 3 });
  assert.deepEqual(node(r.view, 'note').logs, [
    { at: h.clock.now(), level: 'warn', message: 'Loaded 3 records', data: { n: 3 } },
  ]);
  assert.deepEqual(node(r.view, 'note').output, { message: 'Loaded 3 records', level: 'warn' });
});

test('log defaults to level info and writes a non-string message as JSON', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([{ id: 'note', type: 'log', input: { message: '$<flow.input>' } }]),
    {
      a: 1,
    },
  );
  const entry = node(r.view, 'note').logs[0]!;
  assert.equal(entry.level, 'info');
  assert.equal(entry.message, '{"a":1}');
});

// ---------------------------------------------------------------------------------------------
// wait

test('wait durationMs parks the run until the simulated time has passed', async () => {
  const h = harness();
  await h.engine.deploy(
    flow(
      [
        { id: 'w', type: 'wait', input: { durationMs: 60_000 } },
        { id: 'after', type: 'transform', input: { done: true } },
      ],
      chain('w', 'after'),
    ),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 59_999);
  assert.equal(result.settled, false);
  const parked = await h.engine.getRun(run.id);
  assert.equal(parked?.status, 'waiting');
  assert.equal(node(parked!, 'w').status, 'waiting');
  await advance(h.clock, 1);
  assert.deepEqual(result.value, { done: true });
  const view = await h.engine.getRun(run.id);
  assert.deepEqual(node(view!, 'w').output, { waitedMs: 60_000 });
});

test('wait until an ISO time resumes at that time', async () => {
  const h = harness();
  const start = h.clock.now();
  const until = new Date(start + 3_600_000).toISOString();
  await h.engine.deploy(flow([{ id: 'w', type: 'wait', input: { until: '$<flow.input.at>' } }]));
  const run = await h.engine.start('f', { at: until });
  const result = track(run.result());
  await advance(h.clock, 3_599_000);
  assert.equal(result.settled, false);
  await advance(h.clock, 1_000);
  assert.equal(result.settled, true);
  assert.equal(h.clock.now(), start + 3_600_000);
  const view = await h.engine.getRun(run.id);
  assert.equal(node(view!, 'w').finishedAt, start + 3_600_000);
});

test('wait until a time already past completes at once', async () => {
  const h = harness();
  const past = new Date(h.clock.now() - 1000).toISOString();
  const r = await execute(h, flow([{ id: 'w', type: 'wait', input: { until: past } }]));
  assert.equal(r.view.status, 'succeeded');
  assert.deepEqual(r.outcome.value, { waitedMs: 0 });
});

// ---------------------------------------------------------------------------------------------
// approval

const approvalFlow = (input: Record<string, unknown> = {}) =>
  flow(
    [
      {
        id: 'ask',
        type: 'approval',
        input: { message: 'Approve $<flow.input.amount>?', ...input },
      },
      { id: 'yes', type: 'transform', input: { r: 'approved', by: '$<nodes.ask.output.by>' } },
      { id: 'no', type: 'transform', input: { r: 'rejected' } },
      { id: 'late', type: 'transform', input: { r: 'timeout' } },
    ],
    [
      { from: 'ask', port: 'approved', to: 'yes' },
      { from: 'ask', port: 'rejected', to: 'no' },
      { from: 'ask', port: 'timeout', to: 'late' },
    ],
    { output: '$<nodes.yes.output ?? nodes.no.output ?? nodes.late.output>' },
  );

test('approval parks the run and an approving signal takes the approved port', async () => {
  const h = harness();
  await h.engine.deploy(approvalFlow());
  const run = await h.engine.start('f', { amount: 2500 });
  const result = track(run.result());
  await flush();
  const [waiting] = await h.engine.listWaiting();
  assert.equal(waiting?.kind, 'approval');
  assert.equal(waiting?.message, 'Approve 2500?');
  await h.engine.signal(waiting!.token, { approved: true, by: 'dana', comment: 'ok' });
  await flush();
  assert.deepEqual(result.value, { r: 'approved', by: 'dana' });
  const view = await h.engine.getRun(run.id);
  assert.deepEqual(node(view!, 'ask').output, { decision: 'approved', by: 'dana', comment: 'ok' });
  assert.equal(node(view!, 'ask').port, 'approved');
  assert.equal(node(view!, 'no').skipReason, 'dead');
  assert.equal(node(view!, 'late').skipReason, 'dead');
});

test('approval rejected by a signal takes the rejected port', async () => {
  const h = harness();
  await h.engine.deploy(approvalFlow());
  const run = await h.engine.start('f', { amount: 1 });
  const result = track(run.result());
  await flush();
  const [waiting] = await h.engine.listWaiting();
  await h.engine.signal(waiting!.token, { decision: 'rejected', by: 'sam' });
  await flush();
  assert.deepEqual(result.value, { r: 'rejected' });
  const events = await h.store.readEvents(run.id);
  const received = ofType(events, 'SignalReceived');
  assert.equal(received.length, 1);
  assert.deepEqual(received[0]!.payload, { decision: 'rejected', by: 'sam' });
});

test('approval takes the timeout port when nobody decides within timeoutMs', async () => {
  const h = harness();
  await h.engine.deploy(approvalFlow({ timeoutMs: 86_400_000 }));
  const run = await h.engine.start('f', { amount: 1 });
  const result = track(run.result());
  await advance(h.clock, 86_399_999);
  assert.equal(result.settled, false);
  await advance(h.clock, 1);
  assert.deepEqual(result.value, { r: 'timeout' });
  const view = await h.engine.getRun(run.id);
  assert.deepEqual(node(view!, 'ask').output, { decision: 'timeout' });
  assert.deepEqual(await h.engine.listWaiting(), []);
});

test('approval with approvers refuses a decision by anyone else and keeps waiting', async () => {
  const h = harness();
  await h.engine.deploy(approvalFlow({ approvers: ['dana', 'lee'] }));
  const run = await h.engine.start('f', { amount: 1 });
  const result = track(run.result());
  await flush();
  const [waiting] = await h.engine.listWaiting();
  assert.deepEqual(waiting?.approvers, ['dana', 'lee']);
  const err = await rejection(h.engine.signal(waiting!.token, { approved: true, by: 'mallory' }));
  assert.equal(err['code'], 'E_SIGNAL_INVALID');
  await flush();
  assert.equal(result.settled, false);
  assert.equal((await h.engine.listWaiting()).length, 1);
  await h.engine.signal(waiting!.token, { approved: true, by: 'lee' });
  await flush();
  assert.deepEqual(result.value, { r: 'approved', by: 'lee' });
});

test('approval validates the approved form data against its form schema', async () => {
  const h = harness();
  const form = {
    type: 'object',
    required: ['costCenter'],
    properties: { costCenter: { type: 'string', minLength: 2 } },
  };
  await h.engine.deploy(approvalFlow({ form }));
  const run = await h.engine.start('f', { amount: 1 });
  const result = track(run.result());
  await flush();
  const [waiting] = await h.engine.listWaiting();
  assert.deepEqual(waiting?.form, form);
  const bad = await rejection(
    h.engine.signal(waiting!.token, { approved: true, by: 'dana', data: { costCenter: 7 } }),
  );
  assert.equal(bad['code'], 'E_SIGNAL_INVALID');
  assert.equal(result.settled, false);
  await h.engine.signal(waiting!.token, {
    approved: true,
    by: 'dana',
    data: { costCenter: 'CC-1' },
  });
  await flush();
  const view = await h.engine.getRun(run.id);
  assert.deepEqual(node(view!, 'ask').output, {
    decision: 'approved',
    by: 'dana',
    data: { costCenter: 'CC-1' },
  });
  assert.equal(result.ok, true);
});

test('approval refuses a signal without a decision', async () => {
  const h = harness();
  await h.engine.deploy(approvalFlow());
  await h.engine.start('f', { amount: 1 });
  await flush();
  const [waiting] = await h.engine.listWaiting();
  const err = await rejection(h.engine.signal(waiting!.token, { by: 'dana' }));
  assert.equal(err['code'], 'E_SIGNAL_INVALID');
  assert.equal((await h.engine.listWaiting()).length, 1);
});

// ---------------------------------------------------------------------------------------------
// waitForEvent

test('waitForEvent resumes with the payload of a matching emitted event', async () => {
  const h = harness();
  await h.engine.deploy(
    flow(
      [
        { id: 'hear', type: 'waitForEvent', input: { event: 'order.paid' } },
        { id: 'after', type: 'transform', input: { got: '$<nodes.hear.output.orderId>' } },
      ],
      chain('hear', 'after'),
    ),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  const [waiting] = await h.engine.listWaiting();
  assert.equal(waiting?.kind, 'waitForEvent');
  assert.equal(waiting?.event, 'order.paid');
  const other = await h.engine.emit('order.shipped', { orderId: 'x' });
  assert.equal(other.woken, 0);
  await flush();
  assert.equal(result.settled, false);
  const emitted = await h.engine.emit('order.paid', { orderId: 'o-1' });
  assert.equal(emitted.woken, 1);
  await flush();
  assert.deepEqual(result.value, { got: 'o-1' });
});

test('waitForEvent wakes only for payloads that pass its filter over $<event>', async () => {
  const h = harness();
  await h.engine.deploy(
    flow([
      {
        id: 'hear',
        type: 'waitForEvent',
        input: { event: 'order.paid', filter: "$<event.status == 'paid'>" },
      },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  assert.equal((await h.engine.getRun(run.id))?.status, 'waiting');
  const miss = await h.engine.emit('order.paid', { status: 'pending' });
  await flush();
  assert.equal(miss.woken, 0);
  assert.equal(result.settled, false);
  const hit = await h.engine.emit('order.paid', { status: 'paid' });
  await flush();
  assert.equal(hit.woken, 1);
  assert.deepEqual(result.value, { status: 'paid' });
});

test('waitForEvent filter can correlate the event with the run (flow.input)', async () => {
  const h = harness();
  await h.engine.deploy(
    flow([
      {
        id: 'hear',
        type: 'waitForEvent',
        input: { event: 'order.paid', filter: '$<event.orderId == flow.input.orderId>' },
      },
    ]),
  );
  const mine = await h.engine.start('f', { orderId: 'mine' });
  const theirs = await h.engine.start('f', { orderId: 'theirs' });
  const mineResult = track(mine.result());
  const theirsResult = track(theirs.result());
  await flush();
  const hit = await h.engine.emit('order.paid', { orderId: 'mine' });
  await flush();
  assert.equal(hit.woken, 1);
  assert.deepEqual(mineResult.value, { orderId: 'mine' });
  assert.equal(theirsResult.settled, false);
});

test('waitForEvent takes the timeout port when no event arrives in time', async () => {
  const h = harness();
  await h.engine.deploy(
    flow(
      [
        { id: 'hear', type: 'waitForEvent', input: { event: 'never', timeoutMs: 5_000 } },
        { id: 'got', type: 'transform', input: { r: 'event' } },
        { id: 'late', type: 'transform', input: { r: 'timeout' } },
      ],
      [
        { from: 'hear', to: 'got' },
        { from: 'hear', port: 'timeout', to: 'late' },
      ],
      { output: '$<nodes.got.output ?? nodes.late.output>' },
    ),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 4_999);
  assert.equal(result.settled, false);
  const [waiting] = await h.engine.listWaiting();
  assert.equal(waiting?.deadline, h.clock.now() + 1);
  await advance(h.clock, 1);
  assert.deepEqual(result.value, { r: 'timeout' });
  const view = await h.engine.getRun(run.id);
  assert.equal(node(view!, 'hear').port, 'timeout');
  assert.equal(node(view!, 'got').skipReason, 'dead');
});

// ---------------------------------------------------------------------------------------------
// subflow

const childFlow = flow(
  [{ id: 'c', type: 'transform', input: { doubled: '$<flow.input.n * 2>' } }],
  [],
  { id: 'child' },
);

test('subflow starts a child run and outputs its result', async () => {
  const h = harness();
  await h.engine.deploy(childFlow);
  const r = await execute(
    h,
    flow(
      [
        { id: 'sub', type: 'subflow', input: { flowId: 'child', input: { n: '$<flow.input.n>' } } },
        { id: 'after', type: 'transform', input: { v: '$<nodes.sub.output.doubled>' } },
      ],
      chain('sub', 'after'),
    ),
    { n: 21 },
  );
  assert.deepEqual(r.outcome.value, { v: 42 });
  const children = await h.engine.listRuns({ flowId: 'child' });
  assert.equal(children.length, 1);
  assert.equal(children[0]!.parentRunId, r.id);
  assert.equal(children[0]!.status, 'succeeded');
  const child = await h.engine.getRun(children[0]!.runId);
  assert.equal(child?.parentRunId, r.id);
  assert.deepEqual(child?.input, { n: 21 });
  assert.equal(node(r.view, 'sub').wait, undefined);
});

test('a failing child run fails the subflow node and the parent run', async () => {
  const h = harness();
  await h.engine.deploy(
    flow([{ id: 'c', type: 'fail', input: { code: 'E_CHILD', message: 'child broke' } }], [], {
      id: 'child',
    }),
  );
  const r = await execute(h, flow([{ id: 'sub', type: 'subflow', input: { flowId: 'child' } }]));
  assert.equal(r.view.status, 'failed');
  assert.equal(node(r.view, 'sub').error?.code, 'E_SUBFLOW_FAILED');
  assert.match(String(node(r.view, 'sub').error?.message), /child broke/);
  const err = r.outcome.error as RunError;
  assert.ok(err instanceof RunError);
  assert.equal(err.code, 'E_SUBFLOW_FAILED');
  assert.equal(err.nodePath, 'sub');
});

test('a subflow whose child parks waits until the child finishes', async () => {
  const h = harness();
  await h.engine.deploy(
    flow([{ id: 'ask', type: 'approval', input: {} }], [], {
      id: 'child',
      output: '$<nodes.ask.output.decision>',
    }),
  );
  await h.engine.deploy(flow([{ id: 'sub', type: 'subflow', input: { flowId: 'child' } }]));
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  const waiting = await h.engine.listWaiting();
  const approval = waiting.find((w) => w.kind === 'approval');
  assert.ok(approval, 'the child parks on its approval');
  assert.notEqual(approval.runId, run.id);
  const parentWait = waiting.find((w) => w.runId === run.id);
  assert.equal(parentWait?.kind, 'subflow');
  assert.equal(parentWait?.childRunId, approval.runId);
  assert.equal(result.settled, false);
  await h.engine.signal(approval.token, { approved: true, by: 'x' });
  await flush();
  assert.equal(result.value, 'approved');
});

// ---------------------------------------------------------------------------------------------
// fail, return

test('fail ends the run with its code, message and data, and result() rejects with a RunError', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'stop',
        type: 'fail',
        input: {
          code: 'E_OVER_BUDGET',
          message: 'Too much: $<flow.input.amount>',
          data: { max: 10 },
        },
      },
    ]),
    { amount: 99 },
  );
  assert.equal(r.view.status, 'failed');
  const err = r.outcome.error as RunError;
  assert.ok(err instanceof RunError);
  assert.equal(err.code, 'E_OVER_BUDGET');
  assert.equal(err.nodePath, 'stop');
  assert.equal(err.runId, r.id);
  assert.match(err.message, /Too much: 99/);
  assert.deepEqual(r.view.error?.details, { data: { max: 10 } });
});

test('fail without a code fails with E_FLOW_FAILED', async () => {
  const h = harness();
  const r = await execute(h, flow([{ id: 'stop', type: 'fail', input: {} }]));
  assert.equal((r.outcome.error as RunError).code, 'E_FLOW_FAILED');
});

test('fail is not retried even with a retry policy', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([{ id: 'stop', type: 'fail', input: {}, retry: { maxAttempts: 3, delayMs: 10 } }]),
  );
  assert.equal(node(r.view, 'stop').attempts, 1);
  assert.equal(ofType(r.events, 'NodeRetryScheduled').length, 0);
});

test('return answers result() at once while the rest of the run finishes', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow(
      [
        { id: 'ret', type: 'return', input: { value: { accepted: '$<flow.input.id>' } } },
        { id: 'rest', type: 'slow', input: {} },
        { id: 'tail', type: 'log', input: { message: 'done' } },
      ],
      chain('ret', 'rest', 'tail'),
    ),
  );
  const run = await h.engine.start('f', { id: 7 });
  const result = track(run.result());
  await flush();
  assert.deepEqual(result.value, { accepted: 7 });
  assert.equal(slow.calls.length, 1, 'the rest still runs');
  assert.equal((await h.engine.getRun(run.id))?.status, 'running');
  // A second caller is answered at once too.
  assert.deepEqual(await run.result(), { accepted: 7 });
  slow.gates[0]!.resolve('later');
  await flush();
  const view = await h.engine.getRun(run.id);
  assert.equal(view?.status, 'succeeded');
  assert.equal(node(view!, 'tail').status, 'succeeded');
  assert.deepEqual(view?.output, { accepted: 7 }, 'the run output is the returned value');
  const events = await h.store.readEvents(run.id);
  assert.equal(ofType(events, 'NodeSucceeded').find((e) => e.path === 'ret')?.returned, true);
});

test('return without a value returns its whole input', async () => {
  const h = harness();
  const r = await execute(h, flow([{ id: 'ret', type: 'return', input: { a: 1, b: 2 } }]));
  assert.deepEqual(r.outcome.value, { a: 1, b: 2 });
});

// ---------------------------------------------------------------------------------------------
// host actions

test('a host action receives its evaluated input and its output flows downstream', async () => {
  const add = recorder('math.add', (input) => {
    const { a, b } = input as { a: number; b: number };
    return { sum: a + b };
  });
  const h = harness({ actions: [add] });
  const r = await execute(
    h,
    flow(
      [
        { id: 'add', type: 'math.add', input: { a: '$<flow.input.a>', b: 2 } },
        { id: 'out', type: 'transform', input: { sum: '$<nodes.add.output.sum>' } },
      ],
      chain('add', 'out'),
    ),
    { a: 40 },
  );
  assert.deepEqual(add.calls[0]!.input, { a: 40, b: 2 });
  assert.deepEqual(r.outcome.value, { sum: 42 });
  assert.deepEqual(node(r.view, 'add').input, { a: 40, b: 2 });
  assert.deepEqual(node(r.view, 'add').output, { sum: 42 });
});

test('host actions may be registered as a record keyed by type', async () => {
  const ping = recorder('ping', () => 'pong');
  const h = harness({ actions: { ping } });
  const r = await execute(h, flow([{ id: 'p', type: 'ping', input: {} }]));
  assert.equal(r.outcome.value, 'pong');
});

test('a host action input that does not match its inputSchema fails before run is called', async () => {
  const send = recorder('mail.send', () => 'sent', {
    inputSchema: {
      type: 'object',
      required: ['to'],
      properties: { to: { type: 'string', format: 'email' }, retries: { type: 'integer' } },
    },
  });
  const h = harness({ actions: [send] });
  const r = await execute(
    h,
    flow([
      {
        id: 'send',
        type: 'mail.send',
        input: { to: '$<flow.input.to>', retries: '$<flow.input.retries>' },
        retry: { maxAttempts: 3, delayMs: 1 },
      },
    ]),
    { to: 'a@b.co', retries: 'many' },
  );
  assert.equal(send.calls.length, 0);
  assert.equal(node(r.view, 'send').error?.code, 'E_INPUT_INVALID');
  assert.equal(node(r.view, 'send').attempts, 1, 'invalid input is not retried');
  assert.equal(r.view.status, 'failed');
});

test('a host action gets ctx with runId, flowId, nodeId, nodePath, attempt, idempotencyKey, now and a signal', async () => {
  const probe = recorder('probe', () => 'ok');
  const h = harness({ actions: [probe] });
  const r = await execute(
    h,
    flow([
      {
        id: 'each',
        type: 'forEach',
        input: { items: ['a', 'b'] },
        nodes: [{ id: 'p', type: 'probe', input: { v: '$<item>' } }],
        edges: [],
      },
    ]),
  );
  assert.equal(probe.calls.length, 2);
  const ctx = probe.calls[1]!.ctx;
  assert.equal(ctx.runId, r.id);
  assert.equal(ctx.flowId, 'f');
  assert.equal(ctx.nodeId, 'p');
  assert.equal(ctx.nodePath, 'each[1]/p');
  assert.equal(ctx.attempt, 1);
  assert.equal(ctx.idempotencyKey, `${r.id}/each[1]/p/1`);
  assert.equal(ctx.now(), h.clock.now());
  assert.equal(ctx.signal.aborted, false);
  assert.notEqual(probe.calls[0]!.ctx.idempotencyKey, ctx.idempotencyKey);
  const started = ofType(r.events, 'NodeStarted').find((e) => e.path === 'each[1]/p');
  assert.equal(started?.idempotencyKey, ctx.idempotencyKey);
});

test('ctx.log appends entries to the node logs', async () => {
  const chatty = recorder('chatty', (_input, ctx) => {
    ctx.log('info', 'starting', { step: 1 });
    ctx.log('error', 'almost broke');
    return 'done';
  });
  const h = harness({ actions: [chatty] });
  const r = await execute(h, flow([{ id: 'c', type: 'chatty', input: {} }]));
  assert.deepEqual(
    node(r.view, 'c').logs.map((l) => [l.level, l.message, l.data]),
    [
      ['info', 'starting', { step: 1 }],
      ['error', 'almost broke', undefined],
    ],
  );
});

test('an action that returns undefined outputs null', async () => {
  const none = recorder('none', () => undefined);
  const h = harness({ actions: [none] });
  const r = await execute(h, flow([{ id: 'n', type: 'none', input: {} }]));
  assert.equal(r.view.status, 'succeeded');
  assert.equal(node(r.view, 'n').output, null);
});

test('an action output that cannot be stored as JSON fails the node with E_OUTPUT_NOT_JSON', async () => {
  const weird = recorder('weird', () => {
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    return loop;
  });
  const h = harness({ actions: [weird] });
  const r = await execute(h, flow([{ id: 'w', type: 'weird', input: {} }]));
  assert.equal(node(r.view, 'w').error?.code, 'E_OUTPUT_NOT_JSON');
});

test('an action gets its own copy of the input: mutating it changes nothing recorded', async () => {
  const mutate = recorder('mutate', (input) => {
    (input as { list: number[] }).list.push(99);
    return 'ok';
  });
  const h = harness({ actions: [mutate] });
  const r = await execute(
    h,
    flow(
      [
        { id: 'src', type: 'transform', input: { list: [1] } },
        { id: 'm', type: 'mutate', input: { list: '$<nodes.src.output.list>' } },
        { id: 'after', type: 'transform', input: { list: '$<nodes.src.output.list>' } },
      ],
      chain('src', 'm', 'after'),
    ),
  );
  assert.deepEqual(r.outcome.value, { list: [1] });
  assert.deepEqual(node(r.view, 'm').input, { list: [1] });
});

test('an action error keeps its code, message and details', async () => {
  const boom = recorder('boom', () => {
    throw Object.assign(new Error('quota exceeded'), { code: 'E_QUOTA', details: { left: 0 } });
  });
  const h = harness({ actions: [boom] });
  const r = await execute(h, flow([{ id: 'b', type: 'boom', input: {} }]));
  const error = node(r.view, 'b').error;
  assert.equal(error?.code, 'E_QUOTA');
  assert.equal(error?.message, 'quota exceeded');
  assert.deepEqual(error?.details, { left: 0 });
});

test('an action error without a code is recorded as E_ACTION_FAILED', async () => {
  const boom = recorder('boom', () => Promise.reject(new Error('plain')));
  const h = harness({ actions: [boom] });
  const r = await execute(h, flow([{ id: 'b', type: 'boom', input: {} }]));
  assert.equal(node(r.view, 'b').error?.code, 'E_ACTION_FAILED');
  assert.equal(node(r.view, 'b').error?.message, 'plain');
});

// ---------------------------------------------------------------------------------------------
// code

test('a code node runs through the injected code runner', async () => {
  const requests: Parameters<CodeRunner>[0][] = [];
  const codeRunner: CodeRunner = async (request) => {
    requests.push(request);
    return { echoed: request.input };
  };
  const h = harness({ codeRunner });
  const r = await execute(
    h,
    flow([
      {
        id: 'c',
        type: 'code',
        code: 'export default (input) => input',
        input: { n: '$<flow.input.n>' },
      },
    ]),
    { n: 5 },
  );
  assert.deepEqual(r.outcome.value, { echoed: { n: 5 } });
  assert.equal(requests[0]!.code, 'export default (input) => input');
  assert.equal(requests[0]!.language, 'javascript');
});

test('a code node on an engine without a code runner fails with E_CODE_RUNNER_MISSING', async () => {
  const h = harness();
  const r = await execute(h, flow([{ id: 'c', type: 'code', code: 'export default () => 1' }]));
  assert.equal(node(r.view, 'c').error?.code, 'E_CODE_RUNNER_MISSING');
});

// ---------------------------------------------------------------------------------------------

test('built-in steps without side effects record only their result events', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow(
      [
        { id: 'a', type: 'transform', input: {} },
        { id: 'b', type: 'setVars', input: { x: 1 } },
        { id: 'c', type: 'if', input: { condition: true } },
      ],
      chain('a', 'b', 'c'),
    ),
  );
  assert.deepEqual(trace(r.events), [
    'RunCreated',
    'NodeSucceeded a',
    'NodeSucceeded b',
    'NodeSucceeded c',
    'RunSucceeded',
  ]);
  await drain(h.clock);
});

test('cancelling a parent run cancels its running child run', async () => {
  const h = harness();
  await h.engine.deploy(flow([{ id: 'ask', type: 'approval', input: {} }], [], { id: 'child' }));
  await h.engine.deploy(flow([{ id: 'sub', type: 'subflow', input: { flowId: 'child' } }]));
  const run = await h.engine.start('f');
  await flush();
  const [child] = await h.engine.listRuns({ flowId: 'child' });
  assert.equal(child?.status, 'waiting');
  await h.engine.cancel(run.id);
  await flush();
  assert.equal((await h.engine.getRun(run.id))?.status, 'cancelled');
  assert.equal((await h.engine.getRun(child!.runId))?.status, 'cancelled');
  assert.deepEqual(await h.engine.listWaiting(), []);
});

test('a retried subflow node starts a fresh child run per attempt', async () => {
  const once = flaky('once', 1, 'E_FIRST', { fine: true });
  const h = harness({ actions: [once] });
  await h.engine.deploy(flow([{ id: 'c', type: 'once', input: {} }], [], { id: 'child' }));
  const r = await execute(
    h,
    flow([
      {
        id: 'sub',
        type: 'subflow',
        input: { flowId: 'child' },
        retry: { maxAttempts: 2, delayMs: 100 },
      },
    ]),
  );
  const children = await h.engine.listRuns({ flowId: 'child' });
  assert.deepEqual(children.map((c) => c.status).sort(), ['failed', 'succeeded']);
  assert.equal(node(r.view, 'sub').attempts, 2);
  assert.deepEqual(r.outcome.value, { fine: true });
});
