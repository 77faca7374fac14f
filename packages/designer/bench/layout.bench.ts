import { pathToFileURL } from 'node:url';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { buildLayoutGraph } from '../src/core/layout-graph.ts';
import { REQUIRED_OPTIONS, TUNED_OPTIONS, type ElkOptions } from '../src/core/layout-options.ts';
import { finishLayout, prepareLayout } from '../src/core/layout-flow.ts';
import type { LayoutResult } from '../src/core/layout-result.ts';
import { generateFlow } from './layout-flows.ts';
import { median } from './median.ts';

/**
 * Layout benchmark (Node, elkjs directly, no worker): ELK time for generated block-structured
 * flows of 100/500/1,000 nodes, for the untuned options (REQUIRED_OPTIONS), each tuning option
 * alone, and the tuned set. Prints medians and the number of edge crossings of each picture,
 * so that an option that is fast because it draws worse shows up.
 *
 *   node -C source --import tsx packages/designer/bench/layout.bench.ts [--runs 7] [--sizes 100,500,1000] [--options]
 */

const elk = new ELK();

/** Proper crossings between horizontal and vertical segments of different edges. */
export function countCrossings(result: LayoutResult): number {
  type Seg = { a: number; b: number; at: number; edge: number };
  const horizontal: Seg[] = [];
  const vertical: Seg[] = [];
  result.edges.forEach((e, edge) => {
    for (let i = 1; i < e.points.length; i++) {
      const p = e.points[i - 1]!;
      const q = e.points[i]!;
      if (p.y === q.y && p.x !== q.x) {
        horizontal.push({ a: Math.min(p.x, q.x), b: Math.max(p.x, q.x), at: p.y, edge });
      } else if (p.x === q.x && p.y !== q.y) {
        vertical.push({ a: Math.min(p.y, q.y), b: Math.max(p.y, q.y), at: p.x, edge });
      }
    }
  });
  let crossings = 0;
  for (const h of horizontal) {
    for (const v of vertical) {
      if (h.edge === v.edge) continue;
      if (v.at > h.a && v.at < h.b && h.at > v.a && h.at < v.b) crossings++;
    }
  }
  return crossings;
}

type Transform = (graph: ElkNode) => void;

interface Variant {
  readonly name: string;
  readonly options: ElkOptions;
  /** Changes the built graph (port constraints, labels) instead of options. */
  readonly transform?: Transform;
}

function eachNode(graph: ElkNode, fn: (node: ElkNode) => void): void {
  const stack = [graph];
  while (stack.length > 0) {
    const node = stack.pop()!;
    fn(node);
    stack.push(...(node.children ?? []));
  }
}

const withoutLabels: Transform = (g) =>
  eachNode(g, (n) => n.edges?.forEach((e) => delete e.labels));
const fixedOrderPorts: Transform = (g) =>
  eachNode(g, (n) => {
    if (n.layoutOptions?.['elk.portConstraints'] !== 'FIXED_POS') return;
    n.layoutOptions['elk.portConstraints'] = 'FIXED_ORDER';
    const south = (n.ports ?? []).filter((p) => p.layoutOptions?.['elk.port.side'] === 'SOUTH');
    south.forEach((p, i) => {
      p.layoutOptions!['elk.port.index'] = String(south.length - i);
      delete p.x;
      delete p.y;
    });
  });

interface Prepared {
  readonly variant: Variant;
  readonly graph: ReturnType<typeof buildLayoutGraph>;
  readonly times: number[];
  last?: ElkNode;
  error?: string;
}

function prepare(flowSize: number, variant: Variant): Prepared {
  const graph = buildLayoutGraph(generateFlow(flowSize), undefined, {
    baseOptions: REQUIRED_OPTIONS,
    layoutOptions: variant.options,
  });
  variant.transform?.(graph.elk);
  return { variant, graph, times: [] };
}

async function timeOnce(p: Prepared): Promise<void> {
  if (p.error !== undefined) return;
  const input = structuredClone(p.graph.elk);
  // CPU time of this process: elkjs runs on this thread (its in-process "fake worker"), and the
  // CI machine is shared, so wall time would measure the neighbours too.
  const start = process.cpuUsage();
  try {
    p.last = await elk.layout(input);
  } catch (error) {
    // Some option sets make ELK throw (INCLUDE_CHILDREN with model order): that is a finding.
    p.error = error instanceof Error ? error.message : String(error);
    return;
  }
  const used = process.cpuUsage(start);
  p.times.push((used.user + used.system) / 1000);
}

