import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createEngine, type FlowDefinition } from '@millrace/engine';
import { openPostgresStore } from '@millrace/adapters/postgres';

// Scale-out on a real PostgreSQL server (issue 11): three worker processes share 300 deferred
// runs of a flow with parallel branches and a wait; one worker is killed with SIGKILL midway.
// Every run must finish with the right output, and no node whose success was recorded may run
// again (its side effects are rows of their own table, keyed by idempotency key).
const url = process.env['MILLRACE_PG_URL'];
const worker = fileURLToPath(new URL('./scale-out-worker.ts', import.meta.url));

const flow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'fan',
  nodes: [
    { id: 'left', type: 'effect', input: { v: '$<flow.input.n>' } },
    { id: 'right', type: 'effect', input: { v: '$<flow.input.n * 10>' } },
    { id: 'pause', type: 'wait', input: { durationMs: 200 } },
    {
      id: 'sum',
      type: 'transform',
      input: { total: '$<nodes.left.output.v + nodes.right.output.v>' },
    },
  ],
  edges: [
    { from: 'left', to: 'pause' },
    { from: 'right', to: 'pause' },
    { from: 'pause', to: 'sum' },
  ],
};

function start(tenant: string, name: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-C', 'source', '--import', 'tsx', worker, url!, tenant, name],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`worker ${name} exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
  });
}

const RUNS = 300;

test(
  'postgres (server): 3 worker processes share 300 runs; one is killed with SIGKILL midway; every run finishes once',
  {
    skip: url ? false : 'MILLRACE_PG_URL is not set (.ci/run starts a server and sets it)',
    timeout: 180_000,
  },
  async (t) => {
    const tenant = `scale-${randomUUID().slice(0, 8)}`;
    const store = await openPostgresStore({ url: url!, tenant });
    await store.client.query(
      'create table if not exists scale_effects (tenant text not null, key text not null, worker text not null, at double precision not null)',
    );
    // The front end deploys and starts (deferred): it knows the action, the workers run it.
    const front = createEngine({
      store,
      actions: [
        {
          type: 'effect',
          title: 'Effect',
          run: () => assert.fail('the front end runs no step'),
        },
      ],
    });
    await front.deploy(flow);
    const runIds: string[] = [];
    for (let n = 0; n < RUNS; n++)
      runIds.push((await front.start('fan', { n }, { defer: true })).id);

    const workers = await Promise.all(['w1', 'w2', 'w3'].map((name) => start(tenant, name)));
    const succeeded = async (): Promise<number> =>
      (
        await store.client.query<{ n: number }>(
          "select count(*)::int as n from millrace_runs where tenant = $1 and status = 'succeeded'",
          [tenant],
        )
      ).rows[0]!.n;
    let killed = false;
    try {
      const deadline = Date.now() + 150_000;
      for (;;) {
        const done = await succeeded();
        if (!killed && done >= RUNS / 5) {
          workers[0]!.kill('SIGKILL');
          killed = true;
        }
        if (done >= RUNS) break;
        if (Date.now() > deadline) assert.fail(`only ${done} of ${RUNS} runs finished in time`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      for (const w of workers.slice(killed ? 1 : 0)) w.kill('SIGTERM');
      await Promise.all(
        workers.map(
          (w) =>
            new Promise((resolve) =>
              w.exitCode !== null || w.signalCode !== null
                ? resolve(null)
                : w.once('exit', resolve),
            ),
        ),
      );
    }
    assert.ok(killed, 'a worker was killed midway');

    for (const [n, runId] of runIds.entries()) {
      const run = await front.getRun(runId);
      assert.equal(run?.status, 'succeeded', `run ${n}`);
      assert.deepEqual(run?.output, { total: n + n * 10 }, `run ${n}`);
    }
    const effects = (
      await store.client.query<{ key: string; workers: string[] }>(
        'select key, array_agg(worker order by at) as workers from scale_effects where tenant = $1 group by key',
        [tenant],
      )
    ).rows;
    assert.equal(effects.length, RUNS * 2, 'every effect node ran');
    // A step runs at least once: it ran twice only when it was in flight in the killed worker
    // (its success unrecorded), and then once more elsewhere.
    const twice = effects.filter((e) => e.workers.length > 1);
    for (const e of twice) {
      assert.equal(e.workers.length, 2, `${e.key} ran ${e.workers.length} times`);
      assert.equal(e.workers[0], 'w1', `${e.key} ran twice, first in ${e.workers[0]}`);
      assert.notEqual(e.workers[1], 'w1');
    }
    assert.ok(twice.length <= 10, `${twice.length} steps were in flight in the killed worker`);
    const byWorker: Record<string, number> = {};
    for (const e of effects) byWorker[e.workers.at(-1)!] = (byWorker[e.workers.at(-1)!] ?? 0) + 1;
    t.diagnostic(
      `${twice.length} steps ran again after the kill; steps by the worker that finished them: ${JSON.stringify(byWorker)}`,
    );
    await front.close();
    await store.close();
  },
);
