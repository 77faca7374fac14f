import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MillraceError, createEngine, type Engine, type EngineWorker } from '@millrace/engine';
import { createCodeRunner } from '@millrace/engine/code';
import { openPostgresStore } from '../postgres/open-postgres-store.ts';
import { createHttpHandler } from '../http/server/create-http-handler.ts';
import { API_META_NAME } from '../http/client/api-meta.ts';
import { loadHostModule } from './load-host-module.ts';
import { serveStatic } from './static-files.ts';
import type { CliIo } from './main.ts';

/**
 * The demo's build (`npm run build` in the Millrace workspace), served at `/` when present; the
 * same path from src/cli and dist/cli. An installed package has none: then only the API is served.
 */
const DEMO = fileURLToPath(new URL('../../../../dist/demo', import.meta.url));

/**
 * `millrace serve`: the engine on PGlite in `--data` (or PostgreSQL with `--pg`), the HTTP API
 * with webhooks, schedules and lease-based work sharing, and the built demo at `/`. One engine
 * per tenant over the tenant's view of the store. SIGTERM stops accepting and claiming, lets
 * the nodes in flight finish for up to `--grace-ms` (until every run loaded here has parked or
 * ended, so holds no lease), then closes: what still runs is released to the other processes,
 * or to the next `serve`, which continues it from its log. `--actions MODULE` gives the engines
 * that module's host actions (and secrets); the pages served get a meta tag naming the API.
 */
export async function serve(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string', default: './millrace-data' },
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      pg: { type: 'string' },
      'tenant-header': { type: 'string' },
      token: { type: 'string' },
      static: { type: 'string' },
      'grace-ms': { type: 'string', default: '10000' },
      actions: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new MillraceError('E_CLI_USAGE', `--port takes a port number, got "${values.port}".`);
  }
  const graceMs = Number(values['grace-ms']);
  if (!Number.isFinite(graceMs) || graceMs < 0) {
    throw new MillraceError(
      'E_CLI_USAGE',
      `--grace-ms takes milliseconds (0 or more), got "${values['grace-ms']}".`,
    );
  }
  // Before the store opens: a bad module is a usage error with nothing to close.
  const host = values.actions === undefined ? undefined : await loadHostModule(values.actions);
  const store = values.pg
    ? await openPostgresStore({ url: values.pg })
    : await openPostgresStore({ dataDir: values.data! });
  const codeRunner = createCodeRunner();
  const engines = new Map<string, { engine: Engine; worker: EngineWorker }>();
  // This process's lease owner: a run holds a lease of it exactly while loaded here.
  const owner = `serve_${process.pid}_${randomUUID().slice(0, 8)}`;
  const engineOf = (tenant: string): Engine => {
    let entry = engines.get(tenant);
    if (!entry) {
      const engine = createEngine({
        store: store.forTenant(tenant),
        codeRunner,
        owner,
        ...(host ? { actions: host.actions } : {}),
        ...(host?.secrets ? { secrets: host.secrets } : {}),
      });
      // Arms the tenant's schedules and continues what no other process owns; then shares the
      // deferred and orphaned runs with the other processes on the database.
      void engine.recover();
      entry = { engine, worker: engine.work() };
      engines.set(tenant, entry);
    }
    return entry.engine;
  };
  // Every tenant with flows gets its engine now: its schedules fire without a request first.
  const { rows } = await store.client.query<{ tenant: string }>(
    'select distinct tenant from millrace_flows',
  );
  for (const { tenant } of rows) engineOf(tenant);
  engineOf('default');

  const header = values['tenant-header']?.toLowerCase();
  const token = values.token;
  const api = createHttpHandler(engineOf, {
    auth: (req) => (token === undefined ? true : req.headers.authorization === `Bearer ${token}`),
    tenantOf: (req) => {
      const value = header ? req.headers[header] : undefined;
      return typeof value === 'string' && value !== '' ? value : 'default';
    },
    // Stored events for SSE, and webhook deliveries claimed in the database (claimOnce): every
    // serve on it accepts a delivery once.
    store: (tenant) => store.forTenant(tenant),
  });
  const site = values.static ?? (existsSync(DEMO) ? DEMO : undefined);
  // Tells the pages served (the demo) that the API is this server: they use it, not a local engine.
  const apiMeta = `<meta name="${API_META_NAME}" content="/" />`;
  const server = createServer((req, res) => {
    void (async () => {
      if (site && (await serveStatic(site, req, res, { head: apiMeta }))) return;
      await api(req, res);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, values.host, resolve);
  });
  const address = server.address();
  const where = typeof address === 'object' && address ? `${values.host}:${address.port}` : '';
  io.stderr.write(
    `millrace serve: http://${where}/ (${values.pg ? 'PostgreSQL' : `PGlite in ${values.data}`}${token ? ', bearer token required' : ''}${host ? `, ${host.actions.length} host actions from ${values.actions}` : ''}${site ? `, ${values.static ? site : 'the demo'} at /` : ', API only: no site at / (--static DIR serves one)'})\n`,
  );
  await (io.stopped ?? new Promise(() => undefined));
  io.stderr.write('millrace serve: stopping\n');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  for (const { worker } of engines.values()) await worker.stop();
  await drain(store, owner, graceMs, io);
  for (const { engine } of engines.values()) await engine.close();
  await codeRunner.close();
  await store.close();
  io.stderr.write('millrace serve: stopped\n');
  return 0;
}

/**
 * Waits up to `graceMs` for the runs loaded here to park or end: each releases its lease then.
 * Polled (every 50 ms) rather than observed, since leases are what the engines share anyway.
 */
async function drain(
  store: Awaited<ReturnType<typeof openPostgresStore>>,
  owner: string,
  graceMs: number,
  io: CliIo,
): Promise<void> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    // A lease whose release failed lapses by itself: only live ones are waited for.
    const held = await store.countLeases(owner, Date.now()).catch(() => 0); // the database is gone: nothing to wait for
    if (held === 0) return;
    if (Date.now() >= deadline) {
      io.stderr.write(
        `millrace serve: ${held} run(s) still in flight after ${graceMs} ms; releasing them\n`,
      );
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
