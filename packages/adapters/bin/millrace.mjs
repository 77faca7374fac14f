#!/usr/bin/env node
// `millrace` (`npx millrace ...`): the CLI of @millrace/adapters.
// Installed (the package sits in a node_modules folder) it runs the built dist with plain node.
// In the workspace it runs the TypeScript sources through tsx, with the `source` export
// condition so that @millrace/engine resolves to its sources too: no build step, and never a
// stale dist. (A checkout without tsx, e.g. a git dependency, falls back to dist.)
import { existsSync, realpathSync } from 'node:fs';
import { register as registerHooks } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const pkg = realpathSync(dirname(dirname(fileURLToPath(import.meta.url))));
const dist = join(pkg, 'dist', 'cli', 'main.js');
const installed = pkg.split(sep).includes('node_modules');

/** Registers tsx and the `source` condition; false when tsx is not installed. */
async function fromSources() {
  if (installed || !existsSync(join(pkg, 'src', 'cli', 'main.ts'))) return false;
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    return false;
  }
  tsx.register();
  // Registered after tsx, so it runs first: every resolution also tries `source`.
  const hook = `export function resolve(specifier, context, next) {
    const conditions = context.conditions.includes('source')
      ? context.conditions
      : ['source', ...context.conditions];
    return next(specifier, { ...context, conditions });
  }`;
  registerHooks(`data:text/javascript,${encodeURIComponent(hook)}`);
  return true;
}

const entry = (await fromSources()) ? join(pkg, 'src', 'cli', 'main.ts') : dist;
if (!existsSync(entry)) {
  process.stderr.write(
    `millrace: ${entry} is missing; build the package first (npm run build:packages).\n`,
  );
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
const stopped = new Promise((resolve) => {
  process.once('SIGTERM', resolve);
  process.once('SIGINT', resolve);
});
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stopped,
});
