import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { createEngine } from '@millrace/engine';
import { createIndexedDbStore, type IndexedDbStore } from '@millrace/adapters/indexeddb';
import { openEffects, type Effect, type TabApi } from './tab-page.ts';

// Real tabs of one origin (pages of the test's browser context, scripts/wtr-tabs.mjs), each
// with its own engine over the same IndexedDB database, as the tabs of an app are. The host
// action of the flow writes a side effect per start and end into a database of its own, so the
// test counts how often each node ran, across all tabs.

const prefix = `millrace-tabs-${Math.random().toString(36).slice(2)}`;
/** Generous: a loaded machine must not let a live tab's lease lapse between renewals. */
const LEASE_MS = 3000;
const NODES = ['a', 'b', 'c'] as const;

class Tab {
  private constructor(private readonly id: string) {}

  static async open(db: string, tab: string, block: readonly string[] = []): Promise<Tab> {
    const query = new URLSearchParams({ db, tab, leaseMs: String(LEASE_MS), block: block.join() });
    const url = new URL(`./tab-page.html?${query}`, import.meta.url).href;
    const tabId = await executeServerCommand<string, { url: string }>('open-tab', { url });
    return new Tab(tabId);
  }

  async call<K extends keyof TabApi>(
    method: K,
    ...args: Parameters<TabApi[K]>
  ): Promise<Awaited<ReturnType<TabApi[K]>>> {
    const expression = `window.millraceTab.then((tab) => tab.${method}(...${JSON.stringify(args)}))`;
    const answer = await executeServerCommand<
      { value: Awaited<ReturnType<TabApi[K]>> },
      { tab: string; expression: string }
    >('eval-in-tab', { tab: this.id, expression });
    return answer!.value;
  }

  close(how: 'close' | 'crash' = 'close'): Promise<unknown> {
    return executeServerCommand('close-tab', { tab: this.id, how });
  }
}

/** Polls `probe` until it holds: the store has no change events across tabs to await. */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function readEffects(db: string): Promise<Effect[]> {
  const effects = await openEffects(db);
  try {
    return await effects.getAll('effects');
  } finally {
    effects.close();
  }
}

/** Per run and node: `start t1`, `end t2`..., in the order they happened. */
function trails(effects: readonly Effect[]): Map<string, string[]> {
  const byNode = new Map<string, string[]>();
  for (const e of effects) {
    const key = `${e.run}/${e.node}`;
    byNode.set(key, [...(byNode.get(key) ?? []), `${e.phase} ${e.tab}`]);
  }
  return byNode;
}

const allFinished = async (store: IndexedDbStore, ids: readonly string[]) =>
  (await Promise.all(ids.map((id) => store.getSummary(id)))).every(
    (s) => s !== undefined && ['succeeded', 'failed', 'cancelled'].includes(s.status),
  );

/** Every run succeeded with 2n + 1 (input n), and its log has one success per node. */
async function expectRightOutputs(store: IndexedDbStore, ids: readonly string[], inputs: number[]) {
  const reader = createEngine({ store });
  for (const [i, id] of ids.entries()) {
    const view = await reader.getRun(id);
    expect(view?.status, id).to.equal('succeeded');
    expect(view?.output, id).to.equal(2 * inputs[i]! + 1);
    const succeeded = (await store.readEvents(id))
      .filter((e) => e.type === 'NodeSucceeded')
      .map((e) => (e as { path: string }).path)
      .sort();
    expect(succeeded, id).to.deep.equal(['a', 'b', 'c', 'pause']);
  }
  await reader.close();
}

async function deleteDatabases(db: string): Promise<void> {
  for (const name of [db, `${db}-effects`]) {
    await new Promise((resolve) => {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = req.onerror = req.onblocked = resolve;
    });
  }
}

