#!/usr/bin/env node
// `npm run build:packages`: each package's sources to its `dist/` (ES modules, .d.ts, declaration
// and source maps) with tsc and the package's tsconfig.build.json. The three builds run at once:
// each resolves its siblings through the `source` condition (root tsconfig `customConditions`),
// so none needs another's dist and the order does not matter. Incremental (the build info sits
// in node_modules/.cache/millrace-build): a rebuild after a small change takes a few seconds.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The packages that ship a dist, by folder name under packages/. */
export const PACKAGES = ['engine', 'designer', 'adapters'];

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return latest;
}

const buildInfo = (name) => join(root, 'node_modules/.cache/millrace-build', `${name}.tsbuildinfo`);

/**
 * Whether `packages/<name>/dist` exists and was built after every change to what it is made
 * from: `src/`, the package's `scripts/` (build extras) and its top-level files (package.json,
 * tsconfig.build.json, tool configs).
 */
export function isBuilt(name) {
  const dir = join(root, 'packages', name);
  const stamp = buildInfo(name); // touched after each successful build
  if (!existsSync(join(dir, 'dist', 'index.js')) || !existsSync(stamp)) return false;
  const inputs = [join(dir, 'src'), join(dir, 'scripts')].filter((d) => existsSync(d));
  let latest = Math.max(...inputs.map((d) => newest(d)));
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(dir, entry.name)).mtimeMs);
  }
  return statSync(stamp).mtimeMs >= latest;
}

/** Removes what dist still holds of deleted sources (x.js, x.d.ts and maps without src/x.ts). */
function pruneOrphans(dist, src) {
  if (!existsSync(dist)) return;
  for (const entry of readdirSync(dist, { withFileTypes: true })) {
    const p = join(dist, entry.name);
    if (entry.isDirectory()) {
      if (!existsSync(join(src, entry.name))) rmSync(p, { recursive: true, force: true });
      else pruneOrphans(p, join(src, entry.name));
      continue;
    }
    const base = entry.name.replace(/\.(js|d\.ts)(\.map)?$/, '');
    if (base !== entry.name && !existsSync(join(src, `${base}.ts`))) rmSync(p, { force: true });
  }
}

/** Runs a command in `cwd`; resolves when it exits 0, else rejects with its output. */
function step(cmd, args, cwd, what) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${what} failed (${code}):\n${out}`)),
    );
  });
}

/** One package: tsc, then the package's own `build:extras` script if it has one. */
async function buildOne(name, quiet) {
  const dir = join(root, 'packages', name);
  // tsc trusts its build info even when the outputs are gone: without a dist, start over.
  if (!existsSync(join(dir, 'dist', 'index.js'))) rmSync(buildInfo(name), { force: true });
  await step(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    dir,
    `tsc -p packages/${name}/tsconfig.build.json`,
  );
  pruneOrphans(join(dir, 'dist'), join(dir, 'src'));
  // What tsc does not make (the designer's manifest and page bundle) comes from the package.
  const { scripts = {} } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (scripts['build:extras']) {
    await step('npm', ['run', '--silent', 'build:extras'], dir, `packages/${name}: build:extras`);
  }
  // tsc leaves its build info alone when nothing changed: mark the build done anyway.
  closeSync(openSync(buildInfo(name), 'a'));
  const now = new Date();
  utimesSync(buildInfo(name), now, now);
  if (!quiet) console.log(`built packages/${name}/dist`);
}

/**
 * Builds the given packages (all by default) in parallel; with `onlyStale`, only those whose
 * dist is missing or older than their sources. Resolves to the names built; rejects with the
 * failing tool's output.
 */
export async function buildPackages({ names = PACKAGES, onlyStale = false, quiet = false } = {}) {
  const todo = onlyStale ? names.filter((n) => !isBuilt(n)) : names;
  await Promise.all(todo.map((name) => buildOne(name, quiet)));
  return todo;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const start = performance.now();
  try {
    await buildPackages({ onlyStale: process.argv.includes('--stale') });
    console.log(`packages built in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
