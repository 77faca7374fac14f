import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore, createWebhookDedupe, type CacheEntry } from '@millrace/engine';

const NOW = Date.UTC(2026, 0, 1, 12);

test('a store-backed dedupe claims through the store: of many claims at once exactly one wins', async () => {
  const store = createMemoryStore();
  const receivers = Array.from({ length: 8 }, () => createWebhookDedupe({ store, ttlMs: 60_000 }));
  const won = await Promise.all(receivers.map((d) => d.claim('delivery-1', NOW)));
  assert.equal(won.filter(Boolean).length, 1);
  // The claim is a step cache entry under webhook/, until the ttl.
  assert.deepEqual(await store.getCache('webhook/delivery-1', NOW), {
    value: true,
    expiresAt: NOW + 60_000,
  });
  assert.equal(await receivers[0]!.claim('delivery-1', NOW + 59_999), false);
  assert.equal(await receivers[1]!.claim('delivery-1', NOW + 60_000), true, 'expired: new');
});

test('a store without claimOnce is read then written (the fallback: not atomic)', async () => {
  const cache = new Map<string, CacheEntry>();
  const store = {
    async getCache(key: string, now: number) {
      const entry = cache.get(key);
      return entry && entry.expiresAt > now ? entry : undefined;
    },
    async putCache(key: string, entry: CacheEntry) {
      cache.set(key, entry);
    },
  };
  const dedupe = createWebhookDedupe({ store, ttlMs: 1000 });
  assert.equal(await dedupe.claim('k', NOW), true);
  assert.equal(await dedupe.claim('k', NOW + 1), false);
  assert.equal(await dedupe.claim('k', NOW + 1000), true);
  // Two claims in the same instant both read "absent" before either writes.
  const both = await Promise.all([dedupe.claim('race', NOW), dedupe.claim('race', NOW)]);
  assert.deepEqual(both, [true, true], 'why stores get claimOnce');
});
