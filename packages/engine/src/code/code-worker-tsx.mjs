// Node only, and only when the engine runs from its TypeScript sources (tests, benchmarks, tsx):
// worker_threads workers do not inherit tsx's loader hooks (not even with execArgv), so the
// worker registers them itself before loading the sandbox worker. Builds use code-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./code-worker.ts');
