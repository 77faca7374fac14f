/**
 * Viewport maths for the canvas, framework-free: the Lit element only forwards pointer and
 * wheel input here and applies the resulting transform.
 */

/** A pan/zoom transform: screen = world * zoom + (x, y). */
export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 4;

export const IDENTITY_VIEWPORT: Viewport = { x: 0, y: 0, zoom: 1 };

/** Clamps a zoom factor into [MIN_ZOOM, MAX_ZOOM]. */
export function clampZoom(zoom: number, min = MIN_ZOOM, max = MAX_ZOOM): number {
  if (!Number.isFinite(zoom)) return 1;
  return Math.min(max, Math.max(min, zoom));
}

/**
 * Zooms to `zoom` keeping the world point under the screen point (sx, sy) fixed, which is what
 * a wheel or pinch gesture expects.
 */
export function zoomAt(view: Viewport, zoom: number, sx: number, sy: number): Viewport {
  const next = clampZoom(zoom);
  const wx = (sx - view.x) / view.zoom;
  const wy = (sy - view.y) / view.zoom;
  return { x: sx - wx * next, y: sy - wy * next, zoom: next };
}

/** Moves the viewport by a screen-space delta. */
export function panBy(view: Viewport, dx: number, dy: number): Viewport {
  return { x: view.x + dx, y: view.y + dy, zoom: view.zoom };
}

/** The viewport that shows all of `content` centred in a `width` x `height` screen. */
export function fitRect(content: Rect, width: number, height: number, padding = 24): Viewport {
  if (content.width <= 0 || content.height <= 0 || width <= 0 || height <= 0) {
    return IDENTITY_VIEWPORT;
  }
  const zoom = clampZoom(
    Math.min((width - 2 * padding) / content.width, (height - 2 * padding) / content.height),
    MIN_ZOOM,
    1,
  );
  return {
    x: (width - content.width * zoom) / 2 - content.x * zoom,
    y: (height - content.height * zoom) / 2 - content.y * zoom,
    zoom,
  };
}

/** Converts a screen point to world coordinates. */
export function toWorld(view: Viewport, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - view.x) / view.zoom, y: (sy - view.y) / view.zoom };
}

/**
 * Like `fitRect`, but keeps the content clear of a box in the bottom-right corner (the
 * minimap): when the plain fit would put content under it, the content is fitted into the strip
 * left of the box or the strip above it, whichever shows it larger.
 */
export function fitRectAvoiding(
  content: Rect,
  width: number,
  height: number,
  corner: { readonly width: number; readonly height: number },
  padding = 24,
): Viewport {
  const plain = fitRect(content, width, height, padding);
  const right = content.x * plain.zoom + plain.x + content.width * plain.zoom;
  const bottom = content.y * plain.zoom + plain.y + content.height * plain.zoom;
  const clear = right <= width - corner.width || bottom <= height - corner.height;
  if (clear || content.width <= 0 || content.height <= 0) return plain;
  const left = fitRect(content, width - corner.width, height, padding);
  const above = fitRect(content, width, height - corner.height, padding);
  return left.zoom >= above.zoom ? left : above;
}

/** Zoom below which card texts stop being comfortably readable; flows open at this or more. */
export const READABLE_ZOOM = 0.75;

/**
 * How a flow opens: fitted when that keeps it readable, else at READABLE_ZOOM with its start
 * (`start`, the top row of cards) at the top, centred across — the minimap shows the rest.
 * `fitted` is the plain fit (with any areas to avoid already applied).
 */
export function openingViewport(
  start: Rect,
  fitted: Viewport,
  width: number,
  padding = 24,
): Viewport {
  if (fitted.zoom >= READABLE_ZOOM) return fitted;
  const zoom = READABLE_ZOOM;
  return {
    zoom,
    x: width / 2 - (start.x + start.width / 2) * zoom,
    y: padding - start.y * zoom,
  };
}
