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
      const store = await createIndexedDbStore({ name });
      return {
        store,
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
  );

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
