import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { startServe, type Serving } from './serve-fixture.ts';

// The built demo in headless Chromium, loaded from `millrace serve` (with the demo's host
// actions, on PGlite): the page finds the server's meta tag, says it is remote, and a run
// started from the page executes on the server (read back over HTTP, not through the page).

const root = fileURLToPath(new URL('../..', import.meta.url));
const built = join(root, 'dist/demo/index.html');

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

const skip = existsSync(chromiumPath)
  ? false
  : `no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`;
let serving: Serving;
let browser: Browser;
let page: Page;
const problems: string[] = [];

before(async () => {
  if (skip) return;
  ensureBuilt();
  serving = await startServe();
  browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
  page = await browser.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
});

after(async () => {
  await browser?.close();
  if (serving) assert.equal(await serving.stop(), 0, serving.stderr());
});

test(
  'the demo served by millrace serve runs remote: indicator, and a run from the page finishes on the server',
  { skip },
  async () => {
    await page.goto(`${serving.base}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const mode = page.locator('#engine-mode');
    assert.equal(await mode.getAttribute('data-mode'), 'remote');
    assert.equal(await mode.textContent(), `remote: ${serving.base}`);

    // The page deployed the demo's flow on the server and ran a first expense there.
    const flow = await (await fetch(`${serving.base}/flows/expense-approval`)).json();
    assert.equal(flow.version, 1);
    const status = page.locator('#engine-status');
    const first = await status.getAttribute('data-run-id');
    assert.ok(first);

    await page.fill('#amount', '130');
    await page.click('#run');
    await page.waitForFunction(
      (before) => {
        const el = document.querySelector<HTMLElement>('#engine-status');
        return el?.dataset['runId'] !== before && el?.dataset['runStatus'] === 'succeeded';
      },
      first,
      { timeout: 30_000 },
    );
    const runId = await status.getAttribute('data-run-id');
    assert.match(
      (await status.textContent()) ?? '',
      /succeeded on the server.*Expense of 130 handled/,
    );

    const run = await (await fetch(`${serving.base}/runs/${runId}`)).json();
    assert.equal(run.status, 'succeeded');
    assert.deepEqual(run.input, { amount: 130 });
    assert.deepEqual(run.output, { amount: 130, postedTo: '#finance' });
    // The designer overlays that run: the connector's card shows it succeeded.
    assert.deepEqual(problems, []);
  },
);
