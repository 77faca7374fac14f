#!/usr/bin/env node
// The one test command (`npm test`): typecheck, lint, the packages' build, Node tests, browser
// tests. On a fresh machine it first gets Chromium (apt-get, as root) or says how, at once.
// It runs every phase even after a failure, then prints one plain closing line,
// `N passed, N failed`, over both test runners (a failed typecheck or lint counts as a failure).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureChromium } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const only = (() => {
  const i = process.argv.indexOf('--only');
  return i === -1 ? undefined : process.argv[i + 1];
})();
// Node tests drive Chromium too (the designer's consumer projects): both phases need it.
if (!only || only === 'node' || only === 'browser') {
  const chromium = ensureChromium();
  if (!chromium.ok) {
    console.error(`npm test: ${chromium.message}`);
    process.exit(1);
  }
}
const tmp = mkdtempSync(join(tmpdir(), 'millrace-test-'));
const results = [];
let passed = 0;
let failed = 0;

const TSCONFIGS = [
  'tsconfig.json',
  'packages/engine/tsconfig.json',
  'packages/engine/tsconfig.node.json',
  'packages/engine/tsconfig.browser.json',
  'packages/designer/tsconfig.json',
  'packages/designer/tsconfig.node.json',
  'packages/designer/tsconfig.consumers.json',
  'packages/adapters/tsconfig.json',
  'packages/adapters/tsconfig.node.json',
  'demo/tsconfig.json',
  'demo/tsconfig.node.json',
];

function run(cmd, args, env = {}) {
  const res = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return res.status === 0;
}

function phase(name, fn) {
  const start = performance.now();
  console.log(`\n=== ${name}`);
  const ok = fn();
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  results.push(`${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds} s)`);
  return ok;
}

function findTests(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) findTests(p, out);
    else if (entry.name.endsWith('.test.ts') && !entry.name.endsWith('.browser.test.ts'))
      out.push(p);
  }
  return out;
}

if (!only || only === 'static') {
  phase('typecheck', () => {
    let ok = true;
    for (const config of TSCONFIGS) ok = run('node_modules/.bin/tsc', ['-p', config]) && ok;
    if (!ok) failed++;
    return ok;
  });
  phase('lint', () => {
    const ok =
      run('node_modules/.bin/eslint', ['.']) &&
      run('node_modules/.bin/prettier', ['--check', '.', '--log-level', 'warn']);
    if (!ok) failed++;
    return ok;
  });
}

if (!only || only === 'static') {
  phase('designer bundle size', () => {
    const ok = run('node', ['scripts/size.mjs']);
    if (!ok) failed++;
    return ok;
  });
}

if (!only || only === 'node') {
  // The pack and consumer tests install the packages' dist; what is fresh is not rebuilt.
  phase('build packages', () => {
    const ok = run('node', ['scripts/build-packages.mjs', '--stale']);
    if (!ok) failed++;
    return ok;
  });
  phase('node tests', () => {
    const files = ['packages/engine', 'packages/adapters', 'packages/designer', 'demo']
      .flatMap((p) => findTests(join(root, p, 'test')))
      .map((f) => relative(root, f))
      .sort();
    const tap = join(tmp, 'node.tap');
    // Workspace packages from their sources (`-C source`), never a stale dist.
    const ok = run('node', [
      '-C',
      'source',
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ]);
    const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
    const count = (key) => Number((text.match(new RegExp(`^# ${key} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
    const p = count('pass');
    const f = count('fail');
    passed += p;
    failed += f;
    if (!ok && f === 0) failed++; // the runner itself failed (e.g. a file did not load)
    console.log(`node: ${p} passed, ${f} failed`);
    return ok;
  });
}

if (!only || only === 'browser') {
  phase('browser tests (Chromium)', () => {
    const summary = join(tmp, 'wtr.json');
    const ok = run('node_modules/.bin/web-test-runner', [], { WTR_SUMMARY_FILE: summary });
    const counts = existsSync(summary)
      ? JSON.parse(readFileSync(summary, 'utf8'))
      : { passed: 0, failed: 0 };
    passed += counts.passed;
    failed += counts.failed;
    if (!ok && counts.failed === 0) failed++;
    console.log(`browser: ${counts.passed} passed, ${counts.failed} failed`);
    return ok;
  });
}

console.log('\n' + results.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.every((r) => r.startsWith('ok')) ? 0 : 1);
