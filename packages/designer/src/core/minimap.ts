import type { Rect, Viewport } from './viewport.ts';

/** How the minimap maps the world: `map = (world - origin) * scale + offset`. */
export interface MinimapTransform {
  readonly scale: number;
  readonly originX: number;
  readonly originY: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

/** Fits the flow's bounds into a `width` × `height` minimap, centred. */
export function minimapTransform(bounds: Rect, width: number, height: number): MinimapTransform {
  const w = Math.max(bounds.width, 1);
  const h = Math.max(bounds.height, 1);
  const scale = Math.min(width / w, height / h);
  return {
    scale,
    originX: bounds.x,
    originY: bounds.y,
    offsetX: (width - w * scale) / 2,
    offsetY: (height - h * scale) / 2,
  };
}

/** The visible part of the canvas (a `screenW` × `screenH` screen), as a rect on the minimap. */
export function minimapFrame(
  map: MinimapTransform,
  view: Viewport,
  screenW: number,
  screenH: number,
): Rect {
  const worldX = -view.x / view.zoom;
  const worldY = -view.y / view.zoom;
  return {
    x: (worldX - map.originX) * map.scale + map.offsetX,
    y: (worldY - map.originY) * map.scale + map.offsetY,
    width: (screenW / view.zoom) * map.scale,
    height: (screenH / view.zoom) * map.scale,
  };
}

/** The viewport (same zoom) that centres the screen on the world point under a minimap point. */
export function centreOnMinimapPoint(
  map: MinimapTransform,
  view: Viewport,
  mx: number,
  my: number,
  screenW: number,
  screenH: number,
): Viewport {
  const worldX = (mx - map.offsetX) / map.scale + map.originX;
  const worldY = (my - map.offsetY) / map.scale + map.originY;
  return {
    x: screenW / 2 - worldX * view.zoom,
    y: screenH / 2 - worldY * view.zoom,
    zoom: view.zoom,
  };
}

/** When the minimap is drawn: always, never, or (`auto`) when the content is larger than the canvas. */
export type MinimapMode = 'auto' | 'on' | 'off';

/**
 * Whether the minimap is shown: `auto` shows it when the content does not fit the canvas at
 * zoom 1 (a flow that fits needs no overview, and the map would cover part of it) or while the
 * canvas size is not known yet.
 */
export function minimapShown(
  mode: MinimapMode,
  content: { readonly width: number; readonly height: number },
  canvas: { readonly width: number; readonly height: number } | undefined,
): boolean {
  if (mode !== 'auto') return mode === 'on';
  return canvas === undefined || content.width > canvas.width || content.height > canvas.height;
}

/** Rounds a minimap coordinate to 1/100 px: finer than any screen, and a short path string. */
const px = (v: number): number => Math.round(v * 100) / 100;

/**
 * Every card of the flow as one SVG path of rectangles on the minimap (`M x y h w v h h -w z`
 * per card, each at least 1 px wide and high). One element instead of one `<rect>` per card:
 * at 100 cards that was a third of the designer's DOM at first open, each to style, lay out
 * and instantiate from a template.
 */
export function minimapPath(
  map: MinimapTransform,
  cards: Iterable<{
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
  }>,
): string {
  const parts: string[] = [];
  for (const c of cards) {
    const w = px(Math.max(1, c.width * map.scale));
    const h = px(Math.max(1, c.height * map.scale));
    const x = px((c.x - map.originX) * map.scale + map.offsetX);
    const y = px((c.y - map.originY) * map.scale + map.offsetY);
    parts.push(`M${x} ${y}h${w}v${h}h${-w}z`);
  }
  return parts.join('');
}
