import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_ZOOM,
  clampZoom,
  fitRect,
  fitRectAvoiding,
  panBy,
  toWorld,
  zoomAt,
} from '../../src/core/viewport.ts';

test('zoomAt keeps the world point under the cursor fixed', () => {
  const view = { x: 40, y: -10, zoom: 1.5 };
  const before = toWorld(view, 300, 200);
  const after = toWorld(zoomAt(view, 2.5, 300, 200), 300, 200);
  assert.ok(Math.abs(before.x - after.x) < 1e-9);
  assert.ok(Math.abs(before.y - after.y) < 1e-9);
});

test('zoom is clamped and NaN falls back to 1', () => {
  assert.equal(clampZoom(100), MAX_ZOOM);
  assert.equal(clampZoom(Number.NaN), 1);
  assert.equal(zoomAt({ x: 0, y: 0, zoom: 1 }, 1000, 0, 0).zoom, MAX_ZOOM);
});

test('panBy moves in screen space', () => {
  assert.deepEqual(panBy({ x: 1, y: 2, zoom: 3 }, 10, -5), { x: 11, y: -3, zoom: 3 });
});

test('fitRect centres content and never zooms in past 1', () => {
  const view = fitRect({ x: 100, y: 50, width: 200, height: 100 }, 1000, 800);
  assert.equal(view.zoom, 1);
  const topLeft = { x: 100 * view.zoom + view.x, y: 50 * view.zoom + view.y };
  assert.equal(topLeft.x, (1000 - 200) / 2);
  assert.equal(topLeft.y, (800 - 100) / 2);
  const big = fitRect({ x: 0, y: 0, width: 4000, height: 1000 }, 1000, 800, 0);
  assert.equal(big.zoom, 0.25);
});

test('fitRect of empty content is the identity', () => {
  assert.deepEqual(fitRect({ x: 0, y: 0, width: 0, height: 0 }, 100, 100), { x: 0, y: 0, zoom: 1 });
});

test('fitRectAvoiding keeps the content clear of the corner box when a plain fit would not', () => {
  const corner = { width: 164, height: 164 };
  // A wide flow: the strip above the box shows it larger than the strip left of it.
  const wide = { x: 0, y: 0, width: 2000, height: 400 };
  const view = fitRectAvoiding(wide, 1000, 800, corner);
  const bottom = view.y + wide.height * view.zoom;
  const right = view.x + wide.width * view.zoom;
  assert.ok(bottom <= 800 - corner.height || right <= 1000 - corner.width);
  assert.ok(view.zoom <= fitRect(wide, 1000, 800).zoom);
  // A flow that fits clear of the box keeps the plain fit.
  const small = { x: 0, y: 0, width: 200, height: 100 };
  assert.deepEqual(fitRectAvoiding(small, 1000, 800, corner), fitRect(small, 1000, 800));
  // A squarish flow that a plain fit puts under the box goes into the strip left of it, which
  // shows it larger than the strip above.
  const square = { x: 0, y: 0, width: 1000, height: 1000 };
  const plain = fitRect(square, 1000, 800);
  assert.ok(plain.x + square.width * plain.zoom > 1000 - corner.width, 'plain fit overlaps');
  const t = fitRectAvoiding(square, 1000, 800, corner);
  assert.ok(t.x + square.width * t.zoom <= 1000 - corner.width + 1e-9);
  assert.ok(t.zoom > fitRect(square, 1000, 800 - corner.height).zoom);
});
