import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { MillraceError } from '@millrace/engine';

/** The IndexedDB schema of a Millrace store. Bump SCHEMA_VERSION and add a migration step. */
export interface MillraceDbSchema extends DBSchema {
  flows: {
    key: [string, number];
    value: { id: string; version: number; definition: unknown; deployedAt: string };
    indexes: { byId: string };
  };
  runs: {
    key: string;
    value: { id: string; flowId: string; status: string; updatedAt: string; state: unknown };
    indexes: { byFlow: string; byStatus: string };
  };
  events: {
    key: [string, number];
    value: { runId: string; seq: number; event: unknown };
  };
}

export const SCHEMA_VERSION = 1;

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
    upgrade(db, oldVersion) {
      // One step per version: never drop a store that holds user data.
      if (oldVersion < 1) {
        const flows = db.createObjectStore('flows', { keyPath: ['id', 'version'] });
        flows.createIndex('byId', 'id');
        const runs = db.createObjectStore('runs', { keyPath: 'id' });
        runs.createIndex('byFlow', 'flowId');
        runs.createIndex('byStatus', 'status');
        db.createObjectStore('events', { keyPath: ['runId', 'seq'] });
      }
    },
    blocked() {
      // Another tab holds an older version open; it will be asked to close via versionchange.
    },
  });
}
