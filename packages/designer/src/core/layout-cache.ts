import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { LAYOUT_VERSION, hash106 } from './layout-key.ts';
import { createLruMap } from './lru-map.ts';
import type { LayoutNode, LayoutPorts, LayoutResult } from './layout-result.ts';

/**
 * A cache of finished layouts keyed by the structure of the flow, so that reopening or
 * re-rendering an unchanged flow needs no ELK at all.
 *
 * The key (`layoutKey`, core/layout-key.ts) is a hash of exactly what decides the picture:
 * renaming a node or editing its input keeps it; adding a node, an edge, a switch case, or
 * pinning a node changes it. LRU, and persistable as plain JSON.
 */

export { LAYOUT_VERSION } from './layout-key.ts';

const digests = new WeakMap<object, string>();

/**
 * A digest of an ELK graph node: a hash of its own fields, its edges and its children's digests,
 * remembered per object. The builder hands out the same object for an unchanged card
 * (layout-graph.ts), so after an edit only the parts' own lists and the containers are hashed
 * again, not the JSON of the whole flow (~0.4 MB at 1,000 cards). ELK graphs are never changed
 * after they are built: elkjs gets copies.
 */
function digestOf(node: ElkNode): string {
  let digest = digests.get(node);
  if (digest !== undefined) return digest;
  const { children, edges, ...own } = node;
  const text = JSON.stringify([own, edges ?? null, (children ?? []).map(digestOf)]);
  digest = `${hash106(text)}${text.length.toString(36)}`;
  digests.set(node, digest);
  return digest;
}

/** The cache key of one part of a split layout (core/layout-split.ts): its ELK graph. */
export function partKey(part: ElkNode): string {
  return `p${LAYOUT_VERSION}:${digestOf(part)}`;
}

/** A LayoutResult as plain JSON (its Maps as arrays). */
export interface SerializedLayoutResult {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly LayoutNode[];
  readonly edges: LayoutResult['edges'];
  readonly ports: readonly (readonly [string, LayoutPorts])[];
}

export const LAYOUT_CACHE_FORMAT = 'millrace.layout-cache/v1';

/** What `persist()` returns and `createLayoutCache({ persisted })` accepts: plain JSON. */
export interface PersistedLayoutCache {
  readonly format: typeof LAYOUT_CACHE_FORMAT;
  /** Least recently used first. */
  readonly entries: readonly (readonly [string, SerializedLayoutResult])[];
}

export function serializeLayoutResult(result: LayoutResult): SerializedLayoutResult {
  return {
    x: result.x,
    y: result.y,
    width: result.width,
    height: result.height,
    nodes: [...result.nodes.values()],
    edges: result.edges,
    ports: [...result.ports.entries()],
  };
}

/** Rebuilds a LayoutResult; undefined when `data` does not have its shape. */
export function deserializeLayoutResult(data: unknown): LayoutResult | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Partial<Record<keyof SerializedLayoutResult, unknown>>;
  const numbers = [d.x, d.y, d.width, d.height];
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  if (!Array.isArray(d.nodes) || !Array.isArray(d.edges) || !Array.isArray(d.ports))
    return undefined;
  const nodes = new Map<string, LayoutNode>();
  for (const n of d.nodes as unknown[]) {
    if (typeof n !== 'object' || n === null || typeof (n as LayoutNode).id !== 'string') {
      return undefined;
    }
    nodes.set((n as LayoutNode).id, n as LayoutNode);
  }
  const ports = new Map<string, LayoutPorts>();
  for (const entry of d.ports as unknown[]) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') return undefined;
    ports.set(entry[0], entry[1] as LayoutPorts);
  }
  return {
    x: d.x as number,
    y: d.y as number,
    width: d.width as number,
    height: d.height as number,
    nodes,
    edges: d.edges as LayoutResult['edges'],
    ports,
  };
}

export interface LayoutCache {
  /** The layout for `key`, marking it most recently used. */
  get(key: string): LayoutResult | undefined;
  set(key: string, result: LayoutResult): void;
  has(key: string): boolean;
  clear(): void;
  readonly size: number;
  /** Plain JSON a host may store (localStorage, IndexedDB) and pass back on the next visit. */
  persist(): PersistedLayoutCache;
}

export interface LayoutCacheOptions {
  /** Entries kept; the least recently used goes first. 32 when absent. */
  readonly maxEntries?: number;
  /** A previous `persist()`; ignored when its format or version does not match. */
  readonly persisted?: PersistedLayoutCache | unknown;
}

/**
 * An LRU cache of layouts.
 *
 * @example
 * const cache = createLayoutCache({ persisted: JSON.parse(localStorage.layouts ?? 'null') });
 * addEventListener('pagehide', () => (localStorage.layouts = JSON.stringify(cache.persist())));
 */
export function createLayoutCache(options: LayoutCacheOptions = {}): LayoutCache {
  const max = Math.max(1, Math.floor(options.maxEntries ?? 32));
  const entries = createLruMap<LayoutResult>(max);
  const set = (key: string, result: LayoutResult): void => entries.set(key, result);

  const persisted = options.persisted as Partial<PersistedLayoutCache> | null | undefined;
  if (
    typeof persisted === 'object' &&
    persisted !== null &&
    persisted.format === LAYOUT_CACHE_FORMAT &&
    Array.isArray(persisted.entries)
  ) {
    for (const entry of persisted.entries as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
      // Keys carry the layout version: entries from another version can never match, drop them.
      if (!entry[0].startsWith(`v${LAYOUT_VERSION}:`)) continue;
      const result = deserializeLayoutResult(entry[1]);
      if (result) set(entry[0], { ...result, key: entry[0] });
    }
  }

  return {
    get: (key) => entries.get(key),
    set,
    has: (key) => entries.has(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
    persist: () => ({
      format: LAYOUT_CACHE_FORMAT,
      entries: [...entries.entries()].map(
        ([key, result]) => [key, serializeLayoutResult(result)] as const,
      ),
    }),
  };
}
