import { MillraceError } from '../errors/millrace-error.ts';
import type { FlowDefinition } from '../model/flow.ts';
import type { RunEvent } from '../runtime/events.ts';
import type { RunStateSnapshot } from '../runtime/run-state.ts';
import { memoryLifecycle } from './flow-lifecycle-store.ts';
import type { FlowLifecycleStore } from './flow-state.ts';
import { memoryLeases, type RunLeaseStore } from './run-lease.ts';
import type { FlowStore, FlowSummary, StoredDraft, StoredFlow } from './flow-store.ts';
import {
  isFinished,
  type CacheEntry,
  type ClaimOnceOptions,
  type LoadedRun,
  type RunQuery,
  type RunStore,
  type RunSummary,
  type WaitingEntry,
} from './run-store.ts';

interface RunRow {
  summary: RunSummary;
  events: RunEvent[];
  snapshot?: { seq: number; state: RunStateSnapshot };
}

export interface MemoryStore
  extends
    Omit<FlowStore, keyof FlowLifecycleStore>,
    FlowLifecycleStore,
    Omit<RunStore, keyof RunLeaseStore>,
    RunLeaseStore {
  claimOnce(key: string, options: ClaimOnceOptions): Promise<boolean>;
  /** Drops everything after the first `keep` events of a run (tests simulate crashes with it). */
  truncateRun(runId: string, keep: number): void;
  /** A deep copy of the store's contents: a second engine "restarting" on the same data. */
  clone(): MemoryStore;
  /** The run leases held now, by run id (who executes which run). */
  readonly leases: ReadonlyMap<string, { readonly owner: string; readonly until: number }>;
}

/**
 * The reference store: flows, runs, events, snapshots and the step cache in memory. It is both
 * the FlowStore and the RunStore, and the conformance suite in @millrace/adapters checks every
 * other store against the same behaviour. Stored values are shared, not copied: the engine
 * never mutates an event or a definition after handing it over.
 */
