export { createPostgresStore, type PostgresStore } from './postgres-store.ts';
export { openPostgresStore, type OpenPostgresOptions } from './open-postgres-store.ts';
export { migrate } from './migrate.ts';
export { MIGRATIONS, type Migration } from './migrations/index.ts';
export {
  pgClient,
  pgliteClient,
  type SqlClient,
  type SqlResult,
  type SqlSession,
} from './sql-client.ts';
export { lockDataDir, LOCK_FILE } from './data-dir-lock.ts';
