import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  centreOnMinimapPoint,
  minimapFrame,
  minimapPath,
  minimapShown,
  minimapTransform,
} from '../../src/core/minimap.ts';

const bounds = { x: 0, y: 0, width: 1000, height: 2000 };

test('fits the bounds into the minimap, centred', () => {
  const map = minimapTransform(bounds, 160, 160);
  assert.equal(map.scale, 0.08);
  assert.equal(map.offsetX, (160 - 80) / 2);
  assert.equal(map.offsetY, 0);
});

test('the frame shows the visible part of the world', () => {
  const map = minimapTransform(bounds, 160, 160);
  const frame = minimapFrame(map, { x: -500, y: -1000, zoom: 1 }, 400, 300);
  assert.deepEqual(frame, { x: 40 + 40, y: 80, width: 32, height: 24 });
  const zoomedOut = minimapFrame(map, { x: 0, y: 0, zoom: 0.5 }, 400, 300);
  assert.equal(zoomedOut.width, 64);
});

test('clicking a minimap point centres the screen on it and keeps the zoom', () => {
  const map = minimapTransform(bounds, 160, 160);
  const view = centreOnMinimapPoint(map, { x: 0, y: 0, zoom: 2 }, 80, 80, 400, 300);
  assert.equal(view.zoom, 2);
  // World point (500, 1000) must land at the screen centre (200, 150).
  assert.equal(500 * view.zoom + view.x, 200);
  assert.equal(1000 * view.zoom + view.y, 150);
});

test('minimapShown: on and off as told; auto only when the content does not fit at zoom 1', () => {
  const canvas = { width: 800, height: 600 };
  assert.equal(minimapShown('on', { width: 10, height: 10 }, canvas), true);
  assert.equal(minimapShown('off', { width: 5000, height: 5000 }, canvas), false);
  assert.equal(minimapShown('auto', { width: 700, height: 500 }, canvas), false);
  assert.equal(minimapShown('auto', { width: 700, height: 601 }, canvas), true);
  assert.equal(minimapShown('auto', { width: 801, height: 10 }, canvas), true);
  assert.equal(minimapShown('auto', { width: 10, height: 10 }, undefined), true);
});

test('draws every card as one rectangle of a single path, at least 1 px on each side', () => {
  const map = minimapTransform(bounds, 160, 160);
  const d = minimapPath(map, [
    { x: 0, y: 0, width: 200, height: 50 },
    { x: 500, y: 1000, width: 5, height: 5 },
  ]);
  // Card 1 at (40, 0), 16 × 4 px; card 2 at (40 + 40, 80), clamped to 1 × 1 px.
  assert.equal(d, 'M40 0h16v4h-16zM80 80h1v1h-1z');
  assert.equal(minimapPath(map, []), '');
});
