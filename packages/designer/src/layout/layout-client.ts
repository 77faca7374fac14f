import { releaseProxy, wrap, type Remote } from 'comlink';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import {
  indexFlow,
  type ActionCatalog,
  type FlowDefinition,
  type FlowIndex,
} from '@millrace/engine/model';
import { buildLayoutGraph } from '../core/layout-graph.ts';
import { layoutKey } from '../core/layout-key.ts';
import { createLayoutCache, type LayoutCache } from '../core/layout-cache.ts';
import { WARM_UP_SIZES, warmUpFlow } from '../core/layout-warm-up.ts';
import { createPartCache, layoutInParts, type PartCache } from '../core/layout-split.ts';
import { finishLayout, prepareLayout, type PreparedLayout } from '../core/layout-flow.ts';
import type { LayoutResult } from '../core/layout-result.ts';
import { recordedLayout } from '../core/recorded-layout.ts';
import { LayoutFailedError, LayoutStaleError } from './layout-errors.ts';
import type { LayoutWorkerApi } from './layout-worker.ts';

/**
 * The designer's layout engine: ELK in a module worker (comlink), with a cache in front and a
 * main-thread fallback behind.
 *
 * - The worker starts, and warms ELK up on a series of growing flows (core/layout-warm-up.ts),
 *   as soon as it is created — for the designer, once the page is idle after
 *   `defineFlowDesigner()` runs, or sooner when a designer needs a layout (the page's shared
 *   worker, `preloadLayout()`) — so the first real layout finds ELK loaded and compiled.
 *   A real request stops the warm-up and waits for one round at most.
 * - Every request gets a sequence number. Only the newest request of an engine is answered;
 *   older ones reject with `LayoutStaleError` (reason `superseded`). While ELK works on one
 *   graph, only the newest waiting request is kept, so a burst of edits costs two layouts.
 * - A cache hit (layout-cache.ts) answers without ELK, synchronously in effect.
 * - When no worker can be had (`new Worker` throws under a CSP or Trusted Types, the script fails
 *   to load, or `mainThread: true`), ELK runs on the main thread, loaded lazily with a dynamic
 *   import: elkjs never sits in the designer's main bundle.
 * - Deterministic: the same flow gives the same coordinates, from the worker or the main thread.
 */

export type LayoutBackendKind = 'worker' | 'main-thread';

export interface LayoutEngineOptions {
  /** URL of a module worker built from layout-worker.ts, when the default URL does not fit. */
  readonly workerUrl?: string | URL;
  /**
   * Creates the worker; for hosts under Trusted Types, whose policy must create the script URL:
   * `() => new Worker(policy.createScriptURL(url), { type: 'module' })`.
   */
  readonly workerFactory?: () => Worker;
  /** Lay out on the main thread (no worker at all). */
  readonly mainThread?: boolean;
  /**
   * Use the page's shared layout worker (started by `preloadLayout()`, or now), which every
   * designer of the page shares and which stays up when this engine is disposed. The
   * designer's own engines use it; `workerUrl` / `workerFactory` then only apply when this
   * call is the one that starts it.
   */
  readonly shared?: boolean;
  /**
   * Workers to lay out with: the parts of a large flow (core/layout-split.ts) are laid out in
   * parallel. 1 for an engine's own worker; for the shared one, 2 where the device has four
   * cores or more.
   */
  readonly workers?: number;
  /** The cache to use; by default one cache shared by every engine of the page. */
  readonly cache?: LayoutCache;
  /** Called once when the engine falls back to the main thread, with the reason. */
  readonly onFallback?: (reason: unknown) => void;
}

export interface LayoutEngine {
  /**
   * Lays out a flow. Resolves with the layout, or rejects with `LayoutStaleError` when a newer
   * request was issued meanwhile, or `LayoutFailedError` when ELK failed.
   */
  layout(flow: FlowDefinition | unknown, catalog?: ActionCatalog): Promise<LayoutResult>;
  /**
   * The layout of a flow when it is known without ELK (in the cache, or recorded in the flow for
   * its structure), synchronously; undefined otherwise (then `layout()` computes it, or reports
   * why it cannot). Optional for engines a host writes itself.
   */
  peek?(flow: FlowDefinition | unknown, catalog?: ActionCatalog): LayoutResult | undefined;
  /** Resolves when ELK is loaded and has run once (the engine starts this by itself). */
  warmUp(): Promise<void>;
  /** Stops the worker; pending requests reject as stale (reason `disposed`). */
  dispose(): void;
  /** Where ELK runs now. */
  readonly backend: LayoutBackendKind;
  /** Layouts ELK was asked for so far (cache hits and recorded layouts are not counted). */
  readonly requests: number;
  readonly cache: LayoutCache;
}

