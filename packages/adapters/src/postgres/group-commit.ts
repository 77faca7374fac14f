import type { SqlClient } from './sql-client.ts';

/**
 * Group commit: concurrent appends share transactions. Up to `lanes` statements or
 * transactions are in flight at once (one per pooled connection); appends that arrive while
 * every lane is busy wait and then go together, up to `maxBatch` in one transaction — one
 * commit (one WAL flush on the server) for all of them instead of one each. A lone append is
 * sent alone, as before, so a quiet store pays no waiting. If any statement of a batch fails
 * (a conflict), the batch is rolled back and each append is retried on its own, so the others
 * still land and the failing one gets its own error.
 */
export function createGroupCommit(
  client: SqlClient,
  sql: string,
  options: { readonly lanes: number; readonly maxBatch: number },
): (params: readonly unknown[]) => Promise<number> {
  interface Job {
    readonly params: readonly unknown[];
    resolve(ok: number): void;
    reject(error: unknown): void;
  }
  const queue: Job[] = [];
  let active = 0;

  const okOf = (result: { rows: { ok?: number }[] }): number => result.rows[0]?.ok ?? 0;

  const alone = async (job: Job): Promise<void> => {
    try {
      job.resolve(okOf(await client.query<{ ok: number }>(sql, job.params)));
    } catch (error) {
      job.reject(error);
    }
  };

  const together = async (batch: Job[]): Promise<void> => {
    let oks: number[];
    try {
      oks = await client.session(async (db) => {
        await db.query('begin');
        try {
          const out: number[] = [];
          for (const job of batch) out.push(okOf(await db.query<{ ok: number }>(sql, job.params)));
          await db.query('commit');
          return out;
        } catch (error) {
          await db.query('rollback').catch(() => undefined);
          throw error;
        }
      });
    } catch {
      for (const job of batch) await alone(job);
      return;
    }
    batch.forEach((job, i) => job.resolve(oks[i]!));
  };

  const kick = (): void => {
    while (active < options.lanes && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      active++;
      void (batch.length === 1 ? alone(batch[0]!) : together(batch)).finally(() => {
        active--;
        kick();
      });
    }
  };

  return (params) =>
    new Promise<number>((resolve, reject) => {
      queue.push({ params, resolve, reject });
      kick();
    });
}
