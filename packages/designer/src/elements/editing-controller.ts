import { html, nothing, svg, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { ActionCatalog, FlowNode, Trigger } from '@millrace/engine/model';
import {
  createFlowEditor,
  type FlowChangeDetail,
  type FlowEditor,
  type RunOptions,
} from '../core/flow-editor.ts';
import {
  EditError,
  type EdgeRef,
  type EditResult,
  type EditTarget,
  type FlowDocument,
  type InsertAt,
} from '../core/flow-edit.ts';
import {
  addTrigger,
  changeNodeId,
  connect,
  insertNode,
  moveNodes,
  removeEdges,
  removeNodes,
  removeTriggers,
  renameNode,
  setProperty,
  type EditContext,
} from '../core/node-commands.ts';
import {
  copyNodes,
  duplicateNodes,
  fragmentText,
  parseClipboard,
  pasteFragment,
} from '../core/clipboard.ts';
import { editCommandOf } from '../core/edit-keymap.ts';
import {
  edgeRefOf,
  insertAtEdge,
  insertionAfter,
  insertionAtEnd,
  openPorts,
  polylineMidpoint,
} from '../core/edit-geometry.ts';
import type { DragPoint } from '../core/pointer-drag.ts';
import { EditGestures } from './edit-gestures.ts';
import { createNode, createTrigger } from '../core/new-node.ts';
import { allNodeIds, locate } from '../core/flow-graphs.ts';
import { paletteGroups, type PaletteItem } from '../core/palette-items.ts';
import type { LayoutEdge, LayoutResult } from '../core/layout-result.ts';
import { recordLayout, recordedKey } from '../core/recorded-layout.ts';
import type { Viewport } from '../core/viewport.ts';
import type { DesignerStrings } from './designer-strings.ts';
import { defineFlowPalette } from './flow-palette.ts';
import { REDO_ICON, UNDO_ICON } from './tool-icons.ts';

/** What the editing controller needs of its designer. */
export interface EditingHost {
  readonly element: ReactiveControllerHost & HTMLElement;
  flow(): FlowDocument | undefined;
  /** Shows a document the editor produced (an edit, an undo). */
  setFlow(flow: FlowDocument, change: FlowChangeDetail['change']): void;
  catalog(): ActionCatalog | undefined;
  /** False when `readonly` (or the form disabled the designer). */
  editable(): boolean;
  layout(): LayoutResult | undefined;
  viewport(): Viewport;
  strings(): DesignerStrings;
  selection(): readonly string[];
  setSelection(ids: readonly string[]): void;
  focusNode(id: string): void;
  /** Client (page) coordinates to canvas coordinates; undefined without a canvas. */
  toCanvas(clientX: number, clientY: number): DragPoint | undefined;
}

/** The page-wide clipboard: paste between designers works without clipboard permission. */
let pageClipboard: string | undefined;

function isTextField(target: EventTarget | undefined): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color'].includes(
      target.type,
    );
  }
  return false;
}

/**
 * The designer's editing, as one Lit controller: it owns the editing session (core/flow-editor),
 * turns keys, pointer drags and palette picks into commands, and renders the editing
 * affordances (toolbar buttons, "+" buttons, port handles, the palette, inline rename). The
 * designer element only composes it.
 */
export class EditingController implements ReactiveController {
  readonly editor: FlowEditor;
  /** The selected edge, if any (cards are the designer's selection). */
  selectedEdge: EdgeRef | undefined;
  /** Where the open palette adds a step; undefined when it is closed. */
  paletteAt: InsertAt | 'auto' | undefined;
  /** The node or trigger being renamed inline. */
  renaming: EditTarget | undefined;
  /** The last edit or refusal, for the live region. */
  announcement = '';
  private pendingPaste: ReturnType<typeof setTimeout> | undefined;
  /** Palette drags, moves, connections and the lasso (edit-gestures.ts). */
  private readonly gestures: EditGestures;
  /** The layout whose "+" buttons are drawn, and the one waiting for its frame. */
  private affordancesFor: LayoutResult | undefined;
  private affordancesPending: LayoutResult | undefined;

