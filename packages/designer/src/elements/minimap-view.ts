import { svg, type SVGTemplateResult } from 'lit';
import type { LayoutResult } from '../core/layout-result.ts';
import { boundsOf } from '../core/layout-result.ts';
import {
  centreOnMinimapPoint,
  minimapFrame,
  minimapPath,
  minimapTransform,
  type MinimapTransform,
} from '../core/minimap.ts';
import type { Viewport } from '../core/viewport.ts';

/** The minimap's side (px) and its distance from the canvas's corner (`.minimap` in the styles). */
export const MINIMAP_SIZE = 140;
export const MINIMAP_MARGIN = 12;

export interface MinimapContext {
  readonly label: string;
  /** The canvas's current viewport and its size on screen, when a pointer moves on the map. */
  readonly view: () =>
    { readonly viewport: Viewport; readonly width: number; readonly height: number } | undefined;
  /** Applies the viewport that centres the canvas on the point under the pointer. */
  readonly onPan: (viewport: Viewport) => void;
}

function transformOf(layout: LayoutResult): MinimapTransform {
  return minimapTransform(boundsOf(layout), MINIMAP_SIZE, MINIMAP_SIZE);
}

/** The minimap: every card as a small rect (all in one path), and a frame (placed by `placeMinimapFrame`) to drag. */
export function renderMinimap(layout: LayoutResult, ctx: MinimapContext): SVGTemplateResult {
  const map = transformOf(layout);
  const cards = [...layout.nodes.values()].filter((n) => n.kind !== 'region');
  const move = (e: PointerEvent): void => {
    if (e.type === 'pointermove' && e.buttons !== 1) return;
    const box = (e.currentTarget as Element).getBoundingClientRect();
    const screen = ctx.view();
    if (!screen) return;
    ctx.onPan(
      centreOnMinimapPoint(
        map,
        screen.viewport,
        e.clientX - box.left,
        e.clientY - box.top,
        screen.width,
        screen.height,
      ),
    );
  };
  return svg`<svg
      part="minimap"
      class="minimap"
      role="img"
      aria-label=${ctx.label}
      width=${MINIMAP_SIZE}
      height=${MINIMAP_SIZE}
      @pointerdown=${move}
      @pointermove=${move}
    >
      <path class="minimap-nodes" d=${minimapPath(map, cards)}></path>
      <rect part="minimap-frame" class="minimap-frame" x="0" y="0" width="0" height="0"></rect>
    </svg>`;
}

/** Moves the minimap's frame to the visible part of the canvas (attribute writes only). */
export function placeMinimapFrame(
  frame: Element,
  layout: LayoutResult,
  viewport: Viewport,
  width: number,
  height: number,
): void {
  const r = minimapFrame(transformOf(layout), viewport, width, height);
  frame.setAttribute('x', String(r.x));
  frame.setAttribute('y', String(r.y));
  frame.setAttribute('width', String(r.width));
  frame.setAttribute('height', String(r.height));
}
