export { SCHEMA_VERSION, openMillraceDb } from './open-database.ts';
export type { MillraceDb, MillraceDbSchema } from './open-database.ts';
