// The tarball `npm pack` makes of @millrace/adapters holds exactly what a consumer needs (see
// packProblems in scripts/consumers/pack.mjs): every exports target, dist with declarations and
// maps, the sources the maps point into; no tests, benchmarks, tsconfig or temp files.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  ensureBuilt,
  manifestOf,
  packContents,
  packProblems,
} from '../../../scripts/consumers/pack.mjs';

let files: string[];

before(async () => {
  await ensureBuilt();
  files = packContents(['adapters']).adapters!.files;
});

test('the tarball holds every exports target, the built modules and their sources, and nothing else', () => {
  assert.deepEqual(packProblems('adapters', files), []);
});

test('a tarball missing an exports target is caught', () => {
  const target = files.find((f) => f.startsWith('dist/') && f.endsWith('index.js'))!;
  assert.match(
    packProblems(
      'adapters',
      files.filter((f) => f !== target),
    ).join('\n'),
    /exports/,
  );
  assert.match(
    packProblems('adapters', [...files, 'test/x.test.ts']).join('\n'),
    /test\/x\.test\.ts should not be shipped/,
  );
});

test('an exports entry that hands consumers the TypeScript source is caught', () => {
  const pkg = manifestOf('adapters');
  const exports = { ...(pkg.exports as object), '.': './src/index.ts' };
  assert.match(
    packProblems('adapters', files, { ...pkg, exports }).join('\n'),
    /exports\["\."\] should be \{"source":"\.\/src\/index\.ts","types":"\.\/dist\/index\.d\.ts","import":"\.\/dist\/index\.js"\}/,
  );
});
