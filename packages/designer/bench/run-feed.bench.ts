import { performance } from 'node:perf_hooks';
import type { FlowDefinition, RunEvent } from '@millrace/engine';
import { runFromEvents } from '../src/core/run-overlay.ts';
import { createRunFeed } from '../src/core/run-feed.ts';
import { timelineOf } from '../src/core/run-timeline.ts';
import { overlayOf } from '../src/core/run-overlay.ts';
import { loopIterationsOf, resolvedChoice } from '../src/core/iteration-choice.ts';
import { recorder } from '../test/core/recorded-runs.ts';
import { median } from './median.ts';

/**
 * What a live `.run` costs per event: a host reassigns `.run` with the stream one event longer.
 * Compares folding the whole stream again (runFromEvents) with the incremental feed, and times
 * the timeline and the overlay the element draws from them. Streams come from real runs of a
 * forEach of N items on the engine (about 2 events per item).
 *
 *   node -C source --import tsx packages/designer/bench/run-feed.bench.ts [--sizes 500,2000] [--runs 5]
 */

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

const sizes = arg('sizes', '500,2000').split(',').map(Number);
const runs = Number(arg('runs', '5'));

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function stream(items: number): Promise<RunEvent[]> {
  const flow = {
    format: 'millrace.flow/v1',
    id: `loop-${items}`,
    nodes: [
      {
        id: 'each',
        type: 'forEach',
        input: { items: Array.from({ length: items }, (_, i) => i) },
        nodes: [{ id: 'double', type: 'transform', input: { v: '$<item * 2>' } }],
      },
    ],
    edges: [],
  } as FlowDefinition;
  return recorder().run(flow);
}

for (const size of sizes) {
  const events = await stream(size);
  const n = events.length;
  const refold: number[] = [];
  const feedStep: number[] = [];
  const feedAll: number[] = [];
  const timeline: number[] = [];
  const overlay: number[] = [];
  for (let r = 0; r < runs; r++) {
    // One more event on a stream of n - 1: what each live event costs at the end of the run.
    refold.push(time(() => runFromEvents(events)));
    const feed = createRunFeed();
    feed.update(events.slice(0, n - 1));
    feed.timeline();
    const last = events.slice();
    feedStep.push(time(() => feed.update(last)));
    timeline.push(time(() => feed.timeline()));
    const view = feed.update(last)!;
    overlay.push(time(() => overlayOf(view, resolvedChoice(loopIterationsOf(view)))));
    // The whole stream, event by event, through one feed (n updates).
    const live = createRunFeed();
    feedAll.push(
      time(() => {
        for (let i = 1; i <= n; i++) live.update(events.slice(0, i));
      }),
    );
  }
  const full = time(() => timelineOf(events));
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  console.log(
    `forEach ${size} (${n} events): refold ${ms(median(refold))}, incremental update ${ms(median(feedStep))}, ` +
      `timeline catch-up + build ${ms(median(timeline))} (from scratch ${ms(full)}), overlay ${ms(median(overlay))}; ` +
      `whole stream event by event ${ms(median(feedAll))}`,
  );
}
