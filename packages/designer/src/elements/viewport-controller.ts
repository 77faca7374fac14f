import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { viewportTransform } from '../core/canvas-geometry.ts';
import { boundsOf, startOf, type LayoutResult } from '../core/layout-result.ts';
import { minimapShown, type MinimapMode } from '../core/minimap.ts';
import { createPanZoomGesture } from '../core/pan-zoom-gesture.ts';
import { containsRect, intersects, renderWindowFor, visibleRect } from '../core/render-window.ts';
import {
  IDENTITY_VIEWPORT,
  fitRect,
  fitRectAvoiding,
  openingViewport,
  panBy,
  zoomAt,
  type Rect,
  type Viewport,
} from '../core/viewport.ts';
import { MINIMAP_MARGIN, MINIMAP_SIZE, placeMinimapFrame } from './minimap-view.ts';

/**
 * Below this zoom card texts are a few pixels high: they, the ports and icons are not drawn
 * (`.canvas.far` in the styles), which makes a zoomed-out 1,000-node flow several times cheaper
 * to lay out and paint. The cards keep their accessible names.
 */
export const FAR_ZOOM = 0.45;
/**
 * The toolbar's height with the default styles (12px padding, 28px buttons, 1px border): only
 * an estimate for the opening view before the first render (see openBeforeRender).
 */
const TOOLBAR_HEIGHT = 53;
/** How long the zoom must stay on one side of FAR_ZOOM before the cards are re-rendered. */
const FAR_SETTLE_MS = 200;

/** What the viewport needs of its designer. */
export interface ViewportHost {
  readonly element: ReactiveControllerHost & HTMLElement & { readonly renderRoot: ParentNode };
  layout(): LayoutResult | undefined;
  minimap(): MinimapMode;
}

/**
 * The designer's view of its canvas: pan and zoom (wheel, drag, pinch, keys, fit, the opening
 * view), the level of detail (cards far out drawn as boxes once the zoom settles), the part of
 * the canvas that is drawn (core/render-window.ts), the canvas's size (a ResizeObserver) and the
 * minimap's frame. A pan is one attribute write; nothing is re-rendered unless the view leaves
 * the drawn window or crosses the far zoom.
 */
export class ViewportController implements ReactiveController {
  view: Viewport = IDENTITY_VIEWPORT;
  /** The canvas's size on screen (kept by a ResizeObserver, and measured when fitting). */
  size: { readonly width: number; readonly height: number } | undefined;
  /** Cards drawn without details (zoomed far out); follows the zoom once it settles. */
  farCards = false;
  private farTimer: ReturnType<typeof setTimeout> | undefined;
  private window: Rect | undefined;
  private readonly gesture = createPanZoomGesture();
  private observed: Element | undefined;
  /** The view is an opening view for an estimated canvas size, not yet seen. */
  private provisional = false;
  private readonly resizeObserver =
    typeof ResizeObserver === 'undefined'
      ? undefined
      : new ResizeObserver((entries) => {
          const box = entries[entries.length - 1]!.contentRect;
          if (box.width === 0 && box.height === 0) return;
          const resized = this.size?.width !== box.width || this.size.height !== box.height;
          this.size = { width: box.width, height: box.height };
          const layout = this.host.layout();
          if (this.provisional && resized && layout) {
            // The opening view was set for an estimated size (before the canvas existed): set
            // again for the real one. Notified before the frame's paint, so never seen.
            this.set(this.opening(layout, box.width, box.height));
          }
          this.provisional = false;
          this.updateMinimapFrame();
          if (resized && this.window) {
            this.window = undefined;
            this.host.element.requestUpdate();
          }
        });

  constructor(private readonly host: ViewportHost) {
    host.element.addController(this);
  }

  hostUpdated(): void {
    // Keeps `size` current as the canvas (a new one per flow shown) changes size.
    const canvas = this.canvas() ?? undefined;
    if (canvas === this.observed) return;
    if (this.observed) this.resizeObserver?.unobserve(this.observed);
    if (canvas) this.resizeObserver?.observe(canvas);
    this.observed = canvas;
  }

  hostDisconnected(): void {
    this.resizeObserver?.disconnect();
    this.observed = undefined;
    clearTimeout(this.farTimer);
  }

  canvas(): SVGSVGElement | null {
    return this.host.element.renderRoot.querySelector<SVGSVGElement>('svg.canvas');
  }

  /** Measures the canvas; undefined while it has no size. */
  private measure(): { width: number; height: number } | undefined {
    const box = this.canvas()?.getBoundingClientRect();
    if (!box) return undefined;
    this.size = { width: box.width, height: box.height };
    return this.size;
  }

  /** Applies a view as one attribute write: cards are not re-rendered while panning. */
  set(view: Viewport): void {
    this.view = view;
    this.provisional = false;
    this.follow(view);
    const far = view.zoom < FAR_ZOOM;
    // The class hides the details at once; the cards are re-rendered with or without them
    // once the zoom has settled (never while panning, which keeps the zoom).
    this.canvas()?.classList.toggle('far', far);
    if (far !== this.farCards) {
      clearTimeout(this.farTimer);
      this.farTimer = setTimeout(() => {
        this.farCards = this.view.zoom < FAR_ZOOM;
        this.host.element.requestUpdate();
      }, FAR_SETTLE_MS);
    }
    this.host.element.renderRoot
      .querySelector('g.viewport')
      ?.setAttribute('transform', viewportTransform(view));
    this.updateMinimapFrame();
  }

  /** Whether the minimap is drawn: always, never, or when the flow is larger than the canvas. */
  showsMinimap(bounds: { width: number; height: number }): boolean {
    return minimapShown(this.host.minimap(), bounds, this.size);
  }