/** A flow with its index and layout key (the key is the costly part of a cache check). */
interface Keyed {
  readonly flow: unknown;
  readonly catalog: ActionCatalog | undefined;
  readonly index: FlowIndex;
  readonly key: string;
}

interface Backend {
  readonly kind: LayoutBackendKind;
  /** Rejects with `WorkerUnavailable` when the worker died or never started. */
  layout(graph: ElkNode): Promise<ElkNode>;
  /** One warm-up round of about `size` nodes, laid out where ELK runs (nothing comes back). */
  warmUp(size: number): Promise<void>;
  dispose(): void;
}

/** The worker failed as a worker (not ELK inside it): fall back to the main thread. */
class WorkerUnavailable extends Error {
  constructor(cause: unknown) {
    super('The layout worker is unavailable.', { cause });
    this.name = 'WorkerUnavailable';
  }
}

function createWorkerBackend(worker: Worker): Backend {
  const remote: Remote<LayoutWorkerApi> = wrap<LayoutWorkerApi>(worker);
  let fail: (error: WorkerUnavailable) => void = () => undefined;
  // A worker whose script fails to load (404, CSP) only fires `error`; comlink would wait
  // forever. So would a call to a terminated worker: dispose() fails the pending calls too.
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
    const onError = (event: Event): void =>
      reject(new WorkerUnavailable((event as ErrorEvent).message || `worker ${event.type}`));
    worker.addEventListener('error', onError, { once: true });
    worker.addEventListener('messageerror', onError, { once: true });
  });
  failed.catch(() => undefined);
  let alive = true;
  return {
    kind: 'worker',
    layout: (graph) => Promise.race([remote.layout(graph), failed]),
    warmUp: (size) => Promise.race([remote.warmUp(size), failed]),
    dispose() {
      if (!alive) return;
      alive = false;
      fail(new WorkerUnavailable('disposed'));
      remote[releaseProxy]();
      worker.terminate();
    },
  };
}

/**
 * A worker backend that warms ELK up (core/layout-warm-up.ts) in rounds while no real request
 * waits: a request that arrives meanwhile waits for the round in flight only.
 */
interface WarmingBackend extends Backend {
  /** Resolves when the rounds are done or were cut short; rejects with WorkerUnavailable. */
  readonly warm: Promise<void>;
  /** Real requests sent and not yet answered. */
  readonly demand: number;
}

function warming(backend: Backend): WarmingBackend {
  let demand = 0;
  let stopped = false;
  const warm = (async () => {
    // A task later: a host that hands the designer its flow at once (in the same task as the
    // import) gets its layout first instead of behind a cold warm-up round.
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (const size of WARM_UP_SIZES) {
      if (demand > 0 || stopped) return;
      await backend.warmUp(size);
    }
  })();
  return {
    kind: backend.kind,
    warm,
    get demand() {
      return demand;
    },
    async layout(graph) {
      demand++;
      try {
        return await backend.layout(graph);
      } finally {
        demand--;
      }
    },
    warmUp: (size) => backend.warmUp(size),
    dispose() {
      stopped = true;
      backend.dispose();
    },
  };
}

/**
 * Several warming workers behind one Backend: each graph goes to the least busy one, so the
 * parts of a split layout (core/layout-split.ts) run in parallel.
 */
function pool(members: readonly WarmingBackend[]): WarmingBackend {
  const warm = Promise.all(members.map((m) => m.warm)).then(() => undefined);
  return {
    kind: 'worker',
    warm,
    get demand() {
      return members.reduce((sum, m) => sum + m.demand, 0);
    },
    layout(graph) {
      let best = members[0]!;
      for (const m of members) if (m.demand < best.demand) best = m;
      return best.layout(graph);
    },
    warmUp: async (size) => {
      await Promise.all(members.map((m) => m.warmUp(size)));
    },
    dispose() {
      for (const m of members) m.dispose();
    },
  };
}

