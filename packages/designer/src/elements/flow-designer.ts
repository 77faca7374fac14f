import { LitElement, html, nothing, render, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  catalogMap,
  type ActionDescriptor,
  type ActionCatalog,
  type Diagnostic,
  type FlowDefinition,
  type FlowNode,
  type Trigger,
} from '@millrace/engine';
import { designerStyles } from '../styles/designer-styles.ts';
import { FIT_ICON, ZOOM_IN_ICON, ZOOM_OUT_ICON, toolIconStyles } from './tool-icons.ts';
import type { LayoutEdge, LayoutNode, LayoutResult } from '../core/layout-result.ts';
import { boundsOf } from '../core/layout-result.ts';
import { EDGE_LABEL_PADDING_X, PORT_RADIUS } from '../core/node-size.ts';
import {
  arrowHeadPath,
  clipText,
  edgePath,
  indexFlow,
  trimEnd,
  trimStart,
  viewportTransform,
} from '../core/canvas-geometry.ts';
import { renderNodeCard } from './node-card.ts';
import { nodeIconOf, type IconOrigin } from '../core/node-icon.ts';
import { diagnosticMarks, type DiagnosticMarks, type Mark } from '../core/diagnostic-marks.ts';
import type { Viewport } from '../core/viewport.ts';
import type { IterationChoice, NodeOverlay } from '../core/run-overlay.ts';
import type { RunInput } from '../core/run-feed.ts';
import { DEFAULT_STRINGS, type DesignerStrings } from './designer-strings.ts';
import { renderIterationPicker } from './iteration-picker.ts';
import { nextFocus, type FocusDirection } from '../core/focus-graph.ts';
import { renderOutline } from './outline-view.ts';
import type { MinimapMode } from '../core/minimap.ts';
import { renderMinimap } from './minimap-view.ts';
import { standaloneSvg, svgToPng } from './image-export.ts';
import { createLayoutEngine, type LayoutEngine } from '../layout/layout-client.ts';
import { isLayoutStale } from '../layout/layout-errors.ts';
import { EditingController } from './editing-controller.ts';
import { RunOverlayController } from './run-overlay-controller.ts';
import { FAR_ZOOM, ViewportController } from './viewport-controller.ts';
import { ValidationController } from './validation-controller.ts';
import { PropertyPanelHost } from './property-panel-host.ts';
import type { PropertyRenderer } from '../panels/property-panel.ts';
import {
  EditError,
  type EdgeRef,
  type EditResult,
  type EditTarget,
  type InsertAt,
} from '../core/flow-edit.ts';
import { edgeRefOf } from '../core/edit-geometry.ts';
import { toWorld } from '../core/viewport.ts';
import { intersects, pointsBox } from '../core/render-window.ts';

const ARROWS: Readonly<Record<string, FocusDirection>> = {
  ArrowDown: 'down',
  ArrowUp: 'up',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};

/** The part of a flow definition this element reads so far. */
export interface FlowLike {
  readonly id?: string;
  readonly name?: string;
  readonly nodes?: readonly unknown[];
}

const ZOOM_STEP = 1.2;

/**
 * The `<flow-designer>` element. Not registered by itself: `define()` registers a fresh
 * subclass per tag name, because one class cannot be defined under two tags.
 */
export class FlowDesignerBase extends LitElement {
  static override styles = [designerStyles, toolIconStyles];
  /** Inside a `<form>` the designer submits its flow as JSON under its `name`. */
  static formAssociated = true;

  /**
   * The flow to show and edit (a `millrace.flow/v1` document). Each edit replaces it with the
   * next document (and reports it in `flow-change`); a controlled host sets it back after each
   * change, an uncontrolled one reads it when it needs it.
   */
  @property({ attribute: false }) flow: FlowLike | undefined = undefined;

  /** The flow an uncontrolled designer starts with (and returns to on a form reset). */
  @property({ attribute: false }) defaultFlow: FlowLike | undefined = undefined;

  /** The form field name the flow JSON is submitted under. */
  @property({ reflect: true }) name: string | undefined = undefined;

  /** The host's actions (ports, titles, icons). */
  @property({ attribute: false }) catalog: ActionCatalog | undefined = undefined;

  /** BCP 47 locale of numbers, durations and times (`de-CH`); the nearest `lang` when unset. */
  @property() locale: string | undefined = undefined;

  /** Replaces any of the default strings. */
  @property({ attribute: false }) strings: Partial<DesignerStrings> = {};

  /** Shows the flow without any editing affordance; every edit is refused. */
  @property({ type: Boolean, reflect: true }) readonly = false;

  /**
   * The layout engine; by default one is created on first use (a worker when possible).
   * Hosts and tests may pass `createLayoutEngine({ mainThread: true })`.
   */
  @property({ attribute: false }) layoutEngine: LayoutEngine | undefined = undefined;

  /** Diagnostics to mark; computed with `validateFlow` when not given. */
  @property({ attribute: false }) diagnostics: readonly Diagnostic[] | undefined = undefined;

