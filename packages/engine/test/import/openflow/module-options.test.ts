import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertValid,
  codes,
  evaluate,
  importModules,
  js,
  nodeOf,
  script,
  stat,
  tpl,
} from './helpers.ts';

describe('execution options', () => {
  test('constant retry: attempts + 1 attempts, fixed delay', () => {
    const { flow, diagnostics } = importModules([
      script('a', {}, { retry: { constant: { attempts: 3, seconds: 5 } } }),
    ]);
    assert.deepEqual(nodeOf(flow, 'a').retry, { maxAttempts: 4, backoff: 'fixed', delayMs: 5000 });
    assert.deepEqual(diagnostics, []);
  });

  test('exponential retry: multiplier * seconds^n becomes delayMs = multiplier * seconds, base = seconds', () => {
    const { flow, diagnostics } = importModules([
      script(
        'a',
        {},
        { retry: { exponential: { attempts: 4, multiplier: 3, seconds: 2, random_factor: 0 } } },
      ),
    ]);
    assert.deepEqual(nodeOf(flow, 'a').retry, {
      maxAttempts: 5,
      backoff: 'exponential',
      delayMs: 6000,
      multiplier: 2,
    });
    assert.deepEqual(diagnostics, []);
  });

  test('random_factor becomes jitter, reported as approximate', () => {
    const { flow, diagnostics } = importModules([
      script(
        'a',
        {},
        { retry: { exponential: { attempts: 1, multiplier: 1, seconds: 2, random_factor: 20 } } },
      ),
    ]);
    assert.equal(nodeOf(flow, 'a').retry?.jitter, true);
    assert.deepEqual(codes(diagnostics), ['W_IMPORT_LOSSY']);
  });

  test('retry_if becomes retryOn over the error', () => {
    const { flow } = importModules([
      script(
        'a',
        {},
        {
          retry: {
            constant: { attempts: 2, seconds: 1 },
            retry_if: { expr: "result.error.message.includes('429')" },
          },
        },
      ),
    ]);
    const retryOn = nodeOf(flow, 'a').retry?.retryOn;
    assert.equal(retryOn, tpl("error.message.includes('429')"));
    assert.equal(evaluate(retryOn, { error: { message: 'HTTP 429' } }), true);
  });

  test('zero attempts means no retry', () => {
    const { flow } = importModules([
      script('a', {}, { retry: { constant: { attempts: 0, seconds: 5 } } }),
    ]);
    assert.equal(nodeOf(flow, 'a').retry, undefined);
  });

  test('timeout in seconds becomes timeoutMs; an expression timeout is dropped', () => {
    const a = importModules([script('a', {}, { timeout: 30 })]);
    assert.equal(nodeOf(a.flow, 'a').timeoutMs, 30000);
    const b = importModules([script('a', {}, { timeout: stat(2) })]);
    assert.equal(nodeOf(b.flow, 'a').timeoutMs, 2000);
    const c = importModules([script('a', {}, { timeout: js('flow_input.t') })]);
    assert.equal(nodeOf(c.flow, 'a').timeoutMs, undefined);
    assert.deepEqual(codes(c.diagnostics), ['W_IMPORT_LOSSY']);
  });

  test('continue_on_error becomes continueOnError; summary becomes the name', () => {
    const { flow } = importModules([
      script('a', {}, { continue_on_error: true, summary: '  Fetch  ' }),
    ]);
    assert.equal(nodeOf(flow, 'a').continueOnError, true);
    assert.equal(nodeOf(flow, 'a').name, 'Fetch');
  });

  test('cache_ttl caches on the node and its evaluated inputs', () => {
    const { flow } = importModules([
      script('a', { n: js('flow_input.n'), m: stat('x') }, { cache_ttl: 60 }),
    ]);
    const cache = nodeOf(flow, 'a').cache;
    assert.equal(cache?.ttlMs, 60000);
    assert.equal(
      evaluate(cache?.key, { flow: { input: { n: 2 } } }),
      'test-flow/a:{"n":2,"m":"x"}',
    );
  });

  test('settings without an equivalent are reported', () => {
    const { diagnostics } = importModules([
      script('a', {}, { priority: 3, delete_after_use: true }),
    ]);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.path]),
      [
        ['W_IMPORT_LOSSY', '/value/modules/0/delete_after_use'],
        ['W_IMPORT_LOSSY', '/value/modules/0/priority'],
      ],
    );
  });
});

