// The page of indexeddb.bench.ts: a durable sequential flow of 1,000 host-action nodes on the
// IndexedDB store (each node's completion committed before the next starts), timed per node.
import { createEngine, type FlowDefinition, type FlowNode } from '@millrace/engine';
import { createIndexedDbStore } from '@millrace/adapters/indexeddb';

const NODES = 1000;
const RUNS = 5;

function chain(n: number): FlowDefinition {
  const nodes: FlowNode[] = [];
  const edges: { from: string; to: string }[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `a${i}`, type: 'step', input: { v: i } });
    if (i > 0) edges.push({ from: `a${i - 1}`, to: `a${i}` });
  }
  return { format: 'millrace.flow/v1', id: `chain${n}`, nodes, edges };
}

async function measure(): Promise<{ perNodeMs: number[]; appends: number }> {
  const store = await createIndexedDbStore({ name: `bench-${Date.now()}` });
  let appends = 0;
  const append = store.append;
  store.append = (...args) => {
    appends++;
    return append(...args);
  };
  const engine = createEngine({
    store,
    actions: [
      {
        type: 'step',
        title: 'A host action that returns at once',
        run: (input: unknown) => ({ v: (input as { v: number }).v }),
      },
    ],
  });
  const flow = chain(NODES);
  await engine.deploy(flow);
  await (await engine.start(flow.id)).result(); // warm-up
  appends = 0;
  const perNodeMs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    await (await engine.start(flow.id)).result();
    perNodeMs.push((performance.now() - t0) / NODES);
  }
  await engine.close();
  store.close();
  return { perNodeMs, appends: appends / RUNS };
}

(globalThis as { benchResult?: unknown }).benchResult = measure();
