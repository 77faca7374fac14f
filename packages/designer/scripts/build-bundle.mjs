#!/usr/bin/env node
// The designer as self-contained ES modules for a plain `<script type="module">` page (no
// bundler, no import map), in dist/bundle/ — part of the package's build (`npm run build`).
//
//   flow-designer.js   the package's API (`defineFlowDesigner`, ...), registers nothing
//   define.js          registers <flow-designer> (like `@millrace/designer/define`)
//   layout-worker.js   the ELK layout worker, a module worker
//   chunk-*.js         shared code and what loads on first use (property panel, code editor,
//                      ELK for the worker and the main-thread fallback)
//
// All in one folder: the designer starts its worker at `new URL('./layout-worker.js',
// import.meta.url)`, from whichever chunk that code lands in. Same-origin files only, no eval,
// no blob: worker, so it runs under `script-src 'self'; worker-src 'self'; style-src 'self'`.
// `splitting` keeps the lazy `import('elkjs/...')` fallback out of the up-front files.
// scripts/size.mjs measures this very build (bundleDesigner with write: false) against the budget.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));

/** The bundle's entry points: output name → source. */
export const BUNDLE_ENTRIES = {
  'flow-designer': `${pkg}src/index.ts`,
  define: `${pkg}src/define.ts`,
  'layout-worker': `${pkg}src/layout/layout-worker.ts`,
};

/** The entries a page loads itself; the worker's code is fetched only by the worker. */
export const PAGE_ENTRIES = ['flow-designer', 'define'];

export const BUNDLE_DIR = `${pkg}dist/bundle`;

/**
 * Bundles the designer with esbuild; resolves to esbuild's result with its metafile. With
 * `write: false` nothing is written (the size check reads `outputFiles`).
 */
export async function bundleDesigner({ write = true, outdir = BUNDLE_DIR } = {}) {
  if (write) rmSync(outdir, { recursive: true, force: true });
  return build({
    entryPoints: BUNDLE_ENTRIES,
    outdir,
    write,
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    metafile: true,
    platform: 'browser',
    target: 'es2022',
    // Workspace packages from their sources; `module` is esbuild's default, dropped once any
    // condition is given. Without `development`, lit is its production build.
    conditions: ['source', 'module'],
    define: { 'process.env.NODE_ENV': '"production"' },
    // Beside the entries (the worker URL is relative to the chunk holding the client).
    chunkNames: 'chunk-[hash]',
    tsconfig: `${pkg}tsconfig.json`,
    legalComments: 'none',
    logLevel: 'error',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const start = performance.now();
  await bundleDesigner();
  console.log(
    `designer bundle in dist/bundle (${((performance.now() - start) / 1000).toFixed(1)} s)`,
  );
}
