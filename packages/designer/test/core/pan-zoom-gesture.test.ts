import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPanZoomGesture, pinchStep } from '../../src/core/pan-zoom-gesture.ts';
import { toWorld, type Viewport } from '../../src/core/viewport.ts';

const view: Viewport = { x: 10, y: 20, zoom: 1 };
const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≈ ${b}`);

describe('pan and zoom gestures', () => {
  it('pans by the pointer delta with one pointer on the background', () => {
    const g = createPanZoomGesture();
    assert.equal(g.down(1, { x: 100, y: 100 }, false), true);
    assert.deepEqual(g.move(1, { x: 130, y: 90 }, view), { x: 40, y: 10, zoom: 1 });
    assert.equal(g.move(1, { x: 130, y: 90 }, view), undefined, 'no movement, no change');
  });

  it('does not pan with a pointer that went down on a node, nor capture it', () => {
    const g = createPanZoomGesture();
    assert.equal(g.down(1, { x: 100, y: 100 }, true), false);
    assert.equal(g.move(1, { x: 150, y: 100 }, view), undefined);
  });

  it('ignores pointers it never saw go down, and forgets released ones', () => {
    const g = createPanZoomGesture();
    assert.equal(g.move(7, { x: 1, y: 1 }, view), undefined);
    g.down(1, { x: 0, y: 0 }, false);
    g.up(1);
    assert.equal(g.active, 0);
    assert.equal(g.move(1, { x: 5, y: 5 }, view), undefined);
  });

  it('pinches: spreading two fingers zooms in around their midpoint', () => {
    const g = createPanZoomGesture();
    g.down(1, { x: 100, y: 100 }, false);
    assert.equal(g.down(2, { x: 200, y: 100 }, true), true, 'a second finger is captured');
    const under = toWorld(view, 150, 100);
    const next = g.move(2, { x: 300, y: 100 }, view)!;
    // Distance 100 -> 200: zoom doubles; the point under the old midpoint follows the new one.
    close(next.zoom, 2);
    const after = toWorld(next, 200, 100);
    close(after.x, under.x);
    close(after.y, under.y);
  });

  it('moving both fingers together pans without zooming', () => {
    const step = pinchStep(
      view,
      [
        { x: 0, y: 0 },
        { x: 100, y: 0 },
      ],
      [
        { x: 20, y: 30 },
        { x: 120, y: 30 },
      ],
    );
    assert.deepEqual(step, { x: 30, y: 50, zoom: 1 });
  });

  it('keeps the zoom within its limits while pinching', () => {
    const step = pinchStep(
      view,
      [
        { x: 0, y: 0 },
        { x: 1, y: 0 },
      ],
      [
        { x: 0, y: 0 },
        { x: 1000, y: 0 },
      ],
    );
    assert.equal(step.zoom, 4);
  });

  it('a third finger neither pans nor zooms; lifting one of two ends the pinch', () => {
    const g = createPanZoomGesture();
    g.down(1, { x: 0, y: 0 }, false);
    g.down(2, { x: 100, y: 0 }, false);
    g.down(3, { x: 50, y: 50 }, false);
    assert.equal(g.move(3, { x: 80, y: 80 }, view), undefined);
    g.up(2);
    g.up(3);
    assert.deepEqual(g.move(1, { x: 10, y: 0 }, view), { x: 20, y: 20, zoom: 1 });
  });
});
