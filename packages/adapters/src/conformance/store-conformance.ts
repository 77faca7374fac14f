import type {
  FlowDefinition,
  FlowLifecycleStore,
  FlowStore,
  RunEvent,
  RunStore,
  RunSummary,
  WaitInfo,
} from '@millrace/engine';
import { hasLeases, isMillraceError, stateToSnapshot, foldEvents } from '@millrace/engine';
import { hostingConformance } from './hosting-conformance.ts';

/** The test-framework seam: node:test, mocha (web-test-runner) or anything with these two. */
export interface ConformanceHarness {
  test(name: string, fn: () => Promise<void>): void;
  equal(actual: unknown, expected: unknown, message?: string): void;
  deepEqual(actual: unknown, expected: unknown, message?: string): void;
  ok(value: unknown, message?: string): void;
}

/**
 * Makes a fresh, empty store for each test (and cleans it up afterwards, if needed).
 * `reopen` closes the store and opens the same data again (a restart: same database name,
 * same data directory, a memory store's `clone()`); `dispose` then cleans up the reopened one.
 */
export type StoreFactory = () => Promise<{
  store: FlowStore & RunStore;
  dispose?: () => Promise<void>;
  reopen?: () => Promise<FlowStore & RunStore>;
}>;

/** What a store can do beyond the basics; the tests of a missing feature say they skip. */
export interface StoreFeatures {
  /** The factory gives `reopen` (the crash test). */
  readonly reopen?: boolean;
  /** The store has `forTenant(tenant)` (the tenant isolation test). */
  readonly tenants?: boolean;
}

const T0 = Date.UTC(2026, 0, 1);

function created(runId: string, flowId: string, at: number): RunEvent {
  return {
    type: 'RunCreated',
    seq: 1,
    at,
    runId,
    flowId,
    flowVersion: 1,
    input: { n: 1 },
    trigger: { kind: 'api' },
    vars: {},
  };
}

function summaryOf(events: readonly RunEvent[], waiting: readonly WaitInfo[] = []): RunSummary {
  const state = foldEvents(events)!;
  return {
    runId: state.runId,
    flowId: state.flowId,
    flowVersion: state.flowVersion,
    status: state.status,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    waiting,
    lastSeq: state.lastSeq,
    ...(state.startedAt === undefined ? {} : { startedAt: state.startedAt }),
    ...(state.finishedAt === undefined ? {} : { finishedAt: state.finishedAt }),
  };
}

const flow = (id: string, name?: string): FlowDefinition => ({
  format: 'millrace.flow/v1',
  id,
  ...(name ? { name } : {}),
  nodes: [{ id: 'a', type: 'transform' }],
});

/**
 * The behaviour every FlowStore + RunStore must have (DESIGN §6): one suite, run against the
 * memory store (the reference) and every adapter. `name` prefixes the test names.
 */
