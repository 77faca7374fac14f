import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createEngine,
  createMemoryStore,
  type ActionDefinition,
  type FlowDefinition,
} from '@millrace/engine';
import { createCodeRunner } from '@millrace/engine/code';

// Secrets used in inputs, errors, logs and code nodes (and their flow-script calls) never reach
// the store or the host's logger: after the runs, every stored event, summary, snapshot, parked
// entry and flow, and every logger call, JSON-serialised, holds no secret value.

const API_KEY = 'sk-live-4f9a2c7e1b';
const PASSWORD = 'p@ss w/ord&more';
const SECRETS = { API_KEY, PASSWORD };
// What must not appear anywhere: the values and their percent-encoded forms.
const FORBIDDEN = [API_KEY, PASSWORD, encodeURIComponent(PASSWORD)];

const codeRunner = createCodeRunner({ timeoutMs: 5000 });
after(() => codeRunner.close());

const echo: ActionDefinition = {
  type: 'echo',
  title: 'Echo',
  run(input, ctx) {
    ctx.log('info', `calling with ${JSON.stringify(input)}`, input);
    return { got: input };
  },
};
const leak: ActionDefinition = {
  type: 'leak',
  title: 'Fails quoting its input',
  run(input) {
    throw Object.assign(new Error(`rejected ${JSON.stringify(input)}`), {
      code: 'E_LEAK',
      details: { input },
    });
  },
};

const base = { format: 'millrace.flow/v1' as const };
const FLOWS: FlowDefinition[] = [
  {
    ...base,
    id: 'inputs-and-logs',
    nodes: [
      {
        id: 'call',
        type: 'echo',
        input: { key: '$<secrets.API_KEY>', url: 'https://x?p=$<secrets.PASSWORD>' },
      },
      { id: 'say', type: 'log', input: { message: 'key is $<secrets.API_KEY>' } },
      { id: 'out', type: 'transform', input: { again: '$<nodes.call.output.got.key>' } },
    ],
    edges: [
      { from: 'call', to: 'say' },
      { from: 'say', to: 'out' },
    ],
  },
  {
    ...base,
    id: 'errors',
    nodes: [{ id: 'fails', type: 'leak', input: { password: '$<secrets.PASSWORD>' } }],
  },
  {
    ...base,
    id: 'code',
    nodes: [
      {
        id: 'script',
        type: 'code',
        input: { key: '$<secrets.API_KEY>' },
        code: `export default async function (input, ctx) {
          ctx.log('the key', input.key);
          console.error('again', { key: input.key });
          const echoed = await ctx.action('echo', { key: input.key });
          const child = await ctx.subflow('child', { key: input.key });
          return { echoed, child, key: input.key };
        }`,
      },
      {
        id: 'thrower',
        type: 'code',
        input: { key: '$<secrets.API_KEY>' },
        code: `export default async function (input) { throw new Error('cannot use ' + input.key); }`,
      },
    ],
    edges: [{ from: 'script', to: 'thrower' }],
  },
  {
    ...base,
    id: 'child',
    nodes: [{ id: 'c', type: 'transform', input: { seen: '$<flow.input.key>' } }],
  },
] as FlowDefinition[];

test('no secret value in the store or the logger after runs that use secrets everywhere', async () => {
  const store = createMemoryStore();
  const logged: unknown[] = [];
  const engine = createEngine({
    store,
    codeRunner,
    secrets: SECRETS,
    actions: [echo, leak],
    limits: { snapshotEvery: 3 },
    logger: { error: (message, data) => logged.push({ message, data: serialiseForLog(data) }) },
  });
  for (const def of FLOWS) await engine.deploy(def);
  const runIds: string[] = [];
  for (const id of ['inputs-and-logs', 'errors', 'code']) {
    // The flow input holds a secret too (a host that passes one along by mistake).
    const run = await engine.start(id, { token: API_KEY });
    // A listener that throws, quoting a secret: the engine logs it through the logger.
    engine.subscribe(run.id, () => {
      throw new Error(`listener saw ${API_KEY} and ${PASSWORD}`);
    });
    runIds.push(run.id);
    await run.result().catch(() => undefined);
  }
  for (const runId of runIds) {
    for (let i = 0; i < 500; i++) {
      const view = await engine.getRun(runId);
      if (view && ['succeeded', 'failed'].includes(view.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  // The runs did what they should, so the secrets really went through every path.
  const views = await Promise.all(runIds.map((id) => engine.getRun(id)));
  assert.deepEqual(
    views.map((v) => v?.status),
    ['succeeded', 'failed', 'failed'],
  );
  const script = views[2]!.nodes.find((n) => n.nodeId === 'script')!;
  assert.equal(script.status, 'succeeded');
  assert.equal(script.calls?.length, 2);
  assert.ok(script.logs.length >= 2);
  assert.equal(views[2]!.nodes.find((n) => n.nodeId === 'thrower')?.error?.code, 'E_CODE_ERROR');
  assert.ok(logged.length > 0, 'the throwing listener was logged');

  // Everything the store holds, JSON-serialised.
  const dump: unknown[] = [];
  const all = await store.listRuns({ limit: 1e9 });
  assert.ok(all.length >= 4, 'the child run is in the store too');
  for (const summary of all) {
    dump.push(summary, await store.load(summary.runId), await store.readEvents(summary.runId));
  }
  dump.push(await store.listWaiting());
  for (const def of FLOWS) dump.push(await store.getFlow(def.id));
  const storeText = JSON.stringify(dump);
  const logText = JSON.stringify(logged);
  for (const secret of FORBIDDEN) {
    assert.ok(!storeText.includes(secret), `the store holds "${secret}"`);
    assert.ok(!logText.includes(secret), `the logger got "${secret}"`);
  }
  assert.ok(storeText.includes('[secret]'), 'redacted values are marked');
  assert.ok(logText.includes('[secret]'));
  await engine.close();
});

/** What a logger would print of `data`: an Error's own properties (message, stack...) included. */
function serialiseForLog(data: unknown): unknown {
  if (data instanceof Error) {
    const out: Record<string, unknown> = { class: data.constructor.name };
    for (const key of Object.getOwnPropertyNames(data))
      out[key] = serialiseForLog((data as unknown as Record<string, unknown>)[key]);
    return out;
  }
  return data;
}
