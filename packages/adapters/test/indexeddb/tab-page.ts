import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { createEngine, type FlowDefinition } from '@millrace/engine';
import { createIndexedDbStore } from '@millrace/adapters/indexeddb';

// One tab of the tabs test (tab-page.html): its own engine over the shared database,
// driven by the test through the eval-in-tab command (scripts/wtr-tabs.mjs).

/** A side effect of the `effect` action: written before it works and after, by tab. */
export interface Effect {
  readonly run: string;
  readonly node: string;
  readonly tab: string;
  readonly phase: 'start' | 'end';
  /** Date.now() when written. */
  readonly at: number;
}

interface EffectsSchema extends DBSchema {
  effects: { key: number; value: Effect };
}

/**
 * The side effects of every tab on database `db`, in their own database (so the engine's store
 * is not what counts them), in the order they were written.
 */
export function openEffects(db: string): Promise<IDBPDatabase<EffectsSchema>> {
  return openDB<EffectsSchema>(`${db}-effects`, 1, {
    upgrade: (effects) => void effects.createObjectStore('effects', { autoIncrement: true }),
  });
}

/**
 * Parallel branches `a` and `b`, a timer (`pause`, which parks the run) once both are done,
 * then `c`; `a`, `b` and `c` are host actions with a side effect. Output: 2n + 1 for input n.
 */
export const tabsFlow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'tabs',
  nodes: [
    { id: 'a', type: 'effect', input: { n: '$<flow.input.n>' } },
    { id: 'b', type: 'effect', input: { n: '$<flow.input.n + 1>' } },
    { id: 'pause', type: 'wait', input: { durationMs: 300 }, join: 'all' },
    { id: 'c', type: 'effect', input: { n: '$<nodes.a.output.n + nodes.b.output.n>' } },
  ],
  edges: [
    { from: 'a', to: 'pause' },
    { from: 'b', to: 'pause' },
    { from: 'pause', to: 'c' },
  ],
  output: '$<nodes.c.output.n>',
};

/** What the test calls in a tab. */
export interface TabApi {
  deploy(): Promise<void>;
  /** Starts a run per input `{ n }`; answers their ids. */
  start(inputs: readonly number[]): Promise<string[]>;
  recover(): Promise<string[]>;
  /** Starts looking for due work (runs whose owner's lease lapsed, due timers). */
  work(pollMs: number): void;
  /** Lets the blocked effects go on (and those that come later). */
  release(): void;
}

/** Tab options from the page's query: `db`, `tab` (its owner id), `leaseMs`, `block` (node ids). */
export async function openTab(query: string): Promise<TabApi> {
  const params = new URLSearchParams(query);
  const db = params.get('db')!;
  const tab = params.get('tab')!;
  const block = new Set(params.get('block')?.split(',').filter(Boolean) ?? []);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const effects = await openEffects(db);
  const store = await createIndexedDbStore({ name: db });
  const engine = createEngine({
    store,
    owner: tab,
    leaseMs: Number(params.get('leaseMs')),
    actions: [
      {
        type: 'effect',
        title: 'Effect',
        async run(input, ctx) {
          const effect = { run: ctx.runId, node: ctx.nodeId, tab };
          // Committed before the work goes on: a tab that dies after this has left its trace.
          await effects.add('effects', { ...effect, phase: 'start', at: Date.now() });
          if (block.has(ctx.nodeId)) await gate;
          await effects.add('effects', { ...effect, phase: 'end', at: Date.now() });
          return { n: (input as { n: number }).n };
        },
      },
    ],
  });
  return {
    deploy: async () => void (await engine.deploy(tabsFlow)),
    start: (inputs) => Promise.all(inputs.map(async (n) => (await engine.start('tabs', { n })).id)),
    recover: () => engine.recover(),
    work: (pollMs) => void engine.work({ pollMs }),
    release: () => release(),
  };
}
