// The Chromium side of code.bench.ts: bundled with esbuild, loaded by a page on 127.0.0.1.
import { createCodeRunner } from '@millrace/engine/code';

const signal = new AbortController().signal;
const request = {
  code: 'export default (input) => input.n + 1',
  language: 'javascript' as const,
  input: { n: 1 },
  signal,
};

async function measure(): Promise<{ firstMs: number; perCallMs: number[] }> {
  const runner = createCodeRunner({ maxWorkers: 1 });
  const t0 = performance.now();
  await runner(request);
  const firstMs = performance.now() - t0;
  for (let i = 0; i < 300; i++) await runner(request);
  const perCallMs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const start = performance.now();
    for (let i = 0; i < 200; i++) await runner(request);
    perCallMs.push((performance.now() - start) / 200);
  }
  await runner.close();
  return { firstMs, perCallMs };
}

(globalThis as { benchResult?: Promise<unknown> }).benchResult = measure();