/** Every option measured alone on top of the untuned set, then the tuned set. */
export const VARIANTS: readonly Variant[] = [
  { name: 'untuned (REQUIRED_OPTIONS)', options: {} },
  {
    name: 'hierarchyHandling=INCLUDE_CHILDREN',
    options: { 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' },
  },
  {
    name: 'INCLUDE_CHILDREN, no model order',
    options: {
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.layered.considerModelOrder.strategy': 'NONE',
    },
  },
  { name: 'thoroughness=1', options: { 'elk.layered.thoroughness': '1' } },
  { name: 'thoroughness=3', options: { 'elk.layered.thoroughness': '3' } },
  {
    name: 'greedySwitch=OFF',
    options: { 'elk.layered.crossingMinimization.greedySwitch.type': 'OFF' },
  },
  {
    name: 'crossingMinimization=NONE',
    options: { 'elk.layered.crossingMinimization.strategy': 'NONE' },
  },
  {
    name: 'nodePlacement=NETWORK_SIMPLEX',
    options: { 'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX' },
  },
  {
    name: 'nodePlacement=LINEAR_SEGMENTS',
    options: { 'elk.layered.nodePlacement.strategy': 'LINEAR_SEGMENTS' },
  },
  {
    name: 'nodePlacement=BK+BALANCED',
    options: { 'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED' },
  },
  {
    name: 'nodePlacement=SIMPLE',
    options: { 'elk.layered.nodePlacement.strategy': 'SIMPLE' },
  },
  { name: 'layering=LONGEST_PATH', options: { 'elk.layered.layering.strategy': 'LONGEST_PATH' } },
  {
    name: 'cycleBreaking=DEPTH_FIRST',
    options: { 'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST' },
  },
  {
    name: 'considerModelOrder=NONE',
    options: { 'elk.layered.considerModelOrder.strategy': 'NONE' },
  },
  {
    name: 'separateConnectedComponents=true',
    options: { 'elk.separateConnectedComponents': 'true' },
  },
  { name: 'ports FIXED_ORDER (not FIXED_POS)', options: {}, transform: fixedOrderPorts },
  { name: 'no edge labels', options: {}, transform: withoutLabels },
  { name: 'tuned (LAYOUT_OPTIONS)', options: TUNED_OPTIONS },
];

export async function runLayoutBenchmarks(
  args: { runs?: number; sizes?: readonly number[]; allOptions?: boolean } = {},
): Promise<void> {
  const runs = args.runs ?? 7;
  const sizes = args.sizes ?? [100, 500, 1000];
  const variants = args.allOptions
    ? VARIANTS
    : VARIANTS.filter((v) => v.name.startsWith('untuned') || v.name.startsWith('tuned'));
  console.log(
    `ELK layout: median CPU ms of ${runs} interleaved runs after warm-up; edge crossings; bend points; picture size`,
  );
  console.log(`untuned = ${JSON.stringify(REQUIRED_OPTIONS)}`);
  console.log(`tuned = untuned + ${JSON.stringify(TUNED_OPTIONS)}`);
  for (const size of sizes) {
    console.log(`\n${size} nodes`);
    const prepared = variants.map((v) => prepare(size, v));
    // Warm ELK's JIT on this size first, then interleave the variants run by run, so that
    // warm-up and machine drift hit every variant alike.
    for (let i = 0; i < 5; i++) await elk.layout(structuredClone(prepared[0]!.graph.elk));
    for (let run = 0; run < runs; run++) {
      for (const p of prepared) await timeOnce(p);
    }
    for (const p of prepared) {
      const name = p.variant.name.padEnd(38);
      if (p.error !== undefined) {
        console.log(`  ${name}   ELK threw: ${p.error.slice(0, 70)}`);
        continue;
      }
      const result = finishLayout(p.last!, p.graph);
      const bends = result.edges.reduce((sum, e) => sum + e.points.length - 2, 0);
      console.log(
        `  ${name} ${median(p.times).toFixed(1).padStart(8)} ms  ${String(countCrossings(result)).padStart(4)} crossings ${String(bends).padStart(5)} bends  ${Math.round(result.width)}x${Math.round(result.height)}`,
      );
    }
    // Main-thread work around ELK (the worker only runs ELK): graph + cache key, and the
    // conversion of ELK's answer. Warmed up on its own, as in a designer session.
    const flow = generateFlow(size);
    const laidOut = await elk.layout(structuredClone(prepareLayout(flow).graph.elk));
    const prep: number[] = [];
    const finish: number[] = [];
    for (let i = 0; i < runs + 10; i++) {
      let start = performance.now();
      const { graph } = prepareLayout(flow);
      if (i >= 10) prep.push(performance.now() - start);
      start = performance.now();
      finishLayout(laidOut, graph);
      if (i >= 10) finish.push(performance.now() - start);
    }
    console.log(
      `  main thread: prepareLayout (graph + cache key) ${median(prep).toFixed(1)} ms, finishLayout ${median(finish).toFixed(1)} ms`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  await runLayoutBenchmarks({
    runs: Number(arg('--runs') ?? 7),
    sizes: (arg('--sizes') ?? '100,500,1000').split(',').map(Number),
    allOptions: process.argv.includes('--options'),
  });
}
