import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { MIGRATIONS, openPostgresStore } from '@millrace/adapters/postgres';
import { postgresConformance } from './postgres-conformance.ts';

// A real PostgreSQL server: `.ci/run` starts Debian's PostgreSQL 15 and sets MILLRACE_PG_URL.
const url = process.env['MILLRACE_PG_URL'];

if (url) {
  postgresConformance('postgres (server)', () => openPostgresStore({ url }));
} else {
  test('postgres (server): skipped — MILLRACE_PG_URL is not set (.ci/run starts a server and sets it)', (t) => {
    t.skip('MILLRACE_PG_URL is not set');
  });
}

if (url) {
  test('postgres (server): two processes opening a fresh database at once apply each migration once', async () => {
    const name = `millrace_migrate_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const fresh = new URL(url);
      fresh.pathname = `/${name}`;
      // Two pools, as two processes would have: they race for the migration lock.
      const [a, b] = await Promise.all([
        openPostgresStore({ url: fresh.toString() }),
        openPostgresStore({ url: fresh.toString() }),
      ]);
      try {
        const { rows } = await a.client.query<{ id: string }>(
          'select id from millrace_migrations order by id',
        );
        assert.deepEqual(
          rows.map((r) => r.id),
          MIGRATIONS.map((m) => m.id),
        );
        await a.saveFlow({ format: 'millrace.flow/v1', id: 'f', nodes: [] }, 1);
        assert.equal((await b.getFlow('f'))?.version, 1, 'both see one schema');
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      await admin.query(`drop database ${name}`);
      await admin.end();
    }
  });
}

if (url) {
  test('postgres (server): concurrent appends commit together; a conflict among them fails alone', async () => {
    const store = await openPostgresStore({ url, tenant: `group-${randomUUID().slice(0, 8)}` });
    try {
      const created = (runId: string) => ({
        type: 'RunCreated' as const,
        seq: 1,
        at: 1,
        runId,
        flowId: 'f',
        flowVersion: 1,
        input: {},
        trigger: { kind: 'api' as const },
        vars: {},
      });
      const summary = (runId: string, lastSeq = 1) => ({
        runId,
        flowId: 'f',
        flowVersion: 1,
        status: 'running' as const,
        createdAt: 1,
        updatedAt: 1,
        waiting: [],
        lastSeq,
      });
      await store.append('taken', [created('taken')], summary('taken'));
      const ids = Array.from({ length: 60 }, (_, i) => `r${i}`);
      const results = await Promise.allSettled([
        ...ids.map((id) => store.append(id, [created(id)], summary(id))),
        // Continues nothing: the log of `taken` already has seq 1.
        store.append('taken', [created('taken')], summary('taken')),
      ]);
      const failed = results.filter((r) => r.status === 'rejected');
      assert.equal(failed.length, 1);
      assert.equal(
        ((failed[0] as PromiseRejectedResult).reason as { code: string }).code,
        'E_STORE_CONFLICT',
      );
      for (const id of ids) assert.equal((await store.load(id))?.events.length, 1, id);
      assert.equal((await store.load('taken'))?.events.length, 1);
    } finally {
      await store.close();
    }
  });
}
