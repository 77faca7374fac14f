// Consumer project 4 of the distribution issue: a Node ESM project that installs the packed
// tarballs of @millrace/engine and @millrace/adapters (offline, in a temp folder; see
// scripts/consumers/pack.mjs) and runs them with plain `node`: no tsx, no `source` condition,
// only what the tarballs hold. Type-checked by tsc as a TypeScript consumer would, and the
// package's `millrace` executable run through npx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createConsumer, manifestOf, type Consumer } from '../../../../scripts/consumers/pack.mjs';

const url = process.env.MILLRACE_PG_URL;

/** A transform, then a code node in the sandbox (its worker file comes from dist too). */
const flow = {
  format: 'millrace.flow/v1',
  id: 'greet',
  nodes: [
    { id: 'shout', type: 'transform', input: { text: '$<upper(flow.input.name)>' } },
    {
      id: 'count',
      type: 'code',
      input: { text: '$<nodes.shout.output.text>' },
      code: 'export default (input) => ({ text: input.text, length: input.text.length })',
    },
  ],
  edges: [{ from: 'shout', to: 'count' }],
  output: '$<nodes.count.output>',
};

const main = `
import { randomUUID } from 'node:crypto';
import { createEngine, MillraceError } from '@millrace/engine';
import { createCodeRunner } from '@millrace/engine/code';
import { openPostgresStore } from '@millrace/adapters/postgres';

const flow = ${JSON.stringify(flow)};
const [where, target] = process.argv.slice(2);

async function runOn(store) {
  const codeRunner = createCodeRunner();
  const engine = createEngine({ ...(store ? { store } : {}), codeRunner });
  try {
    await engine.deploy(flow);
    const run = await engine.start('greet', { name: 'Ada' });
    const output = await run.result();
    return { runId: run.id, output };
  } finally {
    await engine.close();
    await codeRunner.close();
  }
}

let result;
if (where === 'memory') {
  result = await runOn();
} else if (where === 'pglite') {
  const store = await openPostgresStore({ dataDir: target });
  result = await runOn(store);
  await store.close();
  // The run is on disk: a new store over the same directory reads it back.
  const again = await openPostgresStore({ dataDir: target });
  const engine = createEngine({ store: again });
  result.stored = (await engine.getRun(result.runId))?.status;
  await engine.close();
  await again.close();
} else {
  const store = await openPostgresStore({ url: target });
  try {
    result = await runOn(store.forTenant('consumer-' + randomUUID()));
  } finally {
    await store.close();
  }
}
result.errorClass = typeof MillraceError;
console.log(JSON.stringify(result));
`;

const typed = `
import { createEngine, type FlowDefinition, type Engine } from '@millrace/engine';
import { openPostgresStore } from '@millrace/adapters/postgres';

const flow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'typed',
  nodes: [{ id: 'a', type: 'transform', input: { x: 1 } }],
  edges: [],
};
export async function start(dataDir: string): Promise<string> {
  const store = await openPostgresStore({ dataDir });
  const engine: Engine = createEngine({ store });
  await engine.deploy(flow);
  const run = await engine.start(flow.id, {});
  return run.id;
}
// The packages' types are real: these must not compile.
// @ts-expect-error deploy takes a flow definition
await createEngine().deploy({ format: 'millrace.flow/v1' });
// @ts-expect-error no such option
await openPostgresStore({ dataDirectory: 'x' });
`;

let app: Consumer;

before(async () => {
  app = await createConsumer({
    packages: ['engine', 'adapters'],
    dependencies: ['typescript', '@types/node'],
    files: {
      'main.mjs': main,
      'typed.ts': typed,
      'flow.json': JSON.stringify(flow),
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          // As most projects have it: PGlite's own .d.ts needs @types/emscripten otherwise.
          skipLibCheck: true,
          types: ['node'],
          lib: ['ES2022', 'DOM'],
        },
        files: ['typed.ts'],
      }),
    },
    prefix: 'millrace-node-consumer-',
  });
});

after(() => app?.remove());