  /** The fit of `bounds` in the canvas, clear of the minimap when it is shown. */
  fitted(bounds: Rect, width: number, height: number): Viewport {
    if (!this.showsMinimap(bounds)) return fitRect(bounds, width, height);
    const corner = MINIMAP_SIZE + 2 * MINIMAP_MARGIN;
    return fitRectAvoiding(bounds, width, height, { width: corner, height: corner });
  }

  /** The view a flow opens with: fitted while readable, else its start at a readable zoom. */
  opening(layout: LayoutResult, width: number, height: number): Viewport {
    return openingViewport(startOf(layout), this.fitted(boundsOf(layout), width, height), width);
  }

  /**
   * Sets the opening view of a layout before its first render (so the cards are drawn once, at
   * the zoom and level of detail they are first seen at). The canvas's size is the one the
   * ResizeObserver keeps; before there is a canvas it is estimated from the host's box (a cheap
   * measure: the shadow tree is not drawn yet) and corrected by the first resize notification,
   * before the paint. No forced layout of the designer itself. False while there is no size.
   */
  openBeforeRender(layout: LayoutResult): boolean {
    const size = this.size ?? (this.canvas() ? this.measure() : this.estimate());
    if (!size || size.width <= 0 || size.height <= 0) return false;
    // Until the canvas's first resize notification (or any other view) confirms or corrects it.
    this.provisional = true;
    this.size = size;
    this.view = this.opening(layout, size.width, size.height);
    this.window = undefined;
    this.farCards = this.view.zoom < FAR_ZOOM;
    return true;
  }

  /** The canvas's size before it exists: the host's box without the toolbar. */
  private estimate(): { width: number; height: number } | undefined {
    const box = this.host.element.getBoundingClientRect();
    if (box.width <= 0 || box.height <= 0) return undefined;
    return { width: box.width, height: Math.max(box.height - TOOLBAR_HEIGHT, 1) };
  }

  openAtStart(): void {
    const layout = this.host.layout();
    const size = layout && this.measure();
    if (layout && size) this.set(this.opening(layout, size.width, size.height));
  }

  fit(): void {
    const layout = this.host.layout();
    const size = layout && this.measure();
    if (layout && size) this.set(this.fitted(boundsOf(layout), size.width, size.height));
  }

  /** Shows a box at zoom 1 (or fitted when larger than the canvas). */
  zoomTo(box: Rect): void {
    const size = this.measure();
    if (size) this.set(fitRect(box, size.width, size.height, 48));
  }

  /** Zooms by `factor` around the centre of the canvas. */
  zoomBy(factor: number): void {
    const size = this.measure();
    const cx = size ? size.width / 2 : 0;
    const cy = size ? size.height / 2 : 0;
    this.set(zoomAt(this.view, this.view.zoom * factor, cx, cy));
  }

  /** Pans (same zoom) so that a box out of view is centred; nothing when it is in view. */
  bringIntoView(box: Rect): void {
    const size = this.size;
    if (!size || intersects(visibleRect(this.view, size.width, size.height), box)) return;
    const zoom = this.view.zoom;
    this.set({
      zoom,
      x: size.width / 2 - (box.x + box.width / 2) * zoom,
      y: size.height / 2 - (box.y + box.height / 2) * zoom,
    });
  }

  /** The part of the canvas whose cards are drawn; undefined before the canvas has a size. */
  drawnWindow(): Rect | undefined {
    const size = this.size;
    if (!size || size.width === 0) return undefined;
    return (this.window ??= renderWindowFor(this.view, size.width, size.height));
  }

  /** A pan or zoom that leaves the drawn window draws the cards around the new view. */
  private follow(view: Viewport): void {
    const size = this.size;
    if (!size || !this.window) return;
    if (containsRect(this.window, visibleRect(view, size.width, size.height))) return;
    this.window = renderWindowFor(view, size.width, size.height);
    this.host.element.requestUpdate();
  }

  /** Moves the minimap's frame to the visible part of the canvas (an attribute write). */
  updateMinimapFrame(): void {
    const root = this.host.element.renderRoot;
    const frame = root.querySelector('.minimap-frame');
    const screen = this.size ?? this.canvas()?.getBoundingClientRect();
    const layout = this.host.layout();
    if (!frame || !screen || !layout) return;
    placeMinimapFrame(frame, layout, this.view, screen.width, screen.height);
  }

  onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    if (e.ctrlKey || e.metaKey) {
      const box = (e.currentTarget as Element).getBoundingClientRect();
      const factor = Math.exp(-e.deltaY * 0.002);
      this.set(
        zoomAt(this.view, this.view.zoom * factor, e.clientX - box.left, e.clientY - box.top),
      );
    } else {
      this.set(panBy(this.view, -e.deltaX, -e.deltaY));
    }
  };

  /** Pointer input, canvas-relative, to the pan/pinch gesture (core/pan-zoom-gesture.ts). */
  private localPoint(e: PointerEvent): { x: number; y: number } {
    const box = (e.currentTarget as Element).getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  pointerDown(e: PointerEvent): void {
    const onNode = (e.target as Element).closest('g.node') !== null;
    if (!this.gesture.down(e.pointerId, this.localPoint(e), onNode)) return;
    try {
      (e.currentTarget as Element).setPointerCapture(e.pointerId);
    } catch {
      // Synthetic or already-released pointers cannot be captured; panning still works.
    }
  }

  onPointerMove = (e: PointerEvent): void => {
    if (this.gesture.active === 0) return;
    const next = this.gesture.move(e.pointerId, this.localPoint(e), this.view);
    if (next) this.set(next);
  };

  onPointerUp = (e: PointerEvent): void => {
    this.gesture.up(e.pointerId);
  };
}
