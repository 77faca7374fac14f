// Benchmarks of the Postgres store (issue 11). Run:
//   node -C source --import tsx packages/adapters/bench/postgres.bench.ts [--runs 3] [--only seq,chain,parallel,scale]
// With MILLRACE_PG_URL set the server is measured too (`.ci/run` shows how to start one).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type FlowDefinition, type FlowNode, type RunStore } from '@millrace/engine';
import { openPostgresStore, type PostgresStore } from '@millrace/adapters/postgres';

const url = process.env['MILLRACE_PG_URL'];
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
};
const runs = Number(arg('runs', '3'));
const only = new Set(arg('only', 'seq,chain,parallel,scale').split(','));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const step = {
  type: 'step',
  title: 'A host action that returns at once',
  run: (input: unknown) => ({ v: (input as { v: number }).v }),
};

function chain(n: number, pureBetween = 0): FlowDefinition {
  const nodes: FlowNode[] = [];
  const edges: { from: string; to: string }[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `a${i}`, type: 'step', input: { v: i } });
    if (i > 0) edges.push({ from: nodes[nodes.length - 2]!.id, to: `a${i}` });
    for (let p = 0; p < pureBetween && i < n - 1; p++) {
      nodes.push({ id: `p${i}_${p}`, type: 'transform', input: { x: `$<nodes.a${i}.output.v>` } });
      edges.push({ from: nodes[nodes.length - 2]!.id, to: `p${i}_${p}` });
    }
  }
  return { format: 'millrace.flow/v1', id: `chain${n}_${pureBetween}`, nodes, edges };
}

/** Counts the store's appends (each is one commit). */
function counting<S extends RunStore>(store: S): { store: S; appends: () => number } {
  let n = 0;
  const wrapped = Object.create(store) as S;
  wrapped.append = (...args) => {
    n++;
    return store.append(...args);
  };
  return { store: wrapped, appends: () => n };
}

async function stores(): Promise<{ name: string; open: () => Promise<PostgresStore> }[]> {
  const out = [
    {
      name: 'PGlite on disk',
      open: () => openPostgresStore({ dataDir: mkdtempSync(join(tmpdir(), 'millrace-bench-')) }),
    },
  ];
  if (url)
    out.push({
      name: 'PostgreSQL 15 server',
      open: () => openPostgresStore({ url, tenant: `bench-${randomUUID().slice(0, 8)}` }),
    });
  return out;
}

async function sequential(): Promise<void> {
  for (const { name, open } of await stores()) {
    const store = await open();
    const engine = createEngine({ store, actions: [step] });
    const flow = chain(1000);
    await engine.deploy(flow);
    await (await engine.start(flow.id)).result(); // warm-up
    const perNode: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      await (await engine.start(flow.id)).result();
      perNode.push((performance.now() - t0) / 1000);
    }
    console.log(
      `sequential 1,000 host-action nodes, ${name}: ${median(perNode).toFixed(3)} ms per node (runs ${perNode.map((x) => x.toFixed(3)).join(', ')})`,
    );
    await engine.close();
    await store.close();
  }
}

async function pureChain(): Promise<void> {
  const { name, open } = (await stores())[0]!;
  const store = await open();
  for (const pure of [0, 20]) {
    const c = counting(store);
    const engine = createEngine({ store: c.store, flowStore: store, actions: [step] });
    const flow = chain(2, pure);
    await engine.deploy(flow);
    const before = c.appends();
    await (await engine.start(flow.id)).result();
    console.log(
      `two actions with ${pure} pure nodes between them, ${name}: ${c.appends() - before} commits`,
    );
    await engine.close();
  }
  await store.close();
}

async function parallel(): Promise<void> {
  if (!url) return console.log('parallel: skipped (MILLRACE_PG_URL not set)');
  const store = await openPostgresStore({
    url,
    tenant: `bench-${randomUUID().slice(0, 8)}`,
    poolSize: 8,
  });
  const engine = createEngine({ store, actions: [step] });
  const flow = chain(10);
  await engine.deploy(flow);
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const handles = await Promise.all(Array.from({ length: 300 }, () => engine.start(flow.id)));
    await Promise.all(handles.map((h) => h.result()));
    rates.push((300 * 10) / ((performance.now() - t0) / 1000));
  }
  console.log(
    `parallel: 300 runs × 10 host-action nodes at once, 8 connections: ${Math.round(median(rates))} node completions/s (runs ${rates.map(Math.round).join(', ')})`,
  );
  await engine.close();
  await store.close();
}

const worker = fileURLToPath(new URL('../test/postgres/scale-out-worker.ts', import.meta.url));

function startWorker(tenant: string, name: string, startAt: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '-C',
      'source',
      '--import',
      'tsx',
      worker,
      url!,
      tenant,
      name,
      '--no-effects',
      '--start-at',
      String(startAt),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
  });
}

async function scale(): Promise<void> {
  if (!url) return console.log('scale-out: skipped (MILLRACE_PG_URL not set)');
  const flow: FlowDefinition = {
    format: 'millrace.flow/v1',
    id: 'io',
    nodes: ['a', 'b', 'c'].map((id) => ({ id, type: 'effect', input: { v: 1 } })),
    edges: [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
    ],
  };
  const seconds: Record<number, number[]> = { 1: [], 2: [] };
  for (let r = 0; r < runs; r++) {
    for (const count of [1, 2]) {
      const tenant = `bench-scale-${randomUUID().slice(0, 8)}`;
      const store = await openPostgresStore({ url, tenant });
      await store.client.query(
        'create table if not exists scale_effects (tenant text not null, key text not null, worker text not null, at double precision not null)',
      );
      const front = createEngine({
        store,
        actions: [{ type: 'effect', title: 'Effect', run: () => null }],
      });
      await front.deploy(flow);
      for (let i = 0; i < 1000; i++) await front.start('io', {}, { defer: true });
      // The workers start up first, then begin claiming at the same moment.
      const startAt = Date.now() + 4_000;
      const workers = await Promise.all(
        Array.from({ length: count }, (_, i) => startWorker(tenant, `w${i + 1}`, startAt)),
      );
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
      const t0 = performance.now();
      for (;;) {
        const { rows } = await store.client.query<{ n: number }>(
          "select count(*)::int as n from millrace_runs where tenant = $1 and status = 'succeeded'",
          [tenant],
        );
        if (rows[0]!.n >= 1000) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      seconds[count]!.push((performance.now() - t0) / 1000);
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
      await front.close();
      await store.close();
    }
  }
  const one = median(seconds[1]!);
  const two = median(seconds[2]!);
  console.log(
    `scale-out: 1,000 runs of 3 nodes of 20 ms I/O, maxConcurrentNodes 10 per worker: 1 worker ${one.toFixed(2)} s, 2 workers ${two.toFixed(2)} s — ${(one / two).toFixed(2)}× (runs 1: ${seconds[1]!.map((s) => s.toFixed(2)).join(', ')}; 2: ${seconds[2]!.map((s) => s.toFixed(2)).join(', ')})`,
  );
}

if (only.has('seq')) await sequential();
if (only.has('chain')) await pureChain();
if (only.has('parallel')) await parallel();
if (only.has('scale')) await scale();
