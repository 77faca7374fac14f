import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '@millrace/engine';
import { storeConformance } from '@millrace/adapters/conformance';

// The engine's memory store is the reference implementation every adapter is held to.
// Reopening a memory store is a restart: its clone has the data and none of the leases.
storeConformance(
  'memory',
  async () => {
    const store = createMemoryStore();
    return { store, reopen: async () => store.clone() };
  },
  {
    test: (name, fn) => test(name, fn),
    equal: (a, b, m) => assert.equal(a, b, m),
    deepEqual: (a, b, m) => assert.deepEqual(a, b, m),
    ok: (v, m) => assert.ok(v, m),
  },
  { reopen: true },
);
