import {
  MillraceError,
  isFinished,
  type CacheEntry,
  type ClaimOnceOptions,
  type FlowDefinition,
  type FlowLifecycleStore,
  type FlowStore,
  type FlowSummary,
  type LoadedRun,
  type RunLeaseStore,
  type RunQuery,
  type RunStore,
  type StoredFlow,
} from '@millrace/engine';
import { createAppendBatcher } from './append-batcher.ts';
import { openMillraceDb, type MillraceDb } from './open-database.ts';
import { withQuotaError } from './quota-error.ts';

export interface IndexedDbStore
  extends
    Omit<FlowStore, keyof FlowLifecycleStore>,
    FlowLifecycleStore,
    Omit<RunStore, keyof RunLeaseStore>,
    RunLeaseStore {
  readonly db: MillraceDb;
  claimOnce(key: string, options: ClaimOnceOptions): Promise<boolean>;
  close(): void;
}

/**
 * A FlowStore and RunStore in the browser's IndexedDB (through idb): flows, runs and their
 * events survive reloads. Each append is one readwrite transaction over the events, the run's
 * summary and the waiting index, and checks the sequence first, so two tabs running the same
 * run cannot fork its log (E_STORE_CONFLICT); appends issued in the same tick share one
 * transaction (append-batcher.ts). A full quota is E_STORE_QUOTA, with nothing written.
 * Values are stored by structured clone.
 */
