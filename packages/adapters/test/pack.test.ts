// The tarball `npm pack` makes of @millrace/adapters holds exactly what a consumer needs (see
// packProblems in scripts/consumers/pack.mjs): every exports target, dist with declarations and
// maps, the sources the maps point into; no tests, benchmarks, tsconfig or temp files.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt, packContents, packProblems } from '../../../scripts/consumers/pack.mjs';

let files: string[];

before(async () => {
  await ensureBuilt();
  files = packContents(['adapters']).adapters!.files;
});

test('the tarball holds every exports target, the built modules and their sources, and nothing else', () => {
  assert.deepEqual(packProblems('adapters', files), []);
});

// What packProblems itself catches (a missing target, a shipped test, a source export) is tested
// once, in packages/engine/test/pack.test.ts.
