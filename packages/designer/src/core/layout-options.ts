/**
 * ELK options of the designer's layout. The required ones follow DESIGN.md §7; the tuned ones
 * were each measured with bench/layout.bench.ts (see docs/decisions/0005-designer-layout.md).
 */

/** ELK layout options: option id to string value, as ELK's JSON format wants them. */
export type ElkOptions = Readonly<Record<string, string>>;

/** Spacing between cards and edges (px). */
export const NODE_SPACING = 40;
export const LAYER_SPACING = 48;
export const EDGE_SPACING = 12;
export const EDGE_NODE_SPACING = 16;

/** What the picture requires: layered, top-down, orthogonal edges, compound containers. */
export const REQUIRED_OPTIONS: ElkOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  // Each container is laid out on its own, inside out. Flows have no edges across container
  // borders, which is the one thing INCLUDE_CHILDREN is for; and in elkjs 0.12.1 it throws with
  // considerModelOrder, swaps the width and height of `elk.nodeSize.minimum` on compound nodes
  // and ignores partitions (the try regions' order). See the ADR.
  'elk.hierarchyHandling': 'SEPARATE_CHILDREN',
  // Ties in crossing minimisation follow the order of children and edges, which the graph
  // builder derives from the flow (port order first): branches never swap sides.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  // ELK's default seed, made explicit: the same flow gives the same picture.
  'elk.randomSeed': '1',
  'elk.spacing.nodeNode': String(NODE_SPACING),
  'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_SPACING),
  'elk.spacing.edgeEdge': String(EDGE_SPACING),
  'elk.layered.spacing.edgeEdgeBetweenLayers': String(EDGE_SPACING),
  'elk.spacing.edgeNode': String(EDGE_NODE_SPACING),
  'elk.layered.spacing.edgeNodeBetweenLayers': String(EDGE_NODE_SPACING),
  'elk.spacing.edgeLabel': '4',
  // One component per graph: ELK's partitions (try regions) and layer constraints (onFailure
  // last) only hold inside a component, and splitting would scatter unconnected nodes.
  'elk.separateConnectedComponents': 'false',
};

/**
 * Tuning, from bench/layout.bench.ts (median CPU ms for a 1,000-node block-structured flow;
 * docs/decisions/0005-designer-layout.md has every figure):
 * - Brandes-Koepf with BALANCED alignment: same speed (554 vs 537 ms untuned, within the
 *   machine's ±5 % noise) but the picture stays one 504 px column instead of drifting to
 *   5,949 px (ELK's default picks one of four skewed alignments, so the main chain steps
 *   sideways at every if-block).
 * Measured and rejected: thoroughness 1 or 3, greedy switch off, no crossing minimisation,
 * LONGEST_PATH layering, DEPTH_FIRST cycle breaking, no model order, separate components,
 * FIXED_ORDER ports (all within noise); NETWORK_SIMPLEX / LINEAR_SEGMENTS placement (+22-34 %);
 * SIMPLE placement (same speed, 50 % more bends); INCLUDE_CHILDREN (see above). ELK's time here
 * is per-element overhead (object churn, 16 % GC) that no option removes: the cache, the worker
 * and request coalescing are the speed-ups.
 */
export const TUNED_OPTIONS: ElkOptions = {
  'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
};

/** The options the designer lays out with. */
export const LAYOUT_OPTIONS: ElkOptions = { ...REQUIRED_OPTIONS, ...TUNED_OPTIONS };
