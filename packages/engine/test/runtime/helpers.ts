/**
 * Test helpers for the runtime specs: flows in one line, an engine on a simulated clock with
 * deterministic ids over an inspectable memory store, recording host actions, and ways to
 * drive time without ever sleeping.
 */
import {
  createEngine,
  createMemoryStore,
  sequentialIds,
  settle,
  SimulatedClock,
  type ActionContext,
  type ActionDefinition,
  type Edge,
  type Engine,
  type EngineOptions,
  type FlowDefinition,
  type FlowNode,
  type MemoryStore,
  type NodeView,
  type RunEvent,
  type RunView,
} from '@millrace/engine';

export const FORMAT = 'millrace.flow/v1' as const;

/** A flow with id `f` (override with `extra.id`). */
export function flow(
  nodes: readonly FlowNode[],
  edges: readonly Edge[] = [],
  extra: Partial<Omit<FlowDefinition, 'nodes' | 'edges' | 'format'>> = {},
): FlowDefinition {
  return { format: FORMAT, id: 'f', ...extra, nodes, edges };
}

/** Edges `a -> b -> c ...` on the default port. */
export function chain(...ids: string[]): Edge[] {
  const edges: Edge[] = [];
  for (let i = 1; i < ids.length; i++) edges.push({ from: ids[i - 1]!, to: ids[i]! });
  return edges;
}

export interface Harness {
  readonly engine: Engine;
  readonly clock: SimulatedClock;
  readonly store: MemoryStore;
}

export type HarnessOptions = Omit<EngineOptions, 'clock' | 'ids' | 'store'> & {
  readonly store?: MemoryStore;
  readonly clock?: SimulatedClock;
  readonly seed?: number;
};

/** An engine on a SimulatedClock, sequentialIds and a memory store (shareable between engines). */
export function harness(options: HarnessOptions = {}): Harness {
  const { store = createMemoryStore(), clock = new SimulatedClock(), seed, ...rest } = options;
  const engine = createEngine({ ...rest, store, clock, ids: sequentialIds(seed) });
  return { engine, clock, store };
}

/** Lets every pending promise chain run (generously: no real time passes). */
export function flush(): Promise<void> {
  return settle(400);
}

/** Moves simulated time forward by `ms`, one timer at a time, settling fully in between. */
export async function advance(clock: SimulatedClock, ms: number): Promise<void> {
  const target = clock.now() + ms;
  await flush();
  for (;;) {
    const due = clock.nextDue;
    if (due === undefined || due > target) break;
    await clock.advance(Math.max(0, due - clock.now()));
    await flush();
  }
  await clock.advance(Math.max(0, target - clock.now()));
  await flush();
}

/** Fires every timer until none is left, settling fully in between ("run to completion"). */
export async function drain(clock: SimulatedClock, maxSteps = 5_000): Promise<void> {
  await flush();
  for (let i = 0; i < maxSteps; i++) {
    const due = clock.nextDue;
    if (due === undefined) return;
    await clock.advance(Math.max(0, due - clock.now()));
    await flush();
  }
  throw new Error(`drain: timers still pending after ${maxSteps} steps`);
}

/** The state of a promise, readable without awaiting it (a parked run's result never settles). */
export interface Outcome<T = unknown> {
  settled: boolean;
  ok: boolean;
  value: T | undefined;
  error: unknown;
}

export function track<T>(promise: Promise<T>): Outcome<T> {
  const o: Outcome<T> = { settled: false, ok: false, value: undefined, error: undefined };
  promise.then(
    (v) => {
      o.settled = true;
      o.ok = true;
      o.value = v;
    },
    (e: unknown) => {
      o.settled = true;
      o.error = e;
    },
  );
  return o;
}

/** Awaits a promise that must reject and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}

export interface Executed {
  readonly id: string;
  readonly outcome: Outcome;
  readonly view: RunView;
  readonly events: RunEvent[];
}

/** Deploys `def`, starts it with `input`, runs every timer, and returns what happened. */
export async function execute(h: Harness, def: FlowDefinition, input?: unknown): Promise<Executed> {
  await h.engine.deploy(def);
  const handle = await h.engine.start(def.id, input);
  const outcome = track(handle.result());
  await drain(h.clock);
  return { id: handle.id, outcome, ...(await snapshot(h, handle.id)) };
}

/** The run's view and its stored events. */
export async function snapshot(
  h: Harness,
  runId: string,
): Promise<{ view: RunView; events: RunEvent[] }> {
  const view = await h.engine.getRun(runId);
  if (!view) throw new Error(`no run ${runId}`);
  return { view, events: await h.store.readEvents(runId) };
}

/** A node of a run view by path (throws when absent). */
export function node(view: RunView, path: string): NodeView {
  const found = view.nodes.find((n) => n.path === path);
  if (!found) {
    throw new Error(`no node "${path}" in run; have ${view.nodes.map((n) => n.path).join(', ')}`);
  }
  return found;
}

/** `Type path` strings of the events, for compact sequence assertions. */
export function trace(events: readonly RunEvent[], filter?: (e: RunEvent) => boolean): string[] {
  return events
    .filter(filter ?? (() => true))
    .map((e) => ('path' in e && e.path !== '' ? `${e.type} ${e.path}` : e.type));
}

/** Events of a given type (typed). */
export function ofType<T extends RunEvent['type']>(
  events: readonly RunEvent[],
  type: T,
): Extract<RunEvent, { type: T }>[] {
  return events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
}

export interface Call {
  readonly input: unknown;
  readonly ctx: ActionContext;
}

/** A host action that records its calls. */
export interface RecordingAction extends ActionDefinition {
  readonly calls: Call[];
}

/** A host action whose `run` is `impl` (identity-ish by default), recording every call. */
export function recorder(
  type: string,
  impl: (input: unknown, ctx: ActionContext, call: number) => unknown = (input) => input,
  descriptor: Partial<Omit<ActionDefinition, 'run' | 'type'>> = {},
): RecordingAction {
  const calls: Call[] = [];
  return {
    title: type,
    ...descriptor,
    type,
    calls,
    run(input, ctx) {
      calls.push({ input, ctx });
      return impl(input, ctx, calls.length);
    },
  };
}

export interface Deferred<T = unknown> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = unknown>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A host action that parks each call on a deferred the test settles by hand; it tracks how
 * many calls are in flight (and the most at once) and rejects when its signal aborts.
 */
export interface GatedAction extends RecordingAction {
  readonly gates: Deferred[];
  readonly inFlight: () => number;
  readonly maxInFlight: () => number;
}

export function gated(type: string): GatedAction {
  const gates: Deferred[] = [];
  let inFlight = 0;
  let max = 0;
  const base = recorder(type, (_input, ctx) => {
    const gate = deferred();
    gates.push(gate);
    inFlight++;
    max = Math.max(max, inFlight);
    ctx.signal.addEventListener('abort', () => gate.reject(ctx.signal.reason), { once: true });
    return gate.promise.finally(() => {
      inFlight--;
    });
  });
  return { ...base, gates, inFlight: () => inFlight, maxInFlight: () => max };
}

/** An action that throws an error with `code` for the first `failures` calls, then returns. */
export function flaky(
  type: string,
  failures: number,
  code = 'E_FLAKY',
  output: unknown = { ok: true },
): RecordingAction {
  return recorder(type, (_input, _ctx, call) => {
    if (call <= failures) {
      throw Object.assign(new Error(`failure ${call}`), { code });
    }
    return output;
  });
}