/**
 * Workers for a page: two where there are four cores or more (the parts of a large flow are then
 * laid out in parallel), else one. Measured on two cores (docs/benchmarks.md): two workers warm
 * up side by side more slowly than one alone, and a flow opened 1.5 s after the designer loaded
 * took 1.3–2.5× longer with two than with one.
 */
function defaultWorkerCount(): number {
  const cores = typeof navigator === 'undefined' ? 1 : (navigator.hardwareConcurrency ?? 1);
  return cores >= 4 ? 2 : 1;
}

function startPool(options: LayoutEngineOptions, count: number): WarmingBackend {
  const members: WarmingBackend[] = [];
  try {
    for (let i = 0; i < count; i++)
      members.push(warming(createWorkerBackend(startWorker(options))));
  } catch (error) {
    for (const m of members) m.dispose();
    throw error;
  }
  return members.length === 1 ? members[0]! : pool(members);
}

let sharedBackend: WarmingBackend | undefined;

/**
 * Starts the page's shared layout worker and its warm-up, so that the first flow a designer
 * opens finds ELK loaded and its hot code compiled. `defineFlowDesigner()` calls it; call it
 * yourself (earlier, or with a `workerFactory` under Trusted Types) to start sooner. Idempotent:
 * later calls return the running worker. Returns undefined when no worker can be made here (the
 * designers then lay out on the main thread).
 */
export function preloadLayout(
  options: Pick<LayoutEngineOptions, 'workerUrl' | 'workerFactory' | 'workers'> = {},
): { readonly warm: Promise<void> } | undefined {
  try {
    return startShared(options);
  } catch {
    return undefined;
  }
}

/** The worker options `preloadLayoutWhenIdle` was given, for whoever starts the worker first. */
let sharedOptions: Pick<LayoutEngineOptions, 'workerUrl' | 'workerFactory' | 'workers'> = {};

/**
 * `preloadLayout(options)` once the page is idle (at most 300 ms later); what
 * `defineFlowDesigner()` calls. The worker's start-up (its script, ELK's compile, the warm-up
 * rounds) takes a core for over a second: on a two-core device, started with the module, it
 * competed with the first open of a flow that needs no layout (one that carries its recorded
 * layout), ~15 ms of a ~55 ms first paint at 100 nodes. A designer that needs ELK sooner starts
 * the worker then, with these options.
 */
export function preloadLayoutWhenIdle(
  options: Pick<LayoutEngineOptions, 'workerUrl' | 'workerFactory' | 'workers'> = {},
): void {
  sharedOptions = options;
  const start = (): void => void preloadLayout(options);
  if (typeof requestIdleCallback === 'function') requestIdleCallback(start, { timeout: 300 });
  else setTimeout(start, 0);
}

/** The page's shared worker, started now if need be; throws what `new Worker` threw. */
function startShared(given: LayoutEngineOptions): WarmingBackend {
  if (sharedBackend) return sharedBackend;
  const options =
    given.workerUrl !== undefined || given.workerFactory ? given : { ...sharedOptions, ...given };
  const backend = startPool(options, options.workers ?? defaultWorkerCount());
  sharedBackend = backend;
  // A worker that fails later (script 404, CSP) is dropped, so the next engine tries afresh.
  backend.warm.catch(() => {
    if (sharedBackend === backend) sharedBackend = undefined;
  });
  return backend;
}

type ElkInstance = { layout(graph: ElkNode): Promise<ElkNode> };

function createMainThreadBackend(): Backend & { load(): Promise<ElkInstance> } {
  let elk: Promise<ElkInstance> | undefined;
  const load = (): Promise<ElkInstance> =>
    (elk ??= import('elkjs/lib/elk.bundled.js').then((module) => {
      // CommonJS through a bundler: the constructor is the default export (or the module).
      const Elk = ((module as { default?: unknown }).default ?? module) as new () => ElkInstance;
      return new Elk();
    }));
  return {
    kind: 'main-thread',
    load,
    // elkjs writes its answer into the graph it is given; the caller's copy stays untouched.
    layout: async (graph) => (await load()).layout(structuredClone(graph)),
    warmUp: async (size) => {
      await (await load()).layout(prepareLayout(warmUpFlow(size)).graph.elk);
    },
    dispose() {},
  };
}

