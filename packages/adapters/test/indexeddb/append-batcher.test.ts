import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMillraceError } from '@millrace/engine';
import { createIndexedDbStore, type IndexedDbStore } from '@millrace/adapters/indexeddb';
import { created, logged, summaryOf } from '../store-fixtures.ts';

let n = 0;

/** Counts the readwrite transactions the store opens on its database. */
function countWrites(store: IndexedDbStore): { readonly count: number } {
  const counter = { count: 0 };
  const open = store.db.transaction.bind(store.db);
  (store.db as { transaction: unknown }).transaction = (...args: Parameters<typeof open>) => {
    if (args[1] === 'readwrite') counter.count++;
    return open(...args);
  };
  return counter;
}

test('appends from several runs issued in the same tick share one readwrite transaction', async () => {
  const store = await createIndexedDbStore({ name: `batch-${n++}` });
  try {
    const writes = countWrites(store);
    const runs = ['r1', 'r2', 'r3', 'r4'];
    await Promise.all(runs.map((id) => store.append(id, [created(id)], summaryOf([created(id)]))));
    assert.equal(writes.count, 1);
    for (const id of runs) assert.equal((await store.load(id))?.events.length, 1);
    // The next tick is the next transaction.
    await store.append('r1', [logged(2)], summaryOf([created('r1'), logged(2)]));
    assert.equal(writes.count, 2);
  } finally {
    store.close();
  }
});

test('in a shared transaction a conflicting append fails alone with E_STORE_CONFLICT, the others land', async () => {
  const store = await createIndexedDbStore({ name: `batch-${n++}` });
  try {
    await store.append('a', [created('a')], summaryOf([created('a')]));
    await store.append('b', [created('b')], summaryOf([created('b')]));
    const writes = countWrites(store);
    const results = await Promise.allSettled([
      store.append('a', [logged(2)], summaryOf([created('a'), logged(2)])),
      store.append('b', [logged(5)], summaryOf([created('b'), logged(2)])), // does not continue b
      store.append('c', [created('c')], summaryOf([created('c')])),
      // Two appends of one run in one tick: the second continues the first.
      store.append('a', [logged(3)], summaryOf([created('a'), logged(2), logged(3)])),
    ]);
    assert.equal(writes.count, 1);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
    );
    const failure = (results[1] as PromiseRejectedResult).reason;
    assert.ok(isMillraceError(failure) && failure.code === 'E_STORE_CONFLICT');
    assert.deepEqual(
      (await store.load('a'))?.events.map((e) => e.seq),
      [1, 2, 3],
    );
    assert.equal((await store.getSummary('a'))?.lastSeq, 3);
    assert.deepEqual(
      (await store.load('b'))?.events.map((e) => e.seq),
      [1],
    );
    assert.equal((await store.load('c'))?.events.length, 1);
  } finally {
    store.close();
  }
});
