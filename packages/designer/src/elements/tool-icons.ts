import { css, html, type TemplateResult } from 'lit';

/**
 * The toolbar's and palette's icons, drawn as SVG strokes in the text colour. Not glyphs: the
 * symbols they replaced (− ⤢ ↶ ↷ ✕) are missing from common UI fonts, and the first layout
 * that met one had the browser search its fallback fonts — measured at 12–28 ms of the
 * designer's first open in Chromium on Linux, on a page that had not used them before.
 */

/** The icons' styles, shared by every element that shows them. */
export const toolIconStyles = css`
  .tool-icon {
    display: block;
    margin: auto;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.6;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
`;

const icon = (d: string): TemplateResult =>
  html`<svg
    class="tool-icon"
    viewBox="0 0 16 16"
    width="14"
    height="14"
    aria-hidden="true"
    focusable="false"
  >
    <path d=${d} />
  </svg>`;

export const ZOOM_OUT_ICON = icon('M3 8h10');
export const ZOOM_IN_ICON = icon('M3 8h10M8 3v10');
/** Four corners pointing out: fit the flow to the view. */
export const FIT_ICON = icon('M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4');
/** A hooked arrow back. */
export const UNDO_ICON = icon('M6 3 2.5 6.5 6 10M3 6.5h6.5a3.5 3.5 0 0 1 0 7H7');
export const REDO_ICON = icon('M10 3l3.5 3.5L10 10M13 6.5H6.5a3.5 3.5 0 0 0 0 7H9');
export const CLOSE_ICON = icon('M4 4l8 8M12 4l-8 8');
