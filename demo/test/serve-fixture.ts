import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `millrace serve` with the demo's host actions, as a real process: the CLI as `npx millrace`
// runs it (the workspace's bin), on a fresh PGlite directory, on a free port.

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'node_modules/.bin/millrace');
/** The demo's host module, as `npm run serve:demo` passes it. */
export const hostActions = join(root, 'demo/src/host-actions.ts');

export interface Serving {
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  readonly child: ChildProcess;
  readonly stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts serve with `--actions` the demo's module, PGlite in a temp dir, and `extra` flags. */
export async function startServe(...extra: string[]): Promise<Serving> {
  try {
    return await spawnServe(extra);
  } catch (error) {
    // Once, in a CI run, the process ended at start-up with no output at all (a signal, not an
    // exit code); a failure to start is reported, and tried once more, on a fresh directory.
    process.stderr.write(`${(error as Error).message}\nstarting millrace serve once more\n`);
    return spawnServe(extra);
  }
}

async function spawnServe(extra: readonly string[]): Promise<Serving> {
  const data = mkdtempSync(join(tmpdir(), 'millrace-demo-serve-'));
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--actions', hostActions, '--data', data, '--port', '0', ...extra],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ended = (): boolean => child.exitCode !== null || child.signalCode !== null;
  for (let i = 0; i < 3000 && !/http:\/\/[\d.]+:\d+\//.test(err); i++) {
    if (ended()) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const base = /http:\/\/[\d.]+:\d+/.exec(err)?.[0];
  if (!base) {
    const how = ended()
      ? `it ended (exit code ${child.exitCode}, signal ${child.signalCode})`
      : 'no address within 60 s';
    child.kill('SIGKILL');
    throw new Error(`millrace serve did not start: ${how}; its stderr:\n${err}`);
  }
  return {
    base,
    child,
    stderr: () => err,
    stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
