import { html, nothing, svg } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import {
  catalogMap,
  type ActionCatalog,
  type ActionDescriptor,
  type Diagnostic,
  type FlowNode,
  type Trigger,
} from '@millrace/engine/model';
import type { LayoutEdge, LayoutNode, LayoutResult } from '../core/layout-result.ts';
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
import { diagnosticMarks, type DiagnosticMarks, type Mark } from '../core/diagnostic-marks.ts';
import { nodeIconOf, type IconOrigin } from '../core/node-icon.ts';
import type { NodeOverlay } from '../core/run-overlay.ts';
import type { FocusDirection } from '../core/focus-graph.ts';
import { intersects, pointsBox } from '../core/render-window.ts';
import { edgeRefOf } from '../core/edit-geometry.ts';
import { renderNodeCard } from './node-card.ts';
import { renderIterationPicker } from './iteration-picker.ts';
import type { DesignerStrings } from './designer-strings.ts';
import type { EditingController } from './editing-controller.ts';
import type { RunOverlayController } from './run-overlay-controller.ts';
import { FAR_ZOOM, type ViewportController } from './viewport-controller.ts';

const ARROWS: Readonly<Record<string, FocusDirection>> = {
  ArrowDown: 'down',
  ArrowUp: 'up',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};

/** What the canvas reads from, and calls back into, the designer element. */
export interface CanvasHost {
  readonly layout: () => LayoutResult | undefined;
  readonly flow: () => unknown;
  readonly catalog: () => ActionCatalog | undefined;
  /** The diagnostics shown, and whether a validation of the current flow is pending. */
  readonly diagnostics: () => readonly Diagnostic[];
  readonly validationPending: () => boolean;
  readonly selection: () => readonly string[];
  readonly editable: () => boolean;
  readonly strings: () => DesignerStrings;
  readonly locale: () => string | undefined;
  readonly viewer: ViewportController;
  readonly runs: RunOverlayController;
  readonly editing: EditingController;
  readonly select: (id: string | undefined, extend: boolean) => void;
  readonly moveFocus: (from: string, direction: FocusDirection) => void;
  /** A card was opened (click, Enter): `node-open`, and the property panel unless `panel` is false. */
  readonly open: (id: string, overlay: NodeOverlay | undefined, panel: boolean) => void;
  /** Escape on a card: closes the open panel; false when none was open. */
  readonly closePanel: () => boolean;
  readonly onPointerDown: (e: PointerEvent) => void;
}

/**
 * The canvas of `<flow-designer>`: the SVG of cards and edges near the view, with the run's
 * overlay, the diagnostics' marks and the editing layer. Stateless but for two caches (the
 * catalog's index and the diagnostics grouped by card and edge).
 */
export class CanvasView {
  private catalogIndex:
    | { readonly catalog: ActionCatalog | undefined; readonly map: Map<string, ActionDescriptor> }
    | undefined;
  private marksCache:
    { flow: unknown; diagnostics: readonly Diagnostic[]; marks: DiagnosticMarks } | undefined;

  constructor(private readonly host: CanvasHost) {}

  /**
   * The canvas: `far` draws cards as plain boxes; `cull` draws only what is near the view (and
   * the selected cards, which may hold focus). Unculled it is the export's drawing.
   */
  render(far = this.host.viewer.farCards, cull = true) {
    const host = this.host;
    const layout = host.layout();
    const byId = indexFlow(host.flow() as Parameters<typeof indexFlow>[0]);
    const marks = this.marks();
    const overlay = host.runs.state()?.overlay;
    const window = cull ? host.viewer.drawnWindow() : undefined;
    const selected = host.selection();
    const nodes = layout
      ? [...layout.nodes.values()].filter(
          (n) => !window || intersects(window, n) || selected.includes(n.id),
        )
      : [];
    const edges = (layout?.edges ?? []).filter(
      (e) => !window || intersects(window, pointsBox(e.points)),
    );
    const viewer = host.viewer;
    return html`<svg
      part="svg"
      class="canvas ${viewer.view.zoom < FAR_ZOOM ? 'far' : ''}"
      @wheel=${viewer.onWheel}
      @pointerdown=${host.onPointerDown}
      @pointermove=${viewer.onPointerMove}
      @pointerup=${viewer.onPointerUp}
      @pointercancel=${viewer.onPointerUp}
    >
      <g class="viewport" transform=${viewportTransform(viewer.view)}>
        <g class="nodes">
          ${repeat(
            nodes,
            (n) => n.id,
            (n) =>
              this.renderNode(
                layout!,
                n,
                byId.get(n.id),
                marks.nodes.get(n.id),
                overlay?.get(n.id),
                far,
              ),
          )}
        </g>
        <g class="edges">
          ${repeat(
            edges,
            (e) => e.id,
            (e) => this.renderEdge(e, marks.edges.get(e.id), far),
          )}
        </g>
        ${
          cull
            ? host.editing.renderCanvasLayer(layout, far, edges, new Set(nodes.map((n) => n.id)))
            : nothing
        }
      </g>
    </svg>`;
  }

