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
 * - `recorded`: the flow carries its recorded layout (`ui.layout`, made by designer.bench.ts in
 *   Node and handed in as `window.__recordedFlow`), and is handed over right after the designer
 *   module loads: measured from the assignment to the first painted frame, at the opening zoom.
 * - `cold`: the same flow without a recorded layout, handed over at once: when the loading state
 *   is first painted, and when the flow is; `elk` is ELK's own cold layout of it in a fresh page
 *   (module load included), the yardstick.
 * - `edit`: the flow is opened; then a step is inserted on an edge, 9 times at different edges:
 *   each from the command to the first frame painted after its relayout.
 * - `keystroke`: an expression field (CodeMirror) with completions; 40 characters typed one by
 *   one: each from the transaction to the end of the field's update (highlighting, parser and
 *   validator diagnostics, preview) — the work a keystroke costs on the main thread.
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
  /** Several timings of one page (edit, keystroke). */
  readonly samples?: readonly number[];
  /** The zoom the flow opened at (recorded). */
  readonly zoom?: number;
  /** When the loading state was painted (cold). */
  readonly loadingMs?: number;
}

declare global {
  interface Window {
    __benchResult?: BenchResult;
    __benchError?: string;
    __recordedFlow?: unknown;
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

/** The layout the designer draws now (a protected field, read here to see when it is drawn). */
const drawnLayout = (el: FlowDesignerBase): { nodes: Map<string, unknown> } | undefined =>
  (el as unknown as { layout?: { nodes: Map<string, unknown> } }).layout;

/**
 * Marks `<name>:frame` in the first animation frame whose DOM holds the drawn layout of at
 * least `size` nodes: the frame that paints the cards. designer.bench.ts reads, from a trace
 * of the page, the end of that frame's paint on the main thread ("painted"); `painted()` can
 * only tell when a task runs after it, which may wait behind work queued earlier (validation).
 */
function markCardsFrame(el: FlowDesignerBase, size: number, name: string): void {
  const check = (): void => {
    const ready = (drawnLayout(el)?.nodes.size ?? 0) >= size && !el.isUpdatePending;
    if (ready && el.shadowRoot?.querySelector('g.node')) performance.mark(`${name}:frame`);
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

/**
 * Hands a flow over and resolves with the ms until a task after the first frame that shows its
 * cards ("settled": the diagnostics markers follow a frame later, validation runs after the
 * paint). Marks `open:start` and `open:frame` for the trace (see `markCardsFrame`).
 */
async function open(el: FlowDesignerBase, flow: unknown): Promise<number> {
  performance.clearMarks();
  performance.mark('open:start');
  const t0 = performance.now();
  const size = (flow as { nodes: unknown[] }).nodes.length;
  el.flow = flow as FlowDesignerBase['flow'];
  markCardsFrame(el, size, 'open');
  await drawn(el, size);
  return (await painted()) - t0;
}

/** Resolves once the designer has rendered a layout of at least `size` nodes. */
async function drawn(el: FlowDesignerBase, size: number): Promise<void> {
  await el.updateComplete;
  while ((drawnLayout(el)?.nodes.size ?? 0) < size) {
    await new Promise((r) => setTimeout(r, 0));
  }
  await el.updateComplete;
}

async function main(): Promise<BenchResult> {
  if (scenario === 'recorded') {
    const el = document.createElement('flow-designer') as FlowDesignerBase;
    document.body.append(el);
    // A profiler may hold the page here until it records (`__hold`, set by an init script).
    await (window as { __hold?: Promise<void> }).__hold;
    const ms = await open(el, window.__recordedFlow);
    return { scenario, nodes: n, ms, zoom: el.view.zoom };
  }
  if (scenario === 'elk') {
    const graph = prepareLayout(generateFlow(n)).graph.elk;
    const t0 = performance.now();
    const module = (await import('elkjs/lib/elk.bundled.js')) as { default?: unknown };
    const Elk = (module.default ?? module) as new () => { layout(g: unknown): Promise<unknown> };
    await new Elk().layout(graph);
    return { scenario, nodes: n, ms: performance.now() - t0 };
  }
  if (scenario === 'keystroke') return keystrokes();
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
  if (scenario === 'cold') {
    performance.mark('open:start');
    const t0 = performance.now();
    el.flow = flow as FlowDesignerBase['flow'];
    markCardsFrame(el, flow.nodes.length, 'open');
    await el.updateComplete;
    const shown = el.shadowRoot!.querySelector('[part=loading]') !== null;
    const loadingMs = (await painted()) - t0;
    await drawn(el, flow.nodes.length);
    const ms = (await painted()) - t0;
    if (!shown) throw new Error('no loading state before the layout');
    return { scenario, nodes: n, ms, loadingMs };
  }
  await open(el, flow);
  if (scenario === 'reopen') {
    await open(el, generateFlow(10));
    const ms = await open(el, structuredClone(flow));
    return { scenario, nodes: n, ms };
  }
  if (scenario === 'edit') {
    await (window as { __hold?: Promise<void> }).__hold;
    const samples: number[] = [];
    const edges = (flow.edges ?? []).filter((e) => e.port === undefined);
    for (let i = 0; i < 9; i++) {
      const edge = edges[Math.floor(((i + 0.5) * edges.length) / 9)]!;
      const size = (drawnLayout(el)?.nodes.size ?? 0) + 1;
      performance.mark(`edit${i}:start`);
      const t0 = performance.now();
      el.addNode('log', { kind: 'edge', edge: { from: edge.from, to: edge.to } });
      markCardsFrame(el, size, `edit${i}`);
      await drawn(el, size);
      samples.push((await painted()) - t0);
      // Let the validation and the layout recording of this edit finish before the next one.
      await el.layoutComplete;
      await painted();
    }
    return { scenario, nodes: n, samples };
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

/** Types into an expression field; the time of each keystroke's work (see the module comment). */
async function keystrokes(): Promise<BenchResult> {
  const { defineExpressionField } = await import('../../src/panels/expression-field.ts');
  const { EditorView } = await import('@codemirror/view');
  defineExpressionField();
  const field = document.createElement('millrace-expression-field') as HTMLElement & {
    value: string;
    completionScope: unknown;
    previewScope: unknown;
    editorReady: Promise<void>;
    updateComplete: Promise<unknown>;
  };
  field.completionScope = {
    nodes: {
      extract: { outputSchema: { type: 'object', properties: { amount: { type: 'number' } } } },
    },
  };
  field.previewScope = { nodes: { extract: { output: { amount: 2500 } } }, flow: { input: {} } };
  field.value = '$<nodes.extract.output.amount > 2000 && ';
  document.body.append(field);
  await field.editorReady;
  const view = EditorView.findFromDOM(
    field.shadowRoot!.querySelector('.cm-editor') as HTMLElement,
  )!;
  const text = "flow.input.region == 'emea' || 1>";
  const samples: number[] = [];
  for (const ch of text) {
    await painted();
    const t0 = performance.now();
    const end = view.state.doc.length;
    view.dispatch({
      changes: { from: end, insert: ch },
      selection: { anchor: end + 1 },
      userEvent: 'input.type',
    });
    await field.updateComplete;
    samples.push(performance.now() - t0);
  }
  return { scenario: 'keystroke', nodes: 0, samples };
}

main().then(
  (result) => (window.__benchResult = result),
  (error: unknown) => (window.__benchError = String(error instanceof Error ? error.stack : error)),
);
