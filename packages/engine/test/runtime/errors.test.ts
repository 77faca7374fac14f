import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunError, retryDelay, sequentialIds, type RetryPolicy } from '@millrace/engine';
import {
  advance,
  chain,
  execute,
  flaky,
  flow,
  flush,
  gated,
  harness,
  node,
  ofType,
  recorder,
  track,
  trace,
} from './helpers.ts';

// ---------------------------------------------------------------------------------------------
// retry

test('a failed attempt is retried until it succeeds within maxAttempts', async () => {
  const act = flaky('act', 2, 'E_FLAKY', { ok: true });
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([{ id: 'a', type: 'act', input: {}, retry: { maxAttempts: 3, delayMs: 100 } }]),
  );
  assert.equal(act.calls.length, 3);
  assert.deepEqual(
    act.calls.map((c) => c.ctx.attempt),
    [1, 2, 3],
  );
  assert.deepEqual(r.outcome.value, { ok: true });
  assert.equal(node(r.view, 'a').attempts, 3);
  assert.equal(node(r.view, 'a').status, 'succeeded');
  const retries = ofType(r.events, 'NodeRetryScheduled');
  assert.deepEqual(
    retries.map((e) => [e.attempt, e.error.code, e.delayMs]),
    [
      [1, 'E_FLAKY', 100],
      [2, 'E_FLAKY', 100],
    ],
  );
});

test('each attempt gets its own idempotency key', async () => {
  const act = flaky('act', 1);
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([{ id: 'a', type: 'act', input: {}, retry: { maxAttempts: 2, delayMs: 1 } }]),
  );
  assert.deepEqual(
    act.calls.map((c) => c.ctx.idempotencyKey),
    [`${r.id}/a/1`, `${r.id}/a/2`],
  );
});

test('a retry waits its delay on the clock: not a millisecond sooner', async () => {
  const act = flaky('act', 1);
  const h = harness({ actions: [act] });
  await h.engine.deploy(
    flow([{ id: 'a', type: 'act', input: {}, retry: { maxAttempts: 2, delayMs: 5_000 } }]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 4_999);
  assert.equal(act.calls.length, 1);
  const view = await h.engine.getRun(run.id);
  assert.equal(node(view!, 'a').status, 'retrying');
  await advance(h.clock, 1);
  assert.equal(act.calls.length, 2);
  assert.equal(result.ok, true);
});

test('the node fails with the last error once maxAttempts are used up', async () => {
  const act = flaky('act', 10, 'E_DOWN');
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([{ id: 'a', type: 'act', input: {}, retry: { maxAttempts: 3, delayMs: 10 } }]),
  );
  assert.equal(act.calls.length, 3);
  assert.equal(node(r.view, 'a').status, 'failed');
  assert.equal(node(r.view, 'a').attempts, 3);
  assert.equal(node(r.view, 'a').error?.code, 'E_DOWN');
  assert.equal(node(r.view, 'a').error?.message, 'failure 3');
  const err = r.outcome.error as RunError;
  assert.ok(err instanceof RunError);
  assert.equal(err.code, 'E_DOWN');
  assert.equal(err.nodePath, 'a');
});

test('without a retry policy a failure is final after one attempt', async () => {
  const act = flaky('act', 1);
  const h = harness({ actions: [act] });
  const r = await execute(h, flow([{ id: 'a', type: 'act', input: {} }]));
  assert.equal(act.calls.length, 1);
  assert.equal(r.view.status, 'failed');
});

test('fixed backoff waits delayMs before every retry', async () => {
  const times: number[] = [];
  const act = recorder('act', (_i, ctx, call) => {
    times.push(ctx.now());
    if (call <= 3) throw new Error('again');
    return 'ok';
  });
  const h = harness({ actions: [act] });
  const start = h.clock.now();
  await execute(
    h,
    flow([
      {
        id: 'a',
        type: 'act',
        input: {},
        retry: { maxAttempts: 4, backoff: 'fixed', delayMs: 250 },
      },
    ]),
  );
  assert.deepEqual(
    times.map((t) => t - start),
    [0, 250, 500, 750],
  );
});