function startWorker(options: LayoutEngineOptions): Worker {
  if (options.workerFactory) return options.workerFactory();
  if (options.workerUrl !== undefined) {
    return new Worker(options.workerUrl, { type: 'module', name: 'millrace-layout' });
  }
  // Written out in full so Vite (and other bundlers) see and emit the worker as its own chunk.
  // `.js`, the name tsc emits beside this file in dist (it rewrites imports, not URLs); Vite
  // finds the `.ts` source from it, web-test-runner through a middleware.
  return new Worker(new URL('./layout-worker.js', import.meta.url), {
    type: 'module',
    name: 'millrace-layout',
  });
}

// The key of the flow last asked about, until the end of the task: `peek()` then `layout()` of
// one flow (the designer's update) compute it once; a flow changed in place later is keyed again.
let lastKeyed: Keyed | undefined;

function keyedFlow(flow: unknown, catalog: ActionCatalog | undefined): Keyed {
  if (lastKeyed && lastKeyed.flow === flow && lastKeyed.catalog === catalog) return lastKeyed;
  const index = indexFlow(flow);
  // The key comes from the flow itself: a cached or recorded layout is drawn without building
  // the ELK graph at all (core/layout-key.ts).
  const entry: Keyed = { flow, catalog, index, key: layoutKey(flow, catalog, undefined, index) };
  if (!lastKeyed) queueMicrotask(() => (lastKeyed = undefined));
  lastKeyed = entry;
  return entry;
}

/** The layout of a keyed flow when known without ELK: in `cache`, or recorded in the flow. */
function knownLayout(cache: LayoutCache, { flow, key }: Keyed): LayoutResult | undefined {
  const hit = cache.get(key);
  if (hit) return hit;
  // The flow carries its layout for this structure (`ui.layout`): drawn without ELK.
  const recorded = recordedLayout(flow, key);
  if (!recorded) return undefined;
  const result = { ...recorded, key };
  cache.set(key, result);
  return result;
}

/**
 * What `engine.peek()` answers, without an engine: the layout of a flow when the cache (the
 * page's shared one by default) has it or the flow carries it (`ui.layout`) for its structure.
 * Starts no worker: a designer that opens a flow with a recorded layout needs none.
 */
export function peekLayout(
  flow: FlowDefinition | unknown,
  catalog?: ActionCatalog,
  cache: LayoutCache = sharedLayoutCache(),
): LayoutResult | undefined {
  try {
    return knownLayout(cache, keyedFlow(flow, catalog));
  } catch {
    return undefined;
  }
}

let sharedCache: LayoutCache | undefined;
let sharedPartCache: PartCache | undefined;

/** The cache engines share by default: reopening a flow in another designer needs no ELK. */
export function sharedLayoutCache(): LayoutCache {
  return (sharedCache ??= createLayoutCache());
}

interface Waiter {
  readonly seq: number;
  resolve(result: LayoutResult): void;
  reject(error: unknown): void;
}

interface Job {
  readonly prepared: PreparedLayout;
  readonly waiters: Waiter[];
}

/**
 * Creates a layout engine; one per designer (sequence numbers are per engine).
 *
 * @example
 * const engine = createLayoutEngine();
 * try {
 *   draw(await engine.layout(flow, catalog));
 * } catch (error) {
 *   if (!isLayoutStale(error)) throw error;
 * }
 */
