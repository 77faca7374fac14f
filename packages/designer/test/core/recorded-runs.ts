/**
 * Event streams of real runs on the real engine, on a SimulatedClock: exact times, no sleeping.
 * Shared by the timeline, feed and iteration-choice specs.
 */
import {
  SimulatedClock,
  createEngine,
  createMemoryStore,
  sequentialIds,
  settle,
  type ActionCatalog,
  type ActionDefinition,
  type EngineLimits,
  type FlowDefinition,
  type RunEvent,
} from '@millrace/engine';

/** The simulated clock starts here (2026-01-01T00:00:00Z); times in specs are offsets from it. */
export const T0 = Date.UTC(2026, 0, 1);

export interface Recorder {
  readonly clock: SimulatedClock;
  /** Runs a flow until it parks or ends; `approve` answers every approval once it is reached. */
  run(
    flow: FlowDefinition,
    options?: { readonly approveAfterMs?: number; readonly input?: unknown },
  ): Promise<RunEvent[]>;
}

/**
 * Host actions that take simulated time: `work` takes `input.ms`, `flaky` fails its first try,
 * `failOnce` fails its first call.
 */
function actions(clock: SimulatedClock): ActionDefinition[] {
  let calls = 0;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      clock.setTimer(ms, resolve);
    });
  return [
    {
      type: 'work',
      title: 'Work',
      run: async (input) => {
        await sleep(Number((input as { ms?: number }).ms ?? 10));
        return { done: true };
      },
    },
    {
      // Fails its first call in this recorder, whatever the attempt (for container retries).
      type: 'failOnce',
      title: 'Fail once',
      run: async () => {
        await sleep(10);
        if (calls++ === 0) throw new Error('first call fails');
        return { ok: true };
      },
    },
    {
      type: 'flaky',
      title: 'Flaky',
      run: async (input, ctx) => {
        await sleep(Number((input as { ms?: number }).ms ?? 10));
        if (ctx.attempt === 1) throw new Error('first try fails');
        return { ok: true };
      },
    },
  ];
}

export function recorder(limits: EngineLimits = {}): Recorder {
  const clock = new SimulatedClock(T0);
  const store = createMemoryStore();
  const engine = createEngine({
    store,
    clock,
    ids: sequentialIds(),
    limits,
    actions: actions(clock),
  });
  return {
    clock,
    async run(flow, options = {}) {
      await engine.deploy(flow);
      const handle = await engine.start(flow.id, options.input ?? {});
      // Fire timers one at a time until none is left; answer approvals when they come up.
      for (let guard = 0; guard < 1000; guard++) {
        await settle(200);
        const waiting = (await engine.listWaiting()).filter((w) => w.kind === 'approval');
        if (waiting.length > 0 && options.approveAfterMs !== undefined) {
          await clock.advance(options.approveAfterMs);
          for (const w of waiting) await engine.signal(w.token, { approved: true, by: 'dana' });
          continue;
        }
        const due = clock.nextDue;
        if (due === undefined) break;
        await clock.advance(Math.max(0, due - clock.now()));
      }
      await settle(200);
      return store.readEvents(handle.id);
    },
  };
}

export const FORMAT = 'millrace.flow/v1' as const;

/** The catalog entries of the recorder's host actions (for a designer showing these flows). */
export const CATALOG: ActionCatalog = [
  { type: 'work', title: 'Work' },
  { type: 'flaky', title: 'Flaky' },
  { type: 'failOnce', title: 'Fail once' },
];

/** A loop whose inside differs by iteration: `hit` runs only for the item 2 (iteration 1). */
export function gateFlow(): FlowDefinition {
  return {
    format: FORMAT,
    id: 'gate',
    name: 'Gate',
    nodes: [
      {
        id: 'each',
        type: 'forEach',
        name: 'Each item',
        input: { items: [1, 2, 3] },
        nodes: [
          { id: 'gate', type: 'if', input: { condition: '$<item == 2>' } },
          { id: 'hit', type: 'transform', input: { v: '$<item>' } },
        ],
        edges: [{ from: 'gate', port: 'true', to: 'hit' }],
      },
    ],
    edges: [],
  } as FlowDefinition;
}

/** A retry (50 ms try, 100 ms delay, 50 ms try), then a forEach of three 30 ms items, then an approval. */
export function mixedFlow(): FlowDefinition {
  return {
    format: FORMAT,
    id: 'mixed',
    nodes: [
      { id: 'fetch', type: 'flaky', input: { ms: 50 }, retry: { maxAttempts: 3, delayMs: 100 } },
      {
        id: 'each',
        type: 'forEach',
        input: { items: [1, 2, 3] },
        nodes: [{ id: 'enrich', type: 'work', input: { ms: 30 } }],
      },
      { id: 'ask', type: 'approval', input: { message: 'ok?' } },
      { id: 'done', type: 'transform', input: { ok: true } },
    ],
    edges: [
      { from: 'fetch', to: 'each' },
      { from: 'each', to: 'ask' },
      { from: 'ask', port: 'approved', to: 'done' },
    ],
  } as FlowDefinition;
}

/** Two loops, one inside the other: `outer` over 2 items, `inner` over 3 (then 2) items. */
export function nestedFlow(): FlowDefinition {
  return {
    format: FORMAT,
    id: 'nested',
    nodes: [
      {
        id: 'outer',
        type: 'forEach',
        input: {
          items: [
            [1, 2, 3],
            [4, 5],
          ],
        },
        nodes: [
          {
            id: 'inner',
            type: 'forEach',
            input: { items: '$<item>' },
            nodes: [{ id: 'cell', type: 'transform', input: { v: '$<item * 10>' } }],
          },
        ],
      },
    ],
    edges: [],
  } as FlowDefinition;
}
