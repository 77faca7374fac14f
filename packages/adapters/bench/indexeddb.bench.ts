// Issue 11: "Durable sequential flow of 1,000 host-action nodes (each completion committed
// before the next starts): per node under 2 ms with IndexedDB in Chromium." The page
// (indexeddb-browser/page.ts, bundled with esbuild) runs the flow on the IndexedDB store in
// Debian's headless Chromium through playwright-core; each page load is a fresh profile on disk.
//   node -C source --import tsx packages/adapters/bench/indexeddb.bench.ts [--loads 3]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runIndexedDbBenchmark(loads = 3): Promise<void> {
  const { chromium } = await import('playwright-core');
  const { chromiumArgs, chromiumPath } = await import('../../../scripts/chromium.mjs');
  const { servePage } = await import('../../../scripts/bench-page.mjs');
  const here = new URL('.', import.meta.url).pathname;
  const served = await servePage(
    { page: join(here, 'indexeddb-browser/page.ts') },
    { conditions: ['browser'], prefix: 'millrace-idb-bench-' },
  );
  try {
    const perLoad: number[] = [];
    const all: number[] = [];
    let appends = 0;
    let errors = 0;
    for (let load = 0; load < loads; load++) {
      // A persistent profile in a fresh directory: IndexedDB on disk, as for a user (a plain
      // browser context is incognito, whose IndexedDB lives in memory).
      const context = await chromium.launchPersistentContext(
        mkdtempSync(join(tmpdir(), 'millrace-idb-profile-')),
        { executablePath: chromiumPath, args: [...chromiumArgs] },
      );
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') errors++;
      });
      page.on('pageerror', () => errors++);
      await page.goto(served.url);
      await page.waitForFunction(() => (globalThis as { benchResult?: unknown }).benchResult);
      const result = (await page.evaluate(
        () => (globalThis as unknown as { benchResult: Promise<unknown> }).benchResult,
      )) as { perNodeMs: number[]; appends: number };
      perLoad.push(median(result.perNodeMs));
      all.push(...result.perNodeMs);
      appends = result.appends;
      await context.close();
    }
    const fmt = (x: number) => `${x.toFixed(2)} ms`;
    console.log(
      `chromium IndexedDB: sequential 1,000 host-action nodes, per node ${fmt(median(perLoad))} (target < 2 ms; medians per page load ${perLoad.map(fmt).join(' / ')}; single runs ${fmt(Math.min(...all))}–${fmt(Math.max(...all))})`,
    );
    console.log(`chromium IndexedDB: appends (commits) per run ${appends}`);
    console.log(`chromium IndexedDB: console errors ${errors}`);
  } finally {
    served.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--loads');
  await runIndexedDbBenchmark(i === -1 ? 3 : Number(process.argv[i + 1]));
}
