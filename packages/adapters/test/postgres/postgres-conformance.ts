import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { storeConformance } from '@millrace/adapters/conformance';
import type { PostgresStore } from '@millrace/adapters/postgres';

/**
 * The store conformance suite on one Postgres database: every test gets a tenant of its own,
 * which is an empty store (every key starts with the tenant), so one database serves them all.
 */
export function postgresConformance(name: string, open: () => Promise<PostgresStore>): void {
  let base: Promise<PostgresStore> | undefined;
  const prefix = randomUUID().slice(0, 8);
  let n = 0;
  storeConformance(
    name,
    async () => {
      base ??= open();
      return { store: (await base).forTenant(`conformance-${prefix}-${n++}`) };
    },
    {
      test: (title, fn) => test(title, fn),
      equal: (a, b, m) => assert.equal(a, b, m),
      deepEqual: (a, b, m) => assert.deepEqual(a, b, m),
      ok: (v, m) => assert.ok(v, m),
    },
  );
  after(async () => {
    if (base) await (await base).close();
  });
}
