import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api.js';
import {
  BUILTIN_ACTIONS,
  DEFAULT_PORT,
  catalogMap,
  indexFlow,
  type ActionCatalog,
  type ActionDescriptor,
  type FlowDefinition,
  type FlowIndex,
  type FlowNode,
  type GraphInfo,
  type NodeInfo,
} from '@millrace/engine/model';
import { LAYOUT_OPTIONS, type ElkOptions } from './layout-options.ts';
import { modelOrder } from './layout-order.ts';
import {
  CONTAINER_BOX_PADDING,
  REGION_BOX_PADDING,
  edgeLabelSize,
  minimumBoxSize,
  nodeGeometry,
  portOffsets,
  triggerGeometry,
  type CardKind,
  type NodeGeometry,
  type Padding,
} from './node-size.ts';

/**
 * Flow definition -> ELK JSON graph (DESIGN.md §7). Pure and framework-free: the worker (or the
 * main-thread fallback) only runs ELK on `graph.elk`; `graph.nodes` and `graph.edges` stay here
 * and turn ELK's answer into a LayoutResult (layout-result.ts).
 *
 * Shape of the ELK graph:
 * - the root holds the triggers (entry cards, first layer, one edge to each root of the main
 *   graph), the main graph's nodes and edges, and the onFailure graph as a region box (last layer);
 * - a container (`forEach`, `while`, `group`) is a compound node holding its body; a `try` holds
 *   region boxes `<id>#body`, `<id>#catch`, `<id>#finally` stacked top-down by ELK partitions,
 *   each holding its sub-graph; a collapsed container is a plain card;
 * - every card has one NORTH input port and its output ports on the SOUTH side, at fixed
 *   positions in `portsOf` order (FIXED_POS: the order of FIXED_ORDER plus the exact offsets the
 *   renderer draws), so `true` is always left of `false`;
 * - children and edges are emitted in a depth-first order that follows port order, which
 *   `considerModelOrder` uses to break ties: branches never swap sides between layouts.
 *
 * The builder is tolerant like `indexFlow`: duplicate ids, edges to unknown nodes or across
 * graphs are left out (the validator reports them), so a half-edited flow still lays out.
 */

/** The graph a layout node belongs to (absent for the main graph and triggers). */
export type LayoutRegion = 'body' | 'catch' | 'finally' | 'onFailure';

/** `flow`: an edge of the flow; `trigger`: from a trigger's entry card to a root node. */
export type LayoutEdgeKind = 'flow' | 'trigger';

/** What the builder knows about a layout node besides its ELK shape. */
export interface LayoutNodeInfo {
  /** Layout id: the flow node's id, `trigger:<id>`, `<containerId>#<region>` or `#onFailure`. */
  readonly id: string;
  readonly kind: CardKind;
  /** The flow node's type, the trigger's kind, or the region name for region boxes. */
  readonly type: string;
  /** Layout id of the box this node sits in (a container or a region box). */
  readonly parentId?: string;
  readonly region?: LayoutRegion;
  /** Output ports in display order (empty for region boxes). */
  readonly ports: readonly string[];
  /** `ui.position` of a pinned node: its top-left relative to its parent box's top-left. */
  readonly pinned?: { readonly x: number; readonly y: number };
}

export interface LayoutEdgeInfo {
  /** `<from>-><to>` or `<from>:<port>-><to>`, `~2`... appended for duplicates. */
  readonly id: string;
  readonly kind: LayoutEdgeKind;
  /** Layout ids of the ends. */
  readonly from: string;
  readonly to: string;
  /** The port the edge names in the flow (it may be unknown to the source node). */
  readonly port?: string;
  /** The output port the edge leaves from: `port` when the source has it, else `out` or the first. */
  readonly sourcePort: string;
  readonly label?: string;
}

export interface LayoutGraph {
  /** The ELK input graph (plain JSON: safe to post to a worker). */
  readonly elk: ElkNode;
  /** Every layout node by layout id, parents before children. */
  readonly nodes: ReadonlyMap<string, LayoutNodeInfo>;
  readonly edges: readonly LayoutEdgeInfo[];
}

export interface LayoutGraphOptions {
  /** The ELK options to start from instead of LAYOUT_OPTIONS (benchmarks compare sets this way). */
  readonly baseOptions?: ElkOptions;
  /** Replaces or adds ELK options on the root and every compound node. */
  readonly layoutOptions?: ElkOptions;
}

/** Layout id of a trigger's entry card. */
export function triggerLayoutId(triggerId: string): string {
  return `trigger:${triggerId}`;
}

/** Layout id of a region box: a try's body/catch/finally, or `#onFailure`. */
export function regionLayoutId(containerId: string | undefined, region: LayoutRegion): string {
  return containerId === undefined ? `#${region}` : `${containerId}#${region}`;
}

