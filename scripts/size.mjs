#!/usr/bin/env node
// The designer's JavaScript budget: its entry points bundled and minified the way a host's
// bundler would, without elkjs (which only the layout worker loads), gzipped. What a page
// loads up front (the entries and the chunks they import statically) has the main budget;
// what is loaded on first use (the code editor of expression fields, the property panel) is
// reported with its own budget. Exits 1 when either is over. Part of `npm test`.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { relative } from 'node:path';

const BUDGET = 120 * 1024;
const LAZY_BUDGET = 160 * 1024;
const root = new URL('..', import.meta.url).pathname;
const outdir = '/tmp/millrace-size';

const result = await build({
  entryPoints: [`${root}packages/designer/src/index.ts`, `${root}packages/designer/src/define.ts`],
  bundle: true,
  minify: true,
  format: 'esm',
  splitting: true,
  outdir,
  write: false,
  metafile: true,
  platform: 'browser',
  target: 'es2022',
  external: ['elkjs', 'elkjs/*'],
  define: { 'process.env.NODE_ENV': '"production"' },
  tsconfig: `${root}packages/designer/tsconfig.json`,
  // Workspace packages from their sources (`source`), never a stale dist; `module` is esbuild's
  // default, dropped once any condition is given.
  conditions: ['source', 'module'],
  logLevel: 'error',
});

const gz = new Map();
for (const file of result.outputFiles) {
  if (!file.path.endsWith('.js')) continue;
  gz.set(relative(process.cwd(), file.path), {
    raw: file.contents.length,
    gzip: gzipSync(file.contents, { level: 9 }).length,
  });
}
const outputs = result.metafile.outputs;
// Up front: every entry and what it imports statically, transitively.
const upFront = new Set();
const visit = (name) => {
  if (upFront.has(name)) return;
  upFront.add(name);
  for (const imp of outputs[name]?.imports ?? []) {
    if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
  }
};
// Dynamic import targets are entry points in esbuild's metafile too: start from ours only.
const entries = ['packages/designer/src/index.ts', 'packages/designer/src/define.ts'];
for (const [name, out] of Object.entries(outputs)) {
  if (out.entryPoint && entries.includes(out.entryPoint)) visit(name);
}

let raw = 0;
let gzip = 0;
let lazyRaw = 0;
let lazyGzip = 0;
for (const [name, size] of gz) {
  if (upFront.has(name)) {
    raw += size.raw;
    gzip += size.gzip;
  } else {
    lazyRaw += size.raw;
    lazyGzip += size.gzip;
  }
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `designer bundle (without elkjs): ${kb(raw)} minified, ${kb(gzip)} gzipped up front; budget ${kb(BUDGET)} gzipped`,
);
console.log(
  `loaded on first use (expression editor, property panel): ${kb(lazyRaw)} minified, ${kb(lazyGzip)} gzipped; budget ${kb(LAZY_BUDGET)} gzipped`,
);
process.exit(gzip > BUDGET || lazyGzip > LAZY_BUDGET ? 1 : 0);