describe('tabs on one IndexedDB database in Chromium', () => {
  it('both recover and keep working: each node of every run runs once', async function () {
    this.timeout(60_000);
    const db = `${prefix}-recover`;
    const tabs: Tab[] = [];
    const store = await createIndexedDbStore({ name: db });
    try {
      // Tab 1's branches a and b wait for release(), so its runs are in flight when both recover.
      const t1 = await Tab.open(db, 't1', ['a', 'b']);
      tabs.push(t1);
      const t2 = await Tab.open(db, 't2');
      tabs.push(t2);
      await t1.call('deploy');
      const inputs = [1, 2, 3, 4, 5, 6];
      const ids = await t1.call('start', inputs);
      await until(
        'tab 1 to start both branches of every run',
        async () => (await readEffects(db)).length === 2 * inputs.length,
      );

      const [recovered1, recovered2] = await Promise.all([t1.call('recover'), t2.call('recover')]);
      expect(recovered2, 'tab 2 leaves every run to its owner').to.deep.equal([]);
      expect([...recovered1].sort()).to.deep.equal([...ids].sort());

      // Both go on: tab 2 looks for due work, both recover again and again, and the timer of
      // each run (it parks, and its lease is free) is taken up by whichever tab comes first.
      await t2.call('work', 50);
      await t1.call('release');
      await until('every run to finish', async () => {
        await Promise.all([t1.call('recover'), t2.call('recover')]);
        return allFinished(store, ids);
      });

      const ran = trails(await readEffects(db));
      for (const id of ids) {
        for (const node of NODES) {
          const trail = ran.get(`${id}/${node}`) ?? [];
          expect(trail.length, `${id}/${node}: ${trail.join(', ')}`).to.equal(2);
          expect(trail[0]!.replace(/ t\d$/, '')).to.equal('start');
          expect(trail[1], `${id}/${node} ends where it started`).to.equal(
            trail[0]!.replace('start', 'end'),
          );
        }
        expect(ran.get(`${id}/a`)).to.deep.equal(['start t1', 'end t1']);
        expect(ran.get(`${id}/b`)).to.deep.equal(['start t1', 'end t1']);
      }
      expect(ran.size).to.equal(ids.length * NODES.length);
      await expectRightOutputs(store, ids, inputs);
    } finally {
      for (const tab of tabs) await tab.close();
      store.close();
      await deleteDatabases(db);
    }
  });

  for (const how of ['close', 'crash'] as const) {
    it(`a tab ${how === 'close' ? 'closed' : 'crashed'} mid-run: two other tabs take its runs over once their leases lapse, each run by one of them, and no node whose success was stored runs again`, async function () {
      this.timeout(60_000);
      const db = `${prefix}-${how}`;
      const tabs: Tab[] = [];
      const store = await createIndexedDbStore({ name: db });
      const leases = async (ids: readonly string[]) =>
        new Map(
          (await store.db.getAll('leases'))
            .filter((l) => ids.includes(l.runId))
            .map((l) => [l.runId, l]),
        );
      try {
        // In tab 1, branch b never ends: the tab goes while it is in flight.
        const t1 = await Tab.open(db, 't1', ['b']);
        tabs.push(t1);
        const others = [await Tab.open(db, 't2'), await Tab.open(db, 't3')];
        tabs.push(...others);
        await t1.call('deploy');
        const inputs = [1, 2, 3, 4, 5, 6];
        const ids = await t1.call('start', inputs);
        await until('a to succeed (stored) and b to start in tab 1, in every run', async () => {
          const started = (await readEffects(db)).filter((e) => e.node === 'b');
          if (started.length < ids.length) return false;
          for (const id of ids) {
            const events = await store.readEvents(id);
            if (!events.some((e) => e.type === 'NodeSucceeded' && e.path === 'a')) return false;
          }
          return true;
        });

        // While tab 1 lives it renews its leases: the others, looking for work every 100 ms
        // and recovering, take nothing, even after the leases first given have run out.
        for (const tab of others) await tab.call('work', 100);
        const recovered = await Promise.all(others.map((tab) => tab.call('recover')));
        expect(recovered).to.deep.equal([[], []]);
        const firstUntil = Math.max(...[...(await leases(ids)).values()].map((l) => l.until));
        await until(
          'the first leases to run out, and tab 1 to have renewed them',
          async () =>
            Date.now() > firstUntil + 500 &&
            [...(await leases(ids)).values()].every(
              (l) => l.owner === 't1' && l.until > firstUntil,
            ),
        );
        expect((await readEffects(db)).filter((e) => e.tab !== 't1')).to.deep.equal([]);

        await tabs.shift()!.close(how);
        // Read after tab 1 is gone: nothing renews these any more.
        const lapse = await leases(ids);
        await until('the other tabs to finish every run', () => allFinished(store, ids));

        const effects = await readEffects(db);
        const ran = trails(effects);
        for (const id of ids) {
          // a succeeded in tab 1: never again. b was in flight there: the tab that won the
          // lapsed lease runs it again. c runs once, in whichever tab took up the run's timer.
          expect(ran.get(`${id}/a`), `${id}/a`).to.deep.equal(['start t1', 'end t1']);
          const taker = effects.find((e) => e.run === id && e.tab !== 't1')!;
          expect(['t2', 't3']).to.include(taker.tab);
          expect(ran.get(`${id}/b`), `${id}/b`).to.deep.equal([
            'start t1',
            `start ${taker.tab}`,
            `end ${taker.tab}`,
          ]);
          const c = ran.get(`${id}/c`) ?? [];
          expect(c, `${id}/c`).to.have.length(2);
          expect(c[0], `${id}/c`).to.match(/^start t[23]$/);
          expect(c[1], `${id}/c`).to.equal(c[0]!.replace('start', 'end'));
          expect(taker.at, `${id} taken over only once its lease lapsed`).to.be.at.least(
            lapse.get(id)!.until,
          );
        }
        await expectRightOutputs(store, ids, inputs);
      } finally {
        for (const tab of tabs) await tab.close();
        store.close();
        await deleteDatabases(db);
      }
    });
  }
});