/** ELK id of a node's input port. */
export function inputPortId(layoutId: string): string {
  return `${layoutId}#in`;
}

/** ELK id of a node's output port. */
export function outputPortId(layoutId: string, port: string): string {
  return `${layoutId}#out:${port}`;
}

const TRY_REGIONS = ['body', 'catch', 'finally'] as const;

function paddingOption(p: Padding): string {
  return `[top=${p.top},left=${p.left},bottom=${p.bottom},right=${p.right}]`;
}

function boxOptions(padding: Padding): Record<string, string> {
  const min = minimumBoxSize(padding);
  return {
    'elk.padding': paddingOption(padding),
    'elk.nodeSize.constraints': 'MINIMUM_SIZE',
    'elk.nodeSize.minimum': `(${min.width},${min.height})`,
  };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function pinnedPosition(node: FlowNode): { x: number; y: number } | undefined {
  const ui: unknown = node.ui;
  if (typeof ui !== 'object' || ui === null) return undefined;
  const { pinned, position } = ui as { pinned?: unknown; position?: unknown };
  if (pinned !== true || typeof position !== 'object' || position === null) return undefined;
  const { x, y } = position as { x?: unknown; y?: unknown };
  return isFiniteNumber(x) && isFiniteNumber(y) ? { x, y } : undefined;
}

/** The ports of a fixed card: input centred on top, outputs on the slots of the bottom edge. */
function cardPorts(id: string, width: number, height: number, ports: readonly string[]): ElkPort[] {
  const offsets = portOffsets(width, ports.length);
  return [
    {
      id: inputPortId(id),
      x: Math.round(width / 2),
      y: 0,
      width: 0,
      height: 0,
      layoutOptions: { 'elk.port.side': 'NORTH' },
    },
    ...ports.map((port, i) => ({
      id: outputPortId(id, port),
      x: offsets[i]!,
      y: height,
      width: 0,
      height: 0,
      layoutOptions: { 'elk.port.side': 'SOUTH' },
    })),
  ];
}

/**
 * The ports of a compound node, whose size ELK decides: sides fixed, one port per side, and
 * ELK centres each (a container has the single output `out`; extra named ports, which no
 * built-in container has, keep their order).
 */
function boxPorts(id: string, ports: readonly string[]): ElkPort[] {
  return [
    {
      id: inputPortId(id),
      width: 0,
      height: 0,
      layoutOptions: { 'elk.port.side': 'NORTH', 'elk.port.index': '0' },
    },
    // ELK numbers ports clockwise from the top-left: SOUTH ports run right to left.
    ...ports.map((port, i) => ({
      id: outputPortId(id, port),
      width: 0,
      height: 0,
      layoutOptions: { 'elk.port.side': 'SOUTH', 'elk.port.index': String(ports.length - i) },
    })),
  ];
}

/**
 * What a card's node object gave the last time it was built: its geometry and ELK node, for the
 * descriptor it was built with. Flow documents are immutable (edits make new objects for what
 * they change), so an unchanged node object gets the same ELK node: a rebuild after an edit
 * allocates only what changed, and part keys (layout-cache.ts) hash only what is new.
 */
interface CardMemo {
  readonly descriptor: ActionDescriptor | undefined;
  readonly geometry: NodeGeometry;
  elk?: ElkNode;
}

const cardMemos = new WeakMap<object, CardMemo>();

function memoOf(node: FlowNode, descriptor: ActionDescriptor | undefined): CardMemo {
  let memo = cardMemos.get(node);
  if (memo === undefined || memo.descriptor !== descriptor) {
    memo = { descriptor, geometry: nodeGeometry(node, descriptor) };
    cardMemos.set(node, memo);
  }
  return memo;
}

interface Builder {
  /** ELK options every compound node carries (ELK does not inherit them into children). */
  readonly scope: ElkOptions;
  readonly index: FlowIndex;
  readonly catalog: ReadonlyMap<string, ActionDescriptor>;
  readonly used: Set<string>;
  readonly nodes: Map<string, LayoutNodeInfo>;
  readonly edges: LayoutEdgeInfo[];
  readonly edgeIds: Set<string>;
  readonly geometry: Map<string, NodeGeometry>;
}

function uniqueEdgeId(b: Builder, base: string): string {
  let id = base;
  for (let n = 2; b.edgeIds.has(id); n++) id = `${base}~${n}`;
  b.edgeIds.add(id);
  return id;
}

function addInfo(b: Builder, info: LayoutNodeInfo): void {
  b.used.add(info.id);
  b.nodes.set(info.id, info);
}

function withParent(
  parentId: string | undefined,
  region: LayoutRegion | undefined,
): { parentId?: string; region?: LayoutRegion } {
  return {
    ...(parentId === undefined ? {} : { parentId }),
    ...(region === undefined ? {} : { region }),
  };
}

/** Adds a region box (try region or onFailure) holding `graph`, and returns its ELK node. */
function regionBox(
  b: Builder,
  graph: GraphInfo,
  id: string,
  region: LayoutRegion,
  parentId: string | undefined,
  extraOptions: Record<string, string>,
): ElkNode {
  addInfo(b, {
    id,
    kind: 'region',
    type: region,
    ...withParent(parentId, undefined),
    region,
    ports: [],
  });
  const elk: ElkNode = {
    id,
    layoutOptions: { ...b.scope, ...boxOptions(REGION_BOX_PADDING), ...extraOptions },
    children: [],
    edges: [],
  };
  addGraph(b, graph, elk, id, region);
  return elk;
}

/** Adds the nodes and edges of `graph` to the ELK node `holder`. */
function addGraph(
  b: Builder,
  graph: GraphInfo,
  holder: ElkNode,
  parentId: string | undefined,
  region: LayoutRegion | undefined,
): string[] {
  const geometryOf = (info: NodeInfo): NodeGeometry => {
    let g = b.geometry.get(info.id);
    if (!g) {
      g = memoOf(info.node, b.catalog.get(info.node.type)).geometry;
      b.geometry.set(info.id, g);
    }
    return g;
  };
  // Only the first node with a given id takes part (duplicates are the validator's business).
  const own = graph.nodes.filter((n) => b.index.nodes.get(n.id) === n && !b.used.has(n.id));
  const ownIds = new Set(own.map((n) => n.id));
  const portIndex = (from: string, port?: string): number => {
    const info = b.index.nodes.get(from);
    if (!info) return 0;
    const ports = geometryOf(info).ports;
    const i = ports.indexOf(port ?? DEFAULT_PORT);
    return i === -1 ? 0 : i;
  };
  const order = modelOrder({ ...graph, nodes: own }, portIndex);
  const position = new Map(order.map((n, i) => [n.id, i]));
  const children: ElkNode[] = (holder.children ??= []);
  for (const info of order) {
    const node = info.node;
    const geometry = geometryOf(info);
    const pinned = pinnedPosition(node);
    addInfo(b, {
      id: info.id,
      kind: geometry.kind,
      type: String(node.type),
      ...withParent(parentId, region),
      ports: geometry.ports,
      ...(pinned ? { pinned } : {}),
    });
    if (geometry.kind !== 'container') {
      const memo = memoOf(node, b.catalog.get(node.type));
      if (memo.elk === undefined || memo.geometry !== geometry) {
        const { width, height } = geometry.size;
        memo.elk = {
          id: info.id,
          width,
          height,
          ports: cardPorts(info.id, width, height, geometry.ports),
          layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
        };
      }
      children.push(memo.elk);
      continue;
    }
    const box: ElkNode = {
      id: info.id,
      ports: boxPorts(info.id, geometry.ports),
      layoutOptions: {
        ...b.scope,
        ...boxOptions(CONTAINER_BOX_PADDING),
        'elk.portConstraints': 'FIXED_ORDER',
        'elk.portAlignment.default': 'CENTER',
      },
      children: [],
      edges: [],
    };
    children.push(box);
    const regions = b.index.regionsOf.get(info.id) ?? [];
    if (node.type === 'try') {
      // Body, catch and finally stacked top-down in that order, without edges between them.
      box.layoutOptions = { ...box.layoutOptions, 'elk.partitioning.activate': 'true' };
      TRY_REGIONS.forEach((name, partition) => {
        const graphOf = regions.find((r) => r.region === name);
        if (!graphOf) return;
        box.children!.push(
          regionBox(b, graphOf, regionLayoutId(info.id, name), name, info.id, {
            'elk.partitioning.partition': String(partition),
          }),
        );
      });
    } else {
      const body = regions.find((r) => r.region === 'body');
      if (body) addGraph(b, body, box, info.id, 'body');
    }
  }

  // Edges in model order too: by source, then port, then target.
  const edges = graph.edges
    .filter((e) => ownIds.has(e.edge.from) && ownIds.has(e.edge.to))
    .sort(
      (a, b2) =>
        position.get(a.edge.from)! - position.get(b2.edge.from)! ||
        portIndex(a.edge.from, a.edge.port) - portIndex(b2.edge.from, b2.edge.port) ||
        position.get(a.edge.to)! - position.get(b2.edge.to)! ||
        a.index - b2.index,
    );
  const elkEdges: ElkExtendedEdge[] = (holder.edges ??= []);
  for (const { edge } of edges) {
    const ports = b.nodes.get(edge.from)!.ports;
    const port = typeof edge.port === 'string' ? edge.port : undefined;
    const sourcePort =
      port !== undefined && ports.includes(port)
        ? port
        : ports.includes(DEFAULT_PORT)
          ? DEFAULT_PORT
          : ports[0]!;
    const text =
      typeof edge.label === 'string' && edge.label !== ''
        ? edge.label
        : port !== undefined && !(ports.length === 1 && port === DEFAULT_PORT)
          ? port
          : undefined;
    const id = uniqueEdgeId(b, `${edge.from}${port === undefined ? '' : `:${port}`}->${edge.to}`);
    b.edges.push({
      id,
      kind: 'flow',
      from: edge.from,
      to: edge.to,
      ...(port === undefined ? {} : { port }),
      sourcePort,
      ...(text === undefined ? {} : { label: text }),
    });
    elkEdges.push(elkEdge(id, outputPortId(edge.from, sourcePort), inputPortId(edge.to), text));
  }
  // The graph's roots (no incoming edge from a node that took part), for the trigger edges.
  const targets = new Set(edges.map((e) => e.edge.to));
  return order.filter((n) => !targets.has(n.id)).map((n) => n.id);
}

function elkEdge(id: string, source: string, target: string, label?: string): ElkExtendedEdge {
  const edge: ElkExtendedEdge = { id, sources: [source], targets: [target] };
  if (label !== undefined) {
    const size = edgeLabelSize(label);
    edge.labels = [
      {
        text: label,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.edgeLabels.placement': 'TAIL' },
      },
    ];
  }
  return edge;
}

/**
 * Builds the ELK graph of a flow. The catalog gives host actions their ports; the built-in
 * actions' descriptors (approval's ports...) are always known. The graph shares the ELK nodes
 * of unchanged cards with earlier builds: never change it, and give elkjs (which writes its
 * answer into the graph it gets) a copy.
 *
 * @example
 * const graph = buildLayoutGraph(flow, catalog);
 * const laidOut = await elk.layout(structuredClone(graph.elk));
 * const result = toLayoutResult(laidOut, graph);
 */
export function buildLayoutGraph(
  flow: FlowDefinition | unknown,
  catalog?: ActionCatalog,
  options: LayoutGraphOptions = {},
  /** The flow's index, when the caller has it already (`indexFlow(flow)`). */
  index: FlowIndex = indexFlow(flow),
): LayoutGraph {
  const scope = { ...(options.baseOptions ?? LAYOUT_OPTIONS), ...options.layoutOptions };
  const builder: Builder = {
    scope,
    index,
    catalog: catalogMap([
      ...BUILTIN_ACTIONS,
      ...(catalog ? [...catalogMap(catalog).values()] : []),
    ]),
    used: new Set(),
    nodes: new Map(),
    edges: [],
    edgeIds: new Set(),
    geometry: new Map(),
  };
  const root: ElkNode = {
    id: 'root',
    layoutOptions: scope,
    children: [],
    edges: [],
  };

  // Triggers first: entry cards in the first layer.
  const rawTriggers: unknown =
    typeof flow === 'object' && flow !== null
      ? (flow as { triggers?: unknown }).triggers
      : undefined;
  const triggerIds: string[] = [];
  for (const raw of Array.isArray(rawTriggers) ? (rawTriggers as unknown[]) : []) {
    if (typeof raw !== 'object' || raw === null) continue;
    const trigger = raw as { id?: unknown; kind?: unknown };
    if (typeof trigger.id !== 'string') continue;
    const id = triggerLayoutId(trigger.id);
    if (builder.used.has(id)) continue;
    const geometry = triggerGeometry();
    addInfo(builder, { id, kind: 'trigger', type: String(trigger.kind), ports: geometry.ports });
    const { width, height } = geometry.size;
    root.children!.push({
      id,
      width,
      height,
      ports: cardPorts(id, width, height, geometry.ports).slice(1),
      layoutOptions: {
        'elk.portConstraints': 'FIXED_POS',
        'elk.layered.layering.layerConstraint': 'FIRST',
      },
    });
    triggerIds.push(id);
  }

  const roots = addGraph(builder, index.main, root, undefined, undefined);
  for (const t of triggerIds) {
    for (const r of roots) {
      const id = uniqueEdgeId(builder, `${t}->${r}`);
      builder.edges.push({ id, kind: 'trigger', from: t, to: r, sourcePort: DEFAULT_PORT });
      root.edges!.push(elkEdge(id, outputPortId(t, DEFAULT_PORT), inputPortId(r)));
    }
  }

  if (index.onFailure) {
    root.children!.push(
      regionBox(
        builder,
        index.onFailure,
        regionLayoutId(undefined, 'onFailure'),
        'onFailure',
        undefined,
        {
          'elk.layered.layering.layerConstraint': 'LAST',
        },
      ),
    );
  }
  return { elk: root, nodes: builder.nodes, edges: builder.edges };
}
