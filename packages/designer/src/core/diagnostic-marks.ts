import { indexFlow, type Diagnostic, type Severity } from '@millrace/engine/model';
import { triggerLayoutId } from './layout-graph.ts';

/**
 * Which diagnostics mark which card and which edge of the canvas. Pure: the flow and the
 * diagnostics in, marks keyed by layout id out (the renderer draws the most severe marker,
 * lists every message in its tooltip and counts them in the card's accessible name).
 *
 * A diagnostic marks the node it names (`nodeId`); one without `nodeId` marks the node, trigger
 * or edge its `path` points into. A diagnostic pointing into an edge (`/edges/3`,
 * `/nodes/2/edges/0/port`) marks that edge too, and its source node (edges cannot be focused,
 * so the card's accessible name carries the problem for keyboard and screen-reader users).
 */

export interface SeverityCounts {
  readonly error: number;
  readonly warning: number;
  readonly info: number;
}

export interface Mark {
  /** The most severe severity among `diagnostics`. */
  readonly severity: Severity;
  /** Most severe first; in the order given within one severity. */
  readonly diagnostics: readonly Diagnostic[];
  readonly counts: SeverityCounts;
}

export interface DiagnosticMarks {
  /** By layout node id: the flow node's id, or `trigger:<id>`. */
  readonly nodes: ReadonlyMap<string, Mark>;
  /** By layout edge id (`a->b`, `a:port->b`, `~2` for a repeated edge). */
  readonly edges: ReadonlyMap<string, Mark>;
}

const RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/** The pointer's segments (`/a~1b/0` → `['a/b', '0']`). */
function segments(pointer: string): string[] {
  if (pointer === '' || !pointer.startsWith('/')) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function pointerOf(parts: readonly string[]): string {
  return parts.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/**
 * The layout id of a flow edge, as the layout graph names it: `from->to` or `from:port->to`,
 * with `~2`, `~3`... for the second and later copies of the same edge in its graph.
 */
export function edgeLayoutId(from: string, port: string | undefined, to: string, copy = 0): string {
  const base = `${from}${port === undefined ? '' : `:${port}`}->${to}`;
  return copy === 0 ? base : `${base}~${copy + 1}`;
}

function toMark(list: readonly Diagnostic[]): Mark {
  const diagnostics = [...list].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return { severity: diagnostics[0]!.severity, diagnostics, counts };
}

/** Groups diagnostics into the marks of the cards and edges they belong to. */
export function diagnosticMarks(
  flow: unknown,
  diagnostics: readonly Diagnostic[],
): DiagnosticMarks {
  const nodeLists = new Map<string, Diagnostic[]>();
  const edgeLists = new Map<string, Diagnostic[]>();
  const add = (map: Map<string, Diagnostic[]>, id: string, d: Diagnostic) => {
    const list = map.get(id);
    if (list) {
      if (!list.includes(d)) list.push(d);
    } else map.set(id, [d]);
  };
  if (diagnostics.length === 0) return { nodes: new Map(), edges: new Map() };

  const index = indexFlow(flow);
  const nodeAt = new Map<string, string>();
  const edgeAt = new Map<string, { id: string; from: string; to: string; ids: Set<string> }>();
  for (const graph of index.graphs) {
    const ids = new Set(graph.nodes.map((n) => n.id));
    for (const n of graph.nodes) nodeAt.set(n.pointer, n.id);
    const seen = new Map<string, number>();
    for (const { edge, pointer } of graph.edges) {
      const port = typeof edge.port === 'string' ? edge.port : undefined;
      const base = edgeLayoutId(edge.from, port, edge.to);
      const copy = seen.get(base) ?? 0;
      seen.set(base, copy + 1);
      edgeAt.set(pointer, {
        id: edgeLayoutId(edge.from, port, edge.to, copy),
        from: edge.from,
        to: edge.to,
        ids,
      });
    }
  }
  for (const n of index.duplicates) nodeAt.set(n.pointer, n.id);
  const triggers =
    typeof flow === 'object' && flow !== null ? (flow as { triggers?: unknown }).triggers : [];

  for (const d of diagnostics) {
    const parts = segments(d.path);
    // The innermost node, edge or trigger the path points into.
    let node: string | undefined;
    let edge: { id: string; from: string; to: string; ids: Set<string> } | undefined;
    for (let i = parts.length; i >= 2 && node === undefined && edge === undefined; i--) {
      const head = parts[i - 2];
      if (head !== 'nodes' && head !== 'edges' && head !== 'triggers') continue;
      const prefix = pointerOf(parts.slice(0, i));
      if (head === 'nodes') node = nodeAt.get(prefix);
      else if (head === 'edges') edge = edgeAt.get(prefix);
      else if (i === 2 && Array.isArray(triggers)) {
        const t: unknown = triggers[Number(parts[1])];
        const id = typeof t === 'object' && t !== null ? (t as { id?: unknown }).id : undefined;
        if (typeof id === 'string') node = triggerLayoutId(id);
      }
    }
    if (edge) add(edgeLists, edge.id, d);
    // A trigger's card is `trigger:<id>`, whatever the diagnostic's nodeId says.
    const owner =
      (node?.startsWith('trigger:') ? node : undefined) ??
      d.nodeId ??
      node ??
      (edge && (edge.ids.has(edge.from) ? edge.from : edge.ids.has(edge.to) ? edge.to : undefined));
    if (owner !== undefined) add(nodeLists, owner, d);
  }
  const marks = (lists: Map<string, Diagnostic[]>) =>
    new Map([...lists].map(([id, list]) => [id, toMark(list)] as const));
  return { nodes: marks(nodeLists), edges: marks(edgeLists) };
}

/** The counts as a phrase through the given strings ("2 errors, 1 warning"); '' for none. */
export function countsPhrase(
  counts: SeverityCounts,
  strings: {
    readonly errors: (n: number) => string;
    readonly warnings: (n: number) => string;
    readonly infos: (n: number) => string;
  },
): string {
  return [
    counts.error > 0 ? strings.errors(counts.error) : '',
    counts.warning > 0 ? strings.warnings(counts.warning) : '',
    counts.info > 0 ? strings.infos(counts.info) : '',
  ]
    .filter(Boolean)
    .join(', ');
}