  /**
   * A run to overlay: a RunView (`engine.getRun`) or the run's events (a stored log, or the
   * live events of `engine.subscribe`). To stream, reassign a longer array on each event (or
   * push and call `requestUpdate('run')`): only the new events are folded.
   */
  @property({ attribute: false }) run: RunInput | undefined = undefined;

  /** Shows the run timeline under the canvas (the toolbar toggles it). */
  @property({ type: Boolean, reflect: true, attribute: 'timeline-open' }) timelineOpen = false;

  /** The clock of open (live) timeline bars; inject one for replays and tests. */
  @property({ attribute: false }) now: () => number = () => Date.now();

  /**
   * Which iteration of each loop the nodes inside show (loop id → iteration); loops not named
   * show their latest iteration. The iteration pickers set it and dispatch `iteration-change`.
   */
  @property({ attribute: false }) iterationChoice: IterationChoice = {};

  /** The run shown over the canvas: overlay, iteration pickers, timeline. */
  private readonly runs = new RunOverlayController({
    element: this,
    run: () => this.run,
    flow: () => this.flow,
    iterationChoice: () => this.iterationChoice,
    setIterationChoice: (choice) => {
      this.iterationChoice = choice;
    },
    strings: () => this.text,
    locale: () => this.timeLocale,
    now: () => this.now(),
    selection: () => this.selected,
    select: (id) => this.select(id, false),
    timelineSlot: () => this.renderRoot.querySelector<HTMLElement>('.timeline-slot'),
  });

  /** The layout drawn now. */
  @state() protected layout: LayoutResult | undefined = undefined;
  @state() private layoutError = false;
  /** `light`, `dark`, or unset to follow the page's prefers-color-scheme. */
  @property({ reflect: true }) theme: 'light' | 'dark' | undefined = undefined;

  /** Ids of the selected nodes (`selection-change` reports changes). */
  @state() private selected: readonly string[] = [];

  private ownEngine: LayoutEngine | undefined;
  private fitPending = true;
  /**
   * The overview in the corner: `auto` (the default) shows it when the flow does not fit the
   * canvas at zoom 1 — a flow that fits needs no overview, and the map would cover part of it.
   */
  @property({ reflect: true }) minimap: MinimapMode = 'auto';
  /** Pan, zoom, level of detail, the drawn window, the canvas size (viewport-controller.ts). */
  private readonly viewer = new ViewportController({
    element: this,
    layout: () => this.layout,
    minimap: () => this.minimap,
  });
  /** Diagnostics: computed after the paint unless the host gives them. */
  private readonly validation = new ValidationController({
    element: this,
    flow: () => this.flow,
    catalog: () => this.catalog,
    given: () => this.diagnostics,
    validated: (diagnostics) => {
      this.updateFormValue();
      if (this.flow) {
        this.dispatchEvent(
          new CustomEvent('flow-validate', {
            bubbles: true,
            composed: true,
            detail: { diagnostics },
          }),
        );
      }
    },
  });
  private pendingLayout: Promise<void> = Promise.resolve();

  private readonly internals: ElementInternals | undefined =
    typeof this.attachInternals === 'function' ? this.attachInternals() : undefined;
  /** Set by the form when a disabled fieldset holds the designer. */
  private formDisabled = false;

  /** Editing: the session, keys, drags, palette and inline rename (editing-controller.ts). */
  private readonly editing = new EditingController({
    element: this,
    flow: () => this.flow as FlowDefinition | undefined,
    setFlow: (flow, change) => {
      // Recording the layout changes `ui` only: no layout request, no validation again.
      this.layoutRecorded = change.kind === 'layout-recorded' ? flow : undefined;
      this.flow = flow;
    },
    catalog: () => this.catalog,
    editable: () => this.editable,
    layout: () => this.layout,
    viewport: () => this.viewer.view,
    strings: () => this.text,
    selection: () => this.selected,
    setSelection: (ids) => this.setSelection(ids),
    focusNode: (id) => this.focusNode(id),
    toCanvas: (clientX, clientY) => {
      const box = this.renderRoot.querySelector('svg.canvas')?.getBoundingClientRect();
      return box && toWorld(this.viewer.view, clientX - box.left, clientY - box.top);
    },
  });

  /**
   * Replaces the generated input form of the property panel for some node types (or
   * `trigger:<kind>`): `(ctx) => TemplateResult | HTMLElement`, with `ctx.edit(path, value)`.
   * An element the host puts into the slot `editor-<type>` does the same.
   */
  @property({ attribute: false }) nodeEditors: { readonly [type: string]: PropertyRenderer } = {};

  /** The property panel of the opened step (property-panel-host.ts). */
  private readonly panel = new PropertyPanelHost({
    element: this,
    flow: () => this.flow as FlowDefinition | undefined,
    catalog: () => this.catalog,
    editable: () => this.editable,
    diagnostics: () => this.currentDiagnostics(),
    run: () => this.runs.view,
    theme: () => this.theme,
    strings: () => this.text.properties,
    renderers: () => this.nodeEditors,
    edit: (target, path, value, coalesce) => {
      this.editing.setProperty(target, path, value, { coalesce });
    },
    commit: () => this.editing.editor.seal(),
    focusNode: (id) => this.focusNode(id),
  });

