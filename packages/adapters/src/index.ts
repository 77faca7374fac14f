export { SCHEMA_VERSION, createIndexedDbStore, openMillraceDb } from './indexeddb/index.ts';
export type { IndexedDbStore, MillraceDb, MillraceDbSchema } from './indexeddb/index.ts';
export { storeConformance } from './conformance/index.ts';
export type { ConformanceHarness, StoreFactory } from './conformance/index.ts';
