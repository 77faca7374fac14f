// Issue 10: "A flow started through connectEngine in a worker vs in-process: the worker adds
// under 0.5 ms per run start." Chromium (playwright-core, /usr/bin/chromium): the page starts a
// one-node flow in-process and through connectEngine in a module Worker, interleaved.
//   node -C source --import tsx packages/engine/bench/worker-bridge.bench.ts
import { join } from 'node:path';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runWorkerBridgeBenchmark(): Promise<void> {
  const { chromium } = await import('playwright-core');
  const { chromiumArgs, chromiumPath } = await import('../../../scripts/chromium.mjs');
  const { servePage } = await import('../../../scripts/bench-page.mjs');
  const here = new URL('.', import.meta.url).pathname;
  const served = await servePage(
    {
      page: join(here, 'bridge-browser/page.ts'),
      'engine-worker': join(here, 'bridge-browser/engine-worker.ts'),
    },
    {
      splitting: true,
      prefix: 'millrace-bridge-bench-',
      pageCsp: "default-src 'self'; script-src 'self'; worker-src 'self'",
    },
  );
  const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
  try {
    const rows: Record<string, number[]> = {};
    let errors = 0;
    for (let load = 0; load < 3; load++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') errors++;
      });
      page.on('pageerror', () => errors++);
      await page.goto(served.url);
      await page.waitForFunction(
        () => (globalThis as { benchResult?: unknown }).benchResult,
        null,
        {
          timeout: 300_000,
        },
      );
      const result = (await page.evaluate(
        () => (globalThis as unknown as { benchResult: Promise<unknown> }).benchResult,
      )) as Record<string, number[]>;
      for (const [k, v] of Object.entries(result)) (rows[k] ??= []).push(median(v));
      await context.close();
    }
    const m = (k: string) => median(rows[k]!);
    const fmt = (x: number) => `${(x * 1000).toFixed(0)} µs`;
    console.log(`chromium: start, in-process            ${fmt(m('localStart'))}`);
    console.log(`chromium: start, connectEngine worker  ${fmt(m('remoteStart'))}`);
    console.log(
      `chromium: the worker adds per start     ${fmt(m('remoteStart') - m('localStart'))} (target < 500 µs)`,
    );
    console.log(`chromium: start + result, in-process   ${fmt(m('localRun'))}`);
    console.log(`chromium: start + result, worker       ${fmt(m('remoteRun'))}`);
    console.log(
      `chromium: the worker adds per run       ${fmt(m('remoteRun') - m('localRun'))} (medians of 3 page loads × 21 rounds × 300 runs)`,
    );
    console.log(`chromium: console errors               ${errors}`);
  } finally {
    await browser.close();
    served.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runWorkerBridgeBenchmark();
