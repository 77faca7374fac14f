import { current, isDraft } from 'immer';
import type { ActionCatalog, Edge, FlowNode, Trigger } from '@millrace/engine/model';
import { assertConnectable, outputPortsOf } from './connect-rules.ts';
import {
  EditError,
  describeEdge,
  edit,
  sameEdge,
  type EdgeRef,
  type EditResult,
  type EditTarget,
  type FlowDocument,
  type FlowDraft,
  type InsertAt,
  type MutableGraph,
} from './flow-edit.ts';
import {
  allNodeIds,
  edgesIn,
  edgesOf,
  graphAt,
  graphIsInside,
  locate,
  mustLocate,
  graphIn,
  locateIn,
  nestedIds,
  plainOf,
} from './flow-graphs.ts';
import { rewriteReferences } from './rewrite-references.ts';

/**
 * The editing commands on nodes and edges. Each is pure: flow in, `EditResult` out (the next
 * document, its patches and inverse patches, what changed), or an `EditError` thrown when the
 * edit is refused. The designer, its keyboard map and the host's own buttons all call these.
 */

export interface EditContext {
  /** The host's actions: their ports decide which edges are valid. */
  readonly catalog?: ActionCatalog | undefined;
}

/** Nodes to place together, with the edges between them. */
export interface Fragment {
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly Edge[];
}

function plain<T>(value: T): T {
  return isDraft(value) ? (current(value as never) as T) : value;
}

/** The fragment's entry nodes (no edge from inside the fragment) and its ends. */
function endsOf(fragment: Fragment): { roots: string[]; sinks: string[] } {
  const ids = fragment.nodes.map((n) => n.id);
  const targets = new Set(fragment.edges.map((e) => e.to));
  const sources = new Set(fragment.edges.map((e) => e.from));
  return {
    roots: ids.filter((id) => !targets.has(id)),
    sinks: ids.filter((id) => !sources.has(id)),
  };
}

/** The port a new edge leaves `node` from: `port` checked against its ports, else its first when it needs one. */
function portFrom(node: FlowNode, port: string | undefined, ctx: EditContext): string | undefined {
  const { ports, requiresPort } = outputPortsOf(node, ctx.catalog);
  const chosen = port ?? (requiresPort ? ports[0] : undefined);
  if (chosen !== undefined && !ports.includes(chosen)) {
    throw new EditError(
      'E_EDIT_UNKNOWN_PORT',
      `"${node.id}" has no output "${chosen}"; its outputs are ${ports.map((p) => `"${p}"`).join(', ')}.`,
      node.id,
    );
  }
  return chosen === 'out' && !requiresPort ? undefined : chosen;
}

function edgeOf(from: string, to: string, port?: string, label?: string): Edge {
  return {
    from,
    to,
    ...(port === undefined ? {} : { port }),
    ...(label === undefined ? {} : { label }),
  };
}

/**
 * Puts a fragment's nodes at `at` and connects its ends there; returns the graph key used.
 * The new edges need no cycle or duplicate check: every one of them touches a new node, which
 * nothing leads back to. With `base` (the document before the recipe, unchanged so far) the
 * lookups go through its index, so only the graph that changes is drafted.
 */
function place(
  draft: FlowDraft,
  base: FlowDocument | undefined,
  fragment: Fragment,
  at: InsertAt,
  ctx: EditContext,
): string {
  const { roots, sinks } = endsOf(fragment);
  const added = new Map(fragment.nodes.map((n) => [n.id, n]));
  const find = (id: string) =>
    (base === undefined ? undefined : locateIn(draft, base, id)) ?? mustLocate(draft, id);
  const push = (graph: MutableGraph, extra: readonly Edge[]): void => {
    graph.nodes.push(...(fragment.nodes.map(plain) as MutableGraph['nodes']));
    const edges = [...fragment.edges.map((e) => ({ ...e })), ...extra];
    if (edges.length > 0) edgesOf(graph).push(...edges);
  };
  const sinkPort = (id: string): string | undefined => portFrom(added.get(id)!, undefined, ctx);
  switch (at.kind) {
    case 'graph': {
      const graph =
        (base === undefined ? undefined : graphIn(draft, base, at.graph)) ??
        graphAt(draft, at.graph);
      if (!Array.isArray(graph.nodes)) graph.nodes = [];
      push(graph, []);
      return at.graph;
    }
    case 'port': {
      const from = find(at.from);
      const port = portFrom(from.node, at.port, ctx);
      push(
        from.graph,
        roots.map((r) => edgeOf(at.from, r, port)),
      );
      return from.key;
    }
    case 'before': {
      const before = find(at.node);
      push(
        before.graph,
        sinks.map((s) => edgeOf(s, at.node, sinkPort(s))),
      );
      return before.key;
    }
    case 'edge': {
      const from = find(at.edge.from);
      const edges = edgesOf(from.graph);
      const read = plainOf(edges);
      const index = read.findIndex((e) => sameEdge(normal(e), normal(at.edge)));
      if (index < 0) {
        throw new EditError(
          'E_EDIT_UNKNOWN_EDGE',
          `There is no edge ${describeEdge(at.edge)}.`,
          describeEdge(at.edge),
        );
      }
      const old = read[index]!;
      edges.splice(index, 1);
      push(from.graph, [
        ...roots.map((r) => edgeOf(old.from, r, old.port, old.label)),
        ...sinks.map((s) => edgeOf(s, old.to, sinkPort(s))),
      ]);
      return from.key;
    }
  }
}