export function createLayoutEngine(options: LayoutEngineOptions = {}): LayoutEngine {
  const cache = options.cache ?? sharedLayoutCache();
  // Parts are shared with the layout cache's lifetime: an engine with its own cache (tests)
  // gets its own part cache too.
  const partCache = options.cache ? createPartCache() : (sharedPartCache ??= createPartCache());
  const mainThread = createMainThreadBackend();
  let backend: Backend = mainThread;
  // The shared worker outlives this engine: dispose() leaves it running.
  let ownsBackend = true;
  let warmRounds: Promise<void> | undefined;
  let fellBack = false;
  let disposed = false;
  let latest = 0;
  let running: Job | undefined;
  let waiting: Job | undefined;
  let requests = 0;
  const known = (entry: Keyed): LayoutResult | undefined => knownLayout(cache, entry);

  const fallBack = (reason: unknown): void => {
    if (backend === mainThread) return;
    if (ownsBackend) backend.dispose();
    backend = mainThread;
    ownsBackend = true;
    if (!fellBack) {
      fellBack = true;
      options.onFallback?.(reason);
    }
  };

  if (options.mainThread !== true) {
    try {
      const started =
        options.shared === true ? startShared(options) : startPool(options, options.workers ?? 1);
      backend = started;
      ownsBackend = options.shared !== true;
      warmRounds = started.warm;
    } catch (error) {
      // CSP (`worker-src`), Trusted Types (a string URL without a policy) or no Worker at all.
      fellBack = true;
      options.onFallback?.(error);
    }
  }

  const runElk = async (graph: ElkNode): Promise<ElkNode> => {
    try {
      return await backend.layout(graph);
    } catch (error) {
      if (!(error instanceof WorkerUnavailable) || disposed) throw error;
      fallBack(error.cause);
      return backend.layout(graph);
    }
  };

  const settle = (job: Job, result: LayoutResult | undefined, error: unknown): void => {
    for (const w of job.waiters) {
      if (w.seq !== latest) w.reject(new LayoutStaleError(w.seq, latest, 'superseded'));
      else if (result) w.resolve(result);
      else w.reject(error);
    }
  };

  const pump = (): void => {
    if (running || !waiting || disposed) return;
    const job = waiting;
    waiting = undefined;
    running = job;
    requests++;
    layoutInParts(job.prepared.graph.elk, runElk, partCache)
      .then((laidOut) => {
        const result = { ...finishLayout(laidOut, job.prepared.graph), key: job.prepared.key };
        // Cached even when stale: the work is valid for its key (an undo may ask again).
        cache.set(job.prepared.key, result);
        settle(job, result, undefined);
      })
      .catch((error: unknown) =>
        settle(
          job,
          undefined,
          new LayoutFailedError(
            `ELK could not lay out the flow: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          ),
        ),
      )
      .finally(() => {
        if (running === job) running = undefined;
        pump();
      });
  };

  const warm: Promise<void> = (async () => {
    if (warmRounds) {
      try {
        await warmRounds;
        return;
      } catch (error) {
        if (!(error instanceof WorkerUnavailable) || disposed) return;
        fallBack(error.cause);
      }
    }
    // On the main thread only load the module: a layout here would block the page's start-up.
    await mainThread.load().catch(() => undefined);
  })();

  return {
    get backend() {
      return backend.kind;
    },
    get requests() {
      return requests;
    },
    cache,
    peek(flow, catalog) {
      if (disposed) return undefined;
      try {
        return known(keyedFlow(flow, catalog));
      } catch {
        return undefined;
      }
    },
    layout(flow, catalog) {
      const seq = ++latest;
      if (disposed) return Promise.reject(new LayoutStaleError(seq, latest, 'disposed'));
      const unusable = (error: unknown): Promise<never> =>
        Promise.reject(
          new LayoutFailedError('The flow could not be turned into a layout graph.', {
            cause: error,
          }),
        );
      let entry: Keyed;
      try {
        entry = keyedFlow(flow, catalog);
      } catch (error) {
        return unusable(error);
      }
      const { index, key } = entry;
      const hit = known(entry);
      if (hit) return Promise.resolve(hit);
      let prepared: PreparedLayout;
      try {
        prepared = { graph: buildLayoutGraph(flow, catalog, undefined, index), key };
      } catch (error) {
        return unusable(error);
      }
      return new Promise<LayoutResult>((resolve, reject) => {
        const waiter: Waiter = { seq, resolve, reject };
        // The same picture is already being computed (a rename, an input edit): wait for it.
        if (running?.prepared.key === prepared.key) {
          running.waiters.push(waiter);
          if (waiting) {
            settle(waiting, undefined, undefined);
            waiting = undefined;
          }
          return;
        }
        if (waiting) settle(waiting, undefined, undefined);
        waiting = { prepared, waiters: [waiter] };
        pump();
      });
    },
    async warmUp() {
      await warm;
      if (backend === mainThread && !disposed) {
        await mainThread.warmUp(WARM_UP_SIZES[0]!).catch(() => undefined);
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      if (ownsBackend) backend.dispose();
      for (const job of [running, waiting]) {
        for (const w of job?.waiters ?? []) {
          w.reject(new LayoutStaleError(w.seq, latest, 'disposed'));
        }
      }
      running = undefined;
      waiting = undefined;
    },
  };
}
