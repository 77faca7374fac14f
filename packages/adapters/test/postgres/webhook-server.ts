// A webhook receiver process of webhook-dedupe.test.ts: createHttpHandler over its own
// connection pool to the shared PostgreSQL database, configured as `millrace serve` is (the
// tenants' store given as `store`, so deliveries are claimed in the database).
// Usage: node -C source --import tsx webhook-server.ts URL SECRET — prints "ready PORT".
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, type Engine } from '@millrace/engine';
import { openPostgresStore } from '@millrace/adapters/postgres';
import { createHttpHandler } from '@millrace/adapters/http/server';

const [url, secret] = process.argv.slice(2) as [string, string];
const store = await openPostgresStore({ url, poolSize: 4 });
const engines = new Map<string, Engine>();
const engineOf = (tenant: string): Engine =>
  engines.get(tenant) ??
  engines
    .set(tenant, createEngine({ store: store.forTenant(tenant), secrets: { HOOK: secret } }))
    .get(tenant)!;
const handler = createHttpHandler(engineOf, {
  auth: () => true,
  store: (tenant) => store.forTenant(tenant),
  webhooks: { secrets: () => ({ HOOK: secret }) },
});
const server = createServer(handler);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => {
    void (async () => {
      for (const engine of engines.values()) await engine.close();
      await store.close();
      process.exit(0);
    })();
  });
});