export function createMemoryStore(): MemoryStore {
  const flows = new Map<string, StoredFlow[]>();
  const drafts = new Map<string, StoredDraft>();
  const runs = new Map<string, RunRow>();
  const waiting = new Map<string, WaitingEntry>();
  const cache = new Map<string, CacheEntry>();
  const lifecycle = memoryLifecycle(async () => [...drafts.values()]);
  // Engines sharing this store share its leases; a clone (a restart) starts with none.
  const leases = memoryLeases();

  const indexWaiting = (summary: RunSummary, previous: RunSummary | undefined) => {
    for (const w of previous?.waiting ?? []) waiting.delete(w.token);
    for (const w of summary.waiting)
      waiting.set(w.token, { ...w, runId: summary.runId, flowId: summary.flowId });
  };

  const store: MemoryStore = {
    async saveFlow(definition: FlowDefinition, deployedAt: number): Promise<StoredFlow> {
      const versions = flows.get(definition.id) ?? [];
      const version = (versions[versions.length - 1]?.version ?? 0) + 1;
      const stored: StoredFlow = {
        id: definition.id,
        version,
        definition: { ...definition, version },
        deployedAt,
      };
      versions.push(stored);
      flows.set(definition.id, versions);
      return stored;
    },
    async getFlow(id, version) {
      const versions = flows.get(id);
      if (!versions) return undefined;
      return version === undefined
        ? versions[versions.length - 1]
        : versions.find((v) => v.version === version);
    },
    async listFlows(): Promise<FlowSummary[]> {
      return [...flows.values()].map((versions) => {
        const latest = versions[versions.length - 1]!;
        const summary: FlowSummary = {
          id: latest.id,
          latestVersion: latest.version,
          deployedAt: latest.deployedAt,
        };
        return latest.definition.name === undefined
          ? summary
          : { ...summary, name: latest.definition.name };
      });
    },
    async listVersions(id) {
      return (flows.get(id) ?? []).map((v) => v.version);
    },
    async saveDraft(definition, savedAt) {
      const draft: StoredDraft = {
        id: definition.id,
        definition: JSON.parse(JSON.stringify(definition)) as FlowDefinition,
        savedAt,
      };
      drafts.set(definition.id, draft);
      return draft;
    },
    async getDraft(id) {
      return drafts.get(id);
    },
    async deleteDraft(id) {
      drafts.delete(id);
    },
    getFlowState: lifecycle.getFlowState,
    putFlowState: lifecycle.putFlowState,
    listFlowStates: lifecycle.listFlowStates,
    listDrafts: lifecycle.listDrafts,
    getScheduleFire: lifecycle.getScheduleFire,
    recordScheduleFire: lifecycle.recordScheduleFire,
    leases: leases.leases,
    claimRun: leases.claimRun,
    renewRuns: leases.renewRuns,
    releaseRun: leases.releaseRun,

    async append(runId, events, summary) {
      let row = runs.get(runId);
      const first = events[0];
      const expected = (row?.summary.lastSeq ?? 0) + 1;
      if (!first) {
        // No events: the engine re-syncs the summary (after recovery).
        if (!row) throw new MillraceError('E_INVALID_ARGUMENT', `Run "${runId}" does not exist.`);
        indexWaiting(summary, row.summary);
        row.summary = summary;
        return;
      }
      if (first.seq !== expected) {
        throw new MillraceError(
          'E_STORE_CONFLICT',
          `Run "${runId}": append starts at seq ${first.seq} but the log ends at ${expected - 1}; another engine wrote to this run.`,
          { details: { runId, expected, got: first.seq } },
        );
      }
      const previous = row?.summary;
      if (!row) {
        row = { summary, events: [] };
        runs.set(runId, row);
      }
      for (const e of events) row.events.push(e);
      row.summary = summary;
      indexWaiting(summary, previous);
    },
    async load(runId): Promise<LoadedRun | undefined> {
      const row = runs.get(runId);
      if (!row) return undefined;
      if (!row.snapshot) return { summary: row.summary, events: row.events.slice() };
      const from = row.snapshot.seq;
      return {
        summary: row.summary,
        snapshot: row.snapshot,
        events: row.events.filter((e) => e.seq > from),
      };
    },
    async readEvents(runId, afterSeq = 0) {
      const row = runs.get(runId);
      if (!row) return [];
      // Events are dense from seq 1, so the index is seq - 1.
      return row.events.slice(afterSeq);
    },
    async saveSnapshot(runId, seq, state) {
      const row = runs.get(runId);
      if (!row)
        throw new MillraceError(
          'E_INVALID_ARGUMENT',
          `Cannot snapshot run "${runId}": it has no events.`,
        );
      if (!row.snapshot || row.snapshot.seq < seq) row.snapshot = { seq, state };
    },
    async getSummary(runId) {
      return runs.get(runId)?.summary;
    },
    async listRuns(query: RunQuery = {}) {
      const statuses =
        query.status === undefined ? undefined : ([] as string[]).concat(query.status);
      const result: RunSummary[] = [];
      for (const { summary } of runs.values()) {
        if (query.flowId !== undefined && summary.flowId !== query.flowId) continue;
        if (statuses && !statuses.includes(summary.status)) continue;
        if (query.before !== undefined && summary.createdAt >= query.before) continue;
        if (query.since !== undefined && summary.createdAt < query.since) continue;
        result.push(summary);
      }
      result.sort((a, b) => b.createdAt - a.createdAt || (a.runId < b.runId ? 1 : -1));
      return result.slice(0, query.limit ?? 50);
    },
    async listUnfinished() {
      return [...runs.values()].map((r) => r.summary).filter((s) => !isFinished(s.status));
    },
    async findWaiting(token) {
      return waiting.get(token);
    },
    async listWaiting(query = {}) {
      return [...waiting.values()].filter(
        (w) => query.flowId === undefined || w.flowId === query.flowId,
      );
    },
    async getCache(key, now) {
      const entry = cache.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now) {
        cache.delete(key);
        return undefined;
      }
      return entry;
    },
    async putCache(key, entry) {
      cache.set(key, entry);
    },
    async claimOnce(key, { now, expiresAt }) {
      // No await between the check and the put: atomic for every engine sharing this store.
      const held = cache.get(key);
      if (held && held.expiresAt > now) return false;
      cache.set(key, { value: true, expiresAt });
      return true;
    },

    truncateRun(runId, keep) {
      const row = runs.get(runId);
      if (!row) return;
      row.events.length = Math.min(row.events.length, keep);
      if (row.snapshot && row.snapshot.seq > keep) delete row.snapshot;
      const last = row.events[row.events.length - 1];
      // The summary is rebuilt by the engine on recovery; only the sequence must be right here.
      row.summary = { ...row.summary, lastSeq: last?.seq ?? 0, status: 'running' };
      indexWaiting({ ...row.summary, waiting: [] }, row.summary);
      if (keep === 0) runs.delete(runId);
    },
    clone() {
      const copy = createMemoryStore();
      const json = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
      for (const versions of flows.values()) {
        for (const v of versions) void copy.saveFlow(json(v.definition), v.deployedAt);
      }
      for (const [runId, row] of runs) {
        void copy.append(runId, json(row.events), json(row.summary));
        if (row.snapshot) void copy.saveSnapshot(runId, row.snapshot.seq, json(row.snapshot.state));
      }
      for (const [key, entry] of cache) void copy.putCache(key, json(entry));
      for (const d of drafts.values()) void copy.saveDraft(json(d.definition), d.savedAt);
      for (const state of lifecycle.states.values()) void copy.putFlowState(json(state));
      for (const [k, firedAt] of lifecycle.fires) {
        const [flowId, triggerId] = k.split('\u0000') as [string, string];
        void copy.recordScheduleFire(flowId, triggerId, firedAt);
      }
      return copy;
    },
  };
  return store;
}
