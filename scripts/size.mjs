#!/usr/bin/env node
// The designer's JavaScript budget, measured on the bundle the package ships for plain pages
// (packages/designer/scripts/build-bundle.mjs: the same esbuild build, not written), gzipped.
// What a page loads up front (flow-designer.js or define.js and the chunks they import
// statically) has the main budget, 120 KB; what loads on first use (the property panel, the
// code editor of expression fields) is reported with its own budget. ELK is neither: only the
// layout worker (and the main-thread fallback, lazily) loads it. Exits 1 when either is over,
// or when ELK is found up front. Part of `npm test`.
import { gzipSync } from 'node:zlib';
import { basename } from 'node:path';
// eslint-disable-next-line no-restricted-imports -- the package's build script, not its API
import { bundleDesigner, PAGE_ENTRIES } from '../packages/designer/scripts/build-bundle.mjs';

const BUDGET = 120 * 1024;
const LAZY_BUDGET = 160 * 1024;

const result = await bundleDesigner({ write: false, outdir: '/tmp/millrace-size' });
// Every output sits in one folder: known by its file name.
const outputs = Object.fromEntries(
  Object.entries(result.metafile.outputs).map(([path, out]) => [
    basename(path),
    { ...out, imports: out.imports.map((imp) => ({ ...imp, path: basename(imp.path) })) },
  ]),
);
const sizes = new Map();
for (const file of result.outputFiles) {
  if (!file.path.endsWith('.js')) continue;
  sizes.set(basename(file.path), {
    raw: file.contents.length,
    gzip: gzipSync(file.contents, { level: 9 }).length,
  });
}

/** Outputs reached from `starts` through static imports. */
function staticallyFrom(starts) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const imp of outputs[name]?.imports ?? []) {
      if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
    }
  };
  starts.forEach(visit);
  return seen;
}
const upFront = staticallyFrom(PAGE_ENTRIES.map((entry) => `${entry}.js`));
const worker = staticallyFrom(['layout-worker.js']);
const hasElk = (name) =>
  Object.keys(outputs[name]?.inputs ?? {}).some((input) => input.includes('node_modules/elkjs/'));

const total = { upFront: [0, 0], lazy: [0, 0], layout: [0, 0] };
const elkUpFront = [];
for (const [name, size] of sizes) {
  const group = upFront.has(name)
    ? 'upFront'
    : worker.has(name) || hasElk(name)
      ? 'layout'
      : 'lazy';
  if (group === 'upFront' && hasElk(name)) elkUpFront.push(name);
  total[group][0] += size.raw;
  total[group][1] += size.gzip;
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `designer bundle (dist/bundle, without ELK): ${kb(total.upFront[0])} minified, ${kb(total.upFront[1])} gzipped up front; budget ${kb(BUDGET)} gzipped`,
);
console.log(
  `loaded on first use (property panel, expression editor): ${kb(total.lazy[0])} minified, ${kb(total.lazy[1])} gzipped; budget ${kb(LAZY_BUDGET)} gzipped`,
);
console.log(
  `layout worker with ELK (its own files, never up front): ${kb(total.layout[0])} minified, ${kb(total.layout[1])} gzipped`,
);
if (elkUpFront.length > 0) console.error(`ELK is loaded up front, in ${elkUpFront.join(', ')}`);
process.exit(total.upFront[1] > BUDGET || total.lazy[1] > LAZY_BUDGET || elkUpFront.length ? 1 : 0);
