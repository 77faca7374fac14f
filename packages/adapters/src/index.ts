export { SCHEMA_VERSION, openMillraceDb } from './indexeddb/index.ts';
export type { MillraceDb, MillraceDbSchema } from './indexeddb/index.ts';
