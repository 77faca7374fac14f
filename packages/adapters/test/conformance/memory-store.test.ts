import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '@millrace/engine';
import { storeConformance } from '@millrace/adapters/conformance';

// The engine's memory store is the reference implementation every adapter is held to.
storeConformance('memory', async () => ({ store: createMemoryStore() }), {
  test: (name, fn) => test(name, fn),
  equal: (a, b, m) => assert.equal(a, b, m),
  deepEqual: (a, b, m) => assert.deepEqual(a, b, m),
  ok: (v, m) => assert.ok(v, m),
});
