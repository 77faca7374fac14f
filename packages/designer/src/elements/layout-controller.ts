import type { ReactiveController, ReactiveElement } from 'lit';
import type { ActionCatalog } from '@millrace/engine/model';
import type { LayoutResult } from '../core/layout-result.ts';
import { createLayoutEngine, peekLayout, type LayoutEngine } from '../layout/layout-client.ts';
import { isLayoutStale } from '../layout/layout-errors.ts';
import type { ViewportController } from './viewport-controller.ts';

/** What the layout's life cycle reads from the designer element. */
export interface LayoutHost {
  readonly element: ReactiveElement;
  readonly flow: () => object | undefined;
  readonly catalog: () => ActionCatalog | undefined;
  /** The host's engine (`layoutEngine`); without one the designer makes its own. */
  readonly engine: () => LayoutEngine | undefined;
  readonly viewer: ViewportController;
  /** The layout of the current flow is drawn: record it in the flow (`ui.layout`). */
  readonly drawn: (layout: LayoutResult) => void;
  /** Whether `flow` carries `layout` already, or is not to record it (then `drawn` is not called). */
  readonly recorded: (flow: object, layout: LayoutResult) => boolean;
}

/**
 * The layout of the designer's flow: requested from the engine when the flow changes, drawn in
 * the same update when known at once (`peek`: cached, or recorded in the flow), else when the
 * engine answers; a new flow opens at its start (see ViewportController). The element renders
 * `result` (the property `layout` of its updates) and `failed`.
 */
export class LayoutController implements ReactiveController {
  /** The layout drawn now. */
  result: LayoutResult | undefined = undefined;
  /** The last layout request failed (`layout-error` was dispatched). */
  failed = false;
  /** Resolves when the last requested layout is drawn (or superseded, or failed). */
  pending: Promise<void> = Promise.resolve();
  private openPending = true;
  private own: LayoutEngine | undefined;

  constructor(private readonly host: LayoutHost) {
    host.element.addController(this);
  }

  hostDisconnected(): void {
    this.own?.dispose();
    this.own = undefined;
  }

  /** The next layout is of another flow: open it at its start, not where this one was. */
  reopen(): void {
    this.openPending = true;
  }

  /**
   * Requests the layout of the current flow (from `willUpdate`: known layouts draw at once).
   * True when ELK was asked: `pending` then resolves once its answer is drawn.
   */
  request(): boolean {
    const flow = this.host.flow();
    // Without a host engine, a known layout (the shared cache, or recorded in the flow) is drawn
    // before the designer makes its engine: a flow opened with its layout starts no worker.
    const hostEngine = this.host.engine();
    const known =
      flow &&
      (hostEngine
        ? hostEngine.peek?.(flow, this.host.catalog())
        : peekLayout(flow, this.host.catalog()));
    this.pending = known ? this.draw(flow, known) : this.relayout();
    return !known && flow !== undefined;
  }

  /** After an update that drew a new layout: the opening view, or the minimap's frame. */
  afterUpdate(): void {
    if (!this.result) return;
    if (this.openPending) {
      this.openPending = false;
      this.host.viewer.openAtStart();
    } else {
      // Fitted before the render (relayout): the minimap's frame follows now.
      this.host.viewer.updateMinimapFrame();
    }
  }

  /** Lays the flow out again; resolves when the new layout is drawn (or superseded). */
  async relayout(): Promise<void> {
    const flow = this.host.flow();
    if (!flow) {
      this.set(undefined, false);
      return;
    }
    try {
      const result = await this.engine().layout(flow, this.host.catalog());
      if (flow !== this.host.flow()) return;
      await this.draw(flow, result);
    } catch (error) {
      if (isLayoutStale(error)) return;
      if (flow !== this.host.flow()) return;
      this.set(undefined, true);
      // `E_LAYOUT_FAILED` with ELK's reason as its cause; the canvas says so in an alert.
      this.host.element.dispatchEvent(
        new CustomEvent('layout-error', { bubbles: true, composed: true, detail: { error } }),
      );
    }
  }

  private engine(): LayoutEngine {
    return this.host.engine() ?? (this.own ??= createLayoutEngine({ shared: true }));
  }

  /** Draws the layout of `flow` (the current flow); resolves once it is drawn and recorded. */
  private async draw(flow: object, result: LayoutResult): Promise<void> {
    // Fitted before the layout's first render, so the cards are drawn once, at the zoom
    // (and level of detail) they are first seen at.
    if (this.openPending && this.host.viewer.openBeforeRender(result)) this.openPending = false;
    this.set(result, false);
    await this.host.element.updateComplete;
    // The layout travels with the flow (`ui.layout`), so a saved flow reopens without ELK.
    // Recorded after the paint: recording is a flow change (another update, and whatever the
    // host does on `flow-change`, such as saving) that must not hold back the new cards.
    if (flow !== this.host.flow() || this.host.recorded(flow, result)) return;
    await afterPaint();
    if (flow === this.host.flow()) this.host.drawn(result);
  }

  private set(result: LayoutResult | undefined, failed: boolean): void {
    const old = this.result;
    this.result = result;
    this.failed = failed;
    // As a property of the element's update (`changed.has('layout')`), also inside willUpdate.
    if (old !== result) this.host.element.requestUpdate('layout', old);
    else this.host.element.requestUpdate();
  }
}

/** Resolves after the next frame is painted (a task after it), or after 50 ms in a hidden page. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 50);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}
