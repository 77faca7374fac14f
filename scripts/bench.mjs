#!/usr/bin/env node
// `npm run bench`: runs every package's benchmarks (bench/index.ts) in turn.
// Figures go to docs/benchmarks.md by hand, with the machine noted; no test asserts a timing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2];
let failed = false;
for (const pkg of ['engine', 'designer', 'adapters']) {
  const entry = join(root, 'packages', pkg, 'bench', 'index.ts');
  if (!existsSync(entry) || (filter && filter !== pkg)) continue;
  console.log(`\n# @millrace/${pkg}`);
  const res = spawnSync(
    'node',
    ['--expose-gc', '-C', 'source', '--import', 'tsx', entry, ...process.argv.slice(3)],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  failed ||= res.status !== 0;
}
process.exit(failed ? 1 : 0);
