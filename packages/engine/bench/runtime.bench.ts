import {
  createEngine,
  createMemoryStore,
  sequentialIds,
  type FlowDefinition,
} from '@millrace/engine';

// Run-time benchmarks of issue 4, with the in-memory store. Each figure is the median of
// several runs; `npm run bench -- engine` prints them, docs/benchmarks.md records them.

function chain(n: number): FlowDefinition {
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: `n${i}`,
    type: 'transform',
    input: i === 0 ? { v: 0 } : { v: `$<nodes.n${i - 1}.output.v + 1>` },
  }));
  const edges = Array.from({ length: n - 1 }, (_, i) => ({ from: `n${i}`, to: `n${i + 1}` }));
  return { format: 'millrace.flow/v1', id: `chain${n}`, nodes, edges };
}

const forEachFlow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'foreach',
  nodes: [
    {
      id: 'each',
      type: 'forEach',
      input: { items: '$<flow.input.items>' },
      parallelism: 16,
      nodes: [{ id: 'body', type: 'transform', input: { v: '$<item * 2>' } }],
    },
  ],
};

const whileFlow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'while',
  nodes: [
    {
      id: 'loop',
      type: 'while',
      input: { condition: '$<index < flow.input.n>' },
      maxIterations: 1_000_000,
      nodes: [
        { id: 'check', type: 'if', input: { condition: '$<index % 2 == 0>' } },
        { id: 'step', type: 'transform', input: { i: '$<index>' } },
      ],
      edges: [{ from: 'check', port: 'true', to: 'step' }],
    },
  ],
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Deploys once, then starts `runs` runs one after another (after `warmup` unmeasured ones):
 * the steady state of a host that runs a deployed flow many times. `firstMs` is the first run
 * after deploy, when the flow's compiled expression closures are still cold.
 */
async function timeRun(flow: FlowDefinition, input: unknown, runs: number, warmup = 3) {
  const times: number[] = [];
  const store = createMemoryStore();
  const engine = createEngine({
    store,
    ids: sequentialIds(),
    limits: { snapshotEvery: 1_000_000 },
  });
  await engine.deploy(flow);
  let firstMs = 0;
  let events = 0;
  let bytes = 0;
  for (let r = 0; r < runs + warmup; r++) {
    const start = performance.now();
    const run = await engine.start(flow.id, input);
    await run.result();
    const ms = performance.now() - start;
    if (r === 0) firstMs = ms;
    if (r >= warmup) times.push(ms);
    if (r === 0) {
      const log = await store.readEvents(run.id);
      events = log.length;
      bytes = JSON.stringify(log).length;
    }
    // Drop the finished run so that every measured run starts with the same heap.
    store.truncateRun(run.id, 0);
  }
  await engine.close();
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return { ms: median(times), mean, firstMs, events, bytes };
}

/** Heap growth of one run (retained by the store afterwards, after a GC). */
async function heapOfRun(flow: FlowDefinition, input: unknown): Promise<number> {
  const store = createMemoryStore();
  const engine = createEngine({
    store,
    ids: sequentialIds(),
    limits: { snapshotEvery: 1_000_000 },
  });
  await engine.deploy(flow);
  const before = heapMb();
  const run = await engine.start(flow.id, input);
  await run.result();
  const after = heapMb();
  await engine.close();
  return after - before;
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

export async function runRuntimeBenchmarks(): Promise<void> {
  const row = (name: string, text: string) => console.log(`${name.padEnd(44)} ${text}`);
  const c1 = await timeRun(chain(1000), {}, 15);
  row(
    'sequential 1,000 transform nodes',
    `${c1.ms.toFixed(2)} ms = ${((c1.ms * 1000) / 1000).toFixed(2)} µs/node (first run ${c1.firstMs.toFixed(1)} ms); ${c1.events} events, ${(c1.bytes / 1000).toFixed(0)} B/node`,
  );
  const c10 = await timeRun(chain(10_000), {}, 7, 2);
  row(
    'sequential 10,000 vs 1,000 (means, GC included)',
    `${c10.mean.toFixed(2)} ms vs ${c1.mean.toFixed(2)} ms = ${(c10.mean / c1.mean).toFixed(1)}x`,
  );
  row(
    'sequential 10,000 transform nodes',
    `${c10.ms.toFixed(2)} ms = ${((c10.ms * 1000) / 10_000).toFixed(2)} µs/node (first run ${c10.firstMs.toFixed(1)} ms); ${(c10.ms / c1.ms).toFixed(1)}x the 1,000-node time`,
  );
  const items = Array.from({ length: 10_000 }, (_, i) => i);
  const fe = await timeRun(forEachFlow, { items }, 9);
  const feHeap = await heapOfRun(forEachFlow, { items });
  row(
    'forEach 10,000 items, parallelism 16',
    `${fe.ms.toFixed(2)} ms (first run ${fe.firstMs.toFixed(1)} ms); retained heap +${feHeap.toFixed(1)} MB; ${fe.events} events, ${(fe.bytes / 10_000).toFixed(0)} B/item`,
  );
  const wl = await timeRun(whileFlow, { n: 10_000 }, 7);
  row(
    'while 10,000 iterations (if + transform)',
    `${wl.ms.toFixed(2)} ms (first run ${wl.firstMs.toFixed(1)} ms); ${wl.events} events, ${(wl.bytes / 10_000).toFixed(0)} B/iteration`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await runRuntimeBenchmarks();
