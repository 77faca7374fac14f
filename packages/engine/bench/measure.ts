/** A tiny benchmark harness: warm up, then time `runs` samples and report the median. */
export interface Sample {
  readonly name: string;
  readonly medianMs: number;
  readonly opsPerSecond: number;
  readonly runs: number;
}

export function measure(name: string, iterations: number, fn: () => void, runs = 7): Sample {
  for (let i = 0; i < Math.min(iterations, 1000); i++) fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)] ?? 0;
  return { name, medianMs, opsPerSecond: (iterations / medianMs) * 1000, runs };
}

export function report(sample: Sample): void {
  const ops = Math.round(sample.opsPerSecond).toLocaleString('en-US');
  console.log(
    `${sample.name.padEnd(56)} ${sample.medianMs.toFixed(2).padStart(9)} ms  ${ops.padStart(14)} ops/s`,
  );
}