test('exponential backoff doubles the delay and caps it at maxDelayMs', async () => {
  const act = flaky('act', 4);
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([
      {
        id: 'a',
        type: 'act',
        input: {},
        retry: { maxAttempts: 5, backoff: 'exponential', delayMs: 100, maxDelayMs: 300 },
      },
    ]),
  );
  assert.deepEqual(
    ofType(r.events, 'NodeRetryScheduled').map((e) => e.delayMs),
    [100, 200, 300, 300],
  );
  assert.equal(act.calls.length, 5);
});

test('exponential backoff uses the multiplier when given', async () => {
  const act = flaky('act', 3);
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([
      {
        id: 'a',
        type: 'act',
        input: {},
        retry: { maxAttempts: 4, backoff: 'exponential', delayMs: 10, multiplier: 3 },
      },
    ]),
  );
  assert.deepEqual(
    ofType(r.events, 'NodeRetryScheduled').map((e) => e.delayMs),
    [10, 30, 90],
  );
});

test('jitter draws each delay in [delay/2, delay] from the injected random source', async () => {
  const act = flaky('act', 3);
  const h = harness({ actions: [act], seed: 42 });
  const policy: RetryPolicy = {
    maxAttempts: 4,
    backoff: 'exponential',
    delayMs: 1_000,
    jitter: true,
  };
  const r = await execute(h, flow([{ id: 'a', type: 'act', input: {}, retry: policy }]));
  const delays = ofType(r.events, 'NodeRetryScheduled').map((e) => e.delayMs);
  const planned = [1_000, 2_000, 4_000];
  delays.forEach((d, i) => {
    assert.ok(
      d >= planned[i]! / 2 && d <= planned[i]!,
      `delay ${d} outside [${planned[i]! / 2}, ${planned[i]}]`,
    );
  });
  // Deterministic: the same seed gives the same delays.
  const random = sequentialIds(42).random;
  assert.deepEqual(
    delays,
    [1, 2, 3].map((attempt) => retryDelay(policy, attempt, random)),
  );
});

test('retryOn with codes retries only errors with a listed code', async () => {
  const act = recorder('act', (_i, _c, call) => {
    throw Object.assign(new Error('x'), { code: call === 1 ? 'E_RATE_LIMIT' : 'E_AUTH' });
  });
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([
      {
        id: 'a',
        type: 'act',
        input: {},
        retry: { maxAttempts: 5, delayMs: 10, retryOn: ['E_RATE_LIMIT'] },
      },
    ]),
  );
  // Attempt 1 (rate limited) is retried; attempt 2 (auth) is not.
  assert.equal(act.calls.length, 2);
  assert.equal(node(r.view, 'a').error?.code, 'E_AUTH');
});

test('retryOn as an expression over $<error> decides whether to retry', async () => {
  const act = recorder('act', (_i, _c, call) => {
    throw Object.assign(new Error('http'), {
      code: 'E_HTTP_STATUS',
      details: { status: call < 3 ? 503 : 404 },
    });
  });
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([
      {
        id: 'a',
        type: 'act',
        input: {},
        retry: { maxAttempts: 10, delayMs: 10, retryOn: '$<error.details.status >= 500>' },
      },
    ]),
  );
  assert.equal(act.calls.length, 3);
  assert.equal(node(r.view, 'a').error?.details?.['status'], 404);
});

test('an invalid input is never retried', async () => {
  const act = recorder('act', () => 'x', {
    inputSchema: { type: 'object', properties: { n: { type: 'number' } } },
  });
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([
      {
        id: 'a',
        type: 'act',
        input: { n: '$<flow.input.n>' },
        retry: { maxAttempts: 3, delayMs: 1 },
      },
    ]),
    { n: 'not a number' },
  );
  assert.equal(act.calls.length, 0);
  assert.equal(node(r.view, 'a').error?.code, 'E_INPUT_INVALID');
  assert.equal(ofType(r.events, 'NodeRetryScheduled').length, 0);
});

test('a required input that evaluates to undefined counts as missing', async () => {
  const act = recorder('act', () => 'x', {
    inputSchema: { type: 'object', required: ['need'] },
  });
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([{ id: 'a', type: 'act', input: { need: '$<flow.input.absent>' } }]),
    {},
  );
  assert.equal(act.calls.length, 0);
  assert.equal(node(r.view, 'a').error?.code, 'E_INPUT_INVALID');
});

// ---------------------------------------------------------------------------------------------
// timeoutMs

