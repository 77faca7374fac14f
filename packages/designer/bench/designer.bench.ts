import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, preview } from 'vite';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.mjs';
import ELK from 'elkjs/lib/elk.bundled.js';
import { median } from './median.ts';
import { paintTimes } from './trace-paint.ts';
import { generateFlow } from './layout-flows.ts';
import { layoutFlow, prepareLayout } from '../src/core/layout-flow.ts';
import { recordLayout } from '../src/core/recorded-layout.ts';

/**
 * The designer's benchmark in Chromium (issue 5): builds bench/browser/ with Vite (a production
 * build, as a host ships it), serves it on 127.0.0.1, and opens it in Debian's Chromium through
 * playwright-core, one fresh browser context (no HTTP or code cache) per measured page load.
 *
 *   node -C source --import tsx packages/designer/bench/designer.bench.ts [--runs 7] [--sizes 100,500,1000]
 *        [--scenarios first,reopen,pan] [--warm-profile] [--interleave]
 *
 * Prints, per scenario and size, the median and range of the runs. `--warm-profile` reuses one
 * context, so later page loads get the HTTP cache and V8's code cache as a returning user does.
 */

const root = new URL('../../..', import.meta.url).pathname;
const configFile = join(root, 'packages/designer/bench/vite.bench.config.ts');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

const runs = Number(arg('runs', '7'));
const sizes = arg('sizes', '100,500,1000').split(',').map(Number);
const scenarios = arg('scenarios', 'first,reopen,pan,recorded,cold,elk,edit,keystroke').split(',');
const warmProfile = process.argv.includes('--warm-profile');
/** Alternate the scenarios (and sizes) page by page instead of running each one's pages in a row. */
const interleave = process.argv.includes('--interleave');
/** `first` is measured with the flow given at once and after these host delays (ms). */
const delays = arg('delays', '0,1500').split(',').map(Number);
/** Layout workers of the page (`preloadLayout({ workers })`); the designer's default when absent. */
const workers = process.argv.includes('--workers') ? `&workers=${arg('workers', '1')}` : '';

interface PageResult {
  readonly ms?: number;
  readonly samples?: readonly number[];
  readonly zoom?: number;
  readonly loadingMs?: number;
  readonly frames?: readonly number[];
  readonly work?: readonly number[];
  readonly sinceNavigation?: number;
  readonly breakdown?: Readonly<Record<string, number>>;
  /** From the page's trace (trace-paint.ts): ms to the paint of the opened flow. */
  readonly paintMs?: number | undefined;
  /** From the page's trace: each edit's ms to the paint of its relayout. */
  readonly paintSamples?: readonly number[];
}

/** Scenarios whose page is traced for the paint of the frame that shows the cards. */
const TRACED = new Set(['first', 'reopen', 'recorded', 'cold', 'edit']);

/** A generated flow with its layout recorded (`ui.layout`), as a host saves it. */
async function recordedFlow(n: number): Promise<unknown> {
  const flow = generateFlow(n);
  const elk = new ELK();
  const layout = await layoutFlow(flow, undefined, (g) => elk.layout(g));
  return recordLayout(flow, prepareLayout(flow).key, layout).flow;
}

async function measure(
  browser: Browser,
  shared: Awaited<ReturnType<Browser['newContext']>> | undefined,
  url: string,
  recorded?: unknown,
): Promise<PageResult> {
  const context = shared ?? (await browser.newContext({ viewport: { width: 1280, height: 800 } }));
  const page = await context.newPage();
  if (recorded !== undefined) {
    await page.addInitScript((flow) => {
      (globalThis as { __recordedFlow?: unknown }).__recordedFlow = flow;
    }, recorded);
  }
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  let traced = TRACED.has(new URL(url).searchParams.get('scenario') ?? '');
  try {
    if (traced) {
      await browser.startTracing(page, { categories: ['devtools.timeline', 'blink.user_timing'] });
    }
    await page.goto(url);
    await page.waitForFunction(
      () => {
        const g = globalThis as BenchGlobals;
        return g.__benchResult ?? g.__benchError;
      },
      undefined,
      { timeout: 60_000 },
    );
    const error = await page.evaluate(() => (globalThis as BenchGlobals).__benchError);
    if (error) throw new Error(error);
    if (errors.length > 0) throw new Error(errors.join('\n'));
    const result = (await page.evaluate(
      () => (globalThis as BenchGlobals).__benchResult,
    )) as PageResult;
    if (!traced) return result;
    traced = false;
    const paints = paintTimes(await browser.stopTracing());
    const edits = [...paints].filter(([k]) => k.startsWith('edit')).map(([, ms]) => ms);
    return { ...result, paintMs: paints.get('open'), paintSamples: edits };
  } finally {
    if (traced) await browser.stopTracing().catch(() => undefined);
    await page.close();
    if (!shared) await context.close();
  }
}

/** What the page publishes (bench/browser/bench-page.ts). */
type BenchGlobals = { __benchResult?: unknown; __benchError?: string };

interface Cell {
  readonly scenario: string;
  readonly n: number;
  readonly variant: string;
  readonly recorded: unknown;
  readonly page: string;
  readonly results: PageResult[];
}

