import { Immer, enablePatches, type Draft, type Patch } from 'immer';
import type { Edge, FlowDefinition, FlowNode, Trigger } from '@millrace/engine/model';

/**
 * The shape every editing command shares (DESIGN.md §7): a pure function over the flow
 * document that returns the next document, the immer patches that lead there and back, and
 * what happened. The patches are the undo/redo history and the `flow-change` payload.
 */

enablePatches();

// An instance of our own: the page's immer (if the host uses one) keeps its settings, and the
// host's flow objects are not frozen behind its back (auto-freeze is off).
const immer = new Immer({ autoFreeze: false });

/** A flow document as the editor holds it (any JSON the host gave, read tolerantly). */
export type FlowDocument = FlowDefinition;

/** An edge of the flow, named by its ends and port (node ids are unique across a flow). */
export interface EdgeRef {
  readonly from: string;
  readonly to: string;
  readonly port?: string;
}

/** What an edit applies to: a node of any graph, or a trigger. */
export type EditTarget =
  | { readonly kind: 'node'; readonly id: string }
  | { readonly kind: 'trigger'; readonly id: string };

/** Where a new or moved node goes. */
export type InsertAt =
  /** On an edge: between its two ends. */
  | { readonly kind: 'edge'; readonly edge: EdgeRef }
  /** After a node's output port ("+" at the end of a branch). */
  | { readonly kind: 'port'; readonly from: string; readonly port?: string }
  /** Before a node: the new node's ends lead into it (the first step after a trigger). */
  | { readonly kind: 'before'; readonly node: string }
  /** Into a graph, unconnected: '' (main), 'onFailure', `<container>`, `<try>#catch`, `<try>#finally`. */
  | { readonly kind: 'graph'; readonly graph: string };

/** What an edit did; `flow-change` and `flow-before-change` carry it as `change`. */
export type FlowChange =
  | { readonly kind: 'node-added'; readonly ids: readonly string[]; readonly at: InsertAt }
  | {
      readonly kind: 'node-removed';
      readonly ids: readonly string[];
      readonly reconnected: readonly EdgeRef[];
    }
  | { readonly kind: 'node-moved'; readonly ids: readonly string[]; readonly at: InsertAt }
  | { readonly kind: 'edge-added'; readonly edges: readonly EdgeRef[] }
  | { readonly kind: 'edge-removed'; readonly edges: readonly EdgeRef[] }
  | {
      readonly kind: 'property-changed';
      readonly target: EditTarget;
      readonly path: readonly (string | number)[];
    }
  | { readonly kind: 'renamed'; readonly target: EditTarget; readonly name: string }
  | { readonly kind: 'id-changed'; readonly from: string; readonly to: string }
  | { readonly kind: 'pasted'; readonly ids: readonly string[]; readonly at: InsertAt }
  | { readonly kind: 'trigger-added'; readonly ids: readonly string[] }
  | { readonly kind: 'trigger-removed'; readonly ids: readonly string[] }
  | { readonly kind: 'layout-recorded'; readonly key: string }
  | { readonly kind: 'undo'; readonly of: FlowChange }
  | { readonly kind: 'redo'; readonly of: FlowChange };

export type FlowChangeKind = FlowChange['kind'];

/** The result of a command that applied. */
export interface EditResult {
  readonly flow: FlowDocument;
  readonly patches: readonly Patch[];
  readonly inversePatches: readonly Patch[];
  readonly change: FlowChange;
}

/** Codes of edits that were refused; each with a message that says why. */
export type EditErrorCode =
  | 'E_EDIT_UNKNOWN_NODE'
  | 'E_EDIT_UNKNOWN_EDGE'
  | 'E_EDIT_UNKNOWN_GRAPH'
  | 'E_EDIT_SELF_LOOP'
  | 'E_EDIT_CYCLE'
  | 'E_EDIT_CROSS_GRAPH'
  | 'E_EDIT_UNKNOWN_PORT'
  | 'E_EDIT_DUPLICATE_EDGE'
  | 'E_EDIT_DUPLICATE_ID'
  | 'E_EDIT_INVALID_ID'
  | 'E_EDIT_MOVE_INTO_ITSELF'
  | 'E_EDIT_BAD_CLIPBOARD'
  | 'E_EDIT_READONLY'
  | 'E_EDIT_VETOED'
  | 'E_EDIT_NOTHING';

/** A refused edit: a stable code, a message naming the thing, and where (a node or edge). */
export class EditError extends Error {
  readonly code: EditErrorCode;
  readonly target: string | undefined;
  constructor(code: EditErrorCode, message: string, target?: string) {
    super(message);
    this.name = 'EditError';
    this.code = code;
    this.target = target;
  }
}

export function isEditError(value: unknown): value is EditError {
  return value instanceof EditError;
}

/** A mutable view of a flow document inside a command. */
export type FlowDraft = Draft<FlowDefinition>;
export type MutableGraph = { nodes: Draft<FlowNode>[]; edges?: Draft<Edge>[] };
export type MutableTrigger = Draft<Trigger>;

/**
 * Runs a recipe over a draft of the flow and returns the next document with its patches.
 * The recipe throws an EditError to refuse; a recipe that changed nothing is refused with
 * `E_EDIT_NOTHING` (no empty history entries).
 */
export function edit(flow: FlowDocument, recipe: (draft: FlowDraft) => FlowChange): EditResult {
  let change: FlowChange | undefined;
  const [next, patches, inversePatches] = immer.produceWithPatches(flow, (draft) => {
    change = recipe(draft);
  });
  if (patches.length === 0 || change === undefined) {
    throw new EditError('E_EDIT_NOTHING', 'The edit changes nothing.');
  }
  return { flow: next, patches, inversePatches, change };
}

/** Applies patches (redo) or inverse patches (undo) to a document. */
export function applyFlowPatches(flow: FlowDocument, patches: readonly Patch[]): FlowDocument {
  return immer.applyPatches(flow, patches as Patch[]);
}

export function sameEdge(a: EdgeRef, b: EdgeRef): boolean {
  return a.from === b.from && a.to === b.to && (a.port ?? undefined) === (b.port ?? undefined);
}

export function describeEdge(e: EdgeRef): string {
  return e.port === undefined ? `${e.from} → ${e.to}` : `${e.from}:${e.port} → ${e.to}`;
}

export type { Patch };