function normal(e: EdgeRef): EdgeRef {
  return e.port === undefined || e.port === 'out' ? { from: e.from, to: e.to } : e;
}

function checkFreshIds(flow: FlowDocument, nodes: readonly FlowNode[]): void {
  const taken = allNodeIds(flow);
  for (const n of nodes) {
    for (const id of nestedIds(n)) {
      if (!/^[A-Za-z0-9_.-]+$/.test(id)) {
        throw new EditError(
          'E_EDIT_INVALID_ID',
          `"${id}" is not a valid step id: use letters, digits, "-", "_" and ".".`,
          id,
        );
      }
      if (taken.has(id))
        throw new EditError(
          'E_EDIT_DUPLICATE_ID',
          `A step with the id "${id}" exists already.`,
          id,
        );
      taken.add(id);
    }
  }
}

/** Adds a node at `at`: on an edge, after a port, before a node, or into a graph. */
export function insertNode(
  flow: FlowDocument,
  node: FlowNode,
  at: InsertAt,
  ctx: EditContext = {},
): EditResult {
  return edit(flow, (draft) => {
    checkFreshIds(flow, [node]);
    place(draft, flow, { nodes: [node], edges: [] }, at, ctx);
    return { kind: 'node-added', ids: [node.id], at };
  });
}

/** Places several nodes (with the edges between them) at `at`, as one edit of `kind`. */
export function insertFragment(
  flow: FlowDocument,
  fragment: Fragment,
  at: InsertAt,
  ctx: EditContext = {},
  kind: 'node-added' | 'pasted' = 'pasted',
): EditResult {
  return edit(flow, (draft) => {
    checkFreshIds(flow, fragment.nodes);
    place(draft, flow, fragment, at, ctx);
    return { kind, ids: fragment.nodes.map((n) => n.id), at };
  });
}

/**
 * Takes a node out of its graph with its edges; where that is unambiguous — one edge in, and
 * every edge out from one port — its predecessor is connected to each of its successors.
 */
function detach(draft: FlowDraft, id: string, reconnected: EdgeRef[]): FlowNode | undefined {
  const found = locate(draft, id);
  if (!found) return undefined;
  const edges = plainOf(edgesIn(found.graph));
  const incoming = edges.filter((e) => e.to === id);
  const outgoing = edges.filter((e) => e.from === id);
  found.graph.edges = edges.filter((e) => e.to !== id && e.from !== id);
  const [node] = found.graph.nodes.splice(found.index, 1);
  const ports = new Set(outgoing.map((e) => e.port ?? 'out'));
  if (incoming.length === 1 && outgoing.length > 0 && ports.size === 1) {
    const into = incoming[0]!;
    for (const out of outgoing) {
      const ref: EdgeRef =
        into.port === undefined
          ? { from: into.from, to: out.to }
          : { from: into.from, to: out.to, port: into.port };
      if (plainOf(found.graph.edges).some((e) => sameEdge(normal(e), normal(ref)))) continue;
      found.graph.edges.push(into.label === undefined ? { ...ref } : { ...ref, label: into.label });
      reconnected.push(ref);
    }
  }
  return node as FlowNode;
}

