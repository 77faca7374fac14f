import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { startServe, type Serving } from './serve-fixture.ts';

// The built demo in headless Chromium, loaded from `millrace serve` (with the demo's host
// actions, on PGlite): the page finds the server's meta tag, says it is remote, and a run
// started from the page executes on the server (read back over HTTP, not through the page).
// The same build from a plain static host (no meta tag) runs its engine in a worker.

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(root, 'dist/demo');

/** Newest modification time under `dir` (ms). */
const newest = (dir: string): number =>
  Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  );

/**
 * `npm run build` when dist/demo is missing or older than the demo's sources (CI builds it
 * before `npm test`; a fresh clone has none).
 */
function ensureBuilt(): void {
  const built = join(dist, 'index.html');
  const sources = Math.max(
    newest(join(root, 'demo/src')),
    statSync(join(root, 'demo/index.html')).mtimeMs,
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const res = spawnSync(join(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(res.status, 0, `vite build failed:\n${res.stdout}\n${res.stderr}`);
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

/** dist/demo as any static host serves it: files only, no API, no meta tag. */
async function staticDemo(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const skip = existsSync(chromiumPath)
  ? false
  : `no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`;
let serving: Serving;
let local: { server: Server; base: string };
let browser: Browser;

before(async () => {
  if (skip) return;
  ensureBuilt();
  serving = await startServe();
  local = await staticDemo();
  browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
});

after(async () => {
  await browser?.close();
  local?.server.close();
  if (serving) assert.equal(await serving.stop(), 0, serving.stderr());
});

/** A fresh page whose console errors, page errors and failed responses land in `problems`. */
async function watchedPage(problems: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return page;
}

/** Opens `url` and waits for the demo's ready marker; its first run's id. */
async function openDemo(page: Page, url: string): Promise<string | null> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return page.locator('#engine-status').getAttribute('data-run-id');
}

/** Clicks Run with `amount`; resolves with the new run's id once the page shows it succeeded. */
async function runFromPage(page: Page, amount: number, previous: string | null): Promise<string> {
  await page.fill('#amount', String(amount));
  await page.click('#run');
  await page.waitForFunction(
    (before) => {
      const el = document.querySelector<HTMLElement>('#engine-status');
      return el?.dataset['runId'] !== before && el?.dataset['runStatus'] === 'succeeded';
    },
    previous,
    { timeout: 30_000 },
  );
  const runId = await page.locator('#engine-status').getAttribute('data-run-id');
  assert.ok(runId);
  return runId;
}

test(
  'served by millrace serve the demo is remote, and a run from the page finishes on the server',
  { skip },
  async () => {
    const problems: string[] = [];
    const page = await watchedPage(problems);
    const first = await openDemo(page, `${serving.base}/`);
    const mode = page.locator('#engine-mode');
    assert.equal(await mode.getAttribute('data-mode'), 'remote');
    assert.equal(await mode.textContent(), `remote: ${serving.base}`);
    // The page deployed the demo's flow on the server and ran a first expense there.
    assert.equal((await (await fetch(`${serving.base}/flows/expense-approval`)).json()).version, 1);
    assert.ok(first);

    const runId = await runFromPage(page, 130, first);
    assert.match(
      (await page.locator('#engine-status').textContent()) ?? '',
      /succeeded on the server.*Expense of 130 handled/,
    );
    const run = await (await fetch(`${serving.base}/runs/${runId}`)).json();
    assert.equal(run.status, 'succeeded');
    assert.deepEqual(run.input, { amount: 130 });
    assert.deepEqual(run.output, { amount: 130, postedTo: '#finance' });
    assert.deepEqual(problems, []);
    await page.close();
  },
);

test(
  'the same build from a plain static host is local: its engine in a worker over IndexedDB',
  { skip },
  async () => {
    const problems: string[] = [];
    const page = await watchedPage(problems);
    const first = await openDemo(page, `${local.base}/`);
    const mode = page.locator('#engine-mode');
    assert.equal(await mode.getAttribute('data-mode'), 'local');
    assert.equal(await mode.textContent(), 'local: IndexedDB + worker');

    const runId = await runFromPage(page, 140, first);
    assert.match(
      (await page.locator('#engine-status').textContent()) ?? '',
      /succeeded in this browser.*Expense of 140 handled/,
    );
    // The server never heard of it.
    assert.equal((await fetch(`${serving.base}/runs/${runId}`)).status, 404);
    assert.deepEqual(problems, []);
    await page.close();
  },
);

test(
  'behind --token: the page passes ?token= to the API; without it, the page says why it failed',
  { skip },
  async () => {
    const guarded = await startServe('--token', 's3cret');
    try {
      const problems: string[] = [];
      const page = await watchedPage(problems);
      const first = await openDemo(page, `${guarded.base}/?token=s3cret`);
      assert.equal(await page.locator('#engine-mode').getAttribute('data-mode'), 'remote');
      const runId = await runFromPage(page, 150, first);
      const read = (auth?: string) =>
        fetch(`${guarded.base}/runs/${runId}`, auth ? { headers: { authorization: auth } } : {});
      assert.equal((await read()).status, 401);
      assert.deepEqual((await (await read('Bearer s3cret')).json()).output, {
        amount: 150,
        postedTo: '#finance',
      });
      assert.deepEqual(problems, []);

      const refused = await watchedPage([]);
      await refused.goto(`${guarded.base}/`);
      await refused.waitForFunction(() =>
        document.querySelector('#engine-status')?.textContent?.includes('E_HTTP_UNAUTHORIZED'),
      );
      assert.match(
        (await refused.locator('#engine-status').textContent()) ?? '',
        /The engine failed: E_HTTP_UNAUTHORIZED: .*\?token=/,
      );
      await page.close();
      await refused.close();
    } finally {
      assert.equal(await guarded.stop(), 0, guarded.stderr());
    }
  },
);