  /** Opens the property panel of a step (Enter on a card, or a click). */
  openProperties(id: string): void {
    this.panel.open(id);
  }

  /** Closes the property panel. */
  closeProperties(): void {
    this.panel.close();
  }

  /** Resolves when the open property panel is loaded and drawn (tests, hosts). */
  get propertiesReady(): Promise<void> {
    return this.panel.panelReady;
  }

  /** The document the designer made by recording its layout in it (see `setFlow`). */
  private layoutRecorded: FlowLike | undefined;

  /** False when `readonly` or disabled by its form: no editing affordance, every edit refused. */
  get editable(): boolean {
    return !this.readonly && !this.formDisabled;
  }

  /** Resolves when the layout requested by the last change of `flow` or `catalog` is drawn. */
  get layoutComplete(): Promise<void> {
    return this.updateComplete
      .then(() => this.pendingLayout)
      .then(() => this.validation.complete)
      .then(() => this.updateComplete)
      .then(() => undefined);
  }

  private get text(): DesignerStrings {
    return { ...DEFAULT_STRINGS, ...this.strings };
  }

  /** The current pan/zoom transform. */
  get view(): Viewport {
    return this.viewer.view;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.ownEngine?.dispose();
    this.ownEngine = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Uncontrolled: the designer starts from `defaultFlow` and owns the document from there.
    if (changed.has('defaultFlow') && this.flow === undefined && this.defaultFlow !== undefined) {
      this.flow = this.defaultFlow;
      (changed as PropertyValues).set('flow', undefined);
    }
    // A document from the host (not one the editor produced): a new editing history.
    if (changed.has('flow') && this.flow !== this.editing.editor.flow) {
      this.editing.editor.reset(this.flow as FlowDefinition | undefined);
    }
    if (changed.has('run')) this.runs.fold(changed.has('iterationChoice'));
    const layoutOnly =
      changed.has('flow') &&
      this.flow === this.layoutRecorded &&
      !changed.has('catalog') &&
      !changed.has('layoutEngine') &&
      !changed.has('diagnostics');
    this.layoutRecorded = undefined;
    if (layoutOnly) return;
    if (changed.has('flow')) {
      // A different flow (not an edit of this one) is fitted again once laid out.
      const previous = changed.get('flow') as FlowLike | undefined;
      if (previous?.id !== this.flow?.id) this.fitPending = true;
    }
    // The layout request goes first: the worker lays out while validation runs here.
    // A layout known at once (cached, or recorded in the flow) is drawn in this very update.
    if (changed.has('flow') || changed.has('catalog') || changed.has('layoutEngine')) {
      const flow = this.flow;
      const known = flow && this.engine().peek?.(flow, this.catalog);
      this.pendingLayout = known ? this.drawLayout(flow, known) : this.relayout();
    }
    if (changed.has('flow') || changed.has('catalog') || changed.has('diagnostics')) {
      this.validation.schedule();
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('flow')) this.updateFormValue();
    if ((changed as PropertyValues).has('layout') && this.layout) {
      if (this.fitPending) {
        this.fitPending = false;
        this.viewer.openAtStart();
      } else {
        // Fitted before the render (relayout): the minimap's frame follows now.
        this.viewer.updateMinimapFrame();
      }
    }
    this.scheduleOutline();
  }

  private outlineDrawn:
    { readonly flow: FlowLike; readonly overlay: unknown; readonly strings: unknown } | undefined;
  private outlineScheduled = false;

  /**
   * The screen-reader outline is drawn after the canvas's paint, into its own slot: it is not
   * seen, and for a large flow it costs a quarter of the first render (measured: 1,000 nodes,
   * 206 → 158 ms to first paint without it in the template).
   */
  private scheduleOutline(): void {
    if (this.outlineScheduled) return;
    this.outlineScheduled = true;
    let done = false;
    const run = (): void => {
      if (done) return;
      done = true;
      this.outlineScheduled = false;
      this.drawOutline();
    };
    // When the browser is idle after the paint (a 1,000-step outline costs ~70 ms), and at the
    // latest a moment later; a hidden page gets no animation frames, hence the timer.
    requestAnimationFrame(() =>
      typeof requestIdleCallback === 'function'
        ? requestIdleCallback(run, { timeout: 200 })
        : setTimeout(run, 0),
    );
    setTimeout(run, 250);
  }

  private drawOutline(): void {
    const slot = this.renderRoot.querySelector<HTMLElement>('.outline-slot');
    const flow = this.flow;
    if (!slot || !flow) return;
    const overlay = this.runs.state()?.overlay;
    const last = this.outlineDrawn;
    if (last?.flow === flow && last.overlay === overlay && last.strings === this.strings) return;
    this.outlineDrawn = { flow, overlay, strings: this.strings };
    render(renderOutline(flow as FlowDefinition, this.text, overlay), slot);
  }

  private currentDiagnostics(): readonly Diagnostic[] {
    return this.validation.diagnostics;
  }

