import { test } from 'node:test';
import { openPostgresStore } from '@millrace/adapters/postgres';
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
