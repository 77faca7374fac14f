import { parseArgs } from 'node:util';
import {
  MillraceError,
  RunError,
  createEngine,
  createMemoryStore,
  isMillraceError,
  validateFlow,
  type Engine,
} from '@millrace/engine';
import { createCodeRunner } from '@millrace/engine/code';
import { openPostgresStore } from '../postgres/open-postgres-store.ts';
import { formatDiagnostic, readFlowFile } from './read-flow.ts';
import { createProgress } from './progress.ts';
import { serve } from './serve.ts';

const USAGE = `Usage: millrace <command> [options]

Commands:
  run <flow.json> [--input JSON] [--store DIR]
      Runs one flow (Millrace or Windmill OpenFlow JSON) with live progress, prints its output.
      --store keeps flows and runs in an embedded database (PGlite) in DIR.
  validate <flow.json>
      Prints every diagnostic with its JSON pointer; exits 1 when there is an error.
  worker --pg URL [--tenant T] [--max-runs N]
      An engine that only claims due work from a PostgreSQL database (scale-out).
  serve [--data DIR] [--port 8787] [--host H] [--pg URL] [--tenant-header X-Tenant] [--token T]
        [--grace-ms 10000] [--actions MODULE]
      The HTTP API, webhooks, schedules and work sharing over PGlite in DIR (default
      ./millrace-data) or PostgreSQL (--pg), and the built demo at / (npm run build).
      On SIGTERM, nodes in flight get --grace-ms (default 10000) to finish.
      --actions loads host actions (and secrets) from a module exporting \`actions\`
      (e.g. ./demo/src/host-actions.ts; npm run serve:demo).

Exit codes: 0 success, 1 the flow is invalid or its run failed, 2 a usage or input error.`;

/** What a command needs of the process: its streams and exit code (tests pass their own). */
export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** Resolves when the process is asked to stop (SIGTERM, SIGINT); long-running commands end then. */
  readonly stopped?: Promise<void>;
}

function fail(io: CliIo, error: unknown): number {
  if (isMillraceError(error)) {
    io.stderr.write(
      `error ${error.code}${error.path ? ` at ${error.path}` : ''}: ${error.message}\n`,
    );
    const diagnostics = (error.details as { diagnostics?: unknown } | undefined)?.diagnostics;
    if (Array.isArray(diagnostics)) {
      for (const d of diagnostics) io.stderr.write(`  ${formatDiagnostic(d)}\n`);
    }
    return error.code.startsWith('E_CLI_') ? 2 : 1;
  }
  if (error instanceof RunError) {
    // The run failed: its code, the node, and the message (which names the node too).
    io.stderr.write(`error ${error.code} in run ${error.runId}: ${error.message}\n`);
    return 1;
  }
  io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

function usage(message: string): MillraceError {
  return new MillraceError('E_CLI_USAGE', `${message}\n\n${USAGE}`);
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { input: { type: 'string' }, store: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw usage('run takes one flow file.');
  const { flow, imported } = await readFlowFile(file);
  for (const d of imported) io.stderr.write(`import: ${formatDiagnostic(d)}\n`);
  let input: unknown = {};
  if (values.input !== undefined) {
    try {
      input = JSON.parse(values.input);
    } catch (error) {
      throw new MillraceError('E_CLI_JSON', `--input is not JSON: ${(error as Error).message}`);
    }
  }
  const store = values.store
    ? await openPostgresStore({ dataDir: values.store })
    : createMemoryStore();
  const codeRunner = createCodeRunner();
  const engine: Engine = createEngine({ store, codeRunner });
  const progress = createProgress(io.stderr);
  try {
    await engine.deploy(flow);
    const runId = `cli_${Date.now().toString(36)}`;
    const unsubscribe = engine.subscribe(runId, (e) => progress.event(e));
    const handle = await engine.start(flow.id, input, { runId });
    try {
      const output = await handle.result();
      progress.finish();
      io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
      return 0;
    } finally {
      unsubscribe();
    }
  } catch (error) {
    progress.finish();
    return fail(io, error);
  } finally {
    await engine.close();
    await codeRunner.close();
    if ('close' in store && typeof store.close === 'function') await store.close();
  }
}

async function validate(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw usage('validate takes one flow file.');
  const { flow, imported } = await readFlowFile(file);
  const diagnostics = [...imported, ...validateFlow(flow)];
  for (const d of diagnostics) io.stdout.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  io.stdout.write(
    errors === 0
      ? `${file}: valid (${diagnostics.length} warning${diagnostics.length === 1 ? '' : 's'} or notes)\n`
      : `${file}: ${errors} error${errors === 1 ? '' : 's'}\n`,
  );
  return errors === 0 ? 0 : 1;
}

async function worker(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      pg: { type: 'string' },
      tenant: { type: 'string' },
      'max-runs': { type: 'string' },
    },
  });
  if (!values.pg)
    throw usage('worker needs --pg URL (a PostgreSQL server shared with the others).');
  const maxRuns = values['max-runs'] === undefined ? 10 : Number(values['max-runs']);
  if (!Number.isInteger(maxRuns) || maxRuns < 1)
    throw usage('--max-runs takes a whole number ≥ 1.');
  const store = await openPostgresStore({
    url: values.pg,
    ...(values.tenant ? { tenant: values.tenant } : {}),
  });
  const codeRunner = createCodeRunner();
  const engine = createEngine({ store, codeRunner });
  const loop = engine.work({ maxRuns });
  io.stderr.write(`millrace worker: claiming due runs (max ${maxRuns} at a time)\n`);
  await (io.stopped ?? new Promise(() => undefined));
  // Graceful: no new claims; the runs loaded here are released to the other workers.
  await loop.stop();
  await engine.close();
  await codeRunner.close();
  await store.close();
  io.stderr.write('millrace worker: stopped\n');
  return 0;
}

/** The CLI: dispatches `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await run(rest, io);
      case 'validate':
        return await validate(rest, io);
      case 'worker':
        return await worker(rest, io);
      case 'serve':
        return await serve(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw usage(`Unknown command "${command}".`);
    }
  } catch (error) {
    // parseArgs's own errors (an unknown option) are usage errors too.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      return fail(io, usage((error as Error).message));
    return fail(io, error);
  }
}
