import {
  SimulatedClock,
  createEngine,
  hasLeases,
  isMillraceError,
  sequentialIds,
  type ActionDefinition,
  type FlowDefinition,
  type FlowLifecycleStore,
  type FlowStore,
  type RunEvent,
  type RunStore,
  type RunSummary,
} from '@millrace/engine';
import type { ConformanceHarness, StoreFactory, StoreFeatures } from './store-conformance.ts';

type Store = FlowStore & RunStore;

const T0 = Date.UTC(2026, 0, 1);
/** The engine's default `limits.maxOutputBytes`. */
const MAX_OUTPUT_BYTES = 1024 * 1024;
const LEASE_MS = 10_000;

/** A string output whose JSON is exactly `bytes` bytes of UTF-8 (mixed 1-, 2- and 3-byte text). */
function outputOf(bytes: number): string {
  const unit = 'aé€'; // 1 + 2 + 3 bytes
  const body = unit.repeat(Math.floor((bytes - 2) / 6));
  return body + 'x'.repeat(bytes - 2 - Math.floor((bytes - 2) / 6) * 6);
}

/** Yields to the event loop until `done()` holds (the store's I/O may take many turns). */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 10_000 && !done(); i++) await new Promise((r) => setTimeout(r, 0));
  if (!done()) throw new Error(`Timed out waiting until ${what}.`);
}

const twoActions: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'crash',
  nodes: [
    { id: 'first', type: 'work', input: { n: 1 } },
    { id: 'second', type: 'work', input: { n: 2 } },
  ],
  edges: [{ from: 'first', to: 'second' }],
};

/** Counts its calls; a call of `hang` (a node path) never finishes. */
function work(calls: string[], hang?: string): ActionDefinition {
  return {
    type: 'work',
    title: 'Work',
    async run(input, ctx) {
      calls.push(ctx.nodePath);
      if (ctx.nodePath === hang) await new Promise(() => undefined);
      return { n: (input as { n: number }).n };
    },
  };
}

/**
 * What hosting needs of a store (issue 11), beyond the basics of `storeConformance`: large
 * outputs, a crash mid-run, and tenant isolation for stores with `forTenant`.
 */
