import { css } from 'lit';

// The dark theme's values, used under prefers-color-scheme and under theme="dark".
const darkVars = css`
  --_bg: var(--flow-designer-bg, #161a22);
  --_fg: var(--flow-designer-fg, #e3e7ef);
  --_muted: var(--flow-designer-muted, #9aa3b5);
  --_border: var(--flow-designer-border, #343b4a);
  --_card: var(--flow-designer-card-bg, #222834);
  --_container: var(--flow-designer-container-bg, rgba(160, 180, 220, 0.06));
  --_region: var(--flow-designer-region-bg, rgba(160, 180, 220, 0.05));
  --_edge: var(--flow-designer-edge, #7a8398);
  --_accent: var(--flow-designer-accent, #7aa2f7);
  --_error: var(--flow-designer-error, #ef6b6b);
  --_success: var(--flow-designer-success, #6cc070);
  --_warning: var(--flow-designer-warning, #e0a040);
  --_running: var(--flow-designer-running, #7aa2f7);
  --_info: var(--flow-designer-info, #5cc4d4);
  --_tl-wait-bg: var(--flow-designer-timeline-wait-bg, rgba(224, 160, 64, 0.22));
  --_tl-queued-bg: var(--flow-designer-timeline-queued-bg, rgba(154, 163, 181, 0.22));
  --_tl-grid: var(--flow-designer-timeline-grid, rgba(160, 180, 220, 0.14));
  --_minimap-bg: var(--flow-designer-minimap-bg, rgba(30, 35, 46, 0.92));
  --_minimap-node: var(--flow-designer-minimap-node, #586175);
`;

/**
 * The designer's base styles: every colour, font, radius and spacing is a custom property
 * (`--flow-designer-*`), with light defaults and dark ones under `prefers-color-scheme: dark`
 * or `theme="dark"`.
 * Static only: no `<style>` is ever injected at run time (strict CSP).
 */
