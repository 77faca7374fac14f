import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { MillraceError } from '@millrace/engine';

/** The lock file's name inside a PGlite data directory. */
export const LOCK_FILE = 'millrace.lock';

/** Directories this process holds: a second open here is refused as well. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but is someone else's.
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Takes the data directory for this process. PGlite has no lock of its own, and two processes
 * on one directory corrupt it (TOOLCHAIN.md), so the store writes `millrace.lock` holding its pid
 * with an exclusive create. A lock left by a process that is gone (killed) is taken over; one
 * held by a live process is refused with `E_STORE_LOCKED`. Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(file);
      return () => {
        held.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      const mine = holder === process.pid;
      if (Number.isInteger(holder) && (mine ? held.has(file) : alive(holder))) {
        throw new MillraceError(
          'E_STORE_LOCKED',
          `The data directory ${dir} is in use by process ${holder}; PGlite allows one process per directory. Stop that process, or use a PostgreSQL server (a URL) to share a database.`,
          { details: { dir, pid: holder } },
        );
      }
      // Left behind by a process that died: take it over.
      rmSync(file, { force: true });
    }
  }
  throw new MillraceError('E_STORE_LOCKED', `Could not take the lock of ${dir}.`, {
    details: { dir },
  });
}
