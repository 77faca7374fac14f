import { nothing, svg, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { ActionCatalog } from '@millrace/engine/model';
import type { EdgeRef, FlowDocument, InsertAt } from '../core/flow-edit.ts';
import { canConnect } from '../core/connect-rules.ts';
import { cardAt, dropTargetAt, nodesInRect } from '../core/edit-geometry.ts';
import { createPointerDrag, type DragPoint, type PointerDrag } from '../core/pointer-drag.ts';
import type { PaletteItem } from '../core/palette-items.ts';
import type { LayoutResult } from '../core/layout-result.ts';
import type { Viewport } from '../core/viewport.ts';

/** What the gestures read from, and hand to, the designer's editing. */
export interface GestureHost {
  readonly element: ReactiveControllerHost & HTMLElement;
  flow(): FlowDocument | undefined;
  catalog(): ActionCatalog | undefined;
  editable(): boolean;
  layout(): LayoutResult | undefined;
  viewport(): Viewport;
  selection(): readonly string[];
  setSelection(ids: readonly string[]): void;
  /** Client (page) coordinates to canvas coordinates; undefined without a canvas. */
  toCanvas(clientX: number, clientY: number): DragPoint | undefined;
  nameOf(id: string): string;
  /** A palette entry was dropped on the canvas (at `target`, else the default place). */
  dropped(item: PaletteItem, target: InsertAt | undefined): void;
  move(ids: readonly string[], at: InsertAt): void;
  connect(edge: EdgeRef): void;
}

type DragState =
  | { readonly kind: 'palette'; readonly item: PaletteItem; at?: DragPoint; target?: InsertAt }
  | { readonly kind: 'move'; readonly ids: readonly string[]; at?: DragPoint; target?: InsertAt }
  | {
      readonly kind: 'connect';
      readonly from: string;
      readonly port: string;
      readonly origin: DragPoint;
      at?: DragPoint;
      to?: string | undefined;
      refusal?: string | undefined;
    }
  | {
      readonly kind: 'lasso';
      readonly origin: DragPoint;
      at?: DragPoint;
      readonly extend: boolean;
    };

/**
 * The editing gestures of the canvas, framework-free but for Lit's controller hooks: dragging
 * a palette entry onto the canvas, an edge or into a container; moving cards; connecting an
 * output port to a card (the format's rules checked live); the lasso. The pointer's life cycle
 * (threshold, capture, cancel) is core/pointer-drag; this turns it into edits.
 */
export class EditGestures implements ReactiveController {
  private drag: DragState | undefined;
  private readonly pointer: PointerDrag = createPointerDrag({});
  private dragEnded = false;

  constructor(private readonly host: GestureHost) {
    host.element.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('pointermove', this.onWindowMove);
    window.addEventListener('pointerup', this.onWindowUp);
    window.addEventListener('pointercancel', this.onWindowCancel);
  }

  hostDisconnected(): void {
    window.removeEventListener('pointermove', this.onWindowMove);
    window.removeEventListener('pointerup', this.onWindowUp);
    window.removeEventListener('pointercancel', this.onWindowCancel);
    this.pointer.cancel();
    this.drag = undefined;
  }

  /** Where the step being dragged (from the palette, or moved) would go now. */
  get dropTarget(): InsertAt | undefined {
    const drag = this.drag;
    return drag && (drag.kind === 'palette' || drag.kind === 'move') ? drag.target : undefined;
  }

  /** A drag from the palette starts (its `palette-drag-start`). */
  paletteDrag(start: {
    readonly item: PaletteItem;
    readonly pointerId: number;
    readonly clientX: number;
    readonly clientY: number;
  }): void {
    const { item, pointerId, clientX, clientY } = start;
    this.beginDrag({ kind: 'palette', item }, pointerId, clientX, clientY);
  }

  /**
   * A pointer down on the canvas: on an output port it starts a connection, on a card a move,
   * with shift on the background a lasso. True when editing took the pointer (no pan).
   */
  pointerDown(e: PointerEvent): boolean {
    if (e.pointerType === 'mouse' && e.button !== 0) return false;
    const el = e.target as Element;
    const port = el.closest('.port-out');
    const card = el.closest('g.node');
    const id = card?.getAttribute('data-node-id') ?? undefined;
    if (this.host.editable() && port && id !== undefined && !id.startsWith('trigger:')) {
      const at = this.host.toCanvas(e.clientX, e.clientY);
      if (!at) return false;
      this.beginDrag(
        { kind: 'connect', from: id, port: port.getAttribute('data-port') ?? 'out', origin: at },
        e.pointerId,
        e.clientX,
        e.clientY,
      );
      e.stopPropagation();
      return true;
    }
    if (
      this.host.editable() &&
      card &&
      id !== undefined &&
      !id.startsWith('trigger:') &&
      !el.closest('.picker')
    ) {
      const selected = this.host.selection();
      const ids = selected.includes(id) ? selected : [id];
      this.beginDrag({ kind: 'move', ids }, e.pointerId, e.clientX, e.clientY);
      return false;
    }
    if (!card && e.shiftKey) {
      const at = this.host.toCanvas(e.clientX, e.clientY);
      if (!at) return false;
      this.beginDrag(
        { kind: 'lasso', origin: at, extend: e.ctrlKey || e.metaKey },
        e.pointerId,
        e.clientX,
        e.clientY,
      );
      return true;
    }
    return false;
  }

  private beginDrag(state: DragState, pointerId: number, clientX: number, clientY: number): void {
    this.drag = state;
    this.pointer.update({
      onStart: () => this.host.element.requestUpdate(),
      onMove: (p) => this.dragMove(p),
      onDrop: (p) => this.dragDrop(p),
      onClick: () => {
        this.drag = undefined;
      },
      onCancel: () => {
        this.drag = undefined;
        this.host.element.requestUpdate();
      },
    });
    this.pointer.down(pointerId, { x: clientX, y: clientY });
  }

  private onWindowMove = (e: PointerEvent): void => {
    if (!this.pointer.active) return;
    this.pointer.move(e.pointerId, { x: e.clientX, y: e.clientY });
  };

  private onWindowUp = (e: PointerEvent): void => {
    if (!this.pointer.active) return;
    this.pointer.up(e.pointerId, { x: e.clientX, y: e.clientY });
  };

  private onWindowCancel = (): void => {
    this.pointer.cancel();
  };

  private tolerance(): number {
    return 12 / this.host.viewport().zoom;
  }

  private dragMove(client: DragPoint): void {
    const drag = this.drag;
    const layout = this.host.layout();
    const flow = this.host.flow();
    if (!drag || !layout || !flow) return;
    const at = this.host.toCanvas(client.x, client.y);
    if (!at) return;
    drag.at = at;
    if (drag.kind === 'palette' || drag.kind === 'move') {
      drag.target = dropTargetAt(
        layout,
        at,
        this.tolerance(),
        new Set(drag.kind === 'move' ? drag.ids : []),
      );
    } else if (drag.kind === 'connect') {
      const card = cardAt(layout, at);
      drag.to = card && card.kind !== 'trigger' ? card.id : undefined;
      if (drag.to !== undefined) {
        const check = canConnect(
          flow,
          { from: drag.from, to: drag.to, port: drag.port },
          this.host.catalog(),
        );
        drag.refusal = check.ok ? undefined : check.message;
      } else drag.refusal = undefined;
    }
    this.host.element.requestUpdate();
  }

  /** True once, right after a drag ended: the click that ends it is not a click. */
  consumeDragClick(): boolean {
    const ended = this.dragEnded;
    this.dragEnded = false;
    return ended;
  }

  private dragDrop(client: DragPoint): void {
    this.dragEnded = true;
    setTimeout(() => (this.dragEnded = false), 0);
    this.dragMove(client);
    const drag = this.drag;
    this.drag = undefined;
    this.host.element.requestUpdate();
    const layout = this.host.layout();
    if (!drag || !layout) return;
    switch (drag.kind) {
      case 'palette':
        if (!drag.at) return;
        this.host.dropped(drag.item, drag.target);
        return;
      case 'move':
        if (drag.target) this.host.move(drag.ids, drag.target);
        return;
      case 'connect':
        if (drag.to !== undefined)
          this.host.connect({ from: drag.from, to: drag.to, port: drag.port });
        return;
      case 'lasso': {
        if (!drag.at) return;
        const r = {
          x: Math.min(drag.origin.x, drag.at.x),
          y: Math.min(drag.origin.y, drag.at.y),
          width: Math.abs(drag.at.x - drag.origin.x),
          height: Math.abs(drag.at.y - drag.origin.y),
        };
        const ids = nodesInRect(layout, r);
        this.host.setSelection(
          drag.extend ? [...new Set([...this.host.selection(), ...ids])] : ids,
        );
      }
    }
  }

  /** The gesture under way: the connection, the lasso, or the dragged step and its drop box. */
  renderPreview(layout: LayoutResult) {
    const drag = this.drag;
    if (!drag?.at || !this.pointer.started) return nothing;
    if (drag.kind === 'connect') {
      const state = drag.to === undefined ? '' : drag.refusal ? 'refused' : 'ok';
      const to = drag.to !== undefined ? layout.nodes.get(drag.to) : undefined;
      return svg`<g class="connect-preview ${state}" data-state=${state || 'none'}>
        <line x1=${drag.origin.x} y1=${drag.origin.y} x2=${drag.at.x} y2=${drag.at.y}></line>
        ${to ? svg`<rect class="connect-target" x=${to.x - 3} y=${to.y - 3} width=${to.width + 6} height=${to.height + 6} rx="8"></rect>` : nothing}
        ${drag.refusal ? svg`<text class="connect-refusal" x=${drag.at.x + 12} y=${drag.at.y - 10}>${drag.refusal}</text>` : nothing}
      </g>`;
    }
    if (drag.kind === 'lasso') {
      return svg`<rect class="lasso" x=${Math.min(drag.origin.x, drag.at.x)} y=${Math.min(drag.origin.y, drag.at.y)}
        width=${Math.abs(drag.at.x - drag.origin.x)} height=${Math.abs(drag.at.y - drag.origin.y)}></rect>`;
    }
    const title =
      drag.kind === 'palette' ? drag.item.title : drag.ids.map(this.host.nameOf).join(', ');
    const box =
      drag.target?.kind === 'graph' && drag.target.graph !== ''
        ? layout.nodes.get(drag.target.graph)
        : undefined;
    return svg`<g class="drop-preview">
      ${box ? svg`<rect class="drop-box" x=${box.x - 3} y=${box.y - 3} width=${box.width + 6} height=${box.height + 6} rx="10"></rect>` : nothing}
      <g class="drag-ghost" transform="translate(${drag.at.x + 8} ${drag.at.y + 8})">
        <rect width="160" height="28" rx="6"></rect>
        <text x="10" y="18">${title}</text>
      </g>
    </g>`;
  }
}
