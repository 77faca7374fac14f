// Consumer projects from the packed packages, the way a third-party app gets them: build the
// packages' dist, `npm pack` them into a temp folder, and make a throw-away project in a temp
// folder that installs those tarballs OFFLINE. The pack test and every consumer test (Node,
// TypeScript, Vite/React, esbuild, plain page) build on this one module.
//
// Offline, reliably (a fresh CI clone where `npm ci` just filled the npm cache): `npm install
// <tarballs>` would resolve every version range of every dependency again, which needs the
// registry's package documents and may pick versions the cache lacks. Instead the consumer gets
// a package-lock.json cut from the workspace's own lock: the tarballs at
// node_modules/@millrace/*, and their dependencies (plus any the consumer asks for, e.g. react or
// vite) at exactly the versions, places and integrities the workspace installed. `npm ci
// --offline` then takes every package from the cache by integrity.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGES, buildPackages } from '../build-packages.mjs';

/** The workspace root (absolute, no trailing slash). */
export const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

export { PACKAGES };

/** `packages/<name>/package.json`, parsed. */
export function manifestOf(name) {
  return JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
}

const LOCK = join(root, 'node_modules/.cache/millrace-build/lock');

/**
 * Builds every package whose dist is missing or older than its sources (tsc, then the package's
 * build:extras; a few seconds when little changed). Test files run in parallel processes: a lock
 * folder keeps two from building at once.
 */