describe('skip_if', () => {
  test('the step is skipped inside a group that then passes the previous result through', () => {
    const { flow, diagnostics } = importModules([
      script('a'),
      script(
        'b',
        { x: js('results.a') },
        { skip_if: { expr: 'results.a.length == 0' }, summary: 'Maybe' },
      ),
      script('c', { y: js('previous_result') }),
    ]);
    assert.deepEqual(nodeOf(flow, 'b'), {
      id: 'b',
      type: 'group',
      name: 'Maybe',
      nodes: [
        {
          id: 'b__step',
          type: 'code',
          name: 'Maybe',
          language: 'typescript',
          code: "export function main() { return 'b'; }",
          input: { x: tpl('nodes.a.output') },
          skipIf: tpl('nodes.a.output.length == 0'),
        },
      ],
      output: tpl("nodes.b__step.status == 'skipped' ? nodes.a.output : nodes.b__step.output"),
    });
    assert.deepEqual(nodeOf(flow, 'c').input, { y: tpl('nodes.b.output') });
    assert.deepEqual(diagnostics, []);
    assertValid(flow);
    const output = nodeOf(flow, 'b').output;
    assert.deepEqual(
      evaluate(output, {
        nodes: { a: { output: [] }, b__step: { status: 'skipped', output: null } },
      }),
      [],
    );
    assert.equal(
      evaluate(output, {
        nodes: { a: { output: [1] }, b__step: { status: 'succeeded', output: 'ran' } },
      }),
      'ran',
    );
  });
});

describe('skip_if and mock', () => {
  test('a mocked step returns its mock value even when skip_if holds, as Windmill checks the mock first', () => {
    const { flow } = importModules([
      script('a', {}, { skip_if: { expr: 'true' }, mock: { enabled: true, return_value: 7 } }),
    ]);
    assert.deepEqual(flow.nodes, [{ id: 'a', type: 'transform', input: { value: 7 } }]);
  });
});

describe('stop_after_if', () => {
  test('at the top level an if returns the step result; the rest hangs off its false port', () => {
    const { flow, diagnostics } = importModules([
      script('a', {}, { stop_after_if: { expr: 'result.done', skip_if_stopped: false } }),
      script('b'),
    ]);
    assert.deepEqual(
      flow.nodes.map((n) => [n.id, n.type]),
      [
        ['a', 'code'],
        ['a__stop', 'if'],
        ['a__stopped_early', 'return'],
        ['b', 'code'],
      ],
    );
    assert.deepEqual(nodeOf(flow, 'a__stop').input, { condition: tpl('nodes.a.output.done') });
    assert.deepEqual(nodeOf(flow, 'a__stopped_early').input, { value: tpl('nodes.a.output') });
    assert.deepEqual(flow.edges, [
      { from: 'a', to: 'a__stop' },
      { from: 'a__stop', port: 'true', to: 'a__stopped_early' },
      { from: 'a__stop', port: 'false', to: 'b' },
    ]);
    assert.deepEqual(diagnostics, []);
    assertValid(flow);
  });

  test('error_message fails the run instead', () => {
    const { flow } = importModules([
      script('a', {}, { stop_after_if: { expr: 'true', error_message: 'bad input' } }),
    ]);
    assert.deepEqual(nodeOf(flow, 'a__stop_error'), {
      id: 'a__stop_error',
      type: 'fail',
      name: 'Stopped with error',
      input: { message: 'bad input' },
    });
  });

  test('skip_if_stopped is reported: Millrace has no skipped runs', () => {
    const { diagnostics } = importModules([
      script('a', {}, { stop_after_if: { expr: 'true', skip_if_stopped: true } }),
    ]);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.path]),
      [['W_IMPORT_LOSSY', '/value/modules/0/stop_after_if/skip_if_stopped']],
    );
  });

  test('a condition beyond the language is computed by a code node after the step', () => {
    const { flow } = importModules([
      script('a', {}, { stop_after_if: { expr: 'Object.keys(result).length > 2' } }),
    ]);
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['a', 'a__stop_js', 'a__stop', 'a__stopped_early'],
    );
    assert.deepEqual(nodeOf(flow, 'a__stop_js').input, { result: tpl('nodes.a.output') });
    assert.deepEqual(nodeOf(flow, 'a__stop').input, {
      condition: tpl('nodes.a__stop_js.output.stop'),
    });
  });
});

describe('early_return', () => {
  test('a return node after that step answers early; the flow goes on', () => {
    const { flow } = importModules([script('a'), script('b')], { early_return: 'a' });
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['a', 'a__early_return', 'b'],
    );
    assert.deepEqual(nodeOf(flow, 'a__early_return'), {
      id: 'a__early_return',
      type: 'return',
      name: 'Early return',
      input: { value: tpl('nodes.a.output') },
    });
    assert.equal(flow.output, tpl('nodes.b.output'));
  });

  test('an early_return naming no top-level step is reported', () => {
    const { diagnostics } = importModules([script('a')], { early_return: 'zz' });
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.path]),
      [['W_IMPORT_LOSSY', '/value/early_return']],
    );
  });
});