export function hostingConformance(
  name: string,
  make: StoreFactory,
  t: ConformanceHarness,
  features: StoreFeatures = {},
): void {
  const it = (
    title: string,
    fn: (store: Store, reopen: (() => Promise<Store>) | undefined) => Promise<void>,
  ) =>
    t.test(`${name}: ${title}`, async () => {
      const { store, dispose, reopen } = await make();
      try {
        await fn(store, reopen);
      } finally {
        await dispose?.();
      }
    });

  it('an event carrying a 1 MiB output (the default cap) round-trips intact', async (s) => {
    const output = { blob: outputOf(MAX_OUTPUT_BYTES - 20) };
    const events: RunEvent[] = [
      {
        type: 'RunCreated',
        seq: 1,
        at: T0,
        runId: 'big',
        flowId: 'f',
        flowVersion: 1,
        input: null,
        trigger: { kind: 'api' },
        vars: {},
      },
      { type: 'NodeSucceeded', seq: 2, at: T0 + 1, path: 'a', attempt: 1, output },
    ];
    const summary: RunSummary = {
      runId: 'big',
      flowId: 'f',
      flowVersion: 1,
      status: 'running',
      createdAt: T0,
      updatedAt: T0 + 1,
      waiting: [],
      lastSeq: 2,
    };
    await s.append('big', events, summary);
    const loaded = await s.load('big');
    t.equal(loaded?.events.length, 2);
    const stored = loaded?.events[1];
    t.ok(stored?.type === 'NodeSucceeded', 'the NodeSucceeded event is back');
    if (stored?.type !== 'NodeSucceeded') return;
    const blob = (stored.output as { blob: string }).blob;
    t.equal(blob.length, output.blob.length, 'same length');
    t.ok(blob === output.blob, 'same text');
  });

  it('an engine stores an output up to maxOutputBytes; past it the node fails with E_OUTPUT_TOO_LARGE', async (s) => {
    const big: ActionDefinition = {
      type: 'big',
      title: 'Big',
      run: async (input) => outputOf((input as { bytes: number }).bytes),
    };
    const engine = createEngine({ store: s, clock: new SimulatedClock(T0), actions: [big] });
    try {
      const flow = (bytes: number): FlowDefinition => ({
        format: 'millrace.flow/v1',
        id: `big-${bytes}`,
        nodes: [{ id: 'make', type: 'big', input: { bytes } }],
      });
      await engine.deploy(flow(MAX_OUTPUT_BYTES));
      await engine.deploy(flow(MAX_OUTPUT_BYTES + 1));
      const fits = await engine.start(`big-${MAX_OUTPUT_BYTES}`);
      const result = await fits.result();
      t.equal(new TextEncoder().encode(JSON.stringify(result)).length, MAX_OUTPUT_BYTES);
      const reloaded = (await s.readEvents(fits.id)).find((e) => e.type === 'NodeSucceeded');
      t.ok(reloaded?.type === 'NodeSucceeded' && reloaded.output === result, 'stored intact');
      const over = await engine.start(`big-${MAX_OUTPUT_BYTES + 1}`);
      let code: unknown;
      try {
        await over.result();
      } catch (error) {
        code = isMillraceError(error) ? error.code : error;
      }
      const failed = (await s.readEvents(over.id)).find((e) => e.type === 'NodeFailed');
      t.equal(failed?.type === 'NodeFailed' ? failed.error.code : undefined, 'E_OUTPUT_TOO_LARGE');
      t.ok(code !== undefined, `the run fails (${String(code)})`);
      t.equal((await s.getSummary(over.id))?.status, 'failed');
    } finally {
      await engine.close();
    }
  });

  const crash =
    'crash test: a store closed mid-run and reopened continues the run, each step recorded once';
  it(features.reopen ? crash : `${crash} (skipped: no reopen)`, async (s, reopen) => {
    if (!features.reopen) return;
    t.ok(reopen, 'the factory gives reopen');
    if (!reopen) return;
    const calls: string[] = [];
    // The first engine's clock stands still: it stops with its store, as a crashed process.
    const a = createEngine({
      store: s,
      clock: new SimulatedClock(T0),
      ids: sequentialIds(1),
      owner: 'a',
      leaseMs: LEASE_MS,
      actions: [work(calls, 'second')],
    });
    await a.deploy(twoActions);
    const run = await a.start('crash');
    await until(() => calls.includes('second'), '"second" is in flight');
    const reopened = await reopen();
    const clock = new SimulatedClock(T0);
    const b = createEngine({
      store: reopened,
      clock,
      ids: sequentialIds(2),
      owner: 'b',
      leaseMs: LEASE_MS,
      actions: [work(calls)],
    });
    try {
      // A durable store keeps a's lease across the restart, so b waits until it lapses; a
      // memory store's clone (a restart of the process that held it) starts with no leases.
      let taken = await b.recover();
      if (taken.length === 0) {
        await clock.advance(LEASE_MS + 1);
        taken = await b.recover();
      }
      t.deepEqual(taken, [run.id], 'b takes the run over');
      t.deepEqual(await (await b.handle(run.id)).result(), { n: 2 });
      // `second` was in flight at the crash (never recorded): it runs again; `first` does not.
      t.deepEqual(calls, ['first', 'second', 'second']);
      const events = await reopened.readEvents(run.id);
      const succeeded = events.filter((e) => e.type === 'NodeSucceeded').map((e) => e.path);
      t.deepEqual(succeeded.sort(), ['first', 'second'], 'each step recorded exactly once');
      t.deepEqual(
        events.map((e) => e.seq),
        events.map((_, i) => i + 1),
        'one unbroken log',
      );
      t.equal((await reopened.getSummary(run.id))?.status, 'succeeded');
    } finally {
      await b.close();
    }
  });

  const isolation = 'tenant isolation: what tenant A writes is invisible from tenant B';
  it(features.tenants ? isolation : `${isolation} (skipped: no forTenant)`, async (s) => {
    if (!features.tenants) return;
    const tenants = s as Store & { forTenant?: (tenant: string) => Store };
    t.ok(typeof tenants.forTenant === 'function', 'the store has forTenant');
    if (typeof tenants.forTenant !== 'function') return;
    const unique = globalThis.crypto.randomUUID().slice(0, 8);
    const A = tenants.forTenant(`isolation-a-${unique}`);
    const B = tenants.forTenant(`isolation-b-${unique}`);
    const flow: FlowDefinition = { format: 'millrace.flow/v1', id: 'f', name: 'A', nodes: [] };
    await A.saveFlow(flow, T0);
    await A.saveFlow(flow, T0 + 1);
    await A.saveDraft(flow, T0 + 2);
    const lifecycle = (x: Store) => x as Store & FlowLifecycleStore;
    await lifecycle(A).putFlowState({ id: 'f', status: 'inactive', aliases: {}, updatedAt: T0 });
    await lifecycle(A).recordScheduleFire('f', 'nightly', T0 + 3);
    const wait = { kind: 'wait' as const, token: `tok-${unique}`, path: 'w', deadline: T0 + 9 };
    const created: RunEvent = {
      type: 'RunCreated',
      seq: 1,
      at: T0,
      runId: 'r1',
      flowId: 'f',
      flowVersion: 1,
      input: null,
      trigger: { kind: 'api' },
      vars: {},
    };
    const summary: RunSummary = {
      runId: 'r1',
      flowId: 'f',
      flowVersion: 1,
      status: 'waiting',
      createdAt: T0,
      updatedAt: T0,
      waiting: [wait],
      lastSeq: 1,
    };
    await A.append('r1', [created], summary);
    await A.putCache('k', { value: 'a', expiresAt: T0 + 1000 });
    t.ok(A.claimOnce && B.claimOnce, 'both tenant views have claimOnce');
    if (A.claimOnce) t.equal(await A.claimOnce('once', { now: T0, expiresAt: T0 + 1000 }), true);
    t.ok(hasLeases(A) && hasLeases(B), 'both tenant views keep leases');
    if (hasLeases(A)) t.equal(await A.claimRun('r1', 'owner-a', T0, T0 + 1000), true);

    // B sees nothing of it.
    t.equal(await B.getFlow('f'), undefined, 'flow');
    t.deepEqual(await B.listFlows(), [], 'flows');
    t.deepEqual(await B.listVersions('f'), [], 'versions');
    t.equal(await B.getDraft('f'), undefined, 'draft');
    t.deepEqual(await lifecycle(B).listDrafts(), [], 'drafts');
    t.equal(await lifecycle(B).getFlowState('f'), undefined, 'flow state');
    t.deepEqual(await lifecycle(B).listFlowStates(), [], 'flow states');
    t.equal(await lifecycle(B).getScheduleFire('f', 'nightly'), undefined, 'schedule fire');
    t.equal(await B.load('r1'), undefined, 'run');
    t.equal(await B.getSummary('r1'), undefined, 'summary');
    t.deepEqual(await B.readEvents('r1'), [], 'events');
    t.deepEqual(await B.listRuns(), [], 'runs');
    t.deepEqual(await B.listUnfinished(), [], 'unfinished runs');
    t.equal(await B.findWaiting(wait.token), undefined, 'waiting entry');
    t.deepEqual(await B.listWaiting(), [], 'waiting entries');
    t.equal(await B.getCache('k', T0), undefined, 'cache');
    if (B.claimOnce) {
      t.equal(await B.getCache('once', T0), undefined, "A's claim is not in B's cache");
      t.equal(
        await B.claimOnce('once', { now: T0, expiresAt: T0 + 1000 }),
        true,
        "A's claim is not B's",
      );
    }
    if (hasLeases(B)) {
      t.equal(await B.claimRun('r1', 'owner-b', T0, T0 + 1000), true, "A's lease is not B's");
      t.deepEqual(
        await B.renewRuns('owner-a', ['r1'], T0 + 2000),
        [],
        "A's owner renews nothing in B",
      );
    }

    // The same ids in B do not collide with A's.
    t.equal((await B.saveFlow({ ...flow, name: 'B' }, T0)).version, 1);
    await B.append('r1', [created], summary);
    t.equal((await A.getFlow('f'))?.definition.name, 'A');
    t.deepEqual(await A.listVersions('f'), [1, 2]);
    t.equal((await A.load('r1'))?.events.length, 1);
    t.equal((await A.getCache('k', T0))?.value, 'a');
    if (A.claimOnce)
      t.equal(await A.claimOnce('once', { now: T0, expiresAt: T0 + 1000 }), false, "A's holds");
    if (hasLeases(A))
      t.deepEqual(await A.renewRuns('owner-a', ['r1'], T0 + 2000), ['r1'], "A's lease is intact");
  });
}