  /** The locale of time texts: `locale`, else the nearest `lang`, else the browser's. */
  private get timeLocale(): string | undefined {
    return this.locale ?? (this.closest('[lang]')?.getAttribute('lang') || undefined);
  }

  /**
   * The timeline panel's slot. The panel is drawn into it after each update (`drawTimeline`),
   * outside this template, so that a live run's bars can grow every second without the canvas
   * being rendered again.
   */
  private renderTimeline() {
    return this.timelineOpen ? html`<div class="timeline-slot"></div>` : nothing;
  }

  private engine(): LayoutEngine {
    return this.layoutEngine ?? (this.ownEngine ??= createLayoutEngine({ shared: true }));
  }

  /** Lays the flow out again; resolves when the new layout is drawn (or superseded). */
  async relayout(): Promise<void> {
    const flow = this.flow;
    if (!flow) {
      this.layout = undefined;
      return;
    }
    try {
      const result = await this.engine().layout(flow, this.catalog);
      if (flow !== this.flow) return;
      await this.drawLayout(flow, result);
    } catch (error) {
      if (isLayoutStale(error)) return;
      if (flow !== this.flow) return;
      this.layout = undefined;
      this.layoutError = true;
      // `E_LAYOUT_FAILED` with ELK's reason as its cause; the canvas says so in an alert.
      this.dispatchEvent(
        new CustomEvent('layout-error', { bubbles: true, composed: true, detail: { error } }),
      );
    }
  }

  /** Draws the layout of `flow` (the current flow); resolves once it is drawn and recorded. */
  private async drawLayout(flow: FlowLike, result: LayoutResult): Promise<void> {
    // Fitted before the layout's first render, so the cards are drawn once, at the zoom
    // (and level of detail) they are first seen at.
    if (this.fitPending && this.viewer.openBeforeRender(result)) this.fitPending = false;
    this.layout = result;
    this.layoutError = false;
    await this.updateComplete;
    // The layout travels with the flow (`ui.layout`), so a saved flow reopens without ELK.
    if (flow === this.flow) this.editing.recordLayout(result);
  }

  /** Zooms and pans so the whole flow is visible. */
  fit(): void {
    this.viewer.fit();
  }

  /** Centres a node at zoom 1 (or fits it when larger than the canvas) and focuses it. */
  zoomToNode(id: string): void {
    const node = this.layout?.nodes.get(id);
    if (!node) return;
    this.viewer.zoomTo({ x: node.x, y: node.y, width: node.width, height: node.height });
    this.renderRoot.querySelector<SVGGElement>(`g.node[data-node-id="${CSS.escape(id)}"]`)?.focus();
  }

  /** Zooms by `factor` around the centre of the canvas. */
  zoomBy(factor: number): void {
    this.viewer.zoomBy(factor);
  }

  /** Zoom keys anywhere in the designer but in its form controls: `+`/`=` in, `-` out, `0` fit. */
  private onCanvasKey = (e: KeyboardEvent): void => {
    if (this.editing.handleKey(e)) {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.composedPath()[0];
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    if (target instanceof HTMLSelectElement) return;
    const action =
      e.key === '+' || e.key === '='
        ? () => this.zoomBy(ZOOM_STEP)
        : e.key === '-'
          ? () => this.zoomBy(1 / ZOOM_STEP)
          : e.key === '0'
            ? () => this.fit()
            : undefined;
    if (!action) return;
    e.preventDefault();
    action();
  };

  /**
   * A card reached by keyboard becomes the selection, so the editing keys act on the card that
   * has focus (a click selects through its own handler, with shift extending).
   */
  private onFocusIn = (e: FocusEvent): void => {
    const target = e.composedPath()[0];
    if (!(target instanceof SVGGElement) || !target.matches('g.node:focus-visible')) return;
    const id = target.getAttribute('data-node-id');
    if (id !== null && !this.selected.includes(id)) this.setSelection([id]);
  };

  private onPointerDown = (e: PointerEvent): void => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    // Ports start a connection, cards a move, shift on the background a lasso.
    if (this.editing.pointerDown(e)) return;
    this.viewer.pointerDown(e);
  };

  /** Arrow keys: along edges (down/up) and across branches (left/right). */
  private moveFocus(from: string, direction: FocusDirection): void {
    if (!this.flow || !this.layout) return;
    const to = nextFocus(this.flow as FlowDefinition, this.layout, from, direction);
    if (!to) return;
    this.focusNode(to);
  }

  /** Selects a node (adding to the selection with `extend`); `undefined` clears it. */
  private select(id: string | undefined, extend: boolean): void {
    const next = id === undefined ? [] : extend ? [...new Set([...this.selected, id])] : [id];
    this.setSelection(next);
  }

  /** Ids of the selected steps. */
  get selection(): readonly string[] {
    return this.selected;
  }

  /** Selects these steps (`selection-change` reports it). */
  setSelection(ids: readonly string[]): void {
    const next = [...ids];
    if (next.length > 0) this.editing.selectedEdge = undefined;
    if (next.length === this.selected.length && next.every((x, i) => x === this.selected[i]))
      return;
    this.selected = next;
    this.dispatchEvent(
      new CustomEvent('selection-change', {
        bubbles: true,
        composed: true,
        detail: { selected: next },
      }),
    );
  }

