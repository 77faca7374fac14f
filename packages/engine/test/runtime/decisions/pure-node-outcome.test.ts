import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pureNodeOutcome } from '../../../src/runtime/decisions/pure-node-outcome.ts';

test('an if node outputs its condition as a boolean and leaves on the matching port', () => {
  assert.deepEqual(pureNodeOutcome('if', 'c', { condition: 'yes' }, []), {
    kind: 'succeed',
    output: { condition: true },
    port: 'true',
  });
  assert.deepEqual(pureNodeOutcome('if', 'c', { condition: 0 }, []), {
    kind: 'succeed',
    output: { condition: false },
    port: 'false',
  });
});

test('a transform outputs its input, with secret values redacted', () => {
  assert.deepEqual(pureNodeOutcome('transform', 't', { url: 'https://x/?k=s3cret' }, ['s3cret']), {
    kind: 'succeed',
    output: { url: 'https://x/?k=[secret]' },
  });
});

test('a log node records its line (level defaults to info) and outputs message and level', () => {
  assert.deepEqual(pureNodeOutcome('log', 'l', { message: { n: 1 }, level: 'loud' }, []), {
    kind: 'succeed',
    output: { message: '{"n":1}', level: 'info' },
    log: { level: 'info', message: '{"n":1}', data: undefined },
  });
});

test('setVars outputs the variables it sets', () => {
  assert.deepEqual(pureNodeOutcome('setVars', 's', { total: 3 }, []), {
    kind: 'succeed',
    output: { total: 3 },
    vars: { total: 3 },
  });
});

test('a return node outputs its value (or its whole input) and marks the run output set', () => {
  assert.deepEqual(pureNodeOutcome('return', 'r', { value: 42 }, []), {
    kind: 'succeed',
    output: 42,
    returned: true,
  });
  assert.deepEqual(pureNodeOutcome('return', 'r', { a: 1 }, []), {
    kind: 'succeed',
    output: { a: 1 },
    returned: true,
  });
});

test('a fail node fails with its code, message and data, or E_FLOW_FAILED naming the node', () => {
  assert.deepEqual(pureNodeOutcome('fail', 'stop', { code: 'E_LIMIT', data: { n: 1 } }, []), {
    kind: 'fail',
    error: { code: 'E_LIMIT', message: 'The flow failed at "stop".', details: { data: { n: 1 } } },
  });
  assert.deepEqual(pureNodeOutcome('fail', 'stop', { message: 'no' }, []), {
    kind: 'fail',
    error: { code: 'E_FLOW_FAILED', message: 'no' },
  });
});
