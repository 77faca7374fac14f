#!/usr/bin/env node
// `millrace` (npx millrace ... in the workspace): the CLI of @millrace/adapters. In the
// workspace the package is TypeScript source, loaded through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const stopped = new Promise((resolve) => {
  process.once('SIGTERM', resolve);
  process.once('SIGINT', resolve);
});
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stopped,
});
