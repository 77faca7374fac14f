import { migrate } from './migrate.ts';
import { createPostgresStore, type PostgresStore } from './postgres-store.ts';
import { pgClient, pgliteClient, type SqlClient } from './sql-client.ts';
import { lockDataDir } from './data-dir-lock.ts';

export interface OpenPostgresOptions {
  /**
   * A PostgreSQL server's connection string (`postgres://user:pass@host:5432/db`): the store
   * uses a `pg` pool of `poolSize` connections. Without it, PGlite runs in this process.
   */
  readonly url?: string;
  /** PGlite's data directory (created when missing); without it, an in-memory database. */
  readonly dataDir?: string;
  /** Connections of the `pg` pool (default 8). */
  readonly poolSize?: number;
  /** The tenant of the returned store (default `default`); `forTenant` gives the others. */
  readonly tenant?: string;
}

/**
 * Opens a Postgres store and brings its schema up to date: on a PostgreSQL server when `url` is
 * given, else on PGlite (in `dataDir`, locked to this process, or in memory). Node only.
 *
 * @example
 * const store = await openPostgresStore({ dataDir: './millrace-data' }); // embedded
 * const shared = await openPostgresStore({ url: process.env.MILLRACE_PG_URL }); // a server
 * const engine = createEngine({ store });
 */
export async function openPostgresStore(options: OpenPostgresOptions = {}): Promise<PostgresStore> {
  let client: SqlClient;
  let release = (): void => undefined;
  if (options.url !== undefined) {
    const { default: pg } = await import('pg');
    const poolSize = options.poolSize ?? 8;
    const pool = new pg.Pool({ connectionString: options.url, max: poolSize });
    // An idle connection the server ends (a restart, pg_terminate_backend) is dropped by the
    // pool; without a listener its 'error' event would end the process. Queries in flight
    // fail on their own and answer E_STORE_UNAVAILABLE where a host maps them.
    pool.on('error', () => undefined);
    client = pgClient(pool, { poolSize });
  } else {
    if (options.dataDir !== undefined) release = lockDataDir(options.dataDir);
    try {
      const { PGlite } = await import('@electric-sql/pglite');
      client = pgliteClient(
        options.dataDir === undefined ? new PGlite() : new PGlite(options.dataDir),
      );
    } catch (error) {
      release();
      throw error;
    }
  }
  try {
    await migrate(client);
  } catch (error) {
    await client.close().catch(() => undefined);
    release();
    throw error;
  }
  const store = createPostgresStore(
    client,
    options.tenant === undefined ? {} : { tenant: options.tenant },
  );
  const close = store.close;
  // Closing any tenant's view closes the database and, for PGlite, frees its directory.
  const closing = async (): Promise<void> => {
    try {
      await close();
    } finally {
      release();
    }
  };
  const wrap = (s: PostgresStore): PostgresStore => ({
    ...s,
    close: closing,
    forTenant: (tenant) => wrap(s.forTenant(tenant)),
  });
  return wrap(store);
}