export async function ensureBuilt() {
  mkdirSync(dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A lock older than any build is left over from a killed process.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 5 * 60_000) {
        rmSync(LOCK, { recursive: true, force: true });
      } else if (Date.now() > deadline) {
        throw new Error(`${LOCK} has been held for 5 minutes: remove it if no build runs.`, {
          cause: err,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    await buildPackages({ onlyStale: true, quiet: true });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function npm(args, options = {}) {
  const res = spawnSync('npm', args, {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed (${res.status}):\n${res.stderr}\n${res.stdout}`);
  }
  return res.stdout;
}

/**
 * What `npm pack` would put in each package's tarball (`npm pack --dry-run --json`), without
 * writing one: `{ [name]: { filename, files: string[] } }`. Needs built dists (ensureBuilt).
 */
export function packContents(names = PACKAGES) {
  const out = npm([
    'pack',
    '--dry-run',
    '--json',
    '--ignore-scripts',
    ...names.flatMap((n) => ['-w', `packages/${n}`]),
  ]);
  const result = {};
  for (const entry of JSON.parse(out)) {
    const name = entry.name.replace('@millrace/', '');
    result[name] = { filename: entry.filename, files: entry.files.map((f) => f.path).sort() };
  }
  return result;
}

/** Every file under `dir`, as paths relative to it with `/`. */
function filesUnder(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** The files an `exports` value points at, under every condition. */
function exportTargets(value) {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

/** What may be in a tarball: the build, the sources its maps point into, and package data. */
const ALLOWED =
  /^(package\.json|README(\.md)?|LICENSE(\.md)?|dist\/.+\.(js|d\.ts|map|json)|src\/.+\.(ts|mjs)|schema\/[^/]+\.json|bin\/[^/]+\.mjs|openapi\.json)$/;
const NEVER =
  /(^|\/)(test|tests|bench|tmp|node_modules|__tests__)\/|\.(test|bench)\.|tsconfig|\.tsbuildinfo$/;

/**
 * Checks a package's tarball contents (from packContents) against what a consumer needs: every
 * `exports`, `main`, `types`, `bin` and `sideEffects` target; for each module of src its `.js`,
 * `.d.ts` and both maps; the sources the declaration maps point into; every dist file built. And
 * nothing else: no tests, benchmarks, tsconfig, build info or temp files. Each `exports` entry of
 * a source is `{ source, types, import }` with its dist files. `pkg` is the package.json to check
 * (the package's own by default). Returns the problems,
 * one sentence each (empty when the tarball is right).
 */
export function packProblems(name, files, pkg = manifestOf(name)) {
  const dir = join(root, 'packages', name);
  const has = new Set(files);
  const problems = [];
  const need = (file, why) => {
    const path = file.replace(/^\.\//, '');
    if (!has.has(path)) problems.push(`${path} (${why}) is not in the tarball`);
  };
  for (const [entry, value] of Object.entries(pkg.exports ?? {})) {
    for (const target of exportTargets(value)) need(target, `exports["${entry}"]`);
    // Sources only for the workspace: a consumer's tools must get dist (types, then import).
    const source = typeof value === 'string' ? value : value?.source;
    if (typeof source === 'string' && source.startsWith('./src/')) {
      const base = source.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '');
      const want = { source, types: `${base}.d.ts`, import: `${base}.js` };
      if (JSON.stringify(value) !== JSON.stringify(want)) {
        problems.push(`exports["${entry}"] should be ${JSON.stringify(want)}`);
      }
    }
  }
  if (pkg.main) need(pkg.main, 'main');
  if (pkg.types) need(pkg.types, 'types');
  for (const [cmd, target] of Object.entries(pkg.bin ?? {})) need(target, `bin ${cmd}`);
  if (Array.isArray(pkg.sideEffects)) for (const f of pkg.sideEffects) need(f, 'sideEffects');
  for (const file of filesUnder(join(dir, 'dist'))) need(`dist/${file}`, 'built');
  for (const file of files) {
    if (!ALLOWED.test(file) || NEVER.test(file)) problems.push(`${file} should not be shipped`);
    // Each module of src, compiled: the JS, its declarations and both maps.
    const ts = /^src\/(.+)(?<!\.d)\.ts$/.exec(file);
    if (ts) {
      for (const ext of ['.js', '.js.map', '.d.ts', '.d.ts.map']) {
        need(`dist/${ts[1]}${ext}`, `compiled from ${file}`);
      }
    }
    if (/^dist\/.+\.d\.ts\.map$/.test(file)) {
      const map = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      for (const source of map.sources ?? []) {
        const target = join(dirname(file), source);
        need(target, `source of ${file}`);
      }
    }
  }
  return problems;
}

let packed;

/**
 * Builds what is stale, then packs every package once per process into a temp folder (removed
 * when the process exits).
 * Resolves to `{ dir, tarballs: { engine: '/tmp/.../millrace-engine-0.1.0.tgz', ... } }`.
 */
export function packPackages() {
  packed ??= (async () => {
    await ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'millrace-packs-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const out = npm([
      'pack',
      '--json',
      '--ignore-scripts',
      '--pack-destination',
      dir,
      ...PACKAGES.flatMap((n) => ['-w', `packages/${n}`]),
    ]);
    const tarballs = {};
    for (const entry of JSON.parse(out)) {
      tarballs[entry.name.replace('@millrace/', '')] = join(dir, entry.filename);
    }
    return { dir, tarballs };
  })();
  return packed;
}

// --- the consumer's lock, cut from the workspace's ---------------------------------------------

let workspaceLock;
function lockPackages() {
  workspaceLock ??= JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
  return workspaceLock;
}

/** The folder a lock location's package looks in next: `a/node_modules/b` -> `a`. */
function parentOf(location) {
  const at = location.lastIndexOf('node_modules/');
  if (at <= 0) return '';
  return location.slice(0, at - 1);
}

/** Where Node (and npm) find `name` from the package at `location`, in the workspace lock. */
function locate(name, location) {
  const lock = lockPackages();
  for (let at = location; ; at = parentOf(at)) {
    const candidate = at === '' ? `node_modules/${name}` : `${at}/node_modules/${name}`;
    if (lock[candidate]) return candidate;
    if (at === '') return undefined;
  }
}

/** A workspace lock location in the consumer: `packages/engine/node_modules/x` -> `node_modules/@millrace/engine/node_modules/x`. */
function consumerLocation(location) {
  const m = /^packages\/([^/]+)(\/.*)?$/.exec(location);
  return m ? `node_modules/@millrace/${m[1]}${m[2] ?? ''}` : location;
}

function registryUrl(name, version) {
  const registry = (process.env.npm_config_registry ?? 'https://registry.npmjs.org/').replace(
    /\/?$/,
    '/',
  );
  return `${registry}${name}/-/${basename(name)}-${version}.tgz`;
}

/**
 * The lock entries (consumer locations) of the given Millrace packages and third-party
 * dependencies, with everything they need, transitively, as the workspace has them installed.
 * `@millrace/*` dependencies are added to `names` as they are found.
 */
function consumerLock(names, dependencies) {
  const lock = lockPackages();
  const entries = {};
  const seen = new Set();
  const queue = [];
  const want = (dep, from, optional) => {
    const location = locate(dep, from);
    if (!location) {
      if (optional) return;
      throw new Error(
        `${dep} (needed by ${from || 'the consumer'}) is not installed in the workspace: add it to a package.json and run npm install.`,
      );
    }
    if (lock[location].link) {
      // A workspace package: the consumer gets its tarball.
      const name = dep.replace('@millrace/', '');
      if (!PACKAGES.includes(name)) throw new Error(`${dep} is linked but not a Millrace package.`);
      if (!names.includes(name)) names.push(name);
      return;
    }
    if (!seen.has(location)) {
      seen.add(location);
      queue.push(location);
    }
  };
  const follow = (pkg, from) => {
    for (const dep of Object.keys(pkg.dependencies ?? {})) want(dep, from, false);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) want(dep, from, true);
    for (const [dep] of Object.entries(pkg.peerDependencies ?? {})) {
      want(dep, from, pkg.peerDependenciesMeta?.[dep]?.optional === true);
    }
  };
  for (const dep of dependencies) want(dep, '', false);
  for (let i = 0; i < names.length; i++) follow(manifestOf(names[i]), `packages/${names[i]}`);
  while (queue.length > 0) {
    const location = queue.shift();
    const entry = lock[location];
    follow(entry, location);
    const { dev, devOptional, peer, extraneous, optional, ...rest } = entry;
    void dev;
    void peer;
    void extraneous;
    const name = entry.name ?? location.slice(location.lastIndexOf('node_modules/') + 13);
    entries[consumerLocation(location)] = {
      ...rest,
      resolved: entry.resolved ?? registryUrl(name, entry.version),
      ...(optional || devOptional ? { optional: true } : {}),
    };
  }
  // Peer dependencies the consumer did not ask for but a package needs are installed, as npm would.
  return entries;
}

/** A tarball's lock entry: its package.json fields that matter to npm ci. */
function tarballEntry(name, file) {
  const pkg = manifestOf(name);
  const entry = { version: pkg.version, resolved: `file:${file}` };
  for (const key of [
    'license',
    'dependencies',
    'optionalDependencies',
    'peerDependencies',
    'peerDependenciesMeta',
    'bin',
    'engines',
  ]) {
    if (pkg[key] !== undefined) entry[key] = pkg[key];
  }
  return entry;
}

/**
 * Makes a consumer project in a new temp folder and installs into it, offline: the packed
 * tarballs of `packages` (and of the Millrace packages they depend on), plus the third-party
 * `dependencies` at the workspace's versions (e.g. `['react', 'vite']`). `files` are written
 * first (paths relative to the project); `packageJson` is merged into its package.json
 * (`type: 'module'` by default). Resolves to `{ dir, tarballs, exec(cmd, args), remove() }`,
 * where `exec` runs a command in the project and returns `{ status, stdout, stderr }`.
 *
 * @example
 *   const app = await createConsumer({ packages: ['engine'], files: { 'main.mjs': code } });
 *   const r = app.exec('node', ['main.mjs']);
 */
export async function createConsumer({
  packages = ['engine'],
  dependencies = [],
  packageJson = {},
  files = {},
  prefix = 'millrace-consumer-',
  ignoreScripts = true,
} = {}) {
  const { tarballs } = await packPackages();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const names = [...packages];
  const entries = consumerLock(names, dependencies);
  const rootDeps = {};
  for (const name of names) {
    const file = basename(tarballs[name]);
    copyFileSync(tarballs[name], join(dir, file));
    rootDeps[`@millrace/${name}`] = `file:${file}`;
    entries[`node_modules/@millrace/${name}`] = tarballEntry(name, file);
  }
  for (const dep of dependencies) rootDeps[dep] = entries[`node_modules/${dep}`].version;
  const manifest = {
    name: basename(dir).toLowerCase(),
    version: '0.0.0',
    private: true,
    type: 'module',
    ...packageJson,
    dependencies: { ...rootDeps, ...packageJson.dependencies },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  const lockFile = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies },
      ...entries,
    },
  };
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lockFile, null, 2) + '\n');
  npm(
    [
      'ci',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...(ignoreScripts ? ['--ignore-scripts'] : []),
    ],
    { cwd: dir },
  );
  return {
    dir,
    tarballs,
    exec(cmd, args = [], options = {}) {
      const res = spawnSync(cmd, args, {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        ...options,
        // No inherited -C source / --import tsx: the consumer runs what it installed.
        env: { ...process.env, NODE_OPTIONS: '', ...options.env },
      });
      return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
