import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrateFlow, type FlowMigration } from '../../src/model/migrate-flow.ts';
import { MillraceError } from '../../src/errors/millrace-error.ts';

test('a current document passes through unchanged (as a copy)', () => {
  const doc = { format: 'millrace.flow/v1', id: 'a', nodes: [] };
  const { flow, steps } = migrateFlow(doc);
  assert.deepEqual(flow, doc);
  assert.notEqual(flow, doc);
  assert.deepEqual(steps, ['millrace.flow/v1']);
});

test('a document without format is taken as the current format', () => {
  assert.equal(migrateFlow({ id: 'a', nodes: [] }).flow.format, 'millrace.flow/v1');
});

test('chains registered migrations without mutating the input', () => {
  const migrations: FlowMigration[] = [
    {
      from: 'millrace.flow/v0',
      to: 'millrace.flow/v0.5',
      migrate: (d) => ({ ...d, nodes: d['steps'], steps: undefined }),
    },
    {
      from: 'millrace.flow/v0.5',
      to: 'millrace.flow/v1',
      migrate: (d) => ({ ...d, id: String(d['name']).toLowerCase() }),
    },
  ];
  const old = { format: 'millrace.flow/v0', name: 'Old', steps: [{ id: 'x', type: 'log' }] };
  const { flow, steps } = migrateFlow(old, migrations);
  assert.deepEqual(steps, ['millrace.flow/v0', 'millrace.flow/v0.5', 'millrace.flow/v1']);
  assert.equal(flow.id, 'old');
  assert.deepEqual(flow.nodes, [{ id: 'x', type: 'log' }]);
  assert.equal(old.format, 'millrace.flow/v0');
});

test('an unknown format is a typed error naming the format', () => {
  assert.throws(
    () => migrateFlow({ format: 'n8n/v1' }),
    (err: unknown) =>
      err instanceof MillraceError &&
      err.code === 'E_FLOW_FORMAT' &&
      /n8n\/v1/.test(err.message) &&
      err.path === '/format',
  );
  assert.throws(
    () => migrateFlow('x'),
    (err: unknown) => err instanceof MillraceError && err.code === 'E_FLOW_FORMAT',
  );
});
