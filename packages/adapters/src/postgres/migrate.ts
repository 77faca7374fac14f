import { MIGRATIONS, type Migration } from './migrations/index.ts';
import type { SqlClient } from './sql-client.ts';

/** Any 64-bit key of our own: held while migrating, so two processes starting at once take turns. */
const MIGRATION_LOCK = 0x6d696c6c72616365n; // 'millrace'

/**
 * Brings the database's schema up to date: applies, in order and each in its own transaction,
 * the migrations not yet recorded in `millrace_migrations`. Idempotent, and safe when several
 * processes start at once: they wait for one another on an advisory lock, and a process that
 * gets it after another finds nothing left to do. Returns the ids it applied.
 */
export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  return client.session(async (db) => {
    await db.query('select pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await db.query(
        `create table if not exists millrace_migrations (
           id text primary key,
           applied_at timestamptz not null default now()
         )`,
      );
      const done = new Set(
        (await db.query<{ id: string }>('select id from millrace_migrations')).rows.map(
          (r) => r.id,
        ),
      );
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.id)) continue;
        await db.query('begin');
        try {
          await db.exec(m.sql);
          await db.query('insert into millrace_migrations (id) values ($1)', [m.id]);
          await db.query('commit');
        } catch (error) {
          await db.query('rollback');
          throw error;
        }
        applied.push(m.id);
      }
      return applied;
    } finally {
      await db.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  });
}
