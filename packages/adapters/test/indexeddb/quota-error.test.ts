import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMillraceError, type MillraceError } from '@millrace/engine';
import { createIndexedDbStore } from '@millrace/adapters/indexeddb';
import { T0, created, logged, summaryOf } from '../store-fixtures.ts';

// fake-indexeddb has no quota: the object store's writes throw the browser's QuotaExceededError
// while `full` is set, as Chromium's do when the origin's quota is used up.
let full = false;
for (const method of ['add', 'put'] as const) {
  const original = IDBObjectStore.prototype[method];
  IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: [unknown, never?]) {
    if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return original.apply(this, args);
  } as typeof original;
}

const isQuota = (error: unknown): boolean => {
  assert.ok(isMillraceError(error), `a MillraceError, got ${String(error)}`);
  assert.equal(error.code, 'E_STORE_QUOTA');
  return true;
};

/** E_STORE_QUOTA naming where it happened. */
const quotaAt =
  (where: Record<string, unknown>) =>
  (error: unknown): boolean => {
    isQuota(error);
    assert.deepEqual((error as MillraceError).details, where);
    return true;
  };

test('a quota error on append is E_STORE_QUOTA, and the stored events are intact', async () => {
  const store = await createIndexedDbStore({ name: 'quota-append' });
  try {
    const e1 = created('r1');
    const e2 = logged(2);
    await store.append('r1', [e1, e2], summaryOf([e1, e2]));
    full = true;
    await assert.rejects(
      store.append('r1', [logged(3), logged(4)], summaryOf([e1, e2, logged(3), logged(4)])),
      quotaAt({ runId: 'r1' }),
    );
    // Several runs in one tick: each fails typed, none lands.
    const results = await Promise.allSettled([
      store.append('r1', [logged(3)], summaryOf([e1, e2, logged(3)])),
      store.append('r2', [created('r2')], summaryOf([created('r2')])),
    ]);
    for (const r of results) assert.ok(r.status === 'rejected' && isQuota(r.reason));
    full = false;
    assert.deepEqual((await store.load('r1'))?.events, [e1, e2]);
    assert.equal((await store.getSummary('r1'))?.lastSeq, 2);
    assert.equal(await store.load('r2'), undefined);
    // Space again: the log continues where it was.
    await store.append('r1', [logged(3)], summaryOf([e1, e2, logged(3)]));
    assert.equal((await store.getSummary('r1'))?.lastSeq, 3);
  } finally {
    full = false;
    store.close();
  }
});

test('a quota error on saveFlow, saveDraft and putCache is E_STORE_QUOTA, and nothing is written', async () => {
  const store = await createIndexedDbStore({ name: 'quota-flows' });
  const flow = { format: 'millrace.flow/v1' as const, id: 'f', nodes: [] };
  try {
    await store.saveFlow(flow, T0);
    full = true;
    await assert.rejects(store.saveFlow(flow, T0 + 1), quotaAt({ operation: 'saveFlow' }));
    await assert.rejects(store.saveDraft(flow, T0 + 1), isQuota);
    await assert.rejects(store.putCache('k', { value: 1, expiresAt: T0 + 10 }), isQuota);
    full = false;
    assert.deepEqual(await store.listVersions('f'), [1]);
    assert.equal(await store.getDraft('f'), undefined);
    assert.equal(await store.getCache('k', T0), undefined);
  } finally {
    full = false;
    store.close();
  }
});