  /** Focuses a step's card (after the next render when it is not drawn yet). */
  focusNode(id: string): void {
    const find = () =>
      this.renderRoot.querySelector<SVGGElement>(`g.node[data-node-id="${CSS.escape(id)}"]`) ??
      this.renderRoot.querySelector<SVGGElement>(
        `g.node[data-node-id="${CSS.escape(`trigger:${id}`)}"]`,
      );
    const card = find();
    if (card) {
      card.focus();
      return;
    }
    // Not drawn (far from the view): bring it into view first, at the same zoom.
    const box = this.layout?.nodes.get(id) ?? this.layout?.nodes.get(`trigger:${id}`);
    if (box) this.viewer.bringIntoView(box);
    void this.updateComplete.then(() => find()?.focus());
  }

  // ---------------------------------------------------------------------------------------------
  // Editing (README: "Editing"). Every command goes through the editing session: it can be
  // vetoed (`flow-before-change`), is reported (`flow-change`) and undone. Called by the host,
  // a refused command throws its EditError (`code`, `message`); from the UI it is announced.

  /** Whether there is an edit to undo / redo. */
  get canUndo(): boolean {
    return this.editable && this.editing.editor.canUndo;
  }

  get canRedo(): boolean {
    return this.editable && this.editing.editor.canRedo;
  }

  undo(): void {
    this.editing.undo();
  }

  redo(): void {
    this.editing.redo();
  }

  private unwrap(result: EditResult | EditError | undefined): EditResult | undefined {
    if (result instanceof EditError) throw result;
    return result;
  }

  /**
   * Adds a step: a type from the palette (`'slack.post'`, `'if'`) or a whole node, at `at`
   * (default: after the selected step, on the selected edge, or at the end of the flow).
   */
  addNode(typeOrNode: string | FlowNode, at?: InsertAt): EditResult {
    return this.unwrap(this.editing.insert(typeOrNode, at, { throwRefusal: true }))!;
  }

  addTrigger(kindOrTrigger: Trigger['kind'] | Trigger): EditResult {
    return this.unwrap(this.editing.addTrigger(kindOrTrigger, { throwRefusal: true }))!;
  }

  /** Removes steps (or triggers), reconnecting each chain around them where unambiguous. */
  removeNodes(ids: readonly string[]): EditResult {
    return this.unwrap(this.editing.removeNodes(ids, { throwRefusal: true }))!;
  }

  removeEdges(edges: readonly EdgeRef[]): EditResult {
    return this.unwrap(this.editing.removeEdges(edges, { throwRefusal: true }))!;
  }

  /** Connects two steps; refused with the reason when it would break the format's rules. */
  connect(edge: EdgeRef): EditResult {
    return this.unwrap(this.editing.connect(edge, { throwRefusal: true }))!;
  }

  /** Moves steps to another place: an edge, a port, into a container (`{ kind: 'graph' }`). */
  moveNodes(ids: readonly string[], at: InsertAt): EditResult {
    return this.unwrap(this.editing.move(ids, at, { throwRefusal: true }))!;
  }

  /** Sets (or with `undefined` removes) a value inside a step or trigger: `['input', 'url']`. */
  setProperty(
    target: EditTarget | string,
    path: readonly (string | number)[],
    value: unknown,
  ): EditResult {
    const t: EditTarget = typeof target === 'string' ? { kind: 'node', id: target } : target;
    return this.unwrap(this.editing.setProperty(t, path, value, { throwRefusal: true }))!;
  }

  /** Sets a step's (or trigger's) display name. */
  renameNode(target: EditTarget | string, name: string): EditResult {
    const t: EditTarget = typeof target === 'string' ? { kind: 'node', id: target } : target;
    return this.unwrap(this.editing.rename(t, name, { throwRefusal: true }))!;
  }

  /** Changes a step's id, rewriting its edges and every `$<nodes.id...>` reference. */
  changeNodeId(from: string, to: string): EditResult {
    return this.unwrap(this.editing.changeId(from, to, { throwRefusal: true }))!;
  }

  /** The selection as clipboard text (flow JSON); also put on the clipboard. */
  copy(): string | undefined {
    return this.editing.copy();
  }

  cut(): string | undefined {
    return this.editable ? this.editing.cut() : undefined;
  }

  /** Pastes flow JSON (default: what was copied last on this page) after the selection. */
  paste(text?: string, at?: InsertAt): EditResult | undefined {
    return this.unwrap(this.editing.paste(text, at, { throwRefusal: true }));
  }

  duplicate(): EditResult | undefined {
    return this.unwrap(this.editing.duplicate({ throwRefusal: true }));
  }

  /** Opens the palette to add a step at `at` (default: after the selection). */
  openPalette(at?: InsertAt): void {
    this.editing.openPalette(at ?? 'auto');
  }

