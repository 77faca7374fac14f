import type { FlowDesignerBase } from '@millrace/designer';
import { createLayoutCache, prepareLayout } from '@millrace/designer';
import { createLayoutEngine, preloadLayout } from '@millrace/designer/layout';
import { generateFlow } from '../layout-flows.ts';

/**
 * The page that designer.bench.ts opens in Chromium. One scenario per page load, chosen by the
 * query string; the result is published as `window.__benchResult` (or `__benchError`).
 *
 * - `first`: the flow is handed to a new `<flow-designer>` as soon as this script runs (or after
 *   `delay` ms, as a host that fetches the flow first), so the layout worker's start-up and
 *   ELK's warm-up (started when the designer module loads) fall inside, or partly before, the
 *   measured time. Measured from the assignment to the first frame painted after the layout
 *   is drawn.
 * - `reopen`: the flow is opened, closed (another flow shown), then a structurally equal copy is
 *   opened again: measured from that last assignment to its first painted frame.
 * - `pan`: the flow is opened and fitted (or shown at zoom 1 with `zoom=1`), then panned by wheel
 *   events, one per frame, for `frames` frames; the result is every frame's duration.
 */

interface BenchResult {
  readonly scenario: string;
  readonly nodes: number;
  /** ms from assignment to first paint (first/reopen). */
  readonly ms?: number;
  /** Frame durations in ms (pan): the intervals between frames. */
  readonly frames?: readonly number[];
  /** Main-thread work per frame in ms (pan): input handling, style, layout and paint. */
  readonly work?: readonly number[];
  /** ms from navigation start to the paint (first). */
  readonly sinceNavigation?: number;
  readonly backend?: string;
  readonly breakdown?: Readonly<Record<string, number>>;
}

declare global {
  interface Window {
    __benchResult?: BenchResult;
    __benchError?: string;
  }
}

const params = new URLSearchParams(location.search);
// `workers=N` starts the page's layout workers as a host would with preloadLayout({ workers });
// otherwise defineFlowDesigner() starts them with its defaults.
if (params.has('workers')) preloadLayout({ workers: Number(params.get('workers')) });
await import('@millrace/designer/define');
const n = Number(params.get('n') ?? '100');
const scenario = params.get('scenario') ?? 'first';
const frames = Number(params.get('frames') ?? '180');
/** ms the host takes before it opens a flow (fetching it, a click): the worker warms meanwhile. */
const delay = Number(params.get('delay') ?? '0');

/** Resolves after the next frame has been painted (a task queued from rAF runs after paint). */
const painted = (): Promise<number> =>
  new Promise((resolve) =>
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)),
  );

async function open(el: FlowDesignerBase, flow: unknown): Promise<number> {
  const t0 = performance.now();
  el.flow = flow as FlowDesignerBase['flow'];
  await el.layoutComplete;
  return (await painted()) - t0;
}

async function main(): Promise<BenchResult> {
  const flow = generateFlow(n);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  const el = document.createElement('flow-designer') as FlowDesignerBase;
  document.body.append(el);
  if (scenario === 'breakdown') {
    // Where the first open's time goes: worker start + warm-up, graph building, ELK, drawing.
    const t0 = performance.now();
    const engine = createLayoutEngine({ cache: createLayoutCache() });
    await engine.warmUp();
    const t1 = performance.now();
    prepareLayout(flow);
    const t2 = performance.now();
    await engine.layout(flow);
    const t3 = performance.now();
    el.layoutEngine = engine;
    const t4 = performance.now();
    el.flow = flow as FlowDesignerBase['flow'];
    await el.layoutComplete;
    const t5 = performance.now();
    const t6 = await painted();
    return {
      scenario,
      nodes: n,
      ms: t6 - t4,
      breakdown: {
        warmUp: t1 - t0,
        prepare: t2 - t1,
        layout: t3 - t2,
        render: t5 - t4,
        paint: t6 - t5,
      },
    };
  }
  if (scenario === 'first') {
    const ms = await open(el, flow);
    return { scenario, nodes: n, ms, sinceNavigation: performance.now() };
  }
  await open(el, flow);
  if (scenario === 'reopen') {
    await open(el, generateFlow(10));
    const ms = await open(el, structuredClone(flow));
    return { scenario, nodes: n, ms };
  }
  if (scenario === 'pan') {
    if (params.get('zoom') === '1') el.zoomToNode('n0');
    await painted();
    const canvas = el.shadowRoot!.querySelector('svg.canvas')!;
    const box = canvas.getBoundingClientRect();
    const durations: number[] = [];
    const work: number[] = [];
    let last = await new Promise<number>((r) => requestAnimationFrame(r));
    for (let i = 0; i < frames; i++) {
      // Back and forth, so the flow stays in view.
      const dy = (Math.floor(i / 30) % 2 === 0 ? 1 : -1) * 12;
      const now = await new Promise<number>((resolve) =>
        requestAnimationFrame((ts) => {
          const start = performance.now();
          canvas.dispatchEvent(
            new WheelEvent('wheel', {
              deltaX: dy / 3,
              deltaY: dy,
              clientX: box.left + box.width / 2,
              clientY: box.top + box.height / 2,
              bubbles: true,
              cancelable: true,
              composed: true,
            }),
          );
          // A task queued in rAF runs after the frame's style, layout and paint: main-thread work.
          setTimeout(() => work.push(performance.now() - start), 0);
          resolve(ts);
        }),
      );
      durations.push(now - last);
      last = now;
    }
    await painted();
    return { scenario, nodes: n, frames: durations, work };
  }
  throw new Error(`unknown scenario ${scenario}`);
}

main().then(
  (result) => (window.__benchResult = result),
  (error: unknown) => (window.__benchError = String(error instanceof Error ? error.stack : error)),
);
