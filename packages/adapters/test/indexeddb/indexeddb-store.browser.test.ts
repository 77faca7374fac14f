import { expect } from '@open-wc/testing';
import { createEngine, sequentialIds } from '@millrace/engine';
import { createIndexedDbStore } from '@millrace/adapters/indexeddb';
import { storeConformance } from '@millrace/adapters/conformance';

const prefix = `millrace-test-${Math.random().toString(36).slice(2)}`;
let n = 0;

describe('IndexedDB store in Chromium', () => {
  storeConformance(
    'indexeddb',
    async () => {
      const name = `${prefix}-${n++}`;
      let store = await createIndexedDbStore({ name });
      return {
        store,
        reopen: async () => {
          store.close();
          store = await createIndexedDbStore({ name });
          return store;
        },
        dispose: async () => {
          store.close();
          await new Promise((resolve) => {
            const req = indexedDB.deleteDatabase(name);
            req.onsuccess = req.onerror = req.onblocked = resolve;
          });
        },
      };
    },
    {
      test: (name, fn) => it(name, fn),
      equal: (a, b, m) => expect(a, m).to.equal(b),
      deepEqual: (a, b, m) => expect(a, m).to.deep.equal(b),
      ok: (v, m) => expect(v, m).to.be.ok,
    },
    { reopen: true },
  );

  it('two engines on two connections to one database both recover: each node runs once', async () => {
    // Two tabs of one app: each opens the database and recovers its unfinished runs.
    const name = `${prefix}-two-tabs`;
    const calls: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const work = (wait: boolean) => ({
      type: 'work',
      title: 'Work',
      async run(input: unknown, ctx: { runId: string; nodePath: string }) {
        calls.push(`${ctx.runId}/${ctx.nodePath}`);
        if (wait) await gate;
        return { n: (input as { n: number }).n };
      },
    });
    const storeA = await createIndexedDbStore({ name });
    const storeB = await createIndexedDbStore({ name });
    const a = createEngine({ store: storeA, ids: sequentialIds(1), actions: [work(true)] });
    const b = createEngine({ store: storeB, ids: sequentialIds(2), actions: [work(false)] });
    await a.deploy({
      format: 'millrace.flow/v1',
      id: 'two',
      nodes: [
        { id: 'first', type: 'work', input: { n: 1 } },
        { id: 'second', type: 'work', input: { n: 2 } },
      ],
      edges: [{ from: 'first', to: 'second' }],
    });
    const run = await a.start('two');
    while (calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const [recoveredA, recoveredB] = await Promise.all([a.recover(), b.recover()]);
    expect(recoveredB, 'the other tab leaves the run to its owner').to.deep.equal([]);
    expect(recoveredA).to.deep.equal([run.id]);
    open();
    expect(await run.result()).to.deep.equal({ n: 2 });
    expect(calls).to.deep.equal([`${run.id}/first`, `${run.id}/second`]);
    await a.close();
    await b.close();
    storeA.close();
    storeB.close();
  });

  it('keeps a finished run across closing and reopening the database (a reload)', async () => {
    const name = `${prefix}-reload`;
    const first = await createIndexedDbStore({ name });
    const engine = createEngine({ store: first, ids: sequentialIds() });
    await engine.deploy({
      format: 'millrace.flow/v1',
      id: 'hello',
      nodes: [{ id: 'greet', type: 'transform', input: { text: 'Hello $<flow.input.name>' } }],
    });
    const run = await engine.start('hello', { name: 'Dana' });
    expect(await run.result()).to.deep.equal({ text: 'Hello Dana' });
    await engine.close();
    first.close();
    const again = await createIndexedDbStore({ name });
    const view = await createEngine({ store: again }).getRun(run.id);
    expect(view?.status).to.equal('succeeded');
    expect(view?.output).to.deep.equal({ text: 'Hello Dana' });
    again.close();
  });
});