describe('suspend', () => {
  test('an approval gates the next step; rejection and timeout fail with Windmill messages', () => {
    const { flow, diagnostics } = importModules([
      script(
        'a',
        {},
        {
          suspend: {
            required_events: 1,
            timeout: 600,
            resume_form: { schema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
          },
        },
      ),
      script('b', { answer: js('resume.ok'), who: js('approvers[0]') }),
    ]);
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['a', 'a__approval', 'a__rejected', 'a__timed_out', 'b'],
    );
    assert.deepEqual(nodeOf(flow, 'a__approval'), {
      id: 'a__approval',
      type: 'approval',
      name: 'Approval',
      input: {
        message: 'Approve to continue after "a".',
        timeoutMs: 600000,
        form: { type: 'object', properties: { ok: { type: 'boolean' } } },
      },
    });
    assert.deepEqual(nodeOf(flow, 'a__timed_out').input, {
      message: 'Timed out waiting to be resumed',
      code: 'SuspendedTimedOut',
    });
    assert.equal(
      evaluate((nodeOf(flow, 'a__rejected').input as { message: string }).message, {
        nodes: { a__approval: { output: { by: 'dana' } } },
      }),
      'Disapproved by dana',
    );
    assert.deepEqual(flow.edges, [
      { from: 'a', to: 'a__approval' },
      { from: 'a__approval', port: 'rejected', to: 'a__rejected' },
      { from: 'a__approval', port: 'timeout', to: 'a__timed_out' },
      { from: 'a__approval', port: 'approved', to: 'b' },
    ]);
    assert.deepEqual(nodeOf(flow, 'b').input, {
      answer: tpl('nodes.a__approval.output.data.ok'),
      who: tpl('[nodes.a__approval.output.by][0]'),
    });
    assert.equal(flow.output, tpl('nodes.b.output'));
    assert.deepEqual(diagnostics, []);
    assertValid(flow);
  });

  test('the default timeout is Windmill’s 30 minutes; a suspended last step still waits', () => {
    const { flow } = importModules([script('a', {}, { suspend: { required_events: 1 } })]);
    assert.equal((nodeOf(flow, 'a__approval').input as { timeoutMs: number }).timeoutMs, 1800000);
    assert.equal(flow.output, tpl('nodes.a.output'));
  });

  test('continue_on_disapprove_timeout continues on every port with an error as resume', () => {
    const { flow } = importModules([
      script('a', {}, { suspend: { required_events: 1, continue_on_disapprove_timeout: true } }),
      script('b', { r: js('resume') }),
    ]);
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['a', 'a__approval', 'b'],
    );
    assert.deepEqual(
      flow.edges?.filter((e) => e.to === 'b'),
      [
        { from: 'a__approval', port: 'approved', to: 'b' },
        { from: 'a__approval', port: 'rejected', to: 'b' },
        { from: 'a__approval', port: 'timeout', to: 'b' },
      ],
    );
    const r = (nodeOf(flow, 'b').input as { r: string }).r;
    assert.deepEqual(
      evaluate(r, { nodes: { a__approval: { output: { decision: 'approved', data: { x: 1 } } } } }),
      { x: 1 },
    );
    assert.deepEqual(evaluate(r, { nodes: { a__approval: { output: { decision: 'timeout' } } } }), {
      error: { message: 'Timed out waiting to be resumed', name: 'SuspendedTimedOut' },
    });
  });

  test('approval settings Millrace lacks are reported', () => {
    const { diagnostics } = importModules([
      script(
        'a',
        {},
        {
          suspend: {
            required_events: 2,
            user_auth_required: true,
            user_groups_required: stat(['ops']),
            self_approval_disabled: true,
          },
        },
      ),
    ]);
    assert.deepEqual(
      diagnostics.map((d) => d.path),
      [
        '/value/modules/0/suspend/required_events',
        '/value/modules/0/suspend/user_groups_required',
        '/value/modules/0/suspend/user_auth_required',
        '/value/modules/0/suspend/self_approval_disabled',
      ],
    );
  });
});

describe('sleep', () => {
  test('a static sleep becomes a wait after the step', () => {
    const { flow } = importModules([script('a', {}, { sleep: stat(5) }), script('b')]);
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['a', 'a__sleep', 'b'],
    );
    assert.deepEqual(nodeOf(flow, 'a__sleep'), {
      id: 'a__sleep',
      type: 'wait',
      name: 'Sleep',
      input: { durationMs: 5000 },
    });
  });

  test('a sleep expression sees the step result as result', () => {
    const { flow } = importModules([script('a', {}, { sleep: js('result.delay') })]);
    const duration = (nodeOf(flow, 'a__sleep').input as { durationMs: string }).durationMs;
    assert.equal(duration, tpl('nodes.a.output.delay * 1000'));
    assert.equal(evaluate(duration, { nodes: { a: { output: { delay: 1.5 } } } }), 1500);
  });

  test('suspend, then sleep, in Windmill’s order', () => {
    const { flow } = importModules([
      script('a', {}, { sleep: stat(1), suspend: { required_events: 1 } }),
      script('b'),
    ]);
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['a', 'a__approval', 'a__rejected', 'a__timed_out', 'a__sleep', 'b'],
    );
  });
});
