import { panBy, zoomAt, type Viewport } from './viewport.ts';

/**
 * Pointer gestures on the canvas, framework-free: one pointer pans (mouse drag, one finger),
 * two pointers pinch (zoom around their midpoint and pan with it, as maps do). The element
 * forwards pointer events with canvas-relative points and applies the viewport it gets back.
 *
 * A pointer that goes down on a node does not pan (a click on a card opens it; a drag there is
 * the editor's business), but it can still be the second finger of a pinch.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface PanZoomGesture {
  /** A pointer went down at `at`; `onNode` when on a card. Returns true when the canvas should capture it. */
  down(id: number, at: Point, onNode: boolean): boolean;
  /** A pointer moved: the new viewport, or undefined when the move changes nothing. */
  move(id: number, at: Point, view: Viewport): Viewport | undefined;
  /** A pointer went up or was cancelled. */
  up(id: number): void;
  /** Pointers down now. */
  readonly active: number;
}

const distance = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);
const midpoint = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/**
 * One step of a pinch: the two fingers went from `before` to `after`. The world point under the
 * old midpoint ends up under the new one, scaled by the change of the fingers' distance.
 */
export function pinchStep(
  view: Viewport,
  before: readonly [Point, Point],
  after: readonly [Point, Point],
): Viewport {
  const d0 = distance(before[0], before[1]);
  const d1 = distance(after[0], after[1]);
  const m0 = midpoint(before[0], before[1]);
  const m1 = midpoint(after[0], after[1]);
  const zoomed = d0 > 0 && d1 > 0 ? zoomAt(view, view.zoom * (d1 / d0), m0.x, m0.y) : view;
  return panBy(zoomed, m1.x - m0.x, m1.y - m0.y);
}

export function createPanZoomGesture(): PanZoomGesture {
  const pointers = new Map<number, { at: Point; onNode: boolean }>();
  return {
    get active() {
      return pointers.size;
    },
    down(id, at, onNode) {
      pointers.set(id, { at, onNode });
      return !onNode || pointers.size >= 2;
    },
    move(id, at, view) {
      const pointer = pointers.get(id);
      if (!pointer) return undefined;
      const before = pointer.at;
      pointer.at = at;
      if (pointers.size >= 2) {
        // The first two pointers pinch; a third finger is ignored.
        const [a, b] = [...pointers.keys()];
        if (id !== a && id !== b) return undefined;
        const other = pointers.get(id === a ? b! : a!)!.at;
        return pinchStep(view, [before, other], [at, other]);
      }
      if (pointer.onNode) return undefined;
      if (at.x === before.x && at.y === before.y) return undefined;
      return panBy(view, at.x - before.x, at.y - before.y);
    },
    up(id) {
      pointers.delete(id);
    },
  };
}
