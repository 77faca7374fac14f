/**
 * A Map that keeps at most `max` entries, dropping the least recently used (a `get` counts as a
 * use). The layout caches (whole layouts and split-layout parts) are both one of these.
 */
export interface LruMap<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  has(key: string): boolean;
  clear(): void;
  /** Entries, least recently used first. */
  entries(): IterableIterator<[string, V]>;
  readonly size: number;
}

export function createLruMap<V>(max: number): LruMap<V> {
  const entries = new Map<string, V>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > max) entries.delete(entries.keys().next().value!);
    },
    has: (key) => entries.has(key),
    clear: () => entries.clear(),
    entries: () => entries.entries(),
    get size() {
      return entries.size;
    },
  };
}
