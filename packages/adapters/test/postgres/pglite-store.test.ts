import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMillraceError } from '@millrace/engine';
import { LOCK_FILE, MIGRATIONS, migrate, openPostgresStore } from '@millrace/adapters/postgres';
import { postgresConformance } from './postgres-conformance.ts';

const dir = (): string => mkdtempSync(join(tmpdir(), 'millrace-pglite-'));

// PGlite with its data on disk, as the Node host's embedded default.
const conformanceData = dir();
postgresConformance('postgres (PGlite on disk)', () =>
  openPostgresStore({ dataDir: conformanceData }),
);

test('PGlite: a reopened data directory has its flows, and migrating again applies nothing', async () => {
  const data = dir();
  const first = await openPostgresStore({ dataDir: data });
  await first.saveFlow({ format: 'millrace.flow/v1', id: 'kept', nodes: [] }, 1);
  await first.close();
  const second = await openPostgresStore({ dataDir: data });
  try {
    assert.equal((await second.getFlow('kept'))?.version, 1);
    assert.deepEqual(await migrate(second.client), []);
    const { rows } = await second.client.query<{ id: string }>(
      'select id from millrace_migrations order by id',
    );
    assert.deepEqual(
      rows.map((r) => r.id),
      MIGRATIONS.map((m) => m.id),
    );
  } finally {
    await second.close();
  }
});

test('PGlite: a data directory in use by a live process is refused with E_STORE_LOCKED', async () => {
  const data = dir();
  const first = await openPostgresStore({ dataDir: data });
  try {
    await assert.rejects(openPostgresStore({ dataDir: data }), (error: unknown) => {
      assert.ok(isMillraceError(error));
      assert.equal(error.code, 'E_STORE_LOCKED');
      return true;
    });
    // The first store is unharmed.
    await first.saveFlow({ format: 'millrace.flow/v1', id: 'still', nodes: [] }, 1);
    assert.equal((await first.getFlow('still'))?.version, 1);
  } finally {
    await first.close();
  }
  assert.equal(existsSync(join(data, LOCK_FILE)), false, 'closing releases the lock');
});

test('PGlite: the lock of a process that died is taken over', async () => {
  const data = dir();
  // No process has this pid (pids are below 2^22 on Linux).
  writeFileSync(join(data, LOCK_FILE), '4999999');
  const store = await openPostgresStore({ dataDir: data });
  await store.close();
});
