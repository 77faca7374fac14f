export { SCHEMA_VERSION, openMillraceDb } from './open-database.ts';
export type { MillraceDb, MillraceDbSchema } from './open-database.ts';
export { createIndexedDbStore } from './indexeddb-store.ts';
export type { IndexedDbStore } from './indexeddb-store.ts';