/** Removes nodes (and what is nested in them), reconnecting each chain around them. */
export function removeNodes(flow: FlowDocument, ids: readonly string[]): EditResult {
  return edit(flow, (draft) => {
    const reconnected: EdgeRef[] = [];
    const removed: string[] = [];
    for (const id of ids) {
      if (detach(draft, id, reconnected)) removed.push(id);
    }
    if (removed.length === 0) {
      throw new EditError(
        'E_EDIT_UNKNOWN_NODE',
        `There is no step "${ids[0] ?? ''}" in the flow.`,
        ids[0],
      );
    }
    const still = reconnected.filter((e) => locate(draft, e.from) && locate(draft, e.to));
    return { kind: 'node-removed', ids: removed, reconnected: still };
  });
}

/** Removes edges. */
export function removeEdges(flow: FlowDocument, refs: readonly EdgeRef[]): EditResult {
  return edit(flow, (draft) => {
    const removed: EdgeRef[] = [];
    for (const ref of refs) {
      const from = locate(draft, ref.from);
      if (!from) continue;
      const edges = edgesOf(from.graph);
      const index = plainOf(edges).findIndex((e) => sameEdge(normal(e), normal(ref)));
      if (index < 0) continue;
      edges.splice(index, 1);
      removed.push(ref);
    }
    if (removed.length === 0) {
      const first = refs[0];
      throw new EditError(
        'E_EDIT_UNKNOWN_EDGE',
        `There is no edge ${first ? describeEdge(first) : ''}.`,
      );
    }
    return { kind: 'edge-removed', edges: removed };
  });
}

/** Adds an edge; refused (with the reason) when the format's rules forbid it. */
export function connect(flow: FlowDocument, ref: EdgeRef, ctx: EditContext = {}): EditResult {
  // Checked on the document itself (its index is cached): only the graph that changes is drafted.
  const checked = assertConnectable(flow, ref, ctx.catalog);
  return edit(flow, (draft) => {
    const from = locateIn(draft, flow, ref.from) ?? mustLocate(draft, ref.from);
    edgesOf(from.graph).push({ ...checked });
    return { kind: 'edge-added', edges: [checked] };
  });
}

/**
 * Moves nodes to `at` (another branch, into or out of a container), keeping the edges between
 * them and reconnecting the chains they leave.
 */
export function moveNodes(
  flow: FlowDocument,
  ids: readonly string[],
  at: InsertAt,
  ctx: EditContext = {},
): EditResult {
  return edit(flow, (draft) => {
    const moving = new Set(ids);
    const touches =
      (at.kind === 'edge' && (moving.has(at.edge.from) || moving.has(at.edge.to))) ||
      (at.kind === 'port' && moving.has(at.from)) ||
      (at.kind === 'before' && moving.has(at.node));
    const key = at.kind === 'graph' ? at.graph : undefined;
    if (touches || (key !== undefined && ids.some((id) => graphIsInside(draft, key, id)))) {
      throw new EditError(
        'E_EDIT_MOVE_INTO_ITSELF',
        'A step cannot be moved onto its own edges or into itself.',
        ids[0],
      );
    }
    const nodes: FlowNode[] = [];
    const inner: Edge[] = [];
    for (const id of ids) {
      const found = mustLocate(draft, id);
      for (const e of plainOf(edgesIn(found.graph))) {
        if (e.from === id && moving.has(e.to)) inner.push(e);
      }
    }
    const ignored: EdgeRef[] = [];
    for (const id of ids) {
      const node = detach(draft, id, ignored);
      if (node) nodes.push(plain(node));
    }
    place(draft, undefined, { nodes, edges: inner }, at, ctx);
    return { kind: 'node-moved', ids: [...ids], at };
  });
}

