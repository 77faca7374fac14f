import {
  BUILTIN_ACTIONS,
  catalogMap,
  indexFlow,
  portsOf,
  type ActionCatalog,
  type ActionDescriptor,
  type FlowIndex,
} from '@millrace/engine/model';
import { LAYOUT_OPTIONS } from './layout-options.ts';
import type { LayoutGraphOptions } from './layout-graph.ts';
import { pinnedPosition } from './layout-graph.ts';
import {
  CONTAINER_BOX_PADDING,
  REGION_BOX_PADDING,
  cardKindOf,
  cardSize,
  edgeLabelSize,
} from './node-size.ts';

/**
 * The layout key of a flow: a hash of exactly what decides its picture, read from the flow
 * itself (not from the ELK graph built from it, which is ~7 times larger as JSON and costs
 * building): every graph of the flow in order, and in each its nodes' ids, types, output ports
 * (from the catalog for host actions), collapsed and pinned state, and its edges' ends, ports
 * and labels; the triggers' ids and kinds; and the geometry the builder uses (layout options,
 * card sizes, paddings), so a change of those in code changes every key.
 *
 * Names, descriptions, inputs and settings never reach the layout (cards are fixed-width and
 * clip their text), so renaming a node or editing its input keeps the key. Same key, same
 * ELK graph (`buildLayoutGraph` reads nothing else): the key checks a flow's recorded layout
 * (`ui.layout`) without building the graph, and keys the layout cache.
 */

/** Bumped whenever the layout of the same flow may change in a way the key does not see. */
export const LAYOUT_VERSION = 3;

/** Two independent 53-bit string hashes (cyrb53), as 28 hex digits. */
export function hash106(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  let h3 = 0x9e3779b9;
  let h4 = 0x85ebca6b;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
    h3 = Math.imul(h3 ^ c, 2246822507);
    h4 = Math.imul(h4 ^ c, 3266489909);
  }
  const fin = (a: number, b: number): string => {
    a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
    b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
    const n = 4294967296 * (2097151 & b) + (a >>> 0);
    return n.toString(16).padStart(14, '0');
  };
  return fin(h1, h2) + fin(h3, h4);
}

/** What the builder's geometry is made of: a change in code changes every key. */
const GEOMETRY = JSON.stringify([
  LAYOUT_OPTIONS,
  (['trigger', 'action', 'collapsed', 'container', 'region'] as const).map((k) => cardSize(k)),
  [1, 2, 3, 4, 5, 8].map((n) => cardSize('branch', n)),
  CONTAINER_BOX_PADDING,
  REGION_BOX_PADDING,
  edgeLabelSize('x'.repeat(40)),
]);

const builtins = catalogMap(BUILTIN_ACTIONS);
const catalogs = new WeakMap<object, ReadonlyMap<string, ActionDescriptor>>();

/** The descriptors `buildLayoutGraph` looks node types up in: the built-ins, then the catalog. */
function descriptorsOf(catalog: ActionCatalog | undefined): ReadonlyMap<string, ActionDescriptor> {
  if (!catalog) return builtins;
  let map = catalogs.get(catalog);
  if (!map) {
    map = catalogMap([...BUILTIN_ACTIONS, ...catalogMap(catalog).values()]);
    catalogs.set(catalog, map);
  }
  return map;
}

type Row = (string | number | boolean | null | readonly string[])[];

/** The layout key of a flow (see the module comment); `v<LAYOUT_VERSION>:<hash>:<length>`. */
export function layoutKey(
  flow: unknown,
  catalog?: ActionCatalog,
  options?: LayoutGraphOptions,
  index: FlowIndex = indexFlow(flow),
): string {
  const descriptors = descriptorsOf(catalog);
  const rows: unknown[] = [LAYOUT_VERSION, GEOMETRY, options ?? null];
  const triggers: unknown =
    typeof flow === 'object' && flow !== null
      ? (flow as { triggers?: unknown }).triggers
      : undefined;
  for (const raw of Array.isArray(triggers) ? (triggers as unknown[]) : []) {
    if (typeof raw !== 'object' || raw === null) continue;
    const t = raw as { id?: unknown; kind?: unknown };
    if (typeof t.id === 'string') rows.push(['t', t.id, String(t.kind)]);
  }
  for (const graph of index.graphs) {
    rows.push(['g', graph.key, graph.region, graph.owner?.pointer ?? null]);
    for (const { id, node } of graph.nodes) {
      const ports = portsOf(node, descriptors.get(node.type)).ports;
      const pin = pinnedPosition(node);
      const row: Row = ['n', id, String(node.type), ports, cardKindOf(node, ports)];
      if (pin) row.push(pin.x, pin.y);
      rows.push(row);
    }
    for (const { edge } of graph.edges) {
      rows.push([
        'e',
        String(edge.from),
        String(edge.to),
        typeof edge.port === 'string' ? edge.port : null,
        typeof edge.label === 'string' ? edge.label : null,
      ]);
    }
  }
  const text = JSON.stringify(rows);
  return `v${LAYOUT_VERSION}:${hash106(text)}:${text.length.toString(36)}`;
}
