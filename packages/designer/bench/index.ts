import { runLayoutBenchmarks } from './layout.bench.ts';
import { main as runDesignerBenchmarks } from './designer.bench.ts';

// `npm run bench` runs this file (through scripts/bench.mjs). The Chromium benchmark builds the
// bench page with Vite and drives Debian's Chromium through playwright-core.
console.log('## layout (Node, elkjs directly)');
await runLayoutBenchmarks({ runs: 5, sizes: [100, 500, 1000], allOptions: false });
console.log('\n## run feed (Node)');
await import('./run-feed.bench.ts');
console.log('\n## designer in Chromium (first open, reopen, panning)');
await runDesignerBenchmarks();