/** Prints one cell's figures: medians and ranges of its pages. */
function report({ scenario, n, variant, results }: Cell): void {
  if (scenario === 'edit' || scenario === 'keystroke') {
    // Medians of each page's samples, then of the pages.
    const summary = (pick: (r: PageResult) => readonly number[] | undefined): string => {
      const medians = results.map((r) => median(pick(r) ?? []));
      const all = results.flatMap((r) => pick(r) ?? []).sort((a, b) => a - b);
      return (
        `median ${median(medians).toFixed(1)} ms ` +
        `(pages ${Math.min(...medians).toFixed(1)}–${Math.max(...medians).toFixed(1)}), ` +
        `p95 of all ${all[Math.floor(all.length * 0.95)]?.toFixed(1)} ms, worst ${all.at(-1)?.toFixed(1)} ms`
      );
    };
    console.log(
      scenario === 'edit'
        ? `edit      ${n} nodes: painted ${summary((r) => r.paintSamples)}; settled ${summary((r) => r.samples)}`
        : `keystroke expression field: ${summary((r) => r.samples)}`,
    );
  } else if (scenario === 'breakdown') {
    const keys = Object.keys(results[0]?.breakdown ?? {});
    console.log(
      `breakdown ${String(n).padStart(5)} nodes: ` +
        keys
          .map((k) => `${k} ${median(results.map((r) => r.breakdown?.[k] ?? NaN)).toFixed(0)} ms`)
          .join(', '),
    );
  } else if (scenario === 'pan') {
    const medians = results.map((r) => median(r.frames ?? []));
    const worst = results.map((r) => Math.max(...(r.frames ?? [])));
    const over = results.map((r) => (r.frames ?? []).filter((f) => f > 33.4).length);
    console.log(
      `pan ${variant.padEnd(5)} ${String(n).padStart(5)} nodes: median frame ${median(medians).toFixed(1)} ms ` +
        `(runs ${Math.min(...medians).toFixed(1)}–${Math.max(...medians).toFixed(1)}), ` +
        `worst frame per run ${worst.map((w) => w.toFixed(0)).join('/')} ms, frames > 33 ms per run ${over.join('/')}; ` +
        `main-thread work per frame: median ${median(results.map((r) => median(r.work ?? []))).toFixed(1)} ms, ` +
        `worst ${Math.max(...results.map((r) => Math.max(...(r.work ?? [])))).toFixed(1)} ms`,
    );
  } else {
    const ms = results.map((r) => r.ms ?? NaN);
    const paint = results.map((r) => r.paintMs ?? NaN);
    console.log(
      `${scenario.padEnd(6)} ${variant.padEnd(10)} ${String(n).padStart(5)} nodes: ` +
        (TRACED.has(scenario)
          ? `painted median ${median(paint).toFixed(0)} ms ` +
            `(${Math.min(...paint).toFixed(0)}–${Math.max(...paint).toFixed(0)}), settled `
          : '') +
        `median ${median(ms).toFixed(0)} ms (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)})` +
        (scenario === 'first'
          ? `, since navigation ${median(results.map((r) => r.sinceNavigation ?? NaN)).toFixed(0)} ms`
          : '') +
        (scenario === 'recorded'
          ? `, opening zoom ${median(results.map((r) => r.zoom ?? NaN)).toFixed(2)}`
          : '') +
        (scenario === 'cold'
          ? `, loading state painted after ${median(results.map((r) => r.loadingMs ?? NaN)).toFixed(0)} ms`
          : ''),
    );
  }
}

export async function main(): Promise<void> {
  await build({ configFile });
  // Vite's preview server: the build's files, on a free port of 127.0.0.1.
  const server = await preview({ configFile, preview: { host: '127.0.0.1', port: 4190 } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview gave no local URL for the benchmark page');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
  const shared = warmProfile
    ? await browser.newContext({ viewport: { width: 1280, height: 800 } })
    : undefined;
  if (shared) await measure(browser, shared, `${url}?scenario=first&n=10`);
  try {
    console.log(
      `designer in Chromium ${browser.version()}, ${runs} runs each, ${warmProfile ? 'warm' : 'fresh'} profile`,
    );
    // One cell per scenario, size and variant; with --interleave the cells take turns page by
    // page (the VM's speed drifts: a relative target, such as cold against ELK, needs both
    // measured in the same minutes), else each cell's pages run back to back.
    const cells: Cell[] = [];
    for (const scenario of scenarios) {
      const variants =
        scenario === 'pan'
          ? ['fit', 'zoom1']
          : scenario === 'first'
            ? delays.map((d) => `delay=${d}`)
            : [''];
      for (const n of scenario === 'keystroke' ? [0] : scenario === 'edit' ? [1000] : sizes) {
        const recorded = scenario === 'recorded' ? await recordedFlow(n) : undefined;
        for (const variant of variants) {
          const q = (variant === 'zoom1' ? '&zoom=1' : variant ? `&${variant}` : '') + workers;
          const page = `${url}?scenario=${scenario}&n=${n}${q}`;
          cells.push({ scenario, n, variant, recorded, page, results: [] });
        }
      }
    }
    const take = async (cell: Cell): Promise<void> => {
      cell.results.push(await measure(browser, shared, cell.page, cell.recorded));
    };
    if (interleave) {
      for (let i = 0; i < runs; i++) for (const cell of cells) await take(cell);
      cells.forEach(report);
    } else {
      for (const cell of cells) {
        for (let i = 0; i < runs; i++) await take(cell);
        report(cell);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
