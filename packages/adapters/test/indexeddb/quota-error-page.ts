import {
  createEngine,
  isMillraceError,
  type Engine,
  type FlowDefinition,
  type RunEvent,
} from '@millrace/engine';
import { createIndexedDbStore, type IndexedDbStore } from '@millrace/adapters/indexeddb';

// The page of the quota-error test (quota-error-page.html): an engine over IndexedDB in an
// origin of its own, driven by the test through the eval-in-tab command (scripts/wtr-tabs.mjs).

export const NODES = 24;

/** `bytes` of random hex: incompressible, so Chromium cannot store it smaller. */
function randomHex(bytes: number): string {
  const data = new Uint8Array(bytes / 2);
  for (let at = 0; at < data.length; at += 65_536)
    crypto.getRandomValues(data.subarray(at, at + 65_536));
  return Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** g0 → g1 → … → g23, each `grow` node's output 256 KiB more to store; output: the last `i`. */
const growing: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'growing',
  nodes: Array.from({ length: NODES }, (_, i) => ({ id: `g${i}`, type: 'grow', input: { i } })),
  edges: Array.from({ length: NODES - 1 }, (_, i) => ({ from: `g${i}`, to: `g${i + 1}` })),
  output: `$<nodes.g${NODES - 1}.output.i>`,
};

/** A failure as plain data (it crosses to the test as JSON). */
export interface Failure {
  readonly code?: string;
  readonly message: string;
  readonly details?: unknown;
  /** The name of the error's cause: the platform's error. */
  readonly causeName?: string;
}

/** What the test calls in the page. */
export interface QuotaApi {
  /** The origin's storage usage now (bytes). */
  usage(): Promise<number>;
  /**
   * Opens the store and runs `growing` as `runId` until the run stops. Answers how it failed,
   * the events the engine published (it publishes only what was appended), the run's events in
   * the store afterwards, and what the engine logged.
   */
  fill(runId: string): Promise<{
    failure?: Failure;
    published: RunEvent[];
    stored: RunEvent[];
    logged: string[];
  }>;
  /** Closes engine and store, opens the database again: the run's events and summary seq. */
  reopen(runId: string): Promise<{ events: RunEvent[]; lastSeq?: number }>;
  /** A new engine: recovers the stopped run, then starts a new run; both outputs and the log. */
  goOn(runId: string): Promise<{
    recovered: string[];
    output: unknown;
    events: RunEvent[];
    fresh: unknown;
  }>;
  /** Closes everything and deletes the database. */
  drop(): Promise<void>;
}

export function openQuotaPage(db: string): QuotaApi {
  let store: IndexedDbStore | undefined;
  let engine: Engine | undefined;
  const engineOver = (s: IndexedDbStore, logged: string[] = []) =>
    createEngine({
      store: s,
      actions: [
        {
          type: 'grow',
          title: 'Grow',
          run: async (input) => {
            const i = (input as { i: number }).i;
            return { i, data: randomHex(256 * 1024) };
          },
        },
      ],
      logger: { error: (message) => logged.push(message) },
    });
  const close = async () => {
    await engine?.close();
    store?.close();
    engine = store = undefined;
  };
  return {
    usage: async () => (await navigator.storage.estimate()).usage ?? 0,
    async fill(runId) {
      store = await createIndexedDbStore({ name: db });
      const logged: string[] = [];
      engine = engineOver(store, logged);
      await engine.deploy(growing);
      const published: RunEvent[] = [];
      engine.subscribe(runId, (event) => published.push(event));
      const run = await engine.start('growing', {}, { runId });
      let failure: Failure | undefined;
      try {
        await run.result();
      } catch (error) {
        const cause = (error as Error).cause as { name?: string } | undefined;
        failure = {
          message: (error as Error).message,
          ...(isMillraceError(error) ? { code: error.code, details: error.details } : {}),
          ...(cause?.name === undefined ? {} : { causeName: cause.name }),
        };
      }
      return {
        ...(failure ? { failure } : {}),
        published,
        stored: await store.readEvents(runId),
        logged,
      };
    },
    async reopen(runId) {
      await close();
      store = await createIndexedDbStore({ name: db });
      const lastSeq = (await store.getSummary(runId))?.lastSeq;
      return {
        events: await store.readEvents(runId),
        ...(lastSeq === undefined ? {} : { lastSeq }),
      };
    },
    async goOn(runId) {
      engine = engineOver(store!);
      const recovered = await engine.recover();
      const output = await (await engine.handle(runId)).result();
      const fresh = await (await engine.start('growing', {})).result();
      return { recovered, output, events: await store!.readEvents(runId), fresh };
    },
    async drop() {
      await close();
      await new Promise((resolve) => {
        const req = indexedDB.deleteDatabase(db);
        req.onsuccess = req.onerror = req.onblocked = resolve;
      });
    },
  };
}
