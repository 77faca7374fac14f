// `@millrace/engine/code`: a sandboxed code runner for `code` nodes (QuickJS in WebAssembly,
// inside a Worker or a worker_threads worker). See docs/decisions/0010-sandboxed-code.md.
export { createCodeRunner } from './create-code-runner.ts';
export type { CodeRunnerOptions, SandboxedCodeRunner } from './create-code-runner.ts';
export type { CodeFetchOptions } from './perform-fetch.ts';
export { isFetchAllowed } from './fetch-allow-list.ts';
export { mainParameters } from './main-parameters.ts';
