import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputProblems } from '../../../src/runtime/engine/start-input.ts';
import { flow, harness, rejection } from '../helpers.ts';

const schema = {
  type: 'object',
  required: ['amount', 'customer'],
  properties: {
    amount: { type: 'number', minimum: 0 },
    customer: {
      type: 'object',
      required: ['email'],
      properties: { email: { type: 'string', format: 'email' }, name: { type: 'string' } },
    },
    tags: { type: 'array', items: { type: 'string' } },
  },
};

test('one problem per field, each at its JSON pointer', () => {
  const problems = inputProblems(schema, {
    amount: -5,
    customer: { name: 7 },
    tags: ['ok', 3],
  });
  assert.deepEqual(problems.map((p) => p.pointer).sort(), [
    '/amount',
    '/customer/email',
    '/customer/name',
    '/tags/1',
  ]);
  for (const p of problems) assert.equal(typeof p.message, 'string');
  assert.deepEqual(
    inputProblems(schema, {}).map((p) => p.pointer),
    ['/amount', '/customer'],
  );
  assert.deepEqual(inputProblems(schema, { amount: 1, customer: { email: 'a@b.co' } }), []);
  assert.deepEqual(
    inputProblems({ type: 'object' }, 'text').map((p) => p.pointer),
    [''],
  );
});

test('a manual start with bad input fails with E_INPUT_INVALID and stores nothing', async () => {
  const h = harness();
  await h.engine.deploy(
    flow([{ id: 'a', type: 'transform', input: { v: 1 } }], [], { input: schema }),
  );
  const err = await rejection(h.engine.start('f', { amount: 'lots', customer: {} }));
  assert.equal(err['code'], 'E_INPUT_INVALID');
  assert.equal(err['path'], '/amount');
  const errors = (err['details'] as { errors: { pointer: string; message: string }[] }).errors;
  assert.deepEqual(
    errors.map((e) => e.pointer),
    ['/amount', '/customer/email'],
  );
  assert.deepEqual(await h.engine.listRuns(), []);
  const ok = await h.engine.start('f', { amount: 3, customer: { email: 'dana@example.com' } });
  assert.deepEqual(await ok.result(), { v: 1 });
});

test('the schema of the started version applies (an older version may take other input)', async () => {
  const h = harness();
  await h.engine.deploy(flow([{ id: 'a', type: 'transform', input: { v: 1 } }]));
  await h.engine.deploy(
    flow([{ id: 'a', type: 'transform', input: { v: 2 } }], [], { input: schema }),
  );
  assert.equal((await rejection(h.engine.start('f', {})))['code'], 'E_INPUT_INVALID');
  assert.deepEqual(await (await h.engine.start('f', {}, { version: 1 })).result(), { v: 1 });
});

test('event payloads that start a flow are not checked against its input schema', async () => {
  const h = harness();
  await h.engine.deploy(
    flow([{ id: 'a', type: 'transform', input: { v: 1 } }], [], {
      input: schema,
      triggers: [{ id: 'e', kind: 'event', event: 'ping' }],
    }),
  );
  const { started } = await h.engine.emit('ping', { anything: true });
  assert.equal(started.length, 1);
});