export const designerStyles = css`
  :host {
    --_bg: var(--flow-designer-bg, #f7f8fa);
    --_fg: var(--flow-designer-fg, #1d2330);
    --_muted: var(--flow-designer-muted, #5b6478);
    --_border: var(--flow-designer-border, #d9dde5);
    --_card: var(--flow-designer-card-bg, #ffffff);
    --_container: var(--flow-designer-container-bg, rgba(90, 110, 150, 0.06));
    --_region: var(--flow-designer-region-bg, rgba(90, 110, 150, 0.05));
    --_edge: var(--flow-designer-edge, #8a93a6);
    --_accent: var(--flow-designer-accent, #3b6fd8);
    --_error: var(--flow-designer-error, #c62828);
    --_success: var(--flow-designer-success, #2e7d32);
    --_warning: var(--flow-designer-warning, #b26a00);
    --_running: var(--flow-designer-running, #3b6fd8);
    --_info: var(--flow-designer-info, #1a7f8e);
    --_skipped: var(--flow-designer-skipped, #9aa1b0);
    --_tl-wait-bg: var(--flow-designer-timeline-wait-bg, rgba(178, 106, 0, 0.16));
    --_tl-queued-bg: var(--flow-designer-timeline-queued-bg, rgba(91, 100, 120, 0.16));
    --_tl-grid: var(--flow-designer-timeline-grid, rgba(90, 110, 150, 0.12));
    --_minimap-bg: var(--flow-designer-minimap-bg, rgba(255, 255, 255, 0.9));
    --_minimap-node: var(--flow-designer-minimap-node, #b7bfcd);
    display: block;
    position: relative;
    min-height: 200px;
    font-family: var(--flow-designer-font, system-ui, sans-serif);
    color: var(--_fg);
    background: var(--_bg);
    border-radius: var(--flow-designer-radius, 8px);
    overflow: hidden;
  }
  /* Dark: when the page prefers it (unless theme="light"), or when theme="dark". */
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkVars}
    }
  }
  :host([theme='dark']) {
    ${darkVars}
  }
  section {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: inherit;
  }
  .top {
    display: flex;
    align-items: center;
    gap: var(--flow-designer-space, 12px);
    padding: var(--flow-designer-space, 12px);
    border-bottom: 1px solid var(--_border);
  }
  header {
    font-weight: 600;
  }
  .top .count {
    color: var(--_muted);
    font-size: 0.85em;
  }
  .top .tools {
    margin-left: auto;
    display: flex;
    gap: 4px;
  }
  button {
    font: inherit;
    min-width: 28px;
    height: 28px;
    color: var(--_fg);
    background: var(--_card);
    border: 1px solid var(--_border);
    border-radius: 4px;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .empty {
    padding: var(--flow-designer-space, 12px);
    color: var(--_muted);
  }
  svg.canvas {
    flex: 1 1 auto;
    display: block;
    width: 100%;
    min-height: var(--flow-designer-canvas-min-height, 320px);
    touch-action: none;
    cursor: grab;
    user-select: none;
  }
  text {
    fill: var(--_fg);
    font-size: 12px;
  }
  .node {
    cursor: pointer;
  }
  .node:focus {
    outline: none;
  }
  .node:focus-visible > .card {
    stroke: var(--_accent);
    stroke-width: 2.5;
  }
  .card {
    fill: var(--_card);
    stroke: var(--_border);
    stroke-width: 1;
  }
  .kind-container > .card {
    fill: var(--_container);
  }
  .kind-trigger > .card {
    stroke: var(--_accent);
    stroke-dasharray: 4 3;
  }
  /* Icons: glyphs stroke with currentColor on a box tinted with the same colour. */
  .icon {
    color: var(--flow-designer-icon-color, var(--_accent));
  }
  .kind-branch > .icon {
    color: var(--flow-designer-branch-icon-color, var(--_warning));
  }
  .icon[data-icon='x-circle'] {
    color: var(--flow-designer-fail-icon-color, var(--_error));
  }
  .icon[data-icon='check-circle'] {
    color: var(--flow-designer-approval-icon-color, var(--_success));
  }
  .icon-box {
    fill: var(--flow-designer-icon-bg, currentColor);
    fill-opacity: var(--flow-designer-icon-bg-opacity, 0.12);
  }
  .glyph path {
    fill: none;
    stroke: currentColor;
    stroke-width: 1.5;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .icon text.monogram {
    fill: currentColor;
    font-size: 10px;
    font-weight: 700;
  }
  .header-rule {
    stroke: var(--_border);
  }
  .name {
    font-weight: 600;
    font-size: 13px;
  }
  .type,
  .summary,
  .region-label,
  .run-info {
    fill: var(--_muted);
  }
  .summary {
    font-family: var(--flow-designer-mono, ui-monospace, monospace);
    font-size: 11px;
  }
  .region-box {
    fill: var(--_region);
    stroke: var(--_border);
    stroke-dasharray: 5 3;
  }
  .region-label {
    font-size: 11px;
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }
  .port {
    fill: var(--_card);
    stroke: var(--_edge);
    stroke-width: 1.5;
  }
  .edge-line {
    fill: none;
    stroke: var(--_edge);
    stroke-width: 1.5;
  }
  .edge-arrow {
    fill: var(--_edge);
  }
  .edge-label rect {
    fill: var(--_bg);
  }
  .edge-label text {
    fill: var(--_muted);
    font-size: 11px;
  }
  /* Diagnostic markers: the shape tells the severity (circle !, triangle !, ring i), the colour repeats it. */
  .marker-shape {
    fill: var(--_error);
  }
  .marker-glyph {
    fill: none;
    stroke: var(--flow-designer-marker-glyph, #fff);
    stroke-width: 2;
    stroke-linecap: round;
  }
  .marker-warning .marker-shape {
    fill: var(--_warning);
    stroke: var(--_warning);
    stroke-width: 1.5;
    stroke-linejoin: round;
  }
  .marker-warning .marker-glyph {
    stroke: var(--flow-designer-warning-glyph, #1d2330);
  }
  .marker-info .marker-shape {
    fill: var(--_card);
    stroke: var(--_info);
    stroke-width: 1.5;
  }
  .marker-info .marker-glyph {
    stroke: var(--_info);
  }
  /* Edges with diagnostics: dashed and coloured by severity; a wide invisible hit line for the tooltip. */
  .edge-hit {
    fill: none;
    stroke: transparent;
    stroke-width: 10;
  }
  .edge-invalid > .edge-line {
    stroke: var(--_error);
    stroke-dasharray: 5 3;
  }
  .edge-invalid > .edge-arrow {
    fill: var(--_error);
  }
  .edge-invalid.severity-warning > .edge-line {
    stroke: var(--_warning);
  }
  .edge-invalid.severity-warning > .edge-arrow {
    fill: var(--_warning);
  }
  .edge-invalid.severity-info > .edge-line {
    stroke: var(--_info);
  }
  .edge-invalid.severity-info > .edge-arrow {
    fill: var(--_info);
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
      transition: none !important;
    }
  }
  .invalid > .card {
    stroke: var(--_error);
    stroke-width: 1.5;
  }
  .status-running > .card,
  .status-retrying > .card {
    stroke: var(--_running);
    stroke-width: 2;
  }
  /* Running: the border's dashes travel round the card (off under prefers-reduced-motion). */
  .status-running > .card {
    stroke-dasharray: 8 5;
    animation: flow-designer-running 0.9s linear infinite;
  }
  @keyframes flow-designer-running {
    to {
      stroke-dashoffset: -26;
    }
  }
  .status-succeeded > .card {
    stroke: var(--_success);
    stroke-width: 2;
  }
  .status-failed > .card {
    stroke: var(--_error);
    stroke-width: 2;
  }
  .status-waiting > .card {
    stroke: var(--_warning);
    stroke-width: 2;
  }
  .status-skipped,
  .status-pending {
    opacity: 0.6;
  }
  /* Read by screen readers, not shown: the live run status and the outline tree. */
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .minimap {
    position: absolute;
    right: 12px;
    bottom: 12px;
    background: var(--_minimap-bg);
    border: 1px solid var(--_border);
    border-radius: 6px;
    cursor: pointer;
    /* A finger dragged on the map pans the canvas, not the page. */
    touch-action: none;
  }
  .minimap-nodes {
    fill: var(--_minimap-node);
  }
  .minimap-frame {
    fill: var(--flow-designer-minimap-frame-fill, rgba(74, 111, 220, 0.12));
    stroke: var(--_accent);
    stroke-width: 1.5;
  }
  .selected > .card {
    stroke: var(--flow-designer-accent, #4a6fdc);
    stroke-width: 2.5;
  }
  /* The iteration picker: a tab on a loop card's top border. */
  .iteration-box {
    fill: var(--_card);
    stroke: var(--_accent);
    stroke-width: 1;
  }
  .iteration-text {
    font-size: 11px;
    font-variant-numeric: tabular-nums;
  }
  .iteration-button {
    cursor: pointer;
  }
  .iteration-button:focus {
    outline: none;
  }
  .iteration-hit {
    fill: transparent;
  }
  .iteration-button:hover .iteration-hit {
    fill: var(--_tl-grid);
  }
  .iteration-button:focus-visible .iteration-hit {
    stroke: var(--_accent);
    stroke-width: 2;
  }
  .iteration-chevron {
    fill: none;
    stroke: var(--_accent);
    stroke-width: 1.75;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .iteration-button.disabled {
    cursor: default;
    opacity: 0.4;
  }
  /* The run timeline: a Gantt panel under the canvas. */
  button[aria-pressed='true'] {
    color: var(--_accent);
    border-color: var(--_accent);
  }
  .timeline-icon rect {
    fill: currentColor;
  }
  :host([timeline-open]) .minimap {
    bottom: calc(var(--flow-designer-timeline-height, 220px) + 12px);
  }
  .timeline-slot {
    display: contents;
  }
  .timeline {
    flex: none;
    height: var(--flow-designer-timeline-height, 220px);
    overflow: auto;
    border-top: 1px solid var(--_border);
    font-size: 12px;
    --_tl-label: var(--flow-designer-timeline-label-width, 160px);
    --_tl-duration: var(--flow-designer-timeline-duration-width, 64px);
  }
  .timeline-empty {
    margin: 0;
    padding: var(--flow-designer-space, 12px);
    color: var(--_muted);
  }
  .timeline-head {
    padding: 6px var(--flow-designer-space, 12px) 0;
  }
  .timeline-legend {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
    margin: 0;
    padding: 0;
    list-style: none;
    color: var(--_muted);
  }
  .timeline-legend li {
    display: flex;
    align-items: center;
    gap: 4px;
  }
  .timeline-axis,
  .timeline-row {
    display: grid;
    grid-template-columns: var(--_tl-label) 1fr var(--_tl-duration);
    align-items: center;
    column-gap: 8px;
    padding: 0 var(--flow-designer-space, 12px);
  }
  .timeline-axis {
    position: sticky;
    top: 0;
    background: var(--_bg);
    color: var(--_muted);
    z-index: 1;
  }
  .timeline-axis svg,
  .timeline-track {
    display: block;
    overflow: visible;
  }
  .timeline-tick {
    stroke: var(--_border);
  }
  .timeline-tick-label {
    fill: var(--_muted);
    font-size: 10px;
  }
  .timeline-rows {
    margin: 0;
    padding: 0 0 8px;
    list-style: none;
  }
  .timeline-row:hover {
    background: var(--_tl-grid);
  }
  .timeline-row.selected {
    background: var(--_tl-grid);
    box-shadow: inset 3px 0 0 var(--_accent);
  }
  .timeline-row.selected .timeline-label {
    font-weight: 600;
  }
  .timeline-label {
    height: 22px;
    min-width: 0;
    padding: 0 4px;
    overflow: hidden;
    text-align: left;
    text-overflow: ellipsis;
    white-space: nowrap;
    background: none;
    border: none;
  }
  .depth-1 .timeline-label {
    padding-left: 16px;
  }
  .depth-2 .timeline-label {
    padding-left: 28px;
  }
  .depth-3 .timeline-label {
    padding-left: 40px;
  }
  .timeline-duration {
    color: var(--_muted);
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  .timeline-bar {
    cursor: pointer;
  }
  .timeline-hit {
    fill: transparent;
  }
  .kind-attempt .timeline-rect {
    fill: var(--flow-designer-timeline-running, var(--_running));
  }
  .kind-attempt.outcome-succeeded .timeline-rect {
    fill: var(--flow-designer-timeline-succeeded, var(--_success));
  }
  .kind-attempt.outcome-failed .timeline-rect {
    fill: var(--flow-designer-timeline-failed, var(--_error));
  }
  .kind-suspended .timeline-rect {
    fill: var(--_tl-wait-bg);
    stroke: var(--flow-designer-timeline-wait, var(--_warning));
    stroke-dasharray: 3 2;
  }
  .kind-queued .timeline-rect {
    fill: var(--_tl-queued-bg);
    stroke: var(--_muted);
    stroke-dasharray: 1 2;
  }
  .timeline-retry-line {
    stroke: var(--flow-designer-timeline-retry, var(--_error));
    stroke-width: 2;
    stroke-dasharray: 4 3;
  }
  .timeline-bar.open .timeline-rect {
    fill-opacity: 0.75;
  }
  .timeline-bar-label {
    font-size: 10px;
    pointer-events: none;
  }
  /* Zoomed far out (see FAR_ZOOM): cards only, no texts, ports or icons. */
  .canvas.far .node text,
  .canvas.far .node .port,
  .canvas.far .node .icon,
  .canvas.far .region-label,
  .canvas.far .edge-label,
  .canvas.far .edge-arrow {
    display: none;
  }
  /* Editing (elements/editing-controller.ts) */
  .palette-overlay {
    position: absolute;
    z-index: 3;
    top: 52px;
    left: 8px;
    bottom: 8px;
    width: min(280px, calc(100% - 16px));
  }
  .panel-overlay {
    position: absolute;
    z-index: 3;
    top: 52px;
    right: 8px;
    bottom: 8px;
    width: min(360px, calc(100% - 16px));
    overflow: auto;
  }
  .rename {
    position: absolute;
    z-index: 4;
    box-sizing: border-box;
    height: 28px;
    padding: 2px 8px;
    font: inherit;
    font-weight: 600;
    color: var(--_fg);
    background: var(--_card);
    border: 2px solid var(--_accent);
    border-radius: 6px;
  }
  .loading {
    position: absolute;
    top: 50%;
    left: 50%;
    transform: translate(-50%, -50%);
    color: var(--_muted);
  }
  .empty-flow {
    position: absolute;
    top: 50%;
    left: 50%;
    transform: translate(-50%, -50%);
    text-align: center;
    color: var(--_muted);
  }
  .empty-flow button,
  .top .tools button:disabled {
    font: inherit;
  }
  .empty-flow button {
    padding: 6px 14px;
    color: var(--_card);
    background: var(--_accent);
    border: 0;
    border-radius: 6px;
    cursor: pointer;
  }
  .empty-flow button:focus-visible,
  .rename:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .top .tools button:disabled {
    opacity: 0.45;
    cursor: default;
  }
  .tool-text {
    margin-inline-start: 4px;
    font-size: 13px;
  }
  .edge {
    cursor: pointer;
  }
  .edge-selected {
    fill: none;
    stroke: var(--_accent);
    stroke-width: 4;
    stroke-opacity: 0.45;
    pointer-events: none;
  }
  .plus {
    cursor: pointer;
    opacity: 0;
    transition: opacity 0.12s;
  }
  .canvas:hover .plus,
  .plus.drop-target {
    opacity: 1;
  }
  .plus circle {
    fill: var(--_card);
    stroke: var(--_accent);
    stroke-width: 1.5;
  }
  .plus path {
    stroke: var(--_accent);
    stroke-width: 1.8;
    stroke-linecap: round;
  }
  .plus:hover circle,
  .plus.drop-target circle {
    fill: var(--_accent);
  }
  .plus:hover path,
  .plus.drop-target path {
    stroke: var(--_card);
  }
  .port-out {
    cursor: crosshair;
  }
  .connect-preview line {
    stroke: var(--_accent);
    stroke-width: 2;
    stroke-dasharray: 5 4;
    pointer-events: none;
  }
  .connect-preview.refused line,
  .connect-preview.refused .connect-target {
    stroke: var(--_error);
  }
  .connect-target {
    fill: none;
    stroke: var(--_success);
    stroke-width: 2;
    pointer-events: none;
  }
  .connect-refusal {
    fill: var(--_error);
    font-size: 12px;
    pointer-events: none;
  }
  .lasso {
    fill: color-mix(in srgb, var(--_accent) 10%, transparent);
    stroke: var(--_accent);
    stroke-dasharray: 4 3;
    pointer-events: none;
  }
  .drop-box {
    fill: none;
    stroke: var(--_accent);
    stroke-width: 2;
    stroke-dasharray: 6 4;
    pointer-events: none;
  }
  .drag-ghost {
    pointer-events: none;
  }
  .drag-ghost rect {
    fill: var(--_card);
    stroke: var(--_accent);
    fill-opacity: 0.92;
  }
  .drag-ghost text {
    fill: var(--_fg);
    font-size: 12px;
  }
  @media (prefers-reduced-motion: reduce) {
    .plus {
      transition: none;
    }
  }
  .outline-slot {
    display: contents;
  }
`;
