import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  containsRect,
  intersects,
  pointsBox,
  renderWindowFor,
  visibleRect,
} from '../../src/core/render-window.ts';

test('the visible rect follows pan and zoom', () => {
  assert.deepEqual(visibleRect({ x: 0, y: 0, zoom: 1 }, 800, 600), {
    x: 0,
    y: 0,
    width: 800,
    height: 600,
  });
  assert.deepEqual(visibleRect({ x: -100, y: 50, zoom: 0.5 }, 800, 600), {
    x: 200,
    y: -100,
    width: 1600,
    height: 1200,
  });
});

test('the render window adds a margin of screens around the view', () => {
  const w = renderWindowFor({ x: 0, y: 0, zoom: 1 }, 800, 600, 0.5);
  assert.deepEqual(w, { x: -400, y: -300, width: 1600, height: 1200 });
  assert.ok(containsRect(w, visibleRect({ x: -300, y: 0, zoom: 1 }, 800, 600)));
  assert.ok(!containsRect(w, visibleRect({ x: -500, y: 0, zoom: 1 }, 800, 600)));
});

test('boxes intersect when they overlap or touch; polylines have a bounding box', () => {
  assert.ok(
    intersects({ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 10, width: 5, height: 5 }),
  );
  assert.ok(
    !intersects({ x: 0, y: 0, width: 10, height: 10 }, { x: 11, y: 0, width: 5, height: 5 }),
  );
  assert.deepEqual(
    pointsBox([
      { x: 5, y: 1 },
      { x: 2, y: 9 },
      { x: 7, y: 4 },
    ]),
    { x: 2, y: 1, width: 5, height: 8 },
  );
});