test('timeoutMs aborts the attempt signal and fails the node with E_NODE_TIMEOUT', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(flow([{ id: 's', type: 'slow', input: {}, timeoutMs: 1_000 }]));
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 999);
  assert.equal(slow.calls[0]!.ctx.signal.aborted, false);
  assert.equal(result.settled, false);
  await advance(h.clock, 1);
  const signal = slow.calls[0]!.ctx.signal;
  assert.equal(signal.aborted, true);
  assert.equal((signal.reason as { code?: string }).code, 'E_NODE_TIMEOUT');
  assert.equal((result.error as RunError).code, 'E_NODE_TIMEOUT');
  const view = await h.engine.getRun(run.id);
  assert.equal(node(view!, 's').error?.code, 'E_NODE_TIMEOUT');
});

test('a timed-out attempt is retried with a fresh signal', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(
    flow([
      {
        id: 's',
        type: 'slow',
        input: {},
        timeoutMs: 1_000,
        retry: { maxAttempts: 2, delayMs: 500 },
      },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 1_500);
  assert.equal(slow.calls.length, 2);
  assert.equal(slow.calls[0]!.ctx.signal.aborted, true);
  assert.equal(slow.calls[1]!.ctx.signal.aborted, false);
  assert.equal(slow.calls[1]!.ctx.attempt, 2);
  slow.gates[1]!.resolve('second time lucky');
  await flush();
  assert.equal(result.value, 'second time lucky');
});

test('an attempt that finishes before its timeout is not aborted later', async () => {
  const slow = gated('slow');
  const h = harness({ actions: [slow] });
  await h.engine.deploy(flow([{ id: 's', type: 'slow', input: {}, timeoutMs: 1_000 }]));
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 500);
  slow.gates[0]!.resolve('fast');
  await flush();
  await advance(h.clock, 5_000);
  assert.equal(result.value, 'fast');
  assert.equal(slow.calls[0]!.ctx.signal.aborted, false);
});

// ---------------------------------------------------------------------------------------------
// continueOnError

test('continueOnError turns the failure into an { error } output and the run goes on', async () => {
  const act = flaky('act', 1, 'E_SOFT');
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow(
      [
        { id: 'a', type: 'act', input: {}, continueOnError: true },
        { id: 'b', type: 'transform', input: { saw: '$<nodes.a.output.error.code>' } },
      ],
      chain('a', 'b'),
    ),
  );
  assert.equal(r.view.status, 'succeeded');
  assert.deepEqual(r.outcome.value, { saw: 'E_SOFT' });
  assert.equal(node(r.view, 'a').status, 'succeeded');
  assert.equal((node(r.view, 'a').output as { error: { code: string } }).error.code, 'E_SOFT');
  const done = ofType(r.events, 'NodeSucceeded').find((e) => e.path === 'a');
  assert.equal(done?.recovered, true);
});

test('continueOnError applies only after the retries are used up', async () => {
  const act = flaky('act', 5, 'E_SOFT');
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow([
      {
        id: 'a',
        type: 'act',
        input: {},
        continueOnError: true,
        retry: { maxAttempts: 3, delayMs: 10 },
      },
    ]),
  );
  assert.equal(act.calls.length, 3);
  assert.equal(r.view.status, 'succeeded');
});

test('continueOnError on a container recovers a failure inside it', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([
      {
        id: 'stage',
        type: 'group',
        continueOnError: true,
        nodes: [{ id: 'bad', type: 'fail', input: { code: 'E_INNER' } }],
        edges: [],
      },
    ]),
  );
  assert.equal(r.view.status, 'succeeded');
  assert.equal((r.outcome.value as { error: { code: string } }).error.code, 'E_INNER');
});

// ---------------------------------------------------------------------------------------------
// failure of a run

