import type { Pool, PoolClient } from 'pg';
import type { PGlite } from '@electric-sql/pglite';

/** A query's rows and how many rows it changed. */
export interface SqlResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number;
}

/** One connection's worth of SQL: what a session needs (advisory locks live on a connection). */
export interface SqlSession {
  query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<SqlResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/**
 * The SQL the Postgres store needs, over either driver: a `pg` pool against a PostgreSQL server,
 * or PGlite (PostgreSQL compiled to WebAssembly) in this process. One store implementation
 * speaks to both, so the embedded default and a server behave alike.
 */
export interface SqlClient extends SqlSession {
  /** `pg` (a server) or `pglite` (embedded). */
  readonly kind: 'pg' | 'pglite';
  /** How many statements can run at once (the pool's connections; 1 for PGlite). */
  readonly lanes: number;
  /** Runs `fn` on one connection (held until it settles): for session locks. */
  session<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Closes the pool or the database. */
  close(): Promise<void>;
}

/** FNV-1a of a statement's text: the name it is prepared under on each connection. */
function statementName(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `millrace_${(h >>> 0).toString(36)}_${text.length.toString(36)}`;
}

/**
 * A `pg` Pool as a SqlClient (the pool is the caller's; `close` ends it). Statements with
 * parameters are prepared once per connection (named after their text), so the server plans
 * the store's few statements once instead of on every append.
 */
export function pgClient(pool: Pool, options: { readonly poolSize?: number } = {}): SqlClient {
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) names.set(text, (name = statementName(text)));
    return name;
  };
  return {
    kind: 'pg',
    lanes: options.poolSize ?? 8,
    async query<Row>(text: string, params?: readonly unknown[]) {
      const r =
        params === undefined
          ? await pool.query(text)
          : await pool.query({ name: nameOf(text), text, values: params as unknown[] });
      return { rows: r.rows as Row[], rowCount: r.rowCount ?? 0 };
    },
    // Without parameters `pg` uses the simple query protocol, which takes several statements.
    async exec(script: string) {
      await pool.query(script);
    },
    async session(fn) {
      const connection: PoolClient = await pool.connect();
      try {
        return await fn({
          async query<Row>(text: string, params?: readonly unknown[]) {
            const r =
              params === undefined
                ? await connection.query(text)
                : await connection.query({ name: nameOf(text), text, values: params as unknown[] });
            return { rows: r.rows as Row[], rowCount: r.rowCount ?? 0 };
          },
          async exec(script: string) {
            await connection.query(script);
          },
        });
      } finally {
        connection.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * A PGlite database as a SqlClient. PGlite has one connection: every query of the process is
 * serialised through it, so a session is the database itself.
 */
export function pgliteClient(db: PGlite): SqlClient {
  const query = async <Row>(text: string, params?: readonly unknown[]) => {
    const r = await db.query<Row>(text, params as unknown[] | undefined);
    return { rows: r.rows, rowCount: r.affectedRows ?? 0 };
  };
  const exec = async (script: string) => {
    await db.exec(script);
  };
  return {
    kind: 'pglite',
    lanes: 1,
    query,
    exec,
    session: (fn) => fn({ query, exec }),
    close: () => db.close(),
  };
}
