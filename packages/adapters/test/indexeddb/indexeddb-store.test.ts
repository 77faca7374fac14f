import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatedClock, createEngine, sequentialIds } from '@millrace/engine';
import { createIndexedDbStore } from '@millrace/adapters/indexeddb';
import { storeConformance } from '@millrace/adapters/conformance';

let n = 0;
storeConformance(
  'indexeddb (fake-indexeddb)',
  async () => {
    const name = `conformance-${n++}`;
    let store = await createIndexedDbStore({ name });
    return {
      store,
      dispose: async () => store.close(),
      reopen: async () => {
        store.close();
        store = await createIndexedDbStore({ name });
        return store;
      },
    };
  },
  {
    test: (name, fn) => test(name, fn),
    equal: (a, b, m) => assert.equal(a, b, m),
    deepEqual: (a, b, m) => assert.deepEqual(a, b, m),
    ok: (v, m) => assert.ok(v, m),
  },
  { reopen: true },
);

test('an engine on IndexedDB parks a run, and a second engine on the reopened database finishes it', async () => {
  const clock = new SimulatedClock();
  const first = await createIndexedDbStore({ name: 'engine-reload' });
  const a = createEngine({ store: first, clock, ids: sequentialIds(1) });
  await a.deploy({
    format: 'millrace.flow/v1',
    id: 'ask',
    nodes: [
      { id: 'approve', type: 'approval', input: { approvers: ['dana'] } },
      { id: 'done', type: 'transform', input: { by: '$<nodes.approve.output.by>' } },
    ],
    edges: [{ from: 'approve', port: 'approved', to: 'done' }],
  });
  const run = await a.start('ask');
  await clock.advance(10);
  await a.close();
  first.close();

  const second = await createIndexedDbStore({ name: 'engine-reload' });
  const b = createEngine({ store: second, clock, ids: sequentialIds(2) });
  const [waiting] = await b.listWaiting();
  assert.equal(waiting?.runId, run.id);
  await b.signal(waiting!.token, { approved: true, by: 'dana' });
  assert.deepEqual(await (await b.handle(run.id)).result(), { by: 'dana' });
  await b.close();
  second.close();
});
