import type { RunStore } from '../store/run-store.ts';

/** Remembers what a webhook already accepted (idempotency keys, signatures). */
export interface WebhookDedupe {
  /** True the first time `key` is claimed (and remembers it until `now + ttl`), false after. */
  claim(key: string, now: number): Promise<boolean>;
}

export interface WebhookDedupeOptions {
  /** How long a key is remembered, ms. Default 24 h (longer than any sender's retry window). */
  readonly ttlMs?: number;
  /**
   * Keep the keys in a store's step cache (as `webhook/<key>`), so every engine process on that
   * store sees them; in memory (this process only) when absent. A store with `claimOnce` (every
   * store of Millrace: memory, IndexedDB, Postgres) claims a key atomically: of two deliveries
   * of one key at the same instant, on two processes, exactly one is accepted. A store without
   * it is read then written (getCache, putCache), which two deliveries at once can both pass:
   * give such a store a `claimOnce`, or run a single webhook receiver per store.
   */
  readonly store?: Pick<RunStore, 'getCache' | 'putCache' | 'claimOnce'>;
}

/**
 * A de-duplicator for webhook deliveries, for `verifyWebhook(..., { dedupe })`.
 *
 * @example
 * const dedupe = createWebhookDedupe({ store }); // shared by every process on `store`
 * const checked = await verifyWebhook(trigger, request, { secrets, now: Date.now(), dedupe });
 */
export function createWebhookDedupe(options: WebhookDedupeOptions = {}): WebhookDedupe {
  const ttl = options.ttlMs ?? 24 * 3_600_000;
  const store = options.store;
  if (store) {
    return {
      async claim(key, now) {
        const cacheKey = `webhook/${key}`;
        if (store.claimOnce) return store.claimOnce(cacheKey, { now, expiresAt: now + ttl });
        if (await store.getCache(cacheKey, now)) return false;
        await store.putCache(cacheKey, { value: true, expiresAt: now + ttl });
        return true;
      },
    };
  }
  const seen = new Map<string, number>();
  return {
    async claim(key, now) {
      // Expired keys go as new ones arrive; the map holds at most a ttl's worth of deliveries.
      for (const [k, expiresAt] of seen) {
        if (expiresAt > now) break; // insertion order is expiry order (one ttl)
        seen.delete(k);
      }
      const expiresAt = seen.get(key);
      if (expiresAt !== undefined && expiresAt > now) return false;
      seen.delete(key);
      seen.set(key, now + ttl);
      return true;
    },
  };
}
