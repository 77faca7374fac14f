// Code node overhead (issue 10): a trivial script through createCodeRunner, in Node
// (worker_threads) and, with --browser, in Chromium (a module Worker) through playwright-core.
//   node -C source --import tsx packages/engine/bench/code.bench.ts [--browser]
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCodeRunner } from '../src/code/index.ts';

const signal = new AbortController().signal;
const request = {
  code: 'export default (input) => input.n + 1',
  language: 'javascript' as const,
  input: { n: 1 },
  signal,
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runCodeBenchmarks(): Promise<void> {
  // First call in a fresh runner: worker start, QuickJS instantiation, first call.
  const firsts: number[] = [];
  for (let r = 0; r < 5; r++) {
    const runner = createCodeRunner({ maxWorkers: 1 });
    const t0 = performance.now();
    await runner(request);
    firsts.push(performance.now() - t0);
    await runner.close();
  }
  const runner = createCodeRunner({ maxWorkers: 1 });
  for (let i = 0; i < 500; i++) await runner(request);
  const perCall: number[] = [];
  for (let r = 0; r < 7; r++) {
    const start = performance.now();
    for (let i = 0; i < 500; i++) await runner(request);
    perCall.push((performance.now() - start) / 500);
  }
  // Several calls in flight at once, over two workers.
  const two = createCodeRunner({ maxWorkers: 2 });
  for (let i = 0; i < 200; i++) await two(request);
  const start = performance.now();
  // Each call with its own signal, as the engine gives every attempt.
  await Promise.all(
    Array.from({ length: 1000 }, () => two({ ...request, signal: new AbortController().signal })),
  );
  const parallel = (performance.now() - start) / 1000;
  await runner.close();
  await two.close();
  console.log(
    `node: first call in a fresh runner      ${median(firsts).toFixed(1)} ms (median of 5)`,
  );
  console.log(
    `node: per call, reused worker           ${median(perCall).toFixed(3)} ms (median of 7 × 500)`,
  );
  console.log(`node: 1,000 calls at once, 2 workers    ${parallel.toFixed(3)} ms per call`);
  if (process.argv.includes('--browser')) await runInChromium();
}

async function runInChromium(): Promise<void> {
  const { chromium } = await import('playwright-core');
  const { chromiumArgs, chromiumPath } = await import('../../../scripts/chromium.mjs');
  const { servePage } = await import('../../../scripts/bench-page.mjs');
  const here = new URL('.', import.meta.url).pathname;
  const served = await servePage(
    {
      page: join(here, 'code-browser/page.ts'),
      'code-worker': join(here, '../src/code/code-worker.ts'),
    },
    {
      splitting: true,
      prefix: 'millrace-code-bench-',
      // The page's strict CSP; the worker script gets its own header (wasm-unsafe-eval).
      pageCsp: "default-src 'self'; script-src 'self'; worker-src 'self'",
      headersFor: (path): Record<string, string> =>
        path.startsWith('/code-worker')
          ? { 'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'" }
          : {},
    },
  );
  // The variant fetches its .wasm beside the module that loads it (the worker bundle).
  const wasm = new URL(import.meta.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')).pathname;
  copyFileSync(wasm, join(served.dir, 'emscripten-module.wasm'));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
  try {
    const firsts: number[] = [];
    const perCall: number[] = [];
    let violations = 0;
    for (let r = 0; r < 5; r++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') violations++;
      });
      await page.goto(served.url);
      await page.waitForFunction(() => (globalThis as { benchResult?: unknown }).benchResult);
      const result = (await page.evaluate(
        () => (globalThis as unknown as { benchResult: Promise<unknown> }).benchResult,
      )) as { firstMs: number; perCallMs: number[] };
      firsts.push(result.firstMs);
      perCall.push(median(result.perCallMs));
      await context.close();
    }
    console.log(
      `chromium: first call in a fresh runner  ${median(firsts).toFixed(1)} ms (median of 5 page loads)`,
    );
    console.log(
      `chromium: per call, reused worker       ${median(perCall).toFixed(3)} ms (median of 5 page loads, each 7 × 200)`,
    );
    console.log(`chromium: console errors (CSP etc.)     ${violations}`);
  } finally {
    await browser.close();
    served.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runCodeBenchmarks();
