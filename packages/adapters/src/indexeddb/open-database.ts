import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { MillraceError } from '@millrace/engine';
import type {
  CacheEntry,
  RunEvent,
  RunStateSnapshot,
  RunSummary,
  StoredDraft,
  StoredFlow,
  StoredFlowState,
  WaitingEntry,
} from '@millrace/engine';

/** The IndexedDB schema of a Millrace store. Bump SCHEMA_VERSION and add a migration step. */
export interface MillraceDbSchema extends DBSchema {
  flows: {
    key: [string, number];
    value: StoredFlow;
    indexes: { byId: string };
  };
  runs: {
    key: string;
    value: RunSummary;
    indexes: { byFlow: string; byStatus: string; byCreated: number };
  };
  events: {
    key: [string, number];
    value: { runId: string; seq: number; event: RunEvent };
  };
  snapshots: {
    key: string;
    value: { runId: string; seq: number; state: RunStateSnapshot };
  };
  waiting: {
    key: string;
    value: WaitingEntry;
    indexes: { byRun: string; byFlow: string };
  };
  cache: {
    key: string;
    value: CacheEntry & { key: string };
  };
  drafts: {
    key: string;
    value: StoredDraft;
  };
  flowStates: {
    key: string;
    value: StoredFlowState;
  };
  scheduleFires: {
    key: [string, string];
    value: { flowId: string; triggerId: string; firedAt: number };
  };
  leases: {
    key: string;
    value: { runId: string; owner: string; until: number };
  };
}

export const SCHEMA_VERSION = 5;

export type MillraceDb = IDBPDatabase<MillraceDbSchema>;

/**
 * Opens (creating or upgrading) the Millrace database `name`. Upgrades run in order from the
 * stored version, so a database written by an older release is migrated, never wiped.
 */
export async function openMillraceDb(name = 'millrace'): Promise<MillraceDb> {
  if (typeof indexedDB === 'undefined') {
    throw new MillraceError(
      'E_INVALID_ARGUMENT',
      'IndexedDB is not available in this environment; use the memory store, or in Node install fake-indexeddb.',
    );
  }
  return openDB<MillraceDbSchema>(name, SCHEMA_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      // One step per version: never drop a store that holds user data.
      if (oldVersion < 1) {
        const flows = db.createObjectStore('flows', { keyPath: ['id', 'version'] });
        flows.createIndex('byId', 'id');
        db.createObjectStore('events', { keyPath: ['runId', 'seq'] });
      }
      if (oldVersion < 2) {
        // Version 1 had a placeholder `runs` store that no release ever wrote to; version 2
        // keeps run summaries keyed by runId.
        if (oldVersion >= 1) db.deleteObjectStore('runs');
        const runs = db.createObjectStore('runs', { keyPath: 'runId' });
        runs.createIndex('byFlow', 'flowId');
        runs.createIndex('byStatus', 'status');
        runs.createIndex('byCreated', 'createdAt');
        db.createObjectStore('snapshots', { keyPath: 'runId' });
        const waiting = db.createObjectStore('waiting', { keyPath: 'token' });
        waiting.createIndex('byRun', 'runId');
        waiting.createIndex('byFlow', 'flowId');
        db.createObjectStore('cache', { keyPath: 'key' });
      }
      if (oldVersion < 3) {
        // Version 3: editable drafts, one per flow id, beside the deployed versions.
        db.createObjectStore('drafts', { keyPath: 'id' });
      }
      if (oldVersion < 4) {
        // Version 4: lifecycle (status, deletion, aliases) per flow, and the last fire time of
        // each schedule trigger. Flows without a state record stay active, as they were.
        db.createObjectStore('flowStates', { keyPath: 'id' });
        db.createObjectStore('scheduleFires', { keyPath: ['flowId', 'triggerId'] });
      }
      if (oldVersion < 5) {
        // Version 5: run leases, so two tabs (or a tab and a worker) never execute one run.
        db.createObjectStore('leases', { keyPath: 'runId' });
      }
      void tx;
    },
    blocked() {
      // Another tab holds an older version open; it will be asked to close via versionchange.
    },
  });
}
