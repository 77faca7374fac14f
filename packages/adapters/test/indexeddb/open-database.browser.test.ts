import { expect } from '@open-wc/testing';
import { openMillraceDb } from '@millrace/adapters/indexeddb';

describe('openMillraceDb in Chromium', () => {
  const name = `millrace-test-${Math.random().toString(36).slice(2)}`;

  after(async () => {
    await new Promise((resolve) => {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = req.onerror = req.onblocked = resolve;
    });
  });

  it('stores events keyed by run and sequence, in order', async () => {
    const db = await openMillraceDb(name);
    await db.put('events', { runId: 'r1', seq: 2, event: { type: 'B' } });
    await db.put('events', { runId: 'r1', seq: 1, event: { type: 'A' } });
    await db.put('events', { runId: 'r2', seq: 1, event: { type: 'X' } });
    const range = IDBKeyRange.bound(['r1', 0], ['r1', Infinity]);
    const rows = await db.getAll('events', range);
    expect(rows.map((r) => (r.event as { type: string }).type)).to.deep.equal(['A', 'B']);
    db.close();
  });

  it('survives closing and reopening (a page reload)', async () => {
    const db = await openMillraceDb(name);
    await db.put('runs', { id: 'r1', flowId: 'f', status: 'running', updatedAt: 't', state: {} });
    db.close();
    const again = await openMillraceDb(name);
    const running = await again.getAllFromIndex('runs', 'byStatus', 'running');
    expect(running.map((r) => r.id)).to.deep.equal(['r1']);
    again.close();
  });
});
