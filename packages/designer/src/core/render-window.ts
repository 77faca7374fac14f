import type { LayoutPoint } from './layout-result.ts';
import type { Rect, Viewport } from './viewport.ts';

/**
 * Which part of the canvas is drawn: the visible area plus a margin on every side. Cards and
 * edges outside it are not in the DOM, so opening a 1,000-step flow at a readable zoom costs
 * what the few dozen cards in view cost; panning redraws only when the view leaves the window.
 * Pure geometry in canvas (world) coordinates.
 */

/** The part of the canvas the screen shows. */
export function visibleRect(view: Viewport, width: number, height: number): Rect {
  return {
    // `0 - x`, not `-x`: no negative zero.
    x: (0 - view.x) / view.zoom,
    y: (0 - view.y) / view.zoom,
    width: width / view.zoom,
    height: height / view.zoom,
  };
}

/** The drawn window around the view: `margin` screens of slack on each side. */
export function renderWindowFor(view: Viewport, width: number, height: number, margin = 0.2): Rect {
  const v = visibleRect(view, width, height);
  return {
    x: v.x - v.width * margin,
    y: v.y - v.height * margin,
    width: v.width * (1 + 2 * margin),
    height: v.height * (1 + 2 * margin),
  };
}

export function containsRect(outer: Rect, inner: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

export function intersects(a: Rect, b: Rect): boolean {
  return (
    a.x <= b.x + b.width && b.x <= a.x + a.width && a.y <= b.y + b.height && b.y <= a.y + a.height
  );
}

/** The bounding box of a polyline. */
export function pointsBox(points: readonly LayoutPoint[]): Rect {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const p of points) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  return points.length === 0
    ? { x: 0, y: 0, width: 0, height: 0 }
    : { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}
