import type { CacheEntry } from '../store/run-store.ts';

/** Remembers what a webhook already accepted (idempotency keys, signatures). */
export interface WebhookDedupe {
  /** True the first time `key` is claimed (and remembers it until `now + ttl`), false after. */
  claim(key: string, now: number): Promise<boolean>;
}

export interface WebhookDedupeOptions {
  /** How long a key is remembered, ms. Default 24 h (longer than any sender's retry window). */
  readonly ttlMs?: number;
  /**
   * Keep the keys in a store's step cache (a RunStore's getCache/putCache), so every engine
   * process on that store sees them; in memory (this process only) when absent. The store's
   * check-then-put is not atomic: two deliveries of one key at the same instant on two
   * processes may both pass; run a single webhook receiver per store, or dedupe on the key again
   * where the run's effect happens.
   */
  readonly store?: {
    getCache(key: string, now: number): Promise<CacheEntry | undefined>;
    putCache(key: string, entry: CacheEntry): Promise<void>;
  };
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