export function storeConformance(
  name: string,
  make: StoreFactory,
  t: ConformanceHarness,
  features: StoreFeatures = {},
): void {
  const it = (title: string, fn: (store: FlowStore & RunStore) => Promise<void>) =>
    t.test(`${name}: ${title}`, async () => {
      const { store, dispose } = await make();
      try {
        await fn(store);
      } finally {
        await dispose?.();
      }
    });

  it('deploying a flow twice stores versions 1 and 2, and the latest is returned by default', async (s) => {
    const v1 = await s.saveFlow(flow('f', 'First'), T0);
    const v2 = await s.saveFlow(flow('f', 'Second'), T0 + 1);
    t.equal(v1.version, 1);
    t.equal(v2.version, 2);
    t.equal((await s.getFlow('f'))?.definition.name, 'Second');
    t.equal((await s.getFlow('f', 1))?.definition.name, 'First');
    t.equal(await s.getFlow('f', 3), undefined);
    t.equal(await s.getFlow('nope'), undefined);
    t.deepEqual(await s.listVersions('f'), [1, 2]);
    const list = await s.listFlows();
    t.deepEqual(
      list.map((f) => [f.id, f.latestVersion, f.name]),
      [['f', 2, 'Second']],
    );
  });

  it('keeps one draft per flow beside its versions, replaced on each save', async (s) => {
    t.equal(await s.getDraft('f'), undefined);
    await s.saveFlow(flow('f', 'Deployed'), T0);
    const first = await s.saveDraft(flow('f', 'Draft 1'), T0 + 1);
    t.equal(first.id, 'f');
    await s.saveDraft({ ...flow('f', 'Draft 2'), nodes: [] }, T0 + 2);
    const draft = await s.getDraft('f');
    t.equal(draft?.definition.name, 'Draft 2');
    t.equal(draft?.savedAt, T0 + 2);
    t.deepEqual(draft?.definition.nodes, []);
    // The deployed versions are untouched by drafts.
    t.equal((await s.getFlow('f'))?.definition.name, 'Deployed');
    t.deepEqual(await s.listVersions('f'), [1]);
    await s.deleteDraft('f');
    t.equal(await s.getDraft('f'), undefined);
    t.equal((await s.getFlow('f'))?.version, 1);
    await s.deleteDraft('never-saved');
  });

  /** The lifecycle methods, which FlowStore leaves optional for older stores: required here. */
  const lifecycleOf = (s: FlowStore): FlowLifecycleStore => {
    const names = [
      'getFlowState',
      'putFlowState',
      'listFlowStates',
      'listDrafts',
      'getScheduleFire',
      'recordScheduleFire',
    ] as const;
    for (const m of names) t.ok(typeof s[m] === 'function', `the store implements ${m}`);
    return s as FlowStore & FlowLifecycleStore;
  };

  it('stores a flow state (status, deletion, aliases) and replaces it on each put', async (s) => {
    const l = lifecycleOf(s);
    t.equal(await l.getFlowState('f'), undefined);
    t.deepEqual(await l.listFlowStates(), []);
    await s.saveFlow(flow('f'), T0);
    await s.saveFlow(flow('f'), T0 + 1);
    await l.putFlowState({ id: 'f', status: 'inactive', aliases: {}, updatedAt: T0 + 2 });
    const aliases = {
      production: { versions: [{ version: 1, percent: 100 }], updatedAt: T0 + 3 },
      canary: {
        versions: [
          { version: 1, percent: 90 },
          { version: 2, percent: 10 },
        ],
        updatedAt: T0 + 3,
      },
    };
    await l.putFlowState({ id: 'f', status: 'active', aliases, updatedAt: T0 + 3 });
    await l.putFlowState({
      id: 'g',
      status: 'inactive',
      deletedAt: T0 + 4,
      aliases: {},
      updatedAt: T0 + 4,
    });
    t.deepEqual(await l.getFlowState('f'), {
      id: 'f',
      status: 'active',
      aliases,
      updatedAt: T0 + 3,
    });
    t.equal((await l.getFlowState('g'))?.deletedAt, T0 + 4);
    t.deepEqual((await l.listFlowStates()).map((x) => x.id).sort(), ['f', 'g']);
    // Versions are untouched by lifecycle records.
    t.deepEqual(await s.listVersions('f'), [1, 2]);
  });

  it('lists every draft', async (s) => {
    const l = lifecycleOf(s);
    t.deepEqual(await l.listDrafts(), []);
    await s.saveDraft(flow('a', 'A'), T0);
    await s.saveDraft(flow('b', 'B'), T0 + 1);
    await s.saveDraft(flow('a', 'A2'), T0 + 2);
    const drafts = (await l.listDrafts()).sort((x, y) => (x.id < y.id ? -1 : 1));
    t.deepEqual(
      drafts.map((d) => [d.id, d.definition.name, d.savedAt]),
      [
        ['a', 'A2', T0 + 2],
        ['b', 'B', T0 + 1],
      ],
    );
  });

  it('records the last fire time per flow and schedule trigger, never moving it back', async (s) => {
    const l = lifecycleOf(s);
    t.equal(await l.getScheduleFire('f', 'nightly'), undefined);
    await l.recordScheduleFire('f', 'nightly', T0 + 100);
    await l.recordScheduleFire('f', 'hourly', T0 + 5);
    await l.recordScheduleFire('g', 'nightly', T0 + 7);
    await l.recordScheduleFire('f', 'nightly', T0 + 50); // an older fire, recorded late
    t.equal(await l.getScheduleFire('f', 'nightly'), T0 + 100);
    t.equal(await l.getScheduleFire('f', 'hourly'), T0 + 5);
    t.equal(await l.getScheduleFire('g', 'nightly'), T0 + 7);
    await l.recordScheduleFire('f', 'nightly', T0 + 200);
    t.equal(await l.getScheduleFire('f', 'nightly'), T0 + 200);
  });

  it('appends events and loads them back in order with the summary', async (s) => {
    const e1 = created('r1', 'f', T0);
    const e2: RunEvent = {
      type: 'NodeSucceeded',
      seq: 2,
      at: T0 + 1,
      path: 'a',
      attempt: 1,
      output: { v: 1 },
    };
    await s.append('r1', [e1], summaryOf([e1]));
    await s.append('r1', [e2], summaryOf([e1, e2]));
    const loaded = await s.load('r1');
    t.deepEqual(loaded?.events, [e1, e2]);
    t.equal(loaded?.summary.lastSeq, 2);
    t.deepEqual(await s.readEvents('r1', 1), [e2]);
    t.deepEqual(await s.readEvents('r1'), [e1, e2]);
    t.deepEqual(await s.readEvents('missing'), []);
    t.equal(await s.load('missing'), undefined);
  });

  it('rejects an append that does not continue the log (E_STORE_CONFLICT) and keeps the log', async (s) => {
    const e1 = created('r1', 'f', T0);
    await s.append('r1', [e1], summaryOf([e1]));
    let code: unknown;
    try {
      await s.append('r1', [{ ...e1, seq: 1 }], summaryOf([e1]));
    } catch (err) {
      code = isMillraceError(err) ? err.code : err;
    }
    t.equal(code, 'E_STORE_CONFLICT');
    t.equal((await s.load('r1'))?.events.length, 1);
  });

  it('snapshots shorten the events a load returns', async (s) => {
    const events: RunEvent[] = [created('r1', 'f', T0)];
    for (let i = 2; i <= 5; i++)
      events.push({
        type: 'NodeLogged',
        seq: i,
        at: T0 + i,
        path: 'a',
        level: 'info',
        message: `m${i}`,
      });
    await s.append('r1', events, summaryOf(events));
    await s.saveSnapshot('r1', 3, stateToSnapshot(foldEvents(events.slice(0, 3))!));
    const loaded = await s.load('r1');
    t.equal(loaded?.snapshot?.seq, 3);
    t.deepEqual(
      loaded?.events.map((e) => e.seq),
      [4, 5],
    );
  });

  it('lists runs newest first, filtered by flow and status, with limit and paging', async (s) => {
    for (let i = 0; i < 5; i++) {
      const e = created(`r${i}`, i % 2 === 0 ? 'even' : 'odd', T0 + i * 1000);
      const events: RunEvent[] =
        i === 4 ? [e, { type: 'RunSucceeded', seq: 2, at: T0 + i * 1000 + 1, output: null }] : [e];
      await s.append(`r${i}`, events, summaryOf(events));
    }
    t.deepEqual(
      (await s.listRuns()).map((r) => r.runId),
      ['r4', 'r3', 'r2', 'r1', 'r0'],
    );
    t.deepEqual(
      (await s.listRuns({ flowId: 'even' })).map((r) => r.runId),
      ['r4', 'r2', 'r0'],
    );
    t.deepEqual(
      (await s.listRuns({ status: 'succeeded' })).map((r) => r.runId),
      ['r4'],
    );
    t.deepEqual(
      (await s.listRuns({ status: ['running', 'succeeded'], limit: 2 })).map((r) => r.runId),
      ['r4', 'r3'],
    );
    t.deepEqual(
      (await s.listRuns({ before: T0 + 2000 })).map((r) => r.runId),
      ['r1', 'r0'],
    );
    t.deepEqual((await s.listUnfinished()).map((r) => r.runId).sort(), ['r0', 'r1', 'r2', 'r3']);
    t.equal((await s.getSummary('r4'))?.status, 'succeeded');
  });

  it('lists the runs created since a time, all of them when the limit allows (metrics)', async (s) => {
    // Several runs in the same millisecond: `since` must not page them away.
    for (let i = 0; i < 60; i++) {
      const id = `m${String(i).padStart(2, '0')}`;
      const e = created(id, 'm', T0 + (i < 10 ? 0 : 5000));
      await s.append(id, [e], summaryOf([e]));
    }
    t.equal((await s.listRuns({ flowId: 'm', since: T0 + 5000, limit: 1e9 })).length, 50);
    t.equal((await s.listRuns({ flowId: 'm', since: T0, limit: 1e9 })).length, 60);
    t.equal((await s.listRuns({ flowId: 'm', since: T0 + 5001, limit: 1e9 })).length, 0);
    t.deepEqual(
      (await s.listRuns({ flowId: 'm', since: T0, before: T0 + 1, limit: 1e9 }))
        .map((r) => r.runId)
        .sort(),
      ['m00', 'm01', 'm02', 'm03', 'm04', 'm05', 'm06', 'm07', 'm08', 'm09'],
    );
  });

  it('indexes parked nodes by token, and forgets them when the summary drops them', async (s) => {
    const wait: WaitInfo = {
      kind: 'approval',
      token: 'tok-1',
      path: 'ask',
      approvers: ['dana'],
      deadline: T0 + 60_000,
    };
    const e1 = created('r1', 'f', T0);
    const e2: RunEvent = {
      type: 'NodeSuspended',
      seq: 2,
      at: T0 + 1,
      path: 'ask',
      attempt: 1,
      wait,
    };
    await s.append('r1', [e1, e2], summaryOf([e1, e2], [wait]));
    t.deepEqual(await s.findWaiting('tok-1'), { ...wait, runId: 'r1', flowId: 'f' });
    t.equal((await s.listWaiting({ flowId: 'f' })).length, 1);
    t.equal((await s.listWaiting({ flowId: 'other' })).length, 0);
    const e3: RunEvent = {
      type: 'SignalReceived',
      seq: 3,
      at: T0 + 2,
      path: 'ask',
      token: 'tok-1',
      payload: { approved: true },
    };
    await s.append('r1', [e3], summaryOf([e1, e2, e3]));
    t.equal(await s.findWaiting('tok-1'), undefined);
    t.equal((await s.listWaiting()).length, 0);
  });

  it('an append without events re-syncs the summary of an existing run', async (s) => {
    const wait: WaitInfo = { kind: 'wait', token: 'tok-2', path: 'pause', deadline: T0 + 5 };
    const e1 = created('r1', 'f', T0);
    await s.append('r1', [e1], summaryOf([e1]));
    await s.append('r1', [], summaryOf([e1], [wait]));
    t.equal((await s.findWaiting('tok-2'))?.runId, 'r1');
  });

  it('run leases: one owner at a time, renewed by it, taken over only once lapsed', async (s) => {
    t.ok(hasLeases(s), 'the store keeps run leases (claimRun, renewRuns, releaseRun)');
    if (!hasLeases(s)) return;
    t.equal(await s.claimRun('r1', 'a', T0, T0 + 100), true, 'a free run is claimed');
    t.equal(await s.claimRun('r1', 'b', T0 + 50, T0 + 150), false, 'held by a: b is refused');
    t.equal(await s.claimRun('r1', 'a', T0 + 50, T0 + 200), true, 'a claims again (renews)');
    t.equal(await s.claimRun('r1', 'b', T0 + 150, T0 + 250), false, "renewed: still a's");
    t.deepEqual(await s.renewRuns('a', ['r1', 'r2'], T0 + 300), ['r1'], 'renews only its own');
    t.deepEqual(await s.renewRuns('b', ['r1'], T0 + 900), [], "b renews nothing of a's");
    t.equal(await s.claimRun('r1', 'b', T0 + 300, T0 + 400), true, 'lapsed at 300: b takes it');
    t.deepEqual(await s.renewRuns('a', ['r1'], T0 + 500), [], 'a lost it');
    await s.releaseRun('r1', 'a');
    t.equal(await s.claimRun('r1', 'c', T0 + 301, T0 + 400), false, "a cannot release b's");
    await s.releaseRun('r1', 'b');
    t.equal(await s.claimRun('r1', 'c', T0 + 301, T0 + 400), true, 'released: free at once');
  });

  it('claimDue (where the store has it): due runs without a live lease, oldest first', async (s) => {
    if (!hasLeases(s) || !s.claimDue) return;
    const add = async (runId: string, at: number, extra: Partial<RunSummary>) => {
      const e = created(runId, 'f', at);
      await s.append(runId, [e], { ...summaryOf([e]), ...extra });
    };
    await add('queued', T0, { status: 'queued' });
    await add('running', T0 + 1, { status: 'running' });
    await add('timer', T0 + 2, { status: 'waiting', nextWakeAt: T0 + 100 });
    await add('signal', T0 + 3, { status: 'waiting' });
    await add('done', T0 + 4, { status: 'succeeded' });
    t.deepEqual((await s.claimDue('w', T0 + 50, T0 + 1000, 10)).sort(), ['queued', 'running']);
    t.deepEqual(await s.claimDue('x', T0 + 150, T0 + 1000, 10), ['timer'], "w's leases hold");
    t.deepEqual(await s.claimDue('x', T0 + 150, T0 + 1000, 10), [], 'nothing else is due');
    t.deepEqual(await s.claimDue('x', T0 + 1000, T0 + 2000, 1), ['queued'], 'lapsed; oldest first');
    t.equal(await s.claimRun('queued', 'w', T0 + 1001, T0 + 3000), false, 'x owns it now');
  });

  it('the step cache returns entries until they expire', async (s) => {
    await s.putCache('k', { value: { v: 1 }, expiresAt: T0 + 100 });
    t.deepEqual((await s.getCache('k', T0 + 50))?.value, { v: 1 });
    t.equal(await s.getCache('k', T0 + 100), undefined);
    t.equal(await s.getCache('other', T0), undefined);
  });

  it('claimOnce: of concurrent claims of one key exactly one wins; after expiry it is free again', async (s) => {
    t.ok(typeof s.claimOnce === 'function', 'the store has claimOnce (atomic webhook dedupe)');
    if (!s.claimOnce) return;
    const claim = (key: string, now: number, expiresAt: number) =>
      s.claimOnce!(key, { now, expiresAt });
    const won = await Promise.all(Array.from({ length: 16 }, () => claim('k', T0, T0 + 100)));
    t.equal(won.filter(Boolean).length, 1, 'one of 16 concurrent claims');
    t.equal(await claim('k', T0 + 99, T0 + 200), false, 'held until it expires');
    t.deepEqual(await s.getCache('k', T0 + 50), { value: true, expiresAt: T0 + 100 });
    const again = await Promise.all(
      Array.from({ length: 8 }, () => claim('k', T0 + 100, T0 + 300)),
    );
    t.equal(again.filter(Boolean).length, 1, 'expired at 100: claimed again, once');
    t.equal((await s.getCache('k', T0 + 200))?.expiresAt, T0 + 300, 'until the new expiry');
    t.equal(await claim('other', T0 + 100, T0 + 300), true, 'keys are separate');
    await s.putCache('cached', { value: { v: 1 }, expiresAt: T0 + 100 });
    t.equal(await claim('cached', T0, T0 + 500), false, 'a live cache entry is held');
    t.deepEqual((await s.getCache('cached', T0))?.value, { v: 1 }, 'and left as it was');
  });

  hostingConformance(name, make, t, features);
}
