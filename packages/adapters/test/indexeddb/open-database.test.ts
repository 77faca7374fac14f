import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMA_VERSION, openMillraceDb } from '@millrace/adapters/indexeddb';

test('creates the flows, runs and events stores with their indexes', async () => {
  const db = await openMillraceDb('node-schema-test');
  assert.equal(db.version, SCHEMA_VERSION);
  assert.deepEqual([...db.objectStoreNames].sort(), ['events', 'flows', 'runs']);
  const tx = db.transaction('runs');
  assert.deepEqual([...tx.store.indexNames].sort(), ['byFlow', 'byStatus']);
  await tx.done;
  db.close();
});

test('reopening keeps stored data', async () => {
  const first = await openMillraceDb('node-reopen-test');
  await first.put('flows', { id: 'f', version: 1, definition: { name: 'F' }, deployedAt: 'now' });
  first.close();
  const second = await openMillraceDb('node-reopen-test');
  const row = await second.get('flows', ['f', 1]);
  assert.deepEqual(row?.definition, { name: 'F' });
  assert.deepEqual(await second.getAllFromIndex('flows', 'byId', 'f').then((r) => r.length), 1);
  second.close();
});