export async function createIndexedDbStore(
  options: { readonly name?: string } = {},
): Promise<IndexedDbStore> {
  const db = await openMillraceDb(options.name ?? 'millrace');
  const store: IndexedDbStore = {
    db,
    close: () => db.close(),

    async saveFlow(definition: FlowDefinition, deployedAt: number): Promise<StoredFlow> {
      const tx = db.transaction('flows', 'readwrite');
      const versions = await tx.store.index('byId').getAllKeys(definition.id);
      const version = versions.reduce((max, [, v]) => Math.max(max, v), 0) + 1;
      const stored: StoredFlow = {
        id: definition.id,
        version,
        definition: { ...definition, version },
        deployedAt,
      };
      await tx.store.add(stored);
      await tx.done;
      return stored;
    },
    async getFlow(id, version) {
      if (version !== undefined) return db.get('flows', [id, version]);
      const versions = await db.getAllFromIndex('flows', 'byId', id);
      return versions.sort((a, b) => a.version - b.version).pop();
    },
    async listFlows(): Promise<FlowSummary[]> {
      const latest = new Map<string, StoredFlow>();
      for (const f of await db.getAll('flows')) {
        const seen = latest.get(f.id);
        if (!seen || seen.version < f.version) latest.set(f.id, f);
      }
      return [...latest.values()].map((f) => ({
        id: f.id,
        latestVersion: f.version,
        deployedAt: f.deployedAt,
        ...(f.definition.name === undefined ? {} : { name: f.definition.name }),
      }));
    },
    async saveDraft(definition, savedAt) {
      const draft = { id: definition.id, definition, savedAt };
      await db.put('drafts', draft);
      return draft;
    },
    getDraft: (id) => db.get('drafts', id),
    async deleteDraft(id) {
      await db.delete('drafts', id);
    },
    getFlowState: (id) => db.get('flowStates', id),
    async putFlowState(state) {
      await db.put('flowStates', state);
    },
    listFlowStates: () => db.getAll('flowStates'),
    listDrafts: () => db.getAll('drafts'),
    async getScheduleFire(flowId, triggerId) {
      return (await db.get('scheduleFires', [flowId, triggerId]))?.firedAt;
    },
    async recordScheduleFire(flowId, triggerId, firedAt) {
      // Read and write in one transaction: the stored time only moves forward.
      const tx = db.transaction('scheduleFires', 'readwrite');
      const previous = await tx.store.get([flowId, triggerId]);
      if (!previous || previous.firedAt < firedAt)
        void tx.store.put({ flowId, triggerId, firedAt });
      await tx.done;
    },
    async listVersions(id) {
      return (await db.getAllKeysFromIndex('flows', 'byId', id))
        .map(([, v]) => v)
        .sort((a, b) => a - b);
    },

    append: createAppendBatcher(db),
    async load(runId): Promise<LoadedRun | undefined> {
      const tx = db.transaction(['runs', 'events', 'snapshots']);
      const summary = await tx.objectStore('runs').get(runId);
      if (!summary) return undefined;
      const snapshot = await tx.objectStore('snapshots').get(runId);
      const from = snapshot?.seq ?? 0;
      const rows = await tx
        .objectStore('events')
        .getAll(IDBKeyRange.bound([runId, from + 1], [runId, Infinity]));
      await tx.done;
      const events = rows.map((r) => r.event);
      return snapshot
        ? { summary, snapshot: { seq: snapshot.seq, state: snapshot.state }, events }
        : { summary, events };
    },
    async readEvents(runId, afterSeq = 0) {
      const rows = await db.getAll(
        'events',
        IDBKeyRange.bound([runId, afterSeq + 1], [runId, Infinity]),
      );
      return rows.map((r) => r.event);
    },
    async saveSnapshot(runId, seq, state) {
      const tx = db.transaction(['runs', 'snapshots'], 'readwrite');
      if (!(await tx.objectStore('runs').get(runId))) {
        tx.abort();
        await tx.done.catch(() => undefined);
        throw new MillraceError(
          'E_INVALID_ARGUMENT',
          `Cannot snapshot run "${runId}": it has no events.`,
        );
      }
      const existing = await tx.objectStore('snapshots').get(runId);
      if (!existing || existing.seq < seq)
        void tx.objectStore('snapshots').put({ runId, seq, state });
      await tx.done;
    },
    getSummary: (runId) => db.get('runs', runId),
    async listRuns(query: RunQuery = {}) {
      const statuses =
        query.status === undefined ? undefined : ([] as string[]).concat(query.status);
      const all =
        query.flowId !== undefined
          ? await db.getAllFromIndex('runs', 'byFlow', query.flowId)
          : await db.getAll('runs');
      return all
        .filter(
          (r) =>
            (!statuses || statuses.includes(r.status)) &&
            (query.before === undefined || r.createdAt < query.before) &&
            (query.since === undefined || r.createdAt >= query.since),
        )
        .sort((a, b) => b.createdAt - a.createdAt || (a.runId < b.runId ? 1 : -1))
        .slice(0, query.limit ?? 50);
    },
    async listUnfinished() {
      return (await db.getAll('runs')).filter((r) => !isFinished(r.status));
    },
    findWaiting: (token) => db.get('waiting', token),
    async listWaiting(query = {}) {
      return query.flowId === undefined
        ? db.getAll('waiting')
        : db.getAllFromIndex('waiting', 'byFlow', query.flowId);
    },
    async claimRun(runId, owner, now, until) {
      // One readwrite transaction: IndexedDB runs those on a store one after another, also
      // across tabs and workers of the origin, so two claims cannot both win.
      const tx = db.transaction('leases', 'readwrite');
      const held = await tx.store.get(runId);
      const free = !held || held.owner === owner || held.until <= now;
      if (free) void tx.store.put({ runId, owner, until });
      await tx.done;
      return free;
    },
    async renewRuns(owner, runIds, until) {
      const tx = db.transaction('leases', 'readwrite');
      const kept: string[] = [];
      for (const runId of runIds) {
        const held = await tx.store.get(runId);
        if (held?.owner !== owner) continue;
        void tx.store.put({ ...held, until });
        kept.push(runId);
      }
      await tx.done;
      return kept;
    },
    async releaseRun(runId, owner) {
      const tx = db.transaction('leases', 'readwrite');
      if ((await tx.store.get(runId))?.owner === owner) void tx.store.delete(runId);
      await tx.done;
    },
    async getCache(key, now) {
      const entry = await db.get('cache', key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now) {
        // Deleted only if still expired: a claimOnce elsewhere may have renewed it meanwhile.
        const tx = db.transaction('cache', 'readwrite');
        if (((await tx.store.get(key))?.expiresAt ?? Infinity) <= now) void tx.store.delete(key);
        await tx.done;
        return undefined;
      }
      return { value: entry.value, expiresAt: entry.expiresAt };
    },
    async putCache(key, entry: CacheEntry) {
      await db.put('cache', { ...entry, key });
    },
    async claimOnce(key, { now, expiresAt }) {
      // Read and write in one readwrite transaction: those run one at a time on a store, also
      // across tabs and workers of the origin, so two claims of a key cannot both find it free.
      const tx = db.transaction('cache', 'readwrite');
      const held = await tx.store.get(key);
      const free = !held || held.expiresAt <= now;
      if (free) void tx.store.put({ key, value: true, expiresAt });
      await tx.done;
      return free;
    },
  };
  // Every write that can grow the database: a full quota is a typed error (E_STORE_QUOTA).
  for (const m of [
    'saveFlow',
    'saveDraft',
    'putFlowState',
    'recordScheduleFire',
    'saveSnapshot',
    'claimRun',
    'renewRuns',
    'putCache',
    'claimOnce',
  ] as const) {
    const write = store[m] as (...args: unknown[]) => Promise<unknown>;
    (store as unknown as Record<string, unknown>)[m] = withQuotaError(`${m}`, write);
  }
  return store;
}
