/**
 * One pointer's drag, framework-free (in the manner of `@xyflow/system`'s XYDrag): it starts
 * once the pointer has moved `threshold` pixels (so a click stays a click), reports moves and
 * ends in a drop or a cancel. The designer uses it for palette drags, moving cards, connecting
 * ports and the lasso; the element only forwards pointer events and draws what it reports.
 */

export interface DragPoint {
  readonly x: number;
  readonly y: number;
}

export interface PointerDragHandlers {
  /** The drag started (the pointer moved past the threshold). */
  readonly onStart?: (at: DragPoint, origin: DragPoint) => void;
  readonly onMove?: (at: DragPoint, origin: DragPoint) => void;
  /** Released after the drag started. */
  readonly onDrop?: (at: DragPoint, origin: DragPoint) => void;
  /** Released before the threshold: a click. */
  readonly onClick?: (at: DragPoint) => void;
  readonly onCancel?: () => void;
}

export interface PointerDrag {
  readonly active: boolean;
  readonly started: boolean;
  down(pointerId: number, at: DragPoint): void;
  move(pointerId: number, at: DragPoint): void;
  up(pointerId: number, at: DragPoint): void;
  cancel(): void;
  update(handlers: PointerDragHandlers): void;
  destroy(): void;
}

export function createPointerDrag(handlers: PointerDragHandlers, threshold = 4): PointerDrag {
  let h = handlers;
  let pointer: number | undefined;
  let origin: DragPoint = { x: 0, y: 0 };
  let started = false;
  const reset = (): void => {
    pointer = undefined;
    started = false;
  };
  return {
    get active() {
      return pointer !== undefined;
    },
    get started() {
      return started;
    },
    down(pointerId, at) {
      pointer = pointerId;
      origin = at;
      started = false;
    },
    move(pointerId, at) {
      if (pointerId !== pointer) return;
      if (!started) {
        if (Math.hypot(at.x - origin.x, at.y - origin.y) < threshold) return;
        started = true;
        h.onStart?.(at, origin);
      }
      h.onMove?.(at, origin);
    },
    up(pointerId, at) {
      if (pointerId !== pointer) return;
      const wasStarted = started;
      const from = origin;
      reset();
      if (wasStarted) h.onDrop?.(at, from);
      else h.onClick?.(at);
    },
    cancel() {
      if (pointer === undefined) return;
      const wasStarted = started;
      reset();
      if (wasStarted) h.onCancel?.();
    },
    update(next) {
      h = next;
    },
    destroy() {
      reset();
    },
  };
}
