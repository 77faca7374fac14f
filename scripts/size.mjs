#!/usr/bin/env node
// The designer's JavaScript budget (issue 5): its entry points bundled and minified the way a
// host's bundler would, without elkjs (which only the layout worker loads), gzipped.
// Prints the figure and exits 1 when it is over the budget. Part of `npm test`.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

const BUDGET = 120 * 1024;
const root = new URL('..', import.meta.url).pathname;

const result = await build({
  entryPoints: [`${root}packages/designer/src/index.ts`, `${root}packages/designer/src/define.ts`],
  bundle: true,
  minify: true,
  format: 'esm',
  splitting: true,
  outdir: '/tmp/millrace-size',
  write: false,
  platform: 'browser',
  target: 'es2022',
  external: ['elkjs', 'elkjs/*'],
  define: { 'process.env.NODE_ENV': '"production"' },
  tsconfig: `${root}packages/designer/tsconfig.json`,
  logLevel: 'error',
});
let raw = 0;
let gzip = 0;
for (const file of result.outputFiles) {
  if (!file.path.endsWith('.js')) continue;
  raw += file.contents.length;
  gzip += gzipSync(file.contents, { level: 9 }).length;
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `designer bundle (without elkjs): ${kb(raw)} minified, ${kb(gzip)} gzipped; budget ${kb(BUDGET)} gzipped`,
);
process.exit(gzip > BUDGET ? 1 : 0);
