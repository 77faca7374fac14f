#!/usr/bin/env node
// Serves the built demo (vite preview), opens it in Debian's Chromium through playwright-core,
// waits for the page's ready marker and saves a screenshot. Fails when the page logs an error,
// throws, violates its CSP, or never becomes ready.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = process.argv[2] ?? join(root, 'screenshots', 'demo.png');
const port = 4173;
const url = `http://127.0.0.1:${port}/`;

const server = spawn(
  join(root, 'node_modules/.bin/vite'),
  ['preview', '--port', String(port), '--strictPort'],
  {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const stop = () => server.kill('SIGTERM');

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vite preview did not answer on ${url} within 10 s`);
}

const problems = [];
let browser;
try {
  await waitForServer();
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
  mkdirSync(join(out, '..'), { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
  console.log(`screenshot: ${out}`);
} catch (err) {
  problems.push(String(err instanceof Error ? err.message : err));
} finally {
  await browser?.close();
  stop();
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