function targetOf(draft: FlowDraft, target: EditTarget): Record<string, unknown> {
  if (target.kind === 'node')
    return mustLocate(draft, target.id).node as unknown as Record<string, unknown>;
  const trigger = (draft.triggers ?? []).find((t) => t.id === target.id);
  if (!trigger)
    throw new EditError(
      'E_EDIT_UNKNOWN_NODE',
      `There is no trigger "${target.id}" in the flow.`,
      target.id,
    );
  return trigger as unknown as Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets (or with `undefined` removes) a value at `path` inside a node or trigger: `['input',
 * 'url']`, `['retry', 'maxAttempts']`, `['cases', 0, 'when']`. Objects on the way are created;
 * settings objects left empty by a removal go too (an empty `retry` is not a policy).
 */
export function setProperty(
  flow: FlowDocument,
  target: EditTarget,
  path: readonly (string | number)[],
  value: unknown,
): EditResult {
  return edit(flow, (draft) => {
    if (path.length === 0 || path[0] === 'id') {
      throw new EditError(
        'E_EDIT_INVALID_ID',
        'Change a step id with changeNodeId(), which also rewrites references to it.',
        target.id,
      );
    }
    const root = targetOf(draft, target);
    const chain: Record<string | number, unknown>[] = [root];
    let at: Record<string | number, unknown> = root;
    for (const key of path.slice(0, -1)) {
      let next = at[key];
      if (value === undefined && (typeof next !== 'object' || next === null)) {
        return { kind: 'property-changed', target, path: [...path] };
      }
      if (typeof next !== 'object' || next === null) {
        next = typeof key === 'number' ? [] : {};
        at[key] = next;
      }
      at = next as Record<string | number, unknown>;
      chain.push(at);
    }
    const last = path[path.length - 1]!;
    if (value === undefined) {
      if (Array.isArray(at) && typeof last === 'number') at.splice(last, 1);
      else delete at[last];
      // Prune emptied settings objects (never the node itself, nor its `input`).
      for (let i = chain.length - 1; i >= 1; i--) {
        const obj = chain[i]!;
        if (!isPlainObject(obj) || Object.keys(obj).length > 0) break;
        if (i === 1 && path[0] === 'input') break;
        delete chain[i - 1]![path[i - 1]!];
      }
    } else {
      at[last] = plain(value);
    }
    return { kind: 'property-changed', target, path: [...path] };
  });
}

/** Sets the display name of a node or trigger (an empty name removes it). */
export function renameNode(flow: FlowDocument, target: EditTarget, name: string): EditResult {
  return edit(flow, (draft) => {
    const node = targetOf(draft, target);
    const trimmed = name.trim();
    if (trimmed === '') delete node['name'];
    else node['name'] = trimmed;
    return { kind: 'renamed', target, name: trimmed };
  });
}

/** Changes a node's id, with its edges and every `$<nodes.old...>` reference in the flow. */
export function changeNodeId(flow: FlowDocument, from: string, to: string): EditResult {
  return edit(flow, (draft) => {
    const found = mustLocate(draft, from);
    if (!/^[A-Za-z0-9_.-]+$/.test(to)) {
      throw new EditError(
        'E_EDIT_INVALID_ID',
        `"${to}" is not a valid step id: use letters, digits, "-", "_" and ".".`,
        from,
      );
    }
    if (to !== from && allNodeIds(draft).has(to)) {
      throw new EditError(
        'E_EDIT_DUPLICATE_ID',
        `A step with the id "${to}" exists already.`,
        from,
      );
    }
    (found.node as { id: string }).id = to;
    for (const e of edgesOf(found.graph)) {
      if (e.from === from) (e as { from: string }).from = to;
      if (e.to === from) (e as { to: string }).to = to;
    }
    const ids = new Map([[from, to]]);
    const d = draft as unknown as Record<string, unknown>;
    for (const key of Object.keys(d)) {
      if (key === 'format' || key === 'id' || key === 'ui') continue;
      const next = rewriteReferences(plain(d[key]), ids);
      if (next !== plain(d[key])) d[key] = next;
    }
    return { kind: 'id-changed', from, to };
  });
}

/** Adds a trigger. */
export function addTrigger(flow: FlowDocument, trigger: Trigger): EditResult {
  return edit(flow, (draft) => {
    const triggers = (draft.triggers ??= []);
    if (triggers.some((t) => t.id === trigger.id)) {
      throw new EditError(
        'E_EDIT_DUPLICATE_ID',
        `A trigger with the id "${trigger.id}" exists already.`,
        trigger.id,
      );
    }
    triggers.push({ ...trigger } as (typeof triggers)[number]);
    return { kind: 'trigger-added', ids: [trigger.id] };
  });
}

/** Removes triggers. */
export function removeTriggers(flow: FlowDocument, ids: readonly string[]): EditResult {
  return edit(flow, (draft) => {
    const before = draft.triggers ?? [];
    const removed = before.filter((t) => ids.includes(t.id)).map((t) => t.id);
    if (removed.length === 0)
      throw new EditError('E_EDIT_UNKNOWN_NODE', `There is no trigger "${ids[0] ?? ''}".`, ids[0]);
    draft.triggers = before.filter((t) => !ids.includes(t.id));
    return { kind: 'trigger-removed', ids: removed };
  });
}