  constructor(private readonly host: EditingHost) {
    host.element.addController(this);
    defineFlowPalette();
    this.editor = createFlowEditor({
      readonly: () => !host.editable(),
      beforeChange: (detail) =>
        host.element.dispatchEvent(
          new CustomEvent('flow-before-change', {
            bubbles: true,
            composed: true,
            cancelable: true,
            detail,
          }),
        ),
      changed: (detail) => this.changed(detail),
    });
    this.gestures = new EditGestures({
      element: host.element,
      flow: () => host.flow(),
      catalog: () => host.catalog(),
      editable: () => host.editable(),
      layout: () => host.layout(),
      viewport: () => host.viewport(),
      selection: () => host.selection(),
      setSelection: (ids) => host.setSelection(ids),
      toCanvas: (x, y) => host.toCanvas(x, y),
      nameOf: (id) => this.nameOf(id),
      dropped: (item, target) => {
        if (item.kind === 'trigger') this.addTrigger(item.type as Trigger['kind']);
        else this.insert(item.type, target);
        this.paletteAt = undefined;
      },
      move: (ids, at) => void this.move(ids, at),
      connect: (edge) => void this.connect(edge),
    });
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.pendingPaste);
  }

  private get ctx(): EditContext {
    return { catalog: this.host.catalog() };
  }

  private nameOf = (id: string): string => {
    const flow = this.host.flow();
    const found = flow ? locate(flow, id) : undefined;
    if (found) return found.node.name ?? id;
    const trigger = flow?.triggers?.find((t) => t.id === id);
    return trigger?.name ?? id;
  };

  private changed(detail: FlowChangeDetail): void {
    this.host.setFlow(detail.flow, detail.change);
    const text = this.host.strings().announce(detail.change, this.nameOf);
    if (text) this.announce(text);
    this.host.element.dispatchEvent(
      new CustomEvent('flow-change', { bubbles: true, composed: true, detail }),
    );
  }

  private announce(text: string): void {
    this.announcement = text;
    this.host.element.requestUpdate();
  }

  /**
   * Runs a command through the editing session. Refusals are announced and reported as an
   * `edit-refused` event; host calls get them thrown (`throwRefusal`).
   */
  run(
    command: (flow: FlowDocument) => EditResult,
    options: RunOptions & { readonly throwRefusal?: boolean } = {},
  ): EditResult | EditError {
    const result = this.editor.run(command, options);
    if (result instanceof EditError) this.refused(result, options.throwRefusal === true);
    return result;
  }

  private refused(error: EditError, rethrow: boolean): void {
    if (error.code !== 'E_EDIT_NOTHING') {
      this.announce(this.host.strings().refused(error.message));
      this.host.element.dispatchEvent(
        new CustomEvent('edit-refused', { bubbles: true, composed: true, detail: { error } }),
      );
    }
    if (rethrow) throw error;
  }

  // ------------------------------------------------------------------------------------------
  // Commands (the designer's public methods call these)

  undo(): void {
    const r = this.editor.undo();
    if (r instanceof EditError) this.refused(r, false);
  }

  redo(): void {
    const r = this.editor.redo();
    if (r instanceof EditError) this.refused(r, false);
  }

  /**
   * Records a layout the designer drew in the flow (`ui.layout`), so the saved flow reopens
   * without ELK. Reported as a `flow-change` of kind `layout-recorded`; not an undo step.
   */
  recordLayout(layout: LayoutResult): void {
    const flow = this.host.flow();
    if (!flow || this.hasLayout(flow, layout)) return;
    this.editor.run((f) => recordLayout(f, layout.key!, layout), { history: false });
  }

  /** Whether `flow` needs no recording of `layout`: it carries it already, or is not editable. */
  hasLayout(flow: object, layout: LayoutResult): boolean {
    return layout.key === undefined || !this.host.editable() || recordedKey(flow) === layout.key;
  }

  /** Adds a step of `type` (or a given node) at `at` (default: after the selection). */
  insert(
    typeOrNode: string | FlowNode,
    at?: InsertAt,
    options: { throwRefusal?: boolean } = {},
  ): EditResult | EditError {
    const flow = this.host.flow();
    const where = at ?? this.defaultInsertion();
    const node =
      typeof typeOrNode === 'string'
        ? createNode(typeOrNode, flow ? allNodeIds(flow) : new Set(), this.host.catalog())
        : typeOrNode;
    const result = this.run((f) => insertNode(f, node, where, this.ctx), options);
    if (!(result instanceof EditError)) this.focusAfterEdit([node.id]);
    return result;
  }

  addTrigger(
    kindOrTrigger: Trigger['kind'] | Trigger,
    options: { throwRefusal?: boolean } = {},
  ): EditResult | EditError {
    const flow = this.host.flow();
    const trigger =
      typeof kindOrTrigger === 'string'
        ? createTrigger(kindOrTrigger, new Set((flow?.triggers ?? []).map((t) => t.id)))
        : kindOrTrigger;
    return this.run((f) => addTrigger(f, trigger), options);
  }

  removeNodes(
    ids: readonly string[],
    options: { throwRefusal?: boolean } = {},
  ): EditResult | EditError {
    const flow = this.host.flow();
    // Trigger cards are selected as `trigger:<id>`.
    const triggers = ids
      .map((id) => (id.startsWith('trigger:') ? id.slice(8) : id))
      .filter((id) => flow?.triggers?.some((t) => t.id === id) && !(flow && locate(flow, id)));
    const nodes = ids.filter((id) => !id.startsWith('trigger:') && !triggers.includes(id));
    const result =
      nodes.length > 0
        ? this.run((f) => removeNodes(f, nodes), options)
        : this.run((f) => removeTriggers(f, triggers), options);
    if (!(result instanceof EditError)) this.host.setSelection([]);
    return result;
  }

  removeEdges(
    edges: readonly EdgeRef[],
    options: { throwRefusal?: boolean } = {},
  ): EditResult | EditError {
    const result = this.run((f) => removeEdges(f, edges), options);
    if (!(result instanceof EditError)) this.selectedEdge = undefined;
    return result;
  }

  connect(edge: EdgeRef, options: { throwRefusal?: boolean } = {}): EditResult | EditError {
    return this.run((f) => connect(f, edge, this.ctx), options);
  }

  move(
    ids: readonly string[],
    at: InsertAt,
    options: { throwRefusal?: boolean } = {},
  ): EditResult | EditError {
    return this.run((f) => moveNodes(f, ids, at, this.ctx), options);
  }

  setProperty(
    target: EditTarget,
    path: readonly (string | number)[],
    value: unknown,
    options: { coalesce?: string; throwRefusal?: boolean } = {},
  ): EditResult | EditError {
    return this.run((f) => setProperty(f, target, path, value), options);
  }

  rename(
    target: EditTarget,
    name: string,
    options: { throwRefusal?: boolean } = {},
  ): EditResult | EditError {
    return this.run((f) => renameNode(f, target, name), options);
  }

  changeId(
    from: string,
    to: string,
    options: { throwRefusal?: boolean } = {},
  ): EditResult | EditError {
    const result = this.run((f) => changeNodeId(f, from, to), options);
    if (!(result instanceof EditError)) {
      this.host.setSelection(this.host.selection().map((id) => (id === from ? to : id)));
    }
    return result;
  }

  /** The clipboard text of the selection (also put on the page's and the system clipboard). */
  copy(): string | undefined {
    const flow = this.host.flow();
    const ids = this.host.selection();
    if (!flow || ids.length === 0) return undefined;
    const fragment = copyNodes(flow, ids);
    if (fragment.nodes.length === 0) return undefined;
    const text = fragmentText(fragment);
    pageClipboard = text;
    void navigator.clipboard?.writeText(text).catch(() => undefined);
    this.announce(this.host.strings().copied(fragment.nodes.length));
    return text;
  }

  cut(): string | undefined {
    const text = this.copy();
    if (text !== undefined) this.removeNodes(this.host.selection());
    return text;
  }

  /** Pastes clipboard text (default: what was copied last on this page) after the selection. */
  paste(
    text = pageClipboard,
    at?: InsertAt,
    options: { throwRefusal?: boolean } = {},
  ): EditResult | EditError | undefined {
    if (text === undefined) return undefined;
    let fragment;
    try {
      fragment = parseClipboard(text);
    } catch (error) {
      if (error instanceof EditError) {
        this.refused(error, options.throwRefusal === true);
        return error;
      }
      throw error;
    }
    const where = at ?? this.defaultInsertion();
    const result = this.run((f) => pasteFragment(f, fragment, where, this.ctx), options);
    if (!(result instanceof EditError) && result.change.kind === 'pasted') {
      this.focusAfterEdit(result.change.ids);
    }
    return result;
  }

  duplicate(options: { throwRefusal?: boolean } = {}): EditResult | EditError | undefined {
    const ids = this.host.selection();
    if (ids.length === 0) return undefined;
    const result = this.run((f) => duplicateNodes(f, ids, this.ctx), options);
    if (!(result instanceof EditError) && result.change.kind === 'pasted') {
      this.focusAfterEdit(result.change.ids);
    }
    return result;
  }

  /** Where a new step goes now: after the single selected step, on the selected edge, or at the end. */
  defaultInsertion(): InsertAt {
    const flow = this.host.flow();
    if (!flow) return { kind: 'graph', graph: '' };
    if (this.selectedEdge) return { kind: 'edge', edge: this.selectedEdge };
    const selected = this.host.selection();
    const last = selected[selected.length - 1];
    if (last !== undefined && locate(flow, last)) {
      const found = locate(flow, last)!;
      // A selected empty container takes the step inside.
      const body = (found.node as unknown as { nodes?: unknown }).nodes;
      if (Array.isArray(body) && body.length === 0) return { kind: 'graph', graph: last };
      return insertionAfter(flow, last, this.host.catalog());
    }
    return insertionAtEnd(flow, this.host.catalog());
  }

  /** Selects what an edit added and focuses it once drawn (unless focus went elsewhere meanwhile). */
  private focusAfterEdit(ids: readonly string[]): void {
    const id = ids[ids.length - 1];
    if (id === undefined) return;
    this.host.setSelection(ids);
    const shadow = this.host.element.shadowRoot;
    const before = shadow?.activeElement ?? null;
    void (this.host.element as unknown as { layoutComplete?: Promise<void> }).layoutComplete?.then(
      () => {
        const now = shadow?.activeElement ?? null;
        if (this.renaming) return;
        if (now === before || now === null || now.matches('millrace-flow-palette'))
          this.host.focusNode(id);
      },
    );
  }

  // ------------------------------------------------------------------------------------------
  // Palette

  openPalette(at: InsertAt | 'auto' = 'auto'): void {
    if (!this.host.editable()) return;
    this.paletteAt = at;
    this.host.element.requestUpdate();
    void this.host.element.updateComplete.then(() =>
      (
        this.host.element.shadowRoot?.querySelector('millrace-flow-palette') as HTMLElement | null
      )?.focus(),
    );
  }

  closePalette(): void {
    if (this.paletteAt === undefined) return;
    this.paletteAt = undefined;
    this.host.element.requestUpdate();
  }

  private pick(item: PaletteItem, at: InsertAt | 'auto' | undefined): void {
    this.paletteAt = undefined;
    if (item.kind === 'trigger') this.addTrigger(item.type as Trigger['kind']);
    else this.insert(item.type, at === 'auto' || at === undefined ? undefined : at);
    this.host.element.requestUpdate();
  }

  // ------------------------------------------------------------------------------------------
  // Keys

  /** Handles an editing key; true when it did something. */
  handleKey(e: KeyboardEvent): boolean {
    const target = e.composedPath()[0];
    if (isTextField(target)) return false;
    const command = editCommandOf(e);
    if (command === undefined) return false;
    if (command === 'close') {
      if (this.renaming) this.renaming = undefined;
      else if (this.paletteAt !== undefined) this.closePalette();
      else if (this.selectedEdge) this.selectedEdge = undefined;
      else if (this.host.selection().length > 0) this.host.setSelection([]);
      else return false;
      this.host.element.requestUpdate();
      return true;
    }
    if (command === 'copy') return this.copy() !== undefined;
    if (command === 'select-all') {
      const flow = this.host.flow();
      if (!flow) return false;
      this.host.setSelection((flow.nodes ?? []).map((n) => n.id));
      return true;
    }
    if (!this.host.editable()) return false;
    const selected = this.host.selection();
    switch (command) {
      case 'undo':
        this.undo();
        return true;
      case 'redo':
        this.redo();
        return true;
      case 'delete':
        if (this.selectedEdge) this.removeEdges([this.selectedEdge]);
        else if (selected.length > 0) this.removeNodes(selected);
        else return false;
        return true;
      case 'cut':
        return this.cut() !== undefined;
      case 'paste':
        // A real paste also fires a `paste` event with the system clipboard; without one (no
        // permission, a synthetic key) the page's clipboard is used.
        clearTimeout(this.pendingPaste);
        this.pendingPaste = setTimeout(() => this.paste(), 30);
        return true;
      case 'duplicate':
        return this.duplicate() !== undefined;
      case 'rename': {
        const id = selected[selected.length - 1];
        if (id === undefined) return false;
        this.startRename(id.startsWith('trigger:') ? id.slice(8) : id);
        return true;
      }
      case 'add':
        this.openPalette();
        return true;
      case 'open':
        return false;
    }
  }

  /** A `paste` event: the system clipboard's text. */
  onPaste = (e: ClipboardEvent): void => {
    if (isTextField(e.composedPath()[0]) || !this.host.editable()) return;
    const text = e.clipboardData?.getData('text/plain');
    clearTimeout(this.pendingPaste);
    if (!text) {
      this.paste();
      return;
    }
    e.preventDefault();
    this.paste(text);
  };

  /** A `copy`/`cut` event: the selection goes onto the system clipboard as flow JSON. */
  onCopy = (e: ClipboardEvent): void => {
    if (isTextField(e.composedPath()[0])) return;
    const text = e.type === 'cut' && this.host.editable() ? this.cut() : this.copy();
    if (text === undefined || !e.clipboardData) return;
    e.clipboardData.setData('text/plain', text);
    e.preventDefault();
  };

  // ------------------------------------------------------------------------------------------
  // Rename

  startRename(id: string): void {
    if (!this.host.editable()) return;
    const flow = this.host.flow();
    const trigger = flow?.triggers?.some((t) => t.id === id);
    this.renaming =
      trigger && !(flow && locate(flow, id)) ? { kind: 'trigger', id } : { kind: 'node', id };
    this.host.element.requestUpdate();
    void this.host.element.updateComplete.then(() => {
      const input = this.host.element.shadowRoot?.querySelector<HTMLInputElement>('input.rename');
      input?.focus();
      input?.select();
    });
  }

  private commitRename(input: HTMLInputElement): void {
    const target = this.renaming;
    if (!target) return;
    this.renaming = undefined;
    const current = this.nameOf(target.id);
    if (input.value !== current) this.rename(target, input.value);
    this.host.element.requestUpdate();
    this.host.focusNode(target.id);
  }

  // ------------------------------------------------------------------------------------------
  // Pointer: palette drags, moving cards, connecting ports, the lasso (edit-gestures.ts)

  /** A drag from the palette starts (its `palette-drag-start`). */
  onPaletteDrag = (
    e: CustomEvent<{ item: PaletteItem; pointerId: number; clientX: number; clientY: number }>,
  ): void => this.gestures.paletteDrag(e.detail);

  /**
   * A pointer down on the canvas: on an output port it starts a connection, on a card a move,
   * with shift on the background a lasso. True when editing took the pointer (no pan).
   */
  pointerDown(e: PointerEvent): boolean {
    return this.gestures.pointerDown(e);
  }

  /** True once, right after a drag ended: the click that ends it is not a click. */
  consumeDragClick(): boolean {
    return this.gestures.consumeDragClick();
  }

  /** A click on an edge selects it (Delete then removes it). */
  selectEdge(edge: EdgeRef | undefined): void {
    this.selectedEdge = edge;
    if (edge) this.host.setSelection([]);
    this.host.element.requestUpdate();
  }

  // ------------------------------------------------------------------------------------------
  // Rendering

  /** Undo, redo and "Add step" in the toolbar (nothing when read-only). */
  renderTools() {
    if (!this.host.editable()) return nothing;
    const t = this.host.strings();
    return html`<button
        part="button add-step"
        aria-label=${t.addStep}
        title=${t.addStep}
        aria-keyshortcuts="A"
        @click=${() => this.openPalette()}
      >
        <span aria-hidden="true">+</span><span class="tool-text">${t.step}</span>
      </button>
      <button
        part="button undo"
        aria-label=${t.undo}
        title=${t.undo}
        aria-keyshortcuts="Control+Z Meta+Z"
        ?disabled=${!this.editor.canUndo}
        @click=${() => this.undo()}
      >
        ${UNDO_ICON}
      </button>
      <button
        part="button redo"
        aria-label=${t.redo}
        title=${t.redo}
        aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
        ?disabled=${!this.editor.canRedo}
        @click=${() => this.redo()}
      >
        ${REDO_ICON}
      </button>`;
  }

  /** The palette, when open. */
  renderPalette() {
    const at = this.paletteAt;
    if (at === undefined || !this.host.editable()) return nothing;
    const t = this.host.strings();
    const where = at === 'auto' ? this.defaultInsertion() : at;
    return html`<millrace-flow-palette
      class="palette-overlay"
      .groups=${paletteGroups(this.host.catalog())}
      .strings=${t}
      .context=${t.insertAt(where, this.nameOf)}
      @palette-pick=${(e: CustomEvent<{ item: PaletteItem }>) => this.pick(e.detail.item, at)}
      @palette-close=${() => {
        this.closePalette();
        const id = this.host.selection()[0];
        if (id !== undefined) this.host.focusNode(id);
      }}
      @palette-drag-start=${this.onPaletteDrag}
    ></millrace-flow-palette>`;
  }

  /** The inline rename field over the card being renamed. */
  renderRename() {
    const target = this.renaming;
    const layout = this.host.layout();
    const box =
      target && layout?.nodes.get(target.kind === 'trigger' ? `trigger:${target.id}` : target.id);
    if (!target || !box) return nothing;
    const v = this.host.viewport();
    const canvas = this.host.element.shadowRoot?.querySelector<SVGSVGElement>('svg.canvas');
    const host = this.host.element.getBoundingClientRect();
    const off = canvas?.getBoundingClientRect();
    const dx = off ? off.left - host.left : 0;
    const dy = off ? off.top - host.top : 0;
    const style = `left:${dx + box.x * v.zoom + v.x}px;top:${dy + box.y * v.zoom + v.y}px;width:${Math.max(120, box.width * v.zoom)}px;`;
    return html`<input
      class="rename"
      part="rename"
      style=${style}
      aria-label=${this.host.strings().renameLabel(target.id)}
      .value=${this.nameOf(target.id)}
      @keydown=${(e: KeyboardEvent) => {
        e.stopPropagation();
        if (e.key === 'Enter') this.commitRename(e.target as HTMLInputElement);
        if (e.key === 'Escape') {
          this.renaming = undefined;
          this.host.element.requestUpdate();
          this.host.focusNode(target.id);
        }
      }}
      @blur=${(e: FocusEvent) => this.commitRename(e.target as HTMLInputElement)}
    />`;
  }

  /**
   * The editing layer of the canvas (inside the viewport group, above the edges): "+" buttons
   * on edges and on open ports, a selected edge's outline, the connection being dragged, the
   * drop target of a palette or move drag, and the lasso.
   */
  renderCanvasLayer(
    layout: LayoutResult | undefined,
    far: boolean,
    drawnEdges: readonly LayoutEdge[] = layout?.edges ?? [],
    drawnNodes?: ReadonlySet<string>,
  ) {
    const flow = this.host.flow();
    if (!layout || !flow || !this.host.editable()) return nothing;
    // The "+" buttons of a new layout come a frame after its cards: the first paint of a large
    // flow (and of each edit) draws only what shows the flow.
    const ready = this.affordancesFor === layout;
    if (!ready && this.affordancesPending !== layout) {
      this.affordancesPending = layout;
      requestAnimationFrame(() =>
        setTimeout(() => {
          if (this.affordancesPending !== layout) return;
          this.affordancesFor = layout;
          this.host.element.requestUpdate();
        }, 0),
      );
    }
    const t = this.host.strings();
    const target = this.gestures.dropTarget;
    const plus = (x: number, y: number, at: InsertAt, cls: string) => {
      const label = t.insertAt(at, this.nameOf);
      const active = target && JSON.stringify(target) === JSON.stringify(at);
      return svg`<g class="plus ${cls}${active ? ' drop-target' : ''}" part="insert" role="button" tabindex="-1" aria-label=${label}
          data-at=${JSON.stringify(at)}
          @pointerdown=${(e: PointerEvent) => e.stopPropagation()}
          @click=${(e: MouseEvent) => {
            e.stopPropagation();
            this.openPalette(at);
          }}>
          <title>${label}</title>
          <circle cx=${x} cy=${y} r="9"></circle>
          <path d="M${x - 4} ${y}h8M${x} ${y - 4}v8"></path>
        </g>`;
    };
    const edges =
      far || !ready
        ? nothing
        : drawnEdges.map((e) => {
            const at = insertAtEdge(e);
            if (!at) return nothing;
            const mid = polylineMidpoint(e.points);
            return plus(mid.x, mid.y, at, 'plus-edge');
          });
    const ports =
      far || !ready
        ? nothing
        : openPorts(flow, layout, this.host.catalog(), drawnNodes).map((p) =>
            plus(p.at.x, p.at.y + 22, { kind: 'port', from: p.from, port: p.port }, 'plus-port'),
          );
    const selected = this.selectedEdge;
    const selectedLine = selected
      ? layout.edges.find(
          (e) => e.kind === 'flow' && JSON.stringify(edgeRefOf(e)) === JSON.stringify(selected),
        )
      : undefined;
    return svg`<g class="edit-layer">
      ${selectedLine ? svg`<polyline class="edge-selected" points=${selectedLine.points.map((p) => `${p.x},${p.y}`).join(' ')}></polyline>` : nothing}
      ${edges}${ports}
      ${this.gestures.renderPreview(layout)}
    </g>`;
  }
}
