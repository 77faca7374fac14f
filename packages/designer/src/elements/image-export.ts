import type { Rect } from '../core/viewport.ts';
import { exportCss } from '../styles/export-css.ts';

/**
 * The designer's canvas as files: a standalone SVG document and a PNG drawn from it. The SVG
 * carries its styles as a `<style>` element of the exported file (never of the page); the PNG
 * goes through a `data:` URL, which a strict CSP allows for images (`img-src data:`), unlike
 * `blob:`.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A copy of the canvas `<svg>` at zoom 1 showing all of `bounds`, with the styles inlined. */
export function standaloneSvg(canvas: SVGSVGElement, bounds: Rect): string {
  const copy = canvas.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('width', String(Math.ceil(bounds.width)));
  copy.setAttribute('height', String(Math.ceil(bounds.height)));
  copy.setAttribute(
    'viewBox',
    `${bounds.x} ${bounds.y} ${Math.ceil(bounds.width)} ${Math.ceil(bounds.height)}`,
  );
  // At zoom 1 every card shows its details, whatever the zoom on screen.
  copy.classList.remove('far');
  copy.querySelector('g.viewport')?.removeAttribute('transform');
  // Editing affordances ("+" buttons, drag previews, edge hit areas) are not part of the picture.
  for (const el of copy.querySelectorAll('.edit-layer, .edge-hit')) el.remove();
  const style = document.createElementNS(SVG_NS, 'style');
  style.textContent = exportCss();
  copy.insertBefore(style, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

/** An SVG document drawn on a white canvas of `scale` × `bounds`, encoded as PNG. */
export async function svgToPng(svgText: string, bounds: Rect, scale: number): Promise<Blob> {
  const bytes = new TextEncoder().encode(svgText);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const image = new Image();
  image.src = `data:image/svg+xml;base64,${btoa(binary)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(bounds.width * scale);
  canvas.height = Math.ceil(bounds.height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('exportPng(): no 2D canvas context.');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('exportPng(): encoding failed.'))),
      'image/png',
    ),
  );
}
