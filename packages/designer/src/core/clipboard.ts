import { FLOW_FORMAT, type Edge, type FlowNode } from '@millrace/engine/model';
import { EditError, type EditResult, type FlowDocument, type InsertAt } from './flow-edit.ts';
import { allNodeIds, edgesIn, graphsOf, locate, nestedIds, regionsOf } from './flow-graphs.ts';
import { insertFragment, type EditContext, type Fragment } from './node-commands.ts';
import { freshId } from './new-node.ts';
import { rewriteReferences } from './rewrite-references.ts';

/**
 * Copy, cut, paste and duplicate. The clipboard holds flow JSON (a `millrace.fragment/v1`
 * document: nodes and the edges between them), so a selection pastes into another designer,
 * another tab or a text editor and back. Pasted nodes get ids not yet in the flow, and their
 * expressions that refer to other pasted nodes are rewritten to the new ids.
 */

export const FRAGMENT_FORMAT = 'millrace.fragment/v1';

export interface FragmentDocument extends Fragment {
  readonly format: typeof FRAGMENT_FORMAT;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The selected nodes (nested ones ride along in their container) and the edges between them. */
export function copyNodes(flow: FlowDocument, ids: readonly string[]): FragmentDocument {
  const chosen = new Set(ids.filter((id) => locate(flow, id)));
  // A node inside a chosen container is copied with it, not a second time.
  for (const id of [...chosen]) {
    for (const inner of nestedIds(locate(flow, id)!.node).slice(1)) chosen.delete(inner);
  }
  const nodes: FlowNode[] = [];
  const edges: Edge[] = [];
  for (const { graph } of graphsOf(flow)) {
    for (const n of Array.isArray(graph.nodes) ? graph.nodes : []) {
      if (isObject(n) && chosen.has(n.id as string)) nodes.push(clone(n as unknown as FlowNode));
    }
    for (const e of Array.isArray(graph.edges) ? graph.edges : []) {
      if (chosen.has(e.from) && chosen.has(e.to)) edges.push(clone(e as Edge));
    }
  }
  return { format: FRAGMENT_FORMAT, nodes, edges };
}

/** The clipboard text of a selection. */
export function fragmentText(fragment: FragmentDocument): string {
  return JSON.stringify(fragment, null, 2);
}

function isNodeLike(value: unknown): value is FlowNode {
  return isObject(value) && typeof value['id'] === 'string' && typeof value['type'] === 'string';
}

/**
 * Reads clipboard text: a fragment, a whole flow (its main graph), one node, or an array of
 * nodes. Anything else is refused with `E_EDIT_BAD_CLIPBOARD`, saying what was expected.
 */
export function parseClipboard(text: string): Fragment {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EditError(
      'E_EDIT_BAD_CLIPBOARD',
      'The clipboard does not hold flow JSON (a copied selection, a flow, or a step).',
    );
  }
  const fromGraph = (holder: Record<string, unknown>): Fragment => {
    const nodes = (Array.isArray(holder['nodes']) ? holder['nodes'] : []).filter(isNodeLike);
    const ids = new Set(nodes.map((n) => n.id));
    const edges = (Array.isArray(holder['edges']) ? holder['edges'] : []).filter(
      (e): e is Edge =>
        isObject(e) &&
        typeof e['from'] === 'string' &&
        typeof e['to'] === 'string' &&
        ids.has(e['from']) &&
        ids.has(e['to']),
    );
    return { nodes, edges };
  };
  let fragment: Fragment | undefined;
  if (isObject(value) && (value['format'] === FRAGMENT_FORMAT || value['format'] === FLOW_FORMAT))
    fragment = fromGraph(value);
  else if (isNodeLike(value)) fragment = { nodes: [value], edges: [] };
  else if (Array.isArray(value)) fragment = fromGraph({ nodes: value, edges: [] });
  if (!fragment || fragment.nodes.length === 0) {
    throw new EditError(
      'E_EDIT_BAD_CLIPBOARD',
      'The clipboard JSON holds no steps: expected a copied selection, a flow, or a step with an id and a type.',
    );
  }
  return fragment;
}

/** The fragment with ids not in `taken`, its edges and expressions following the new ids. */
export function withFreshIds(fragment: Fragment, taken: ReadonlySet<string>): Fragment {
  const used = new Set(taken);
  const ids = new Map<string, string>();
  for (const n of fragment.nodes) {
    for (const id of nestedIds(n)) {
      const next = freshId(id, used);
      used.add(next);
      ids.set(id, next);
    }
  }
  const renameGraph = (holder: Record<string, unknown>): void => {
    for (const n of Array.isArray(holder['nodes']) ? holder['nodes'] : []) {
      if (!isObject(n) || typeof n['id'] !== 'string') continue;
      n['id'] = ids.get(n['id']) ?? n['id'];
      // A container's body is the node itself; a try's catch and finally are objects of it.
      for (const r of regionsOf(n)) renameGraph(r.holder as Record<string, unknown>);
    }
    for (const e of Array.isArray(holder['edges']) ? holder['edges'] : []) {
      if (!isObject(e)) continue;
      if (typeof e['from'] === 'string') e['from'] = ids.get(e['from']) ?? e['from'];
      if (typeof e['to'] === 'string') e['to'] = ids.get(e['to']) ?? e['to'];
    }
  };
  const copy = clone({ nodes: fragment.nodes, edges: fragment.edges }) as {
    nodes: FlowNode[];
    edges: Edge[];
  };
  // Expressions first (they name the old ids), then the ids themselves.
  const rewritten = rewriteReferences(copy, ids);
  renameGraph(rewritten as unknown as Record<string, unknown>);
  return rewritten;
}

/** Pastes a fragment at `at` with fresh ids. */
export function pasteFragment(
  flow: FlowDocument,
  fragment: Fragment,
  at: InsertAt,
  ctx: EditContext = {},
): EditResult {
  return insertFragment(flow, withFreshIds(fragment, allNodeIds(flow)), at, ctx, 'pasted');
}

/**
 * Where a copy of these nodes goes when duplicated: after the last of them when it leads on
 * through one edge (the copy is inserted there), after it when it is an end, else beside them.
 */
export function duplicateTarget(flow: FlowDocument, fragment: Fragment): InsertAt {
  const ids = new Set(fragment.nodes.map((n) => n.id));
  const sinks = fragment.nodes.filter((n) => !fragment.edges.some((e) => e.from === n.id));
  const last = sinks.length === 1 ? locate(flow, sinks[0]!.id) : undefined;
  if (!last) {
    const first = locate(flow, fragment.nodes[0]?.id ?? '');
    return { kind: 'graph', graph: first?.key ?? '' };
  }
  const out = edgesIn(last.graph).filter((e) => e.from === last.node.id && !ids.has(e.to));
  if (out.length === 1) return { kind: 'edge', edge: out[0]! };
  if (out.length === 0) return { kind: 'port', from: last.node.id };
  return { kind: 'graph', graph: last.key };
}

/** Duplicates nodes (see `duplicateTarget` for where the copy goes). */
export function duplicateNodes(
  flow: FlowDocument,
  ids: readonly string[],
  ctx: EditContext = {},
): EditResult {
  const fragment = copyNodes(flow, ids);
  if (fragment.nodes.length === 0) {
    throw new EditError('E_EDIT_UNKNOWN_NODE', `There is no step "${ids[0] ?? ''}" to duplicate.`);
  }
  return pasteFragment(flow, fragment, duplicateTarget(flow, fragment), ctx);
}
