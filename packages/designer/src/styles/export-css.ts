/**
 * The styles of an exported SVG file (`exportSvg()`): the light theme's look with literal
 * colours, since custom properties and the shadow root's stylesheet do not travel with it.
 * Text only: it becomes a `<style>` element of the exported document, never of the page.
 */
export function exportCss(): string {
  return [
    'text { font-family: system-ui, sans-serif; fill: #1d2330; }',
    '.card { fill: #ffffff; stroke: #c9cfda; stroke-width: 1; }',
    '.kind-container > .card, .kind-region > .card { fill: #f1f3f8; }',
    '.kind-trigger > .card { stroke-dasharray: 4 3; stroke: #4a6fdc; }',
    '.icon { color: #3b6fd8; }',
    '.kind-branch > .icon { color: #b26a00; }',
    '.icon-box { fill: currentColor; fill-opacity: 0.12; }',
    '.glyph path { fill: none; stroke: currentColor; stroke-width: 1.5; stroke-linecap: round; stroke-linejoin: round; }',
    '.icon text.monogram { fill: currentColor; font-size: 10px; font-weight: 700; }',
    '.name { font-size: 12px; font-weight: 600; }',
    '.type, .summary { font-size: 10px; fill: #5b6478; }',
    '.summary { font-family: ui-monospace, monospace; }',
    '.port { fill: #ffffff; stroke: #8a93a6; }',
    '.edge-line { fill: none; stroke: #8a93a6; stroke-width: 1.2; }',
    '.edge-arrow { fill: #8a93a6; }',
    '.edge-label rect { fill: #f7f8fa; }',
    '.edge-label text { font-size: 10px; fill: #5b6478; }',
    '.status-succeeded > .card { stroke: #2e9d5b; }',
    '.status-failed > .card { stroke: #d64545; }',
    '.invalid > .card { stroke: #d64545; stroke-width: 2; }',
    '.marker-shape { fill: #c62828; }',
    '.marker-glyph { fill: none; stroke: #fff; stroke-width: 2; stroke-linecap: round; }',
    '.marker-warning .marker-shape { fill: #b26a00; stroke: #b26a00; stroke-width: 1.5; stroke-linejoin: round; }',
    '.marker-warning .marker-glyph { stroke: #1d2330; }',
    '.marker-info .marker-shape { fill: #ffffff; stroke: #1a7f8e; stroke-width: 1.5; }',
    '.marker-info .marker-glyph { stroke: #1a7f8e; }',
    '.edge-hit { fill: none; stroke: transparent; }',
    '.edge-invalid > .edge-line { stroke: #c62828; stroke-dasharray: 5 3; }',
    '.edge-invalid > .edge-arrow { fill: #c62828; }',
    '.edge-invalid.severity-warning > .edge-line { stroke: #b26a00; }',
    '.edge-invalid.severity-info > .edge-line { stroke: #1a7f8e; }',
    // The iteration picker stays in an export: it says which iteration the loop's inside shows.
    '.iteration-box { fill: #ffffff; stroke: #3b6fd8; }',
    '.iteration-text { font-size: 11px; }',
    '.iteration-hit { fill: transparent; }',
    '.iteration-chevron { fill: none; stroke: #3b6fd8; stroke-width: 1.75; stroke-linecap: round; stroke-linejoin: round; }',
    '.iteration-button.disabled { opacity: 0.4; }',
  ].join('\n');
}
