import type { RunEvent } from '@millrace/engine';

/**
 * The live progress of a run in the terminal: nodes done, running and failed, and the time
 * since the start. On a TTY one line rewritten in place; elsewhere (CI, a pipe) a line per
 * node as it finishes, so logs stay readable.
 */
export function createProgress(out: NodeJS.WriteStream, now: () => number = Date.now) {
  const started = now();
  const running = new Set<string>();
  let done = 0;
  let failed = 0;
  const tty = out.isTTY === true;
  const elapsed = (): string => `${((now() - started) / 1000).toFixed(1)} s`;
  const line = (): string =>
    `${done} done, ${running.size} running, ${failed} failed — ${elapsed()}`;
  let timer: ReturnType<typeof setInterval> | undefined;
  if (tty) timer = setInterval(() => out.write(`\r${line()}\x1b[K`), 100);
  return {
    event(e: RunEvent): void {
      const path = (e as { path?: string }).path;
      switch (e.type) {
        case 'NodeStarted':
          if (path) running.add(path);
          break;
        case 'NodeSucceeded':
        case 'NodeSkipped':
          if (path) running.delete(path);
          done++;
          if (!tty) out.write(`✓ ${path} (${elapsed()})\n`);
          break;
        case 'NodeFailed':
          if (path) running.delete(path);
          failed++;
          if (!tty) out.write(`✗ ${path} (${elapsed()})\n`);
          break;
        default:
          return;
      }
      if (tty) out.write(`\r${line()}\x1b[K`);
    },
    finish(): string {
      if (timer) clearInterval(timer);
      if (tty) out.write(`\r${line()}\x1b[K\n`);
      return line();
    },
  };
}
