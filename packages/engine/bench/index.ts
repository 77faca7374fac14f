import { runCodeBenchmarks } from './code.bench.ts';
import { runExpressionBenchmarks } from './expr.bench.ts';
import { runRuntimeBenchmarks } from './runtime.bench.ts';
import { runValidateBenchmarks } from './validate.bench.ts';

// `npm run bench` runs this file (through scripts/bench.mjs, with --expose-gc).
console.log('## expressions');
await runExpressionBenchmarks();
console.log('\n## validation');
await runValidateBenchmarks();
console.log('\n## run-time (in-memory store)');
await runRuntimeBenchmarks();
console.log('\n## code nodes (sandboxed code runner; --browser adds Chromium)');
await runCodeBenchmarks();
if (process.argv.includes('--browser')) {
  console.log('\n## connectEngine in a Worker vs in-process (Chromium)');
  const { runWorkerBridgeBenchmark } = await import('./worker-bridge.bench.ts');
  await runWorkerBridgeBenchmark();
}
