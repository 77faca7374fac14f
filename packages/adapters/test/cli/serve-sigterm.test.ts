import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `millrace serve` as a real process, stopped with SIGTERM while a run is executing a node.

const bin = fileURLToPath(new URL('../../bin/millrace.mjs', import.meta.url));

/** A code node that keeps its executor busy for `ms`, then a transform. */
const spinning = (id: string, ms: number) => ({
  format: 'millrace.flow/v1',
  id,
  nodes: [
    {
      id: 'spin',
      type: 'code',
      code: `export default () => { const end = Date.now() + ${ms}; while (Date.now() < end) {} return { spun: ${ms} } }`,
    },
    { id: 'done', type: 'transform', input: { spun: '$<nodes.spin.output.spun>' } },
  ],
  edges: [{ from: 'spin', to: 'done' }],
  output: '$<nodes.done.output>',
});

interface Serving {
  readonly base: string;
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

async function startServe(data: string, ...extra: string[]): Promise<Serving> {
  const child = spawn(process.execPath, [bin, 'serve', '--data', data, '--port', '0', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 1500 && !/http:\/\/[\d.]+:\d+\//.test(err); i++) {
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const base = /http:\/\/[\d.]+:\d+/.exec(err)?.[0];
  if (!base) {
    child.kill('SIGKILL');
    throw new Error(`millrace serve did not start:\n${err}`);
  }
  return { base, child, stderr: () => err, exited };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
async function call(base: string, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(base + path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, ...(text ? { body: JSON.parse(text) } : {}) };
}

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1000; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Deploys `flow` and starts a run. */
async function startRun(base: string, flow: ReturnType<typeof spinning>): Promise<string> {
  assert.equal((await call(base, 'POST', '/flows', { definition: flow })).status, 201);
  const started = await call(base, 'POST', `/flows/${flow.id}/runs`, { input: {} });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  return started.body.runId as string;
}

/** Deploys `flow`, starts a run and waits until its code node is executing. */
async function startSpinning(base: string, flow: ReturnType<typeof spinning>): Promise<string> {
  const runId = await startRun(base, flow);
  await until('the code node to start', async () => {
    const run = (await call(base, 'GET', `/runs/${runId}`)).body;
    return run.nodes?.some((n: Json) => n.nodeId === 'spin' && n.status === 'running') || undefined;
  });
  return runId;
}

const finished = (base: string, runId: string) =>
  until('the run to finish', async () => {
    const run = (await call(base, 'GET', `/runs/${runId}`)).body;
    return run.status === 'succeeded' || run.status === 'failed' ? run : undefined;
  });

test('SIGTERM during a run: the node in flight finishes within the grace period, then serve exits 0; nothing is lost', async () => {
  const data = mkdtempSync(join(tmpdir(), 'millrace-sigterm-'));
  const first = await startServe(data);
  const before = await startRun(first.base, spinning('before', 0));
  await finished(first.base, before);
  const runId = await startSpinning(first.base, spinning('spin', 1500));
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0, first.stderr());
  assert.match(first.stderr(), /millrace serve: stopped/);
  assert.doesNotMatch(first.stderr(), /still in flight/);

  const second = await startServe(data);
  try {
    // It ended before the process did: already stored as succeeded.
    const run = (await call(second.base, 'GET', `/runs/${runId}`)).body;
    assert.equal(run.status, 'succeeded', JSON.stringify(run).slice(0, 500));
    assert.deepEqual(run.output, { spun: 1500 });
    assert.equal((await call(second.base, 'GET', `/runs/${before}`)).body.status, 'succeeded');
    assert.equal((await call(second.base, 'GET', '/flows/spin')).status, 200);
  } finally {
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, second.stderr());
  }
});

test('SIGTERM past the grace period: serve releases the run and exits 0; the next serve on the data continues it', async () => {
  const data = mkdtempSync(join(tmpdir(), 'millrace-sigterm-'));
  const first = await startServe(data, '--grace-ms', '0');
  const runId = await startSpinning(first.base, spinning('spin', 1500));
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0, first.stderr());
  assert.match(first.stderr(), /1 run\(s\) still in flight after 0 ms; releasing them/);

  const second = await startServe(data);
  try {
    // The lease was released: the new process recovers the run at once and re-runs the node.
    const run = await finished(second.base, runId);
    assert.equal(run.status, 'succeeded', JSON.stringify(run).slice(0, 500));
    assert.deepEqual(run.output, { spun: 1500 });
    assert.equal((await call(second.base, 'GET', '/flows/spin')).body.version, 1);
  } finally {
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, second.stderr());
  }
});