function node(...args: string[]): { runId: string; output: unknown; stored?: string } {
  const r = app.exec('node', args, { timeout: 60_000 });
  assert.equal(r.status, 0, `node ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout) as { runId: string; output: unknown; stored?: string };
}

test('the installed packages hold dist only and no TypeScript is loaded', () => {
  const r = app.exec('node', [
    '--input-type=module',
    '-e',
    `console.log(import.meta.resolve('@millrace/engine'), import.meta.resolve('@millrace/adapters/postgres'))`,
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /node_modules\/@millrace\/engine\/dist\/index\.js /);
  assert.match(r.stdout, /node_modules\/@millrace\/adapters\/dist\/postgres\/index\.js/);
  // The checked-in OpenAPI document ships beside dist, where dist's code looks for it.
  const openapi = app.exec('node', [
    '--input-type=module',
    '-e',
    `const { OPENAPI_FILE } = await import('./node_modules/@millrace/adapters/dist/http/server/write-openapi.js');
     const { existsSync } = await import('node:fs');
     console.log(OPENAPI_FILE, existsSync(OPENAPI_FILE));`,
  ]);
  assert.equal(openapi.status, 0, openapi.stderr);
  assert.match(openapi.stdout, /node_modules\/@millrace\/adapters\/openapi\.json true/);
});

test('plain node imports every entry the two packages export', () => {
  const entries = ['engine', 'adapters'].flatMap((name) =>
    Object.keys(manifestOf(name).exports as Record<string, unknown>)
      .filter((entry) => !entry.endsWith('.json'))
      .map((entry) => `@millrace/${name}${entry.slice(1)}`),
  );
  const code = `for (const e of ${JSON.stringify(entries)}) console.log(e, Object.keys(await import(e)).length);`;
  const r = app.exec('node', ['--input-type=module', '-e', code]);
  assert.equal(r.status, 0, r.stderr);
  for (const entry of entries) assert.match(r.stdout, new RegExp(`^${entry} [1-9]`, 'm'));
});

test('plain node runs a flow (transform and sandboxed code) on the memory store', () => {
  const result = node('main.mjs', 'memory');
  assert.deepEqual(result.output, { text: 'ADA', length: 3 });
});

test('plain node runs the flow on PGlite in a data directory, and the run is stored there', () => {
  const result = node('main.mjs', 'pglite', join(app.dir, 'pglite-data'));
  assert.deepEqual(result.output, { text: 'ADA', length: 3 });
  assert.equal(result.stored, 'succeeded');
});

test('plain node runs the flow on the PostgreSQL server (MILLRACE_PG_URL)', (t) => {
  if (!url) return t.skip('MILLRACE_PG_URL is not set');
  const result = node('main.mjs', 'pg', url);
  assert.deepEqual(result.output, { text: 'ADA', length: 3 });
});

test('tsc (moduleResolution nodenext) type-checks a TypeScript consumer against the shipped .d.ts', () => {
  const r = app.exec('node', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}\n${r.stderr}`);
});

test('npx millrace validate and run work from the installed package with plain node', () => {
  const validate = app.exec('npx', ['--no-install', 'millrace', 'validate', 'flow.json']);
  assert.equal(validate.status, 0, validate.stderr);
  assert.match(validate.stdout + validate.stderr, /flow\.json/);
  const run = app.exec('npx', [
    '--no-install',
    'millrace',
    'run',
    'flow.json',
    '--input',
    '{"name":"Bo"}',
  ]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { text: 'BO', length: 2 });
});

test('millrace serve from the installed package serves the API only (no demo there) and stops on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    ['node_modules/.bin/millrace', 'serve', '--data', join(app.dir, 'serve-data'), '--port', '0'],
    {
      cwd: app.dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /millrace serve: (http:\/\/\S+\/)/.exec(err);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}:\n${err}`)));
  });
  try {
    assert.match(err, /API only/);
    const res = await fetch(`${base}openapi.json`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { openapi: string }).openapi.slice(0, 2), '3.');
    assert.equal((await fetch(base)).status, 404);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, err);
});