  /** An edge; one with diagnostics is `edge-invalid` (dashed, coloured) with a tooltip. */
  private renderEdge(e: LayoutEdge, mark: Mark | undefined, far: boolean) {
    // Drawn from rim to rim of the port dots: the tip would cover the target's dot otherwise.
    const points = trimStart(trimEnd(e.points, PORT_RADIUS), PORT_RADIUS);
    const line = edgePath(points);
    const editable = this.host.editable() && e.kind === 'flow';
    return svg`<g part="edge edge-${e.kind}${mark ? ' edge-invalid' : ''}" class="edge${mark ? ` edge-invalid severity-${mark.severity}` : ''}" data-edge-id=${e.id} data-from=${e.from} data-to=${e.to} data-severity=${mark?.severity ?? nothing}
      @click=${
        editable
          ? (ev: MouseEvent) => {
              ev.stopPropagation();
              this.host.editing.selectEdge(edgeRefOf(e));
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

  /** The catalog entry of a node type (the catalog indexed once per `catalog` value). */
  private descriptorOf(type: string): ActionDescriptor | undefined {
    const catalog = this.host.catalog();
    let index = this.catalogIndex;
    if (index === undefined || index.catalog !== catalog) {
      index = this.catalogIndex = { catalog, map: catalogMap(catalog) };
    }
    return index.map.get(type);
  }

  /**
   * The diagnostics as card and edge marks, grouped again when the diagnostics change (with the
   * flow of that moment: diagnostics point into the flow they were made for; after an edit the
   * old marks stay until the new validation, a frame later, brings new diagnostics).
   */
  private marks(): DiagnosticMarks {
    const diagnostics = this.host.diagnostics();
    const flow = this.host.flow();
    const cached = this.marksCache;
    if (
      cached &&
      cached.diagnostics === diagnostics &&
      (cached.flow === flow || this.host.validationPending())
    ) {
      return cached.marks;
    }
    const marks = diagnosticMarks(flow as Parameters<typeof diagnosticMarks>[0], diagnostics);
    this.marksCache = { flow, diagnostics, marks };
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
    const runs = this.host.runs;
    return renderIterationPicker(n, runs.state()?.loops.get(n.id), {
      strings: this.host.strings(),
      name,
      onStep: (step) => runs.stepLoop(n.id, step, name),
    });
  }

  private renderNode(
    layout: LayoutResult,
    n: LayoutNode,
    source: FlowNode | Trigger | undefined,
    mark: Mark | undefined,
    overlay: NodeOverlay | undefined,
    far: boolean,
  ) {
    const host = this.host;
    return renderNodeCard(n, {
      strings: host.strings(),
      source,
      icon: this.iconOf(n),
      ports: layout.ports.get(n.id),
      mark,
      overlay,
      hasRun: host.runs.view !== undefined,
      selected: host.selection().includes(n.id),
      far,
      locale: host.locale(),
      extra: this.renderPicker(n, source),
      onClick: (e: MouseEvent) => {
        // The canvas handles clicks on its background; a node click ends here.
        e.stopPropagation();
        // The click that ends a drag (a move, a connection) is not a click.
        if (host.editing.consumeDragClick()) return;
        if (e.detail === 2) {
          host.editing.startRename(n.id.startsWith('trigger:') ? n.id.slice(8) : n.id);
          return;
        }
        const extend = e.shiftKey || e.metaKey || e.ctrlKey;
        host.select(n.id, extend);
        host.open(n.id, overlay, !extend && n.kind !== 'region');
      },
      onKeydown: (e: KeyboardEvent) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          host.select(n.id, false);
          host.open(n.id, overlay, e.key === 'Enter');
          return;
        }
        if (e.key === 'Escape') {
          e.stopPropagation();
          // Escape closes the open panel first, then clears the selection.
          if (!host.closePanel()) host.select(undefined, false);
          return;
        }
        const direction = ARROWS[e.key];
        if (direction) {
          e.preventDefault();
          e.stopPropagation();
          host.moveFocus(n.id, direction);
        }
      },
    });
  }
}
