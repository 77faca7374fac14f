// HTTP load: autocannon starts runs of a 3-node flow (transform, host action, transform) through
// createHttpHandler over loopback, the engine on an embedded PGlite store in a temp dir.
//   node -C source --import tsx packages/adapters/bench/http.bench.ts [seconds=10] [connections=10]
// Bounded: `seconds` (at most 60) and 200,000 requests, 127.0.0.1 only.
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createEngine, type FlowDefinition } from '@millrace/engine';
import { openPostgresStore } from '@millrace/adapters/postgres';
import { createHttpHandler } from '@millrace/adapters/http/server';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const seconds = Math.min(Number(process.argv[2] ?? 10), 60);
const connections = Number(process.argv[3] ?? 10);

const flow = {
  format: 'millrace.flow/v1',
  id: 'three',
  nodes: [
    { id: 'a', type: 'transform', input: { n: '$<flow.input.n>' } },
    { id: 'b', type: 'double', input: { n: '$<nodes.a.output.n>' } },
    { id: 'c', type: 'transform', input: { result: '$<nodes.b.output.n>' } },
  ],
  edges: [
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
  ],
} as unknown as FlowDefinition;

const dir = mkdtempSync(join(tmpdir(), 'millrace-http-bench-'));
const store = await openPostgresStore({ dataDir: dir });
const engine = createEngine({
  store,
  actions: [{ type: 'double', title: 'Double', run: (i) => ({ n: (i as { n: number }).n * 2 }) }],
});
await engine.deploy(flow);
const server = createServer(
  createHttpHandler(engine, {
    auth: (req) => req.headers.authorization === 'Bearer bench',
  }),
);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

const result = await autocannon({
  url: `http://127.0.0.1:${port}/flows/three/runs`,
  method: 'POST',
  headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
  body: JSON.stringify({ input: { n: 21 } }),
  connections,
  duration: seconds,
  maxOverallRequests: 200_000, // a bound; `amount` would override `duration`
});

console.error(`autocannon done: ${result.requests.total} requests`);
// Every started run finishes: wait for the backlog, then count.
let unfinished = Infinity;
for (let i = 0; i < 600 && unfinished > 0; i++) {
  unfinished = (await engine.listRuns({ status: ['queued', 'running'], limit: 10_000 })).length;
  if (unfinished > 0) await new Promise((r) => setTimeout(r, 100));
}
const succeeded = (
  await engine.listRuns({ flowId: 'three', status: 'succeeded', limit: 1_000_000 })
).length;

console.log(
  JSON.stringify(
    {
      seconds,
      connections,
      requestsPerSecond: Math.round(result.requests.average),
      requests: result.requests.total,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      runsSucceeded: succeeded,
      runsUnfinished: unfinished,
    },
    null,
    2,
  ),
);
server.close();
await engine.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
