import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { storeConformance } from '@millrace/adapters/conformance';
import type { PostgresStore } from '@millrace/adapters/postgres';

/**
 * The store conformance suite on one Postgres database: every test gets a tenant of its own,
 * which is an empty store (every key starts with the tenant), so one database serves them all.
 * `open` must open the same database each time: `reopen` closes it and opens it again (tests
 * run one after another, so the others then use the reopened store).
 */
export function postgresConformance(name: string, open: () => Promise<PostgresStore>): void {
  let base: Promise<PostgresStore> | undefined;
  const prefix = randomUUID().slice(0, 8);
  let n = 0;
  storeConformance(
    name,
    async () => {
      base ??= open();
      const tenant = `conformance-${prefix}-${n++}`;
      return {
        store: (await base).forTenant(tenant),
        reopen: async () => {
          await (await base!).close();
          base = open();
          return (await base).forTenant(tenant);
        },
      };
    },
    {
      test: (title, fn) => test(title, fn),
      equal: (a, b, m) => assert.equal(a, b, m),
      deepEqual: (a, b, m) => assert.deepEqual(a, b, m),
      ok: (v, m) => assert.ok(v, m),
    },
    { reopen: true, tenants: true },
  );
  after(async () => {
    if (base) await (await base).close();
  });
}
