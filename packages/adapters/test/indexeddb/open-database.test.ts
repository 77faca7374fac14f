import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDB } from 'idb';
import { SCHEMA_VERSION, openMillraceDb } from '@millrace/adapters/indexeddb';

test('creates every store with its indexes', async () => {
  const db = await openMillraceDb('node-schema-test');
  assert.equal(db.version, SCHEMA_VERSION);
  assert.deepEqual([...db.objectStoreNames].sort(), [
    'cache',
    'drafts',
    'events',
    'flowStates',
    'flows',
    'leases',
    'runs',
    'scheduleFires',
    'snapshots',
    'waiting',
  ]);
  const tx = db.transaction(['runs', 'waiting']);
  assert.deepEqual([...tx.objectStore('runs').indexNames].sort(), [
    'byCreated',
    'byFlow',
    'byStatus',
  ]);
  assert.deepEqual([...tx.objectStore('waiting').indexNames].sort(), ['byFlow', 'byRun']);
  await tx.done;
  db.close();
});

test('upgrading a version-1 database keeps its flows and events', async () => {
  const old = await openDB('node-upgrade-test', 1, {
    upgrade(db) {
      db.createObjectStore('flows', { keyPath: ['id', 'version'] }).createIndex('byId', 'id');
      const runs = db.createObjectStore('runs', { keyPath: 'id' });
      runs.createIndex('byFlow', 'flowId');
      runs.createIndex('byStatus', 'status');
      db.createObjectStore('events', { keyPath: ['runId', 'seq'] });
    },
  });
  await old.put('flows', { id: 'f', version: 1, definition: { name: 'F' }, deployedAt: 1 });
  await old.put('events', { runId: 'r', seq: 1, event: { type: 'RunCreated' } });
  old.close();
  const db = await openMillraceDb('node-upgrade-test');
  assert.equal(db.version, SCHEMA_VERSION);
  assert.deepEqual((await db.get('flows', ['f', 1]))?.definition, { name: 'F' });
  assert.equal((await db.getAll('events')).length, 1);
  db.close();
});

test('upgrading a version-3 database keeps its flows, runs and drafts, and adds lifecycle stores', async () => {
  const name = 'node-upgrade-3-test';
  const v3 = await openDB(name, 3, {
    upgrade(db) {
      db.createObjectStore('flows', { keyPath: ['id', 'version'] }).createIndex('byId', 'id');
      db.createObjectStore('events', { keyPath: ['runId', 'seq'] });
      const runs = db.createObjectStore('runs', { keyPath: 'runId' });
      runs.createIndex('byFlow', 'flowId');
      runs.createIndex('byStatus', 'status');
      runs.createIndex('byCreated', 'createdAt');
      db.createObjectStore('snapshots', { keyPath: 'runId' });
      const waiting = db.createObjectStore('waiting', { keyPath: 'token' });
      waiting.createIndex('byRun', 'runId');
      waiting.createIndex('byFlow', 'flowId');
      db.createObjectStore('cache', { keyPath: 'key' });
      db.createObjectStore('drafts', { keyPath: 'id' });
    },
  });
  await v3.put('flows', { id: 'f', version: 1, definition: { name: 'F' }, deployedAt: 1 });
  await v3.put('runs', { runId: 'r', flowId: 'f', status: 'succeeded', createdAt: 1 });
  await v3.put('drafts', { id: 'f', definition: { name: 'Draft' }, savedAt: 2 });
  v3.close();
  const db = await openMillraceDb(name);
  assert.equal(db.version, SCHEMA_VERSION);
  assert.deepEqual((await db.get('flows', ['f', 1]))?.definition, { name: 'F' });
  assert.equal((await db.get('runs', 'r'))?.status, 'succeeded');
  assert.equal((await db.get('drafts', 'f'))?.savedAt, 2);
  // No lifecycle record: the engine treats the flow as active, as it was before.
  assert.equal(await db.get('flowStates', 'f'), undefined);
  assert.deepEqual(await db.getAll('scheduleFires'), []);
  db.close();
});
