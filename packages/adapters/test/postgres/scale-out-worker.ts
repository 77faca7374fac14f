// A worker process of the scale-out test (scale-out.test.ts) and benchmark: an engine on the
// shared Postgres database that only claims due work.
// Usage: node -C source --import tsx scale-out-worker.ts URL TENANT NAME [--no-effects] [--start-at MS]
// (--no-effects: the steps only wait 20 ms, recording nothing of their own; --start-at: begin
// claiming at that epoch time, so that several workers start together: the benchmark.)
import { createEngine } from '@millrace/engine';
import { openPostgresStore } from '@millrace/adapters/postgres';

const [url, tenant, name] = process.argv.slice(2) as [string, string, string];
const effects = !process.argv.includes('--no-effects');
const store = await openPostgresStore({ url, tenant, poolSize: 4 });
const engine = createEngine({
  store,
  owner: name,
  leaseMs: 1_500,
  limits: { maxConcurrentNodes: 10 },
  actions: [
    {
      type: 'effect',
      title: 'A side effect (a row in its own table) and 20 ms of simulated I/O',
      async run(input, ctx) {
        if (effects) {
          await store.client.query(
            'insert into scale_effects (tenant, key, worker, at) values ($1, $2, $3, $4)',
            [tenant, ctx.idempotencyKey, name, Date.now()],
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { v: (input as { v: number }).v };
      },
    },
  ],
});
const at = process.argv.indexOf('--start-at');
const startAt = at === -1 ? 0 : Number(process.argv[at + 1]);
process.stdout.write('ready\n');
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
const loop = engine.work({ pollMs: 50, maxRuns: 20 });
process.on('SIGTERM', () => {
  void (async () => {
    await loop.stop();
    await engine.close();
    await store.close();
    process.exit(0);
  })();
});