test('a failing node aborts its siblings in flight and records them as aborted', async () => {
  const slow = gated('slow');
  const boom = recorder('boom', () => {
    throw Object.assign(new Error('boom'), { code: 'E_BOOM' });
  });
  const h = harness({ actions: [slow, boom] });
  await h.engine.deploy(
    flow([
      { id: 'long', type: 'slow', input: {} },
      { id: 'bad', type: 'boom', input: {} },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  assert.equal(slow.calls[0]!.ctx.signal.aborted, true);
  assert.equal((result.error as RunError).code, 'E_BOOM');
  assert.equal((result.error as RunError).nodePath, 'bad');
  const events = await h.store.readEvents(run.id);
  const aborted = ofType(events, 'NodeFailed').find((e) => e.path === 'long');
  assert.equal(aborted?.aborted, true);
  assert.equal(aborted?.error.code, 'E_NODE_ABORTED');
  // The aborted action settling later changes nothing.
  slow.gates[0]!.resolve('too late');
  await flush();
  assert.equal((await h.store.readEvents(run.id)).length, events.length);
});

test('nodes after a failed node never run', async () => {
  const act = recorder('act');
  const h = harness({ actions: [act] });
  const r = await execute(
    h,
    flow(
      [
        { id: 'bad', type: 'fail', input: {} },
        { id: 'next', type: 'act', input: {} },
      ],
      chain('bad', 'next'),
    ),
  );
  assert.equal(act.calls.length, 0);
  assert.equal(r.view.status, 'failed');
  assert.equal(trace(r.events).at(-1), 'RunFailed');
});

test('onFailure runs with $<error> and its output is the failed run output', async () => {
  const notify = recorder('notify', (input) => ({ notified: input }));
  const h = harness({ actions: [notify] });
  const r = await execute(
    h,
    flow([{ id: 'bad', type: 'fail', input: { code: 'E_BAD', message: 'nope' } }], [], {
      onFailure: {
        nodes: [
          {
            id: 'tell',
            type: 'notify',
            input: { code: '$<error.code>', at: '$<error.nodePath>', input: '$<flow.input.x>' },
          },
        ],
      },
    }),
    { x: 1 },
  );
  assert.deepEqual(notify.calls[0]!.input, { code: 'E_BAD', at: 'bad', input: 1 });
  assert.equal(r.view.status, 'failed');
  assert.equal(r.view.error?.code, 'E_BAD', 'the run keeps the original error');
  const expected = { notified: { code: 'E_BAD', at: 'bad', input: 1 } };
  assert.deepEqual(r.view.output, expected);
  assert.deepEqual((r.outcome.error as RunError).output, expected);
  assert.equal(node(r.view, 'tell').status, 'succeeded');
});

test('onFailure does not run when the run succeeds', async () => {
  const notify = recorder('notify');
  const h = harness({ actions: [notify] });
  await execute(
    h,
    flow([{ id: 'ok', type: 'transform', input: {} }], [], {
      onFailure: { nodes: [{ id: 'tell', type: 'notify', input: {} }] },
    }),
  );
  assert.equal(notify.calls.length, 0);
});

test('a failing onFailure region still ends the run failed with the original error', async () => {
  const h = harness();
  const r = await execute(
    h,
    flow([{ id: 'bad', type: 'fail', input: { code: 'E_FIRST' } }], [], {
      onFailure: { nodes: [{ id: 'worse', type: 'fail', input: { code: 'E_HANDLER' } }] },
    }),
  );
  assert.equal(r.view.status, 'failed');
  assert.equal(r.view.error?.code, 'E_FIRST');
  assert.equal(
    (r.view.error?.details?.['onFailureError'] as { code?: string } | undefined)?.code,
    'E_HANDLER',
  );
});

// ---------------------------------------------------------------------------------------------
// compensate (saga)

test('when the run fails, compensate actions run for succeeded nodes in reverse completion order', async () => {
  const step = recorder('step', (input) => ({ id: (input as { name: string }).name }));
  const undo = recorder('undo', () => 'undone');
  const h = harness({ actions: [step, undo] });
  const comp = (id: string) => ({ type: 'undo', input: { id: `$<nodes.${id}.output.id>` } });
  const r = await execute(
    h,
    flow(
      [
        { id: 'a', type: 'step', input: { name: 'A' }, compensate: comp('a') },
        { id: 'b', type: 'step', input: { name: 'B' }, compensate: comp('b') },
        { id: 'plain', type: 'step', input: { name: 'P' } },
        { id: 'c', type: 'step', input: { name: 'C' }, compensate: comp('c') },
        { id: 'bad', type: 'fail', input: { code: 'E_LATE' } },
      ],
      chain('a', 'b', 'plain', 'c', 'bad'),
    ),
  );
  assert.deepEqual(
    undo.calls.map((c) => c.input),
    [{ id: 'C' }, { id: 'B' }, { id: 'A' }],
  );
  assert.equal(r.view.status, 'failed');
  assert.equal(r.view.error?.code, 'E_LATE');
  assert.equal(node(r.view, 'c#compensate').status, 'succeeded');
});

test('compensation follows completion order, not definition order, for parallel branches', async () => {
  const slow = gated('slow');
  const undo = recorder('undo');
  const h = harness({ actions: [slow, undo] });
  await h.engine.deploy(
    flow(
      [
        { id: 'x', type: 'slow', input: {}, compensate: { type: 'undo', input: { n: 'x' } } },
        { id: 'y', type: 'slow', input: {}, compensate: { type: 'undo', input: { n: 'y' } } },
        { id: 'bad', type: 'fail', input: {}, join: 'all' },
      ],
      [
        { from: 'x', to: 'bad' },
        { from: 'y', to: 'bad' },
      ],
    ),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  slow.gates[1]!.resolve('y done first');
  await flush();
  slow.gates[0]!.resolve('x done second');
  await flush();
  assert.equal(result.settled, true);
  assert.deepEqual(
    undo.calls.map((c) => c.input),
    [{ n: 'x' }, { n: 'y' }],
  );
});

test('compensate runs once per succeeded loop iteration and sees that iteration item', async () => {
  const charge = recorder('charge', (input) => ({ charged: (input as { v: number }).v }));
  const refund = recorder('refund');
  const h = harness({ actions: [charge, refund] });
  await execute(
    h,
    flow(
      [
        {
          id: 'each',
          type: 'forEach',
          input: { items: [1, 2, 3] },
          nodes: [
            {
              id: 'pay',
              type: 'charge',
              input: { v: '$<item>' },
              compensate: {
                type: 'refund',
                input: { item: '$<item>', charged: '$<nodes.pay.output.charged>' },
              },
            },
          ],
          edges: [],
        },
        { id: 'bad', type: 'fail', input: {} },
      ],
      chain('each', 'bad'),
    ),
  );
  assert.deepEqual(
    refund.calls.map((c) => c.input),
    [
      { item: 3, charged: 3 },
      { item: 2, charged: 2 },
      { item: 1, charged: 1 },
    ],
  );
});

test('a failing compensate action does not stop the others', async () => {
  const step = recorder('step');
  const undo = recorder('undo', (input) => {
    if ((input as { n: string }).n === 'b') throw new Error('cannot undo b');
    return 'ok';
  });
  const h = harness({ actions: [step, undo] });
  const r = await execute(
    h,
    flow(
      [
        { id: 'a', type: 'step', input: {}, compensate: { type: 'undo', input: { n: 'a' } } },
        { id: 'b', type: 'step', input: {}, compensate: { type: 'undo', input: { n: 'b' } } },
        { id: 'bad', type: 'fail', input: { code: 'E_ORIGINAL' } },
      ],
      chain('a', 'b', 'bad'),
    ),
  );
  assert.deepEqual(
    undo.calls.map((c) => c.input),
    [{ n: 'b' }, { n: 'a' }],
  );
  assert.equal(node(r.view, 'b#compensate').status, 'failed');
  assert.equal(node(r.view, 'a#compensate').status, 'succeeded');
  assert.equal(r.view.error?.code, 'E_ORIGINAL');
});

test('compensations run before onFailure', async () => {
  const step = recorder('step');
  const order: string[] = [];
  const undo = recorder('undo', () => order.push('undo'));
  const notify = recorder('notify', () => order.push('notify'));
  const h = harness({ actions: [step, undo, notify] });
  await execute(
    h,
    flow(
      [
        { id: 'a', type: 'step', input: {}, compensate: { type: 'undo' } },
        { id: 'bad', type: 'fail', input: {} },
      ],
      chain('a', 'bad'),
      { onFailure: { nodes: [{ id: 'tell', type: 'notify', input: {} }] } },
    ),
  );
  assert.deepEqual(order, ['undo', 'notify']);
});

test('no compensation runs when the run succeeds, nor when a try caught the failure', async () => {
  const step = recorder('step');
  const undo = recorder('undo');
  const h = harness({ actions: [step, undo] });
  const r = await execute(
    h,
    flow(
      [
        { id: 'a', type: 'step', input: {}, compensate: { type: 'undo' } },
        {
          id: 't',
          type: 'try',
          nodes: [{ id: 'bad', type: 'fail', input: {} }],
          edges: [],
          catch: { nodes: [{ id: 'ok', type: 'transform', input: {} }] },
        },
      ],
      chain('a', 't'),
    ),
  );
  assert.equal(r.view.status, 'succeeded');
  assert.equal(undo.calls.length, 0);
});