  /** Starts the inline rename of a step (F2, double-click). */
  startRename(id: string): void {
    this.editing.startRename(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Form association

  private updateFormValue(): void {
    const internals = this.internals;
    // Outside a form there is nothing to submit (and a 1,000-step flow takes ~15 ms to write).
    if (!internals || typeof internals.setFormValue !== 'function' || !internals.form) return;
    const flow = this.flow;
    internals.setFormValue(flow === undefined ? null : JSON.stringify(flow));
    const errors = flow ? this.currentDiagnostics().filter((d) => d.severity === 'error') : [];
    if (errors.length > 0) internals.setValidity({ customError: true }, errors[0]!.message);
    else internals.setValidity({});
  }

  /** The form's view of the designer (form-associated custom element). */
  get form(): HTMLFormElement | null {
    return this.internals?.form ?? null;
  }

  get validity(): ValidityState | undefined {
    this.validation.flush();
    return this.internals?.validity;
  }

  get validationMessage(): string {
    this.validation.flush();
    return this.internals?.validationMessage ?? '';
  }

  checkValidity(): boolean {
    this.validation.flush();
    return this.internals?.checkValidity() ?? true;
  }

  reportValidity(): boolean {
    this.validation.flush();
    return this.internals?.reportValidity() ?? true;
  }

  /** Put into (or taken out of) a form: the form gets the flow from now on. */
  formAssociatedCallback(): void {
    this.updateFormValue();
  }

  formResetCallback(): void {
    this.flow = this.defaultFlow;
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
    this.requestUpdate();
  }

  private openNode(id: string, overlay: NodeOverlay | undefined): void {
    this.dispatchEvent(
      new CustomEvent('node-open', {
        bubbles: true,
        composed: true,
        detail: { nodeId: id, view: overlay?.view },
      }),
    );
  }

  override render() {
    const flow = this.flow;
    if (!flow) return html`<div class="empty" part="empty">${this.text.noFlow}</div>`;
    const t = this.text;
    const name = flow.name ?? t.untitled;
    const count = flow.nodes?.length ?? 0;
    return html`
      <section
        part="canvas"
        role="region"
        aria-label=${t.canvas(name)}
        aria-keyshortcuts="+ - 0"
        @keydown=${this.onCanvasKey}
        @focusin=${this.onFocusIn}
        @paste=${this.editing.onPaste}
        @copy=${this.editing.onCopy}
        @cut=${this.editing.onCopy}
      >
        <div class="top">
          <header part="toolbar">${name}</header>
          <span class="count">${t.nodeCount(count)}</span>
          <span class="tools" role="toolbar">
            ${this.editing.renderTools()}
            <button
              part="button zoom-out"
              aria-label=${t.zoomOut}
              title=${t.zoomOut}
              @click=${() => this.zoomBy(1 / ZOOM_STEP)}
            >
              ${ZOOM_OUT_ICON}
            </button>
            <button
              part="button zoom-in"
              aria-label=${t.zoomIn}
              title=${t.zoomIn}
              @click=${() => this.zoomBy(ZOOM_STEP)}
            >
              ${ZOOM_IN_ICON}
            </button>
            <button part="button fit" aria-label=${t.fit} title=${t.fit} @click=${() => this.fit()}>
              ${FIT_ICON}
            </button>
            ${
              this.run
                ? html`<button
                    part="button timeline-toggle"
                    aria-label=${t.timeline}
                    title=${t.timeline}
                    aria-pressed=${this.timelineOpen ? 'true' : 'false'}
                    @click=${() => (this.timelineOpen = !this.timelineOpen)}
                  >
                    <svg class="timeline-icon" width="16" height="12" aria-hidden="true">
                      <rect x="0" y="0" width="9" height="3"></rect>
                      <rect x="4" y="4.5" width="8" height="3"></rect>
                      <rect x="9" y="9" width="7" height="3"></rect>
                    </svg>
                  </button>`
                : nothing
            }
          </span>
        </div>
        ${this.layoutError ? html`<div class="empty" role="alert">${t.layoutFailed}</div>` : nothing}
        ${
          this.layout === undefined && !this.layoutError && count > 0
            ? html`<div class="loading" part="loading" role="status">${t.layingOut}</div>`
            : nothing
        }
        ${this.renderCanvas()} ${this.renderEmptyFlow(count)} ${this.editing.renderPalette()}
        ${this.editing.renderRename()} ${this.panel.render()} ${this.renderMinimap()}
        ${this.renderTimeline()}
        <div class="sr-only" part="live" role="status" aria-live="polite">
          ${this.runAnnouncement()}
        </div>
        <div class="sr-only" part="iteration-live" role="status" aria-live="polite">
          ${this.runs.announcement}
        </div>
        <div class="sr-only" part="edit-live" role="status" aria-live="polite">
          ${this.editing.announcement}
        </div>
        <div class="outline-slot"></div>
      </section>
    `;
  }

  /** A flow without steps: a button that opens the palette (when editable). */
  private renderEmptyFlow(count: number) {
    if (count > 0 || !this.editable) return nothing;
    const t = this.text;
    return html`<div class="empty-flow" part="empty-flow">
      <p>${t.emptyFlow}</p>
      <button
        part="button add-first"
        @click=${() => this.editing.openPalette({ kind: 'graph', graph: '' })}
      >
        ${t.addFirstStep}
      </button>
    </div>`;
  }

  /** What the live region says: the run's status, for screen-reader users. */
  private runAnnouncement(): string {
    const run = this.runs.view;
    if (!run) return '';
    const t = this.text;
    return t.runStatus(
      run.status,
      run.nodes.filter((n) => n.status === 'failed').map((n) => n.nodeId),
    );
  }

  private renderMinimap() {
    const layout = this.layout;
    if (!layout || !this.viewer.showsMinimap(boundsOf(layout))) return nothing;
    return renderMinimap(layout, {
      label: this.text.minimap,
      view: () => {
        const screen = this.renderRoot.querySelector('svg.canvas')?.getBoundingClientRect();
        return screen && { viewport: this.viewer.view, width: screen.width, height: screen.height };
      },
      onPan: (viewport) => this.viewer.set(viewport),
    });
  }

  /**
   * The whole flow as a PNG image (`scale` × the layout's size). The SVG export is drawn through
   * a `data:` URL, which a strict CSP allows for images (`img-src data:`), unlike `blob:`.
   */
  async exportPng(scale = 2): Promise<Blob> {
    const svgText = this.exportSvg();
    if (!svgText || !this.layout)
      throw new Error('exportPng(): the flow has not been laid out yet.');
    return svgToPng(svgText, boundsOf(this.layout), scale);
  }

  /**
   * The whole flow as a standalone SVG document (styles inlined as a `<style>` element of the
   * exported file, never of the page), at zoom 1 with the full bounds and every card's details
   * (also when the canvas shows them zoomed far out as plain boxes).
   */
  exportSvg(): string {
    if (!this.layout) return '';
    // Drawn apart: every card with its details (the canvas draws only what is near the view).
    const holder = document.createElement('div');
    render(this.renderCanvas(false, false), holder);
    const canvas = holder.querySelector<SVGSVGElement>('svg.canvas');
    return canvas ? standaloneSvg(canvas, boundsOf(this.layout)) : '';
  }

  private renderCanvas(far = this.viewer.farCards, cull = true) {
    const layout = this.layout;
    const flow = this.flow as Parameters<typeof indexFlow>[0];
    const byId = indexFlow(flow);
    const marks = this.marks();
    const overlay = this.runs.state()?.overlay;
    const window = cull ? this.viewer.drawnWindow() : undefined;
    // Selected cards stay drawn (focus may be on one of them).
    const nodes = layout
      ? [...layout.nodes.values()].filter(
          (n) => !window || intersects(window, n) || this.selected.includes(n.id),
        )
      : [];
    const edges = (layout?.edges ?? []).filter(
      (e) => !window || intersects(window, pointsBox(e.points)),
    );
    return html`<svg
      part="svg"
      class="canvas ${this.viewer.view.zoom < FAR_ZOOM ? 'far' : ''}"
      @wheel=${this.viewer.onWheel}
      @pointerdown=${this.onPointerDown}
      @pointermove=${this.viewer.onPointerMove}
      @pointerup=${this.viewer.onPointerUp}
      @pointercancel=${this.viewer.onPointerUp}
    >
      <g class="viewport" transform=${viewportTransform(this.viewer.view)}>
        <g class="nodes">
          ${repeat(
            nodes,
            (n) => n.id,
            (n) =>
              this.renderNode(n, byId.get(n.id), marks.nodes.get(n.id), overlay?.get(n.id), far),
          )}
        </g>
        <g class="edges">
          ${repeat(
            edges,
            (e) => e.id,
            (e) => this.renderEdge(e, marks.edges.get(e.id), far),
          )}
        </g>
        ${cull ? this.editing.renderCanvasLayer(layout, far, edges, new Set(nodes.map((n) => n.id))) : nothing}
      </g>
    </svg>`;
  }

  /** An edge; one with diagnostics is `edge-invalid` (dashed, coloured) with a tooltip. */
  private renderEdge(e: LayoutEdge, mark: Mark | undefined, far: boolean) {
    // Drawn from rim to rim of the port dots: the tip would cover the target's dot otherwise.
    const points = trimStart(trimEnd(e.points, PORT_RADIUS), PORT_RADIUS);
    const line = edgePath(points);
    const editable = this.editable && e.kind === 'flow';
    return svg`<g part="edge edge-${e.kind}${mark ? ' edge-invalid' : ''}" class="edge${mark ? ` edge-invalid severity-${mark.severity}` : ''}" data-edge-id=${e.id} data-from=${e.from} data-to=${e.to} data-severity=${mark?.severity ?? nothing}
      @click=${
        editable
          ? (ev: MouseEvent) => {
              ev.stopPropagation();
              this.editing.selectEdge(edgeRefOf(e));
            }
          : nothing
      }>
      ${mark ? svg`<title>${mark.diagnostics.map((d) => d.message).join('\n')}</title>` : nothing}
      ${mark || editable ? svg`<path class="edge-hit" d=${line}></path>` : nothing}
      <path class="edge-line" d=${line}></path>
      ${far ? nothing : svg`<path class="edge-arrow" d=${arrowHeadPath(points)}></path>`}
      ${
        e.label && !far
          ? svg`<g part="edge-label" class="edge-label">
              <rect x=${e.label.x} y=${e.label.y} width=${e.label.width} height=${e.label.height} rx="3"></rect>
              <text x=${e.label.x + EDGE_LABEL_PADDING_X} y=${e.label.y + e.label.height - 4}>${clipText(e.label.text, Math.floor((e.label.width - 2 * EDGE_LABEL_PADDING_X) / 7))}</text>
            </g>`
          : nothing
      }
    </g>`;
  }

  private catalogIndex:
    | { readonly catalog: ActionCatalog | undefined; readonly map: Map<string, ActionDescriptor> }
    | undefined;

  /** The catalog entry of a node type (the catalog indexed once per `catalog` value). */
  private descriptorOf(type: string): ActionDescriptor | undefined {
    let index = this.catalogIndex;
    if (index === undefined || index.catalog !== this.catalog) {
      index = this.catalogIndex = { catalog: this.catalog, map: catalogMap(this.catalog) };
    }
    return index.map.get(type);
  }

  private marksCache:
    { flow: unknown; diagnostics: readonly Diagnostic[]; marks: DiagnosticMarks } | undefined;

  /**
   * The diagnostics as card and edge marks, grouped again when the diagnostics change (with the
   * flow of that moment: diagnostics point into the flow they were made for; after an edit the
   * old marks stay until the new validation, a frame later, brings new diagnostics).
   */
  private marks(): DiagnosticMarks {
    const diagnostics = this.currentDiagnostics();
    const cached = this.marksCache;
    if (
      cached &&
      cached.diagnostics === diagnostics &&
      (cached.flow === this.flow || this.validation.scheduled)
    ) {
      return cached.marks;
    }
    const marks = diagnosticMarks(this.flow, diagnostics);
    this.marksCache = { flow: this.flow, diagnostics, marks };
    return marks;
  }

  /** What a card's icon square shows: trigger and built-in glyphs, catalog icons, monograms. */
  private iconOf(n: LayoutNode) {
    if (n.kind === 'region') return undefined;
    const where: IconOrigin = { origin: location.origin, baseUrl: document.baseURI };
    if (n.kind === 'trigger') return nodeIconOf({ kind: 'trigger', trigger: n.type }, where);
    const descriptor = this.descriptorOf(n.type);
    return nodeIconOf(
      descriptor ? { kind: 'node', type: n.type, descriptor } : { kind: 'node', type: n.type },
      where,
    );
  }

  /** The iteration picker of a loop card whose inside ran more than once. */
  private renderPicker(n: LayoutNode, source: FlowNode | Trigger | undefined) {
    if ((n.type !== 'forEach' && n.type !== 'while') || n.kind === 'region') return nothing;
    const name = (source && 'name' in source ? source.name : undefined) ?? n.id;
    return renderIterationPicker(n, this.runs.state()?.loops.get(n.id), {
      strings: this.text,
      name,
      onStep: (step) => this.runs.stepLoop(n.id, step, name),
    });
  }

  private renderNode(
    n: LayoutNode,
    source: FlowNode | Trigger | undefined,
    mark: Mark | undefined,
    overlay: NodeOverlay | undefined,
    far: boolean,
  ) {
    return renderNodeCard(n, {
      strings: this.text,
      source,
      icon: this.iconOf(n),
      ports: this.layout?.ports.get(n.id),
      mark,
      overlay,
      hasRun: this.runs.view !== undefined,
      selected: this.selected.includes(n.id),
      far,
      locale: this.timeLocale,
      extra: this.renderPicker(n, source),
      onClick: (e: MouseEvent) => {
        // The canvas handles clicks on its background; a node click ends here.
        e.stopPropagation();
        // The click that ends a drag (a move, a connection) is not a click.
        if (this.editing.consumeDragClick()) return;
        if (e.detail === 2) {
          this.editing.startRename(n.id.startsWith('trigger:') ? n.id.slice(8) : n.id);
          return;
        }
        const extend = e.shiftKey || e.metaKey || e.ctrlKey;
        this.select(n.id, extend);
        this.openNode(n.id, overlay);
        if (!extend && n.kind !== 'region') this.panel.open(n.id);
      },
      onKeydown: (e: KeyboardEvent) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          this.select(n.id, false);
          this.openNode(n.id, overlay);
          if (e.key === 'Enter') this.panel.open(n.id);
          return;
        }
        if (e.key === 'Escape') {
          e.stopPropagation();
          // Escape closes the open panel first, then clears the selection.
          if (!this.panel.close()) this.select(undefined, false);
          return;
        }
        const direction = ARROWS[e.key];
        if (direction) {
          e.preventDefault();
          e.stopPropagation();
          this.moveFocus(n.id, direction);
        }
      },
    });
  }
}
