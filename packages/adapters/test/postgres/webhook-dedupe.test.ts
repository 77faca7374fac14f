import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createEngine, signWebhook, type FlowDefinition } from '@millrace/engine';
import { openPostgresStore } from '@millrace/adapters/postgres';

// Webhook de-duplication across processes on a real PostgreSQL server: two receiver processes
// (createHttpHandler, each with its own pool, as two `millrace serve` would be) get every
// signed delivery at the same instant, many times over; each delivery starts exactly one run.
const url = process.env['MILLRACE_PG_URL'];
const receiver = fileURLToPath(new URL('./webhook-server.ts', import.meta.url));
const SECRET = 'whsec-dedupe';
const DELIVERIES = 150;
const COPIES = 2; // of each delivery, to each process, at once

const flow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'hooked',
  nodes: [{ id: 'keep', type: 'transform', input: { delivery: '$<flow.input.delivery>' } }],
  output: '$<nodes.keep.output>',
  triggers: [{ id: 'hook', kind: 'webhook', path: 'orders', secret: '$<secrets.HOOK>' }],
} as unknown as FlowDefinition;

interface Receiver {
  readonly child: ChildProcess;
  readonly url: string;
}

function startReceiver(): Promise<Receiver> {
  const child = spawn(
    process.execPath,
    ['-C', 'source', '--import', 'tsx', receiver, url!, SECRET],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the receiver exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /ready (\d+)/.exec(chunk.toString());
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    });
  });
}

async function stop({ child }: Receiver): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

test(
  'postgres (server): two receiver processes get each signed delivery at once, many times over; each starts exactly one run',
  {
    skip: url ? false : 'MILLRACE_PG_URL is not set (.ci/run starts a server and sets it)',
    timeout: 180_000,
  },
  async () => {
    const tenant = `hooks-${randomUUID().slice(0, 8)}`;
    const store = await openPostgresStore({ url: url!, tenant });
    const deployer = createEngine({ store, secrets: { HOOK: SECRET } });
    await deployer.deploy(flow, { activate: true });
    await deployer.close();
    const receivers = await Promise.all([startReceiver(), startReceiver()]);
    try {
      const answers: number[][] = [];
      // Ten deliveries in flight at a time; every copy of one is sent in the same tick.
      for (let from = 0; from < DELIVERIES; from += 10) {
        const batch = Array.from({ length: Math.min(10, DELIVERIES - from) }, async (_, i) => {
          const delivery = `d-${from + i}`;
          const body = JSON.stringify({ delivery });
          const t = Math.floor(Date.now() / 1000);
          const headers = {
            'content-type': 'application/json',
            'x-millrace-timestamp': String(t),
            'x-millrace-signature': await signWebhook(SECRET, body, t),
            'x-millrace-idempotency-key': delivery,
          };
          const sends = receivers.flatMap((r) =>
            Array.from({ length: COPIES }, () =>
              fetch(`${r.url}/hooks/${tenant}/orders`, { method: 'POST', headers, body }).then(
                async (res) => {
                  await res.arrayBuffer();
                  return res.status;
                },
              ),
            ),
          );
          return (await Promise.all(sends)).sort();
        });
        answers.push(...(await Promise.all(batch)));
      }
      const expected = [202, ...Array<number>(receivers.length * COPIES - 1).fill(409)];
      const wrong = answers.filter((a) => a.join() !== expected.join());
      assert.deepEqual(wrong, [], 'each delivery: one 202, every other copy 409');

      const { rows } = await store.client.query<{ delivery: string; runs: number }>(
        `select e.event->'input'->>'delivery' as delivery, count(*)::int as runs
           from millrace_events e
          where e.tenant = $1 and e.seq = 1
          group by 1`,
        [tenant],
      );
      assert.equal(rows.length, DELIVERIES, 'a run for every delivery');
      assert.deepEqual(
        rows.filter((r) => r.runs !== 1),
        [],
        'exactly one run per delivery id',
      );
    } finally {
      await Promise.all(receivers.map(stop));
      await store.close();
    }
  },
);
