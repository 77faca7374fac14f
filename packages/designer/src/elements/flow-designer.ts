import { LitElement, html, nothing, render, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type {
  ActionCatalog,
  Diagnostic,
  FlowDefinition,
  FlowNode,
  Trigger,
} from '@millrace/engine/model';
import { designerStyles } from '../styles/designer-styles.ts';
import { toolIconStyles } from './tool-icons.ts';
import type { LayoutResult } from '../core/layout-result.ts';
import { boundsOf } from '../core/layout-result.ts';
import type { Viewport } from '../core/viewport.ts';
import { toWorld } from '../core/viewport.ts';
import type { IterationChoice, NodeOverlay } from '../core/run-overlay.ts';
import type { RunInput } from '../core/run-feed.ts';
import { nextFocus, type FocusDirection } from '../core/focus-graph.ts';
import type { MinimapMode } from '../core/minimap.ts';
import {
  EditError,
  type EdgeRef,
  type EditResult,
  type EditTarget,
  type InsertAt,
} from '../core/flow-edit.ts';
import type { LayoutEngine } from '../layout/layout-client.ts';
import { LayoutController } from './layout-controller.ts';
import { DEFAULT_STRINGS, type DesignerStrings } from './designer-strings.ts';
import { renderMinimap } from './minimap-view.ts';
import { standaloneSvg, svgToPng } from './image-export.ts';
import { renderToolbar, ZOOM_STEP } from './toolbar-view.ts';
import { CanvasView } from './canvas-view.ts';
import { FormAssociation } from './form-association.ts';
import { OutlineController } from './outline-controller.ts';
import { EditingController } from './editing-controller.ts';
import { RunOverlayController } from './run-overlay-controller.ts';
import { ViewportController } from './viewport-controller.ts';
import { ValidationController } from './validation-controller.ts';
import { PropertyPanelHost } from './property-panel-host.ts';
import type { PropertyRenderer } from '../panels/property-panel.ts';

/** The part of a flow definition this element reads so far. */
export interface FlowLike {
  readonly id?: string;
  readonly name?: string;
  readonly nodes?: readonly unknown[];
}

/**
 * The `<flow-designer>` element. Not registered by itself: `define()` registers a fresh
 * subclass per tag name, because one class cannot be defined under two tags.
 *
 * The tags below feed the Custom Elements Manifest (`custom-elements.json`); a test checks them
 * against the templates, styles and dispatched events, so keep them in step.
 *
 * @tag flow-designer
 *
 * @fires {CustomEvent<FlowChangeDetail>} flow-change - The flow changed by an edit, an undo or a redo, or by recording its layout (`change.kind` says which); `detail.flow` is the new document, which the element now shows.
 * @fires {CustomEvent<FlowChangeDetail>} flow-before-change - Cancelable: an edit is about to land; `preventDefault()` vetoes it.
 * @fires {CustomEvent<FlowValidateDetail>} flow-validate - The flow was validated; `detail.diagnostics` are its problems (empty when valid).
 * @fires {CustomEvent<SelectionChangeDetail>} selection-change - The selected steps changed; `detail.selected` holds their ids.
 * @fires {CustomEvent<NodeOpenDetail>} node-open - A step was opened (a click, Enter, or a timeline row), with its run view when a run is shown.
 * @fires {CustomEvent<EditRefusedDetail>} edit-refused - An edit from the UI was refused; `detail.error` is the `EditError` (`code`, `message`).
 * @fires {CustomEvent<IterationChangeDetail>} iteration-change - A loop's shown iteration changed (its iteration picker, or a timeline row).
 * @fires {CustomEvent<ErrorDetail>} run-error - `run` could not be read as a run (a typed engine error); no run is shown.
 * @fires {CustomEvent<ErrorDetail>} layout-error - The layout failed (`E_LAYOUT_FAILED`, ELK's reason as its cause); the canvas says so.
 *
 * @slot editor-{type} - An element that replaces the property panel's input form for steps of this type (`editor-slack.post`), or triggers of a kind (`editor-trigger-webhook`).
 *
 * @csspart canvas - The designer's region: toolbar, canvas and panels.
 * @csspart empty - The text shown when there is no flow.
 * @csspart empty-flow - The note and button shown for a flow without steps.
 * @csspart loading - The note shown while the first layout is computed.
 * @csspart live - The screen-reader live region of the run's status.
 * @csspart iteration-live - The screen-reader live region of the shown loop iterations.
 * @csspart edit-live - The screen-reader live region of edits and refusals.
 * @csspart outline - The screen-reader outline of the flow (a tree).
 * @csspart toolbar - The toolbar's header with the flow's name.
 * @csspart button - Every toolbar and editing button.
 * @csspart zoom-in - The zoom-in button.
 * @csspart zoom-out - The zoom-out button.
 * @csspart fit - The fit-to-view button.
 * @csspart timeline-toggle - The button that shows or hides the run timeline.
 * @csspart add-step - The button that opens the palette.
 * @csspart add-first - The button that adds the first step of an empty flow.
 * @csspart undo - The undo button.
 * @csspart redo - The redo button.
 * @csspart svg - The SVG canvas.
 * @csspart node - Each step or trigger card.
 * @csspart node-{type} - Cards of a step type, or a trigger's kind (`node-http`, `node-if`, `node-webhook`).
 * @csspart node-kind-{kind} - Cards of a kind: `node-kind-trigger`, `-action`, `-branch`, `-container`, `-collapsed`.
 * @csspart region - Each region box: a `try`'s body, catch and finally, or the flow's onFailure graph.
 * @csspart region-{type} - Regions by name (`region-body`, `region-catch`).
 * @csspart icon - A card's icon.
 * @csspart marker - A card's diagnostic marker.
 * @csspart marker-{severity} - Markers of a severity (`marker-error`, `marker-warning`).
 * @csspart run-info - A card's run status text (duration, attempts).
 * @csspart edge - Each edge.
 * @csspart edge-{kind} - Edges of a kind: `edge-flow` or `edge-trigger`.
 * @csspart edge-invalid - Edges with a diagnostic.
 * @csspart edge-label - An edge's port label.
 * @csspart insert - A "+" button on an edge or after a step, to add a step there.
 * @csspart rename - The inline rename field.
 * @csspart minimap - The overview in the corner.
 * @csspart minimap-frame - The overview's frame of the visible area.
 * @csspart iteration-picker - A loop's iteration picker.
 * @csspart iteration-button - The picker's buttons.
 * @csspart iteration-{step} - One picker button: `iteration-previous`, `-next`, `-first`, `-last`.
 * @csspart timeline - The run timeline panel.
 * @csspart timeline-axis - The timeline's time axis.
 * @csspart timeline-legend - The timeline's legend.
 * @csspart timeline-rows - The timeline's list of rows.
 * @csspart timeline-row - One row (a step's attempts).
 * @csspart timeline-label - A row's label.
 * @csspart timeline-track - A row's track of bars.
 * @csspart timeline-bar - Each bar of a row.
 * @csspart timeline-bar-{kind} - Bars of a kind (`timeline-bar-attempt`, `timeline-bar-queued`, `timeline-bar-suspended`, `timeline-bar-retryDelay`).
 * @csspart timeline-bar-{outcome} - Bars of an outcome (`timeline-bar-succeeded`, `timeline-bar-failed`, `timeline-bar-running`).
 *
 * @cssprop [--flow-designer-font=system-ui, sans-serif] - The font family.
 * @cssprop [--flow-designer-font-size=14px] - The property panel's font size.
 * @cssprop [--flow-designer-mono=ui-monospace, monospace] - The monospace font of expressions and code.
 * @cssprop [--flow-designer-space=12px] - The base spacing.
 * @cssprop [--flow-designer-radius=8px] - The corner radius of the designer and its cards.
 * @cssprop [--flow-designer-radius-small=4px] - The corner radius of fields and small controls.
 * @cssprop [--flow-designer-canvas-min-height=320px] - The canvas's minimum height.
 * @cssprop [--flow-designer-bg=#f7f8fa] - The background (each color has a dark default under the dark theme).
 * @cssprop [--flow-designer-fg=#1d2330] - The text color.
 * @cssprop [--flow-designer-muted=#5b6478] - Secondary text.
 * @cssprop [--flow-designer-border=#d9dde5] - Borders.
 * @cssprop [--flow-designer-card-bg=#ffffff] - Card and panel backgrounds.
 * @cssprop --flow-designer-container-bg - The background of containers.
 * @cssprop --flow-designer-region-bg - The background of a container's regions.
 * @cssprop [--flow-designer-edge=#8a93a6] - Edges.
 * @cssprop [--flow-designer-accent=#3b6fd8] - Focus, selection and links.
 * @cssprop [--flow-designer-error=#c62828] - Errors and failed steps.
 * @cssprop [--flow-designer-success=#2e7d32] - Succeeded steps.
 * @cssprop [--flow-designer-warning=#b26a00] - Warnings and waiting steps.
 * @cssprop [--flow-designer-running=#3b6fd8] - Running steps.
 * @cssprop [--flow-designer-info=#1a7f8e] - Informational marks.
 * @cssprop [--flow-designer-skipped=#9aa1b0] - Skipped steps.
 * @cssprop --flow-designer-icon-color - Card icons (the accent by default).
 * @cssprop --flow-designer-icon-bg - The background of card icons (currentColor by default).
 * @cssprop [--flow-designer-icon-bg-opacity=0.12] - The opacity of that background.
 * @cssprop --flow-designer-approval-icon-color - Icons of approval steps.
 * @cssprop --flow-designer-branch-icon-color - Icons of branching steps.
 * @cssprop --flow-designer-fail-icon-color - Icons of fail steps.
 * @cssprop [--flow-designer-marker-glyph=#fff] - The glyph of error markers.
 * @cssprop [--flow-designer-warning-glyph=#1d2330] - The glyph of warning markers.
 * @cssprop --flow-designer-minimap-bg - The overview's background.
 * @cssprop [--flow-designer-minimap-node=#b7bfcd] - The overview's cards.
 * @cssprop --flow-designer-minimap-frame-fill - The overview's frame of the visible area.
 * @cssprop --flow-designer-option-selected-bg - The selected autocomplete option's background.
 * @cssprop --flow-designer-option-selected-fg - The selected autocomplete option's text.
 * @cssprop --flow-designer-expr-root - Expression highlighting: roots (`flow`, `nodes`).
 * @cssprop --flow-designer-expr-identifier - Expression highlighting: identifiers.
 * @cssprop --flow-designer-expr-property - Expression highlighting: properties.
 * @cssprop --flow-designer-expr-function - Expression highlighting: functions.
 * @cssprop --flow-designer-expr-keyword - Expression highlighting: keywords.
 * @cssprop --flow-designer-expr-string - Expression highlighting: strings.
 * @cssprop --flow-designer-expr-number - Expression highlighting: numbers.
 * @cssprop --flow-designer-expr-operator - Expression highlighting: operators.
 * @cssprop --flow-designer-expr-punctuation - Expression highlighting: punctuation.
 * @cssprop --flow-designer-expr-delimiter - Expression highlighting: the `$<` and `>` delimiters.
 * @cssprop [--flow-designer-timeline-height=220px] - The run timeline's height.
 * @cssprop [--flow-designer-timeline-label-width=160px] - The width of the timeline's labels.
 * @cssprop [--flow-designer-timeline-duration-width=64px] - The width of the timeline's durations.
 * @cssprop --flow-designer-timeline-grid - The timeline's grid lines.
 * @cssprop --flow-designer-timeline-succeeded - Succeeded bars.
 * @cssprop --flow-designer-timeline-failed - Failed bars.
 * @cssprop --flow-designer-timeline-running - Running bars.
 * @cssprop --flow-designer-timeline-retry - The dashed line of a retry delay.
 * @cssprop --flow-designer-timeline-wait - Suspended (waiting) bars.
 * @cssprop --flow-designer-timeline-wait-bg - The background of suspended bars.
 * @cssprop --flow-designer-timeline-queued-bg - The background of queued bars.
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

  /** Replaces any of the default strings (assign a new object to change them). */
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

  /** `light`, `dark`, or unset to follow the page's prefers-color-scheme. */
  @property({ reflect: true }) theme: 'light' | 'dark' | undefined = undefined;

  /** Ids of the selected nodes (`selection-change` reports changes). */
  @state() private selected: readonly string[] = [];

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
  /** The layout's life cycle: requests, known layouts drawn at once, errors (layout-controller.ts). */
  private readonly layouts = new LayoutController({
    element: this,
    flow: () => this.flow,
    catalog: () => this.catalog,
    engine: () => this.layoutEngine,
    viewer: this.viewer,
    drawn: (layout) => this.editing.recordLayout(layout),
    recorded: (flow, layout) => this.editing.hasLayout(flow, layout),
  });

  /** The layout drawn now. */
  protected get layout(): LayoutResult | undefined {
    return this.layouts.result;
  }

  /** Diagnostics: computed after the paint unless the host gives them. */
  private readonly validation = new ValidationController({
    element: this,
    flow: () => this.flow,
    catalog: () => this.catalog,
    given: () => this.diagnostics,
    validated: (diagnostics) => {
      this.formAssoc.update();
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

  /** Inside a form: the flow submitted as JSON, validity from its diagnostics. */
  private readonly formAssoc = new FormAssociation({
    element: this,
    flow: () => this.flow,
    diagnostics: () => this.currentDiagnostics(),
    flushValidation: () => this.validation.flush(),
  });

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

  /** The SVG canvas of cards and edges (canvas-view.ts). */
  private readonly canvas = new CanvasView({
    layout: () => this.layout,
    flow: () => this.flow,
    catalog: () => this.catalog,
    diagnostics: () => this.currentDiagnostics(),
    validationPending: () => this.validation.scheduled,
    selection: () => this.selected,
    editable: () => this.editable,
    strings: () => this.text,
    locale: () => this.timeLocale,
    viewer: this.viewer,
    runs: this.runs,
    editing: this.editing,
    select: (id, extend) => this.select(id, extend),
    moveFocus: (from, direction) => this.moveFocus(from, direction),
    open: (id, overlay, panel) => {
      this.openNode(id, overlay);
      if (panel) this.panel.open(id);
    },
    closePanel: () => this.panel.close(),
    onPointerDown: (e) => this.onPointerDown(e),
  });

  /** The screen-reader outline, drawn after the paint (outline-controller.ts). */
  private readonly outline = new OutlineController({
    slot: () => this.renderRoot.querySelector<HTMLElement>('.outline-slot'),
    flow: () => this.flow,
    overlay: () => this.runs.state()?.overlay,
    givenStrings: () => this.strings,
    strings: () => this.text,
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
    return !this.readonly && !this.formAssoc.disabled;
  }

  /** Resolves when the layout requested by the last change of `flow` or `catalog` is drawn. */
  get layoutComplete(): Promise<void> {
    return this.updateComplete
      .then(() => this.layouts.pending)
      .then(() => this.validation.complete)
      .then(() => this.updateComplete)
      .then(() => undefined);
  }

  private merged: { readonly from: unknown; readonly text: DesignerStrings } | undefined;

  /** The default strings under the host's `strings`; merged again only when `strings` changes. */
  private get text(): DesignerStrings {
    if (this.merged?.from !== this.strings) {
      this.merged = { from: this.strings, text: { ...DEFAULT_STRINGS, ...this.strings } };
    }
    return this.merged.text;
  }

  /** The current pan/zoom transform. */
  get view(): Viewport {
    return this.viewer.view;
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
      if (previous?.id !== this.flow?.id) this.layouts.reopen();
    }
    // A layout known at once (cached, or recorded in the flow) is drawn in this very update;
    // otherwise the worker lays out, and validation waits until its answer is drawn.
    let laying = false;
    if (changed.has('flow') || changed.has('catalog') || changed.has('layoutEngine')) {
      laying = this.layouts.request();
    }
    if (changed.has('flow') || changed.has('catalog') || changed.has('diagnostics')) {
      this.validation.schedule(laying ? this.layouts.pending : undefined);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('flow')) this.formAssoc.update();
    if ((changed as PropertyValues).has('layout')) this.layouts.afterUpdate();
    this.outline.schedule();
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

  /** Lays the flow out again; resolves when the new layout is drawn (or superseded). */
  relayout(): Promise<void> {
    return this.layouts.relayout();
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

  /** The form's view of the designer (form-associated custom element). */
  get form(): HTMLFormElement | null {
    return this.formAssoc.form;
  }

  get validity(): ValidityState | undefined {
    return this.formAssoc.validity;
  }

  get validationMessage(): string {
    return this.formAssoc.validationMessage;
  }

  checkValidity(): boolean {
    return this.formAssoc.checkValidity();
  }

  reportValidity(): boolean {
    return this.formAssoc.reportValidity();
  }

  /** Put into (or taken out of) a form: the form gets the flow from now on. */
  formAssociatedCallback(): void {
    this.formAssoc.update();
  }

  formResetCallback(): void {
    this.flow = this.defaultFlow;
  }

  formDisabledCallback(disabled: boolean): void {
    this.formAssoc.disabled = disabled;
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
        ${renderToolbar({
          strings: t,
          name,
          count,
          editingTools: this.editing.renderTools(),
          zoomBy: (factor) => this.zoomBy(factor),
          fit: () => this.fit(),
          timeline: this.run
            ? { open: this.timelineOpen, toggle: () => (this.timelineOpen = !this.timelineOpen) }
            : undefined,
        })}
        ${this.layouts.failed ? html`<div class="empty" role="alert">${t.layoutFailed}</div>` : nothing}
        ${
          this.layout === undefined && !this.layouts.failed && count > 0
            ? html`<div class="loading" part="loading" role="status">${t.layingOut}</div>`
            : nothing
        }
        ${this.canvas.render()} ${this.renderEmptyFlow(count)} ${this.editing.renderPalette()}
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
    render(this.canvas.render(false, false), holder);
    const canvas = holder.querySelector<SVGSVGElement>('svg.canvas');
    return canvas ? standaloneSvg(canvas, boundsOf(this.layout)) : '';
  }
}
