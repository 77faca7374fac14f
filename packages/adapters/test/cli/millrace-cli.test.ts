import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'millrace-cli-'));
const file = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(argv, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
  });
  return { code, out, err };
}

const hello = {
  format: 'millrace.flow/v1',
  id: 'hello',
  nodes: [
    { id: 'greet', type: 'transform', input: { text: 'Hello, $<flow.input.name>!' } },
    {
      id: 'shout',
      type: 'code',
      code: 'export default (input) => ({ shout: input.text.toUpperCase() })',
      input: { text: '$<nodes.greet.output.text>' },
    },
  ],
  edges: [{ from: 'greet', to: 'shout' }],
};

test('run prints the output, with a progress line per finished node', async () => {
  const r = await cli('run', file('hello.json', hello), '--input', '{"name":"Ada"}');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), { shout: 'HELLO, ADA!' });
  assert.match(r.err, /✓ greet/);
  assert.match(r.err, /✓ shout/);
});

test('run of a failing flow exits 1 with the typed error', async () => {
  const failing = {
    format: 'millrace.flow/v1',
    id: 'boom',
    nodes: [{ id: 'stop', type: 'fail', input: { message: 'no money', code: 'E_BROKE' } }],
  };
  const r = await cli('run', file('boom.json', failing));
  assert.equal(r.code, 1);
  assert.match(r.err, /error E_BROKE/);
  assert.match(r.err, /✗ stop/);
});

test('run imports a Windmill OpenFlow document', async () => {
  const openflow = {
    summary: 'double',
    value: {
      modules: [
        {
          id: 'a',
          value: {
            type: 'rawscript',
            language: 'deno',
            content: 'export function main(x) { return x * 2 }',
            input_transforms: { x: { type: 'javascript', expr: 'flow_input.n' } },
          },
        },
      ],
    },
    schema: { type: 'object', properties: { n: { type: 'number' } } },
  };
  const r = await cli('run', file('openflow.json', openflow), '--input', '{"n":21}');
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out), 42);
});

test('run --store keeps the run in an embedded database', async () => {
  const store = join(dir, 'data');
  const r = await cli(
    'run',
    file('hello2.json', hello),
    '--input',
    '{"name":"Bo"}',
    '--store',
    store,
  );
  assert.equal(r.code, 0, r.err);
  const { openPostgresStore } = await import('@millrace/adapters/postgres');
  const db = await openPostgresStore({ dataDir: store });
  try {
    const [run] = await db.listRuns({ flowId: 'hello' });
    assert.equal(run?.status, 'succeeded');
  } finally {
    await db.close();
  }
});

test('validate prints each diagnostic with its pointer and exits 1 on errors', async () => {
  const bad = { format: 'millrace.flow/v1', id: 'x', nodes: [{ id: 'a', type: 'nope' }] };
  const r = await cli('validate', file('bad.json', bad));
  assert.equal(r.code, 1);
  assert.match(r.out, /error +\/nodes\/0\/type +E_UNKNOWN_NODE_TYPE/);
  assert.equal((await cli('validate', file('ok.json', hello))).code, 0);
});

test('bad input: usage errors, unreadable files and bad JSON exit 2 with a typed error', async () => {
  const unknown = await cli('frobnicate');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /E_CLI_USAGE/);
  const missing = await cli('run', join(dir, 'missing.json'));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /E_CLI_FILE/);
  const garbage = await cli('validate', file('garbage.json', '{ nope'));
  assert.equal(garbage.code, 2);
  assert.match(garbage.err, /E_CLI_JSON/);
  const input = await cli('run', file('hello3.json', hello), '--input', '{');
  assert.equal(input.code, 2);
  assert.match(input.err, /E_CLI_JSON/);
  const option = await cli('run', file('hello4.json', hello), '--nope');
  assert.equal(option.code, 2);
  assert.match(option.err, /E_CLI_USAGE/);
});

test('the millrace executable runs a flow as a process', () => {
  const bin = fileURLToPath(new URL('../../bin/millrace.mjs', import.meta.url));
  const r = spawnSync(
    process.execPath,
    [bin, 'run', file('hello5.json', hello), '--input', '{"name":"Cy"}'],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { shout: 'HELLO, CY!' });
});

test('serve: the HTTP API on PGlite behind a bearer token, tenants by header, then a graceful stop', async () => {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const running = main(
    [
      'serve',
      '--data',
      join(dir, 'serve-data'),
      '--port',
      '0',
      '--token',
      'sesame',
      '--tenant-header',
      'X-Tenant',
      '--static',
      dir,
    ],
    {
      stdout: new PassThrough() as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
      stopped,
    },
  );
  while (!/http:\/\/[\d.]+:\d+\//.test(err))
    await new Promise((resolve) => setTimeout(resolve, 20));
  const base = err.match(/http:\/\/[\d.]+:\d+/)![0];
  const headers = { authorization: 'Bearer sesame', 'content-type': 'application/json' };
  assert.equal((await fetch(`${base}/flows`)).status, 401, 'no token');
  const deployed = await fetch(`${base}/flows`, {
    method: 'POST',
    headers: { ...headers, 'x-tenant': 'acme' },
    body: JSON.stringify({ definition: { ...hello, nodes: [hello.nodes[0]], edges: [] } }),
  });
  assert.equal(deployed.status, 201, await deployed.clone().text());
  const started = await fetch(`${base}/flows/hello/runs`, {
    method: 'POST',
    headers: { ...headers, 'x-tenant': 'acme' },
    body: JSON.stringify({ input: { name: 'Di' } }),
  });
  assert.equal(started.status, 201, await started.clone().text());
  const { runId: id } = (await started.json()) as { runId: string };
  let run: { status?: string; output?: unknown } = {};
  for (let i = 0; i < 250 && run.status !== 'succeeded'; i++) {
    run = (await (
      await fetch(`${base}/runs/${id}`, { headers: { ...headers, 'x-tenant': 'acme' } })
    ).json()) as typeof run;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.deepEqual(run.output, { text: 'Hello, Di!' }, JSON.stringify(run).slice(0, 500));
  // Another tenant does not see it.
  assert.equal((await fetch(`${base}/runs/${id}`, { headers })).status, 404);
  // The static site answers beside the API.
  assert.equal((await fetch(`${base}/hello.json`)).status, 200);
  stop();
  assert.equal(await running, 0);
  assert.match(err, /millrace serve: stopped/);
});
