// The page side of worker-bridge.bench.ts: the same flow started in-process and through
// connectEngine in a module Worker; per start, and per start + result.
import { createEngine, type Engine, type FlowDefinition } from '@millrace/engine';
import { connectEngine } from '@millrace/engine/worker';

const FLOW: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'one',
  nodes: [{ id: 'shape', type: 'transform', input: { n: '$<flow.input.n + 1>' } }],
  edges: [],
};
const ROUNDS = 7;
const PER_ROUND = 300;

async function time(engine: Engine, withResult: boolean): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    for (let i = 0; i < PER_ROUND; i++) {
      const run = await engine.start('one', { n: i });
      if (withResult) await run.result();
    }
    out.push((performance.now() - start) / PER_ROUND);
  }
  return out;
}

async function measure() {
  const local = createEngine();
  // The bench's tsconfig has no DOM lib: the Worker constructor is typed here.
  const { Worker } = globalThis as unknown as {
    Worker: new (
      url: string,
      options: { type: 'module' },
    ) => Parameters<typeof connectEngine>[0] & { terminate(): void };
  };
  const worker = new Worker('/engine-worker.js', { type: 'module' });
  const remote = connectEngine(worker);
  await local.deploy(FLOW);
  await remote.deploy(FLOW);
  // Warm-up: JIT, comlink's first round trips.
  for (let i = 0; i < 300; i++) {
    await (await local.start('one', { n: i })).result();
    await (await remote.start('one', { n: i })).result();
  }
  // Interleaved, so both sides see the same load.
  const result = {
    localStart: [] as number[],
    remoteStart: [] as number[],
    localRun: [] as number[],
    remoteRun: [] as number[],
  };
  for (let k = 0; k < 3; k++) {
    result.localStart.push(...(await time(local, false)));
    result.remoteStart.push(...(await time(remote, false)));
    result.localRun.push(...(await time(local, true)));
    result.remoteRun.push(...(await time(remote, true)));
  }
  worker.terminate();
  return result;
}

(globalThis as { benchResult?: Promise<unknown> }).benchResult = measure();
