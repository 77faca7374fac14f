import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { Edge, FlowDefinition } from '@millrace/engine';
import type { FlowDesignerBase } from '@millrace/designer';
import '@millrace/designer/define';
import { createLayoutCache } from '../../src/core/layout-cache.ts';
import { createLayoutEngine } from '../../src/layout/layout-client.ts';

// Editing by touch: real touches through the DevTools protocol (the `send-touch` command of
// web-test-runner.config.mjs), so the designer gets a finger's pointer events. The designer
// fits the test page (800 × 600): a touch outside the viewport reaches nothing.

const chain = (): FlowDefinition => ({
  format: 'millrace.flow/v1',
  id: 'touch',
  name: 'Touch',
  nodes: [
    { id: 'fetch', type: 'http', input: { url: 'https://example.com' } },
    { id: 'check', type: 'if', input: { condition: '$<nodes.fetch.output.status == 200>' } },
    { id: 'ok', type: 'log', input: { message: 'ok' } },
    { id: 'done', type: 'log', input: { message: 'done' } },
  ],
  edges: [
    { from: 'fetch', to: 'check' },
    { from: 'check', port: 'true', to: 'ok' },
    { from: 'ok', to: 'done' },
  ],
});

async function designer(flow: unknown): Promise<FlowDesignerBase> {
  const engine = createLayoutEngine({ mainThread: true, cache: createLayoutCache() });
  const el = await fixture<FlowDesignerBase>(
    html`<flow-designer
      style="width: 760px; height: 540px"
      .layoutEngine=${engine}
      .flow=${flow}
    ></flow-designer>`,
  );
  await el.layoutComplete;
  return el;
}

const root = (el: FlowDesignerBase): ShadowRoot => el.shadowRoot!;
const card = (el: FlowDesignerBase, id: string): SVGGElement =>
  root(el).querySelector<SVGGElement>(`g.node[data-node-id="${CSS.escape(id)}"]`)!;
const edges = (el: FlowDesignerBase): readonly Edge[] => (el.flow as FlowDefinition).edges ?? [];
const has = (el: FlowDesignerBase, from: string, to: string, port?: string): boolean =>
  edges(el).some((e) => e.from === from && e.to === to && (port === undefined || e.port === port));

function centre(target: Element): [number, number] {
  const r = target.getBoundingClientRect();
  return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
}

const touch = (type: 'start' | 'move' | 'end' | 'tap', at?: [number, number]) =>
  executeServerCommand('send-touch', { type, x: at?.[0], y: at?.[1] });

/**
 * A finger down at `from`, moved in steps to `to`, held still there, lifted. Lifted while moving
 * it would be a fling, and Chrome (as on a phone) takes the next tap for stopping the fling: no
 * click.
 */
async function swipe(from: [number, number], to: [number, number]): Promise<void> {
  await touch('start', from);
  await path(from, to);
  await touch('end');
}

async function path(from: [number, number], to: [number, number]): Promise<void> {
  const steps = 6;
  for (let i = 1; i <= steps; i++) {
    await touch('move', [
      Math.round(from[0] + ((to[0] - from[0]) * i) / steps),
      Math.round(from[1] + ((to[1] - from[1]) * i) / steps),
    ]);
  }
  await new Promise((resolve) => setTimeout(resolve, 150));
  await touch('move', [to[0], to[1] + 1]);
}

async function tap(at: [number, number]): Promise<void> {
  await touch('tap', at);
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** A point of the canvas's bare background (no card, edge, "+" or minimap under it). */
function backgroundPoint(el: FlowDesignerBase): [number, number] {
  const canvas = root(el).querySelector('svg.canvas')!;
  const box = canvas.getBoundingClientRect();
  for (let y = box.top + 30; y < box.bottom - 30; y += 20) {
    for (let x = box.left + 30; x < box.right - 30; x += 20) {
      if (root(el).elementFromPoint(x, y) === canvas) return [Math.round(x), Math.round(y)];
    }
  }
  throw new Error('no bare background on the canvas');
}

async function settled(el: FlowDesignerBase): Promise<void> {
  await el.layoutComplete;
  await el.updateComplete;
}

async function openPalette(el: FlowDesignerBase): Promise<ShadowRoot> {
  await waitUntil(() => root(el).querySelector('millrace-flow-palette'), 'palette open');
  const palette = root(el).querySelector('millrace-flow-palette')!;
  await (palette as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  return palette.shadowRoot!;
}

describe('<flow-designer> editing by touch', () => {
  it('a finger drags a palette entry onto an edge: the step goes between the two', async () => {
    const el = await designer(chain());
    const types: string[] = [];
    root(el).addEventListener('pointerdown', (e) => types.push((e as PointerEvent).pointerType));
    el.openPalette();
    const palette = await openPalette(el);
    const item = palette.querySelector('button[data-key="node:transform"]')!;
    item.scrollIntoView({ block: 'nearest' });
    const line = root(el).querySelector('g.edge[data-from="ok"][data-to="done"] path.edge-line')!;
    await swipe(centre(item), centre(line));
    await settled(el);
    expect(types, 'the gesture came as touch pointers').to.include('touch');
    const added = (el.flow as FlowDefinition).nodes.find((n) => n.type === 'transform');
    expect(added, 'a transform step was added').to.not.equal(undefined);
    expect(has(el, 'ok', added!.id)).to.equal(true);
    expect(has(el, added!.id, 'done')).to.equal(true);
    expect(has(el, 'ok', 'done')).to.equal(false);
  });

  it('taps a "+" on an edge, then a palette entry: the step is inserted there', async () => {
    const el = await designer(chain());
    await waitUntil(() => root(el).querySelector('.plus-edge'), '"+" buttons drawn');
    const plus = root(el).querySelector<SVGGElement>(
      `.plus-edge[data-at='${JSON.stringify({ kind: 'edge', edge: { from: 'fetch', to: 'check' } })}']`,
    )!;
    await nextFrame();
    const at = centre(plus.querySelector('circle')!);

    expect(
      plus.contains(root(el).elementFromPoint(at[0], at[1])),
      'the finger lands on the "+"',
    ).to.equal(true);
    await tap(at);
    const palette = await openPalette(el);
    expect(palette.querySelector('[part=palette-context]')!.textContent).to.contain(
      'between fetch and check',
    );
    const entry = palette.querySelector('button[data-key="node:log"]')!;
    entry.scrollIntoView({ block: 'nearest' });
    await tap(centre(entry));
    await settled(el);
    const added = (el.flow as FlowDefinition).nodes.find(
      (n) => n.type === 'log' && !['ok', 'done'].includes(n.id),
    );
    expect(added, 'a log step was added').to.not.equal(undefined);
    expect(has(el, 'fetch', added!.id)).to.equal(true);
    expect(has(el, added!.id, 'check')).to.equal(true);
  });

  it('a finger drags from an output port to a step: connected', async () => {
    const el = await designer(chain());
    const port = card(el, 'check').querySelector('.port-out[data-port="false"]')!;
    await swipe(centre(port), centre(card(el, 'done')));
    await settled(el);
    expect(has(el, 'check', 'done', 'false')).to.equal(true);
  });

  it('a finger on the background pans the canvas and edits nothing', async () => {
    const el = await designer(chain());
    const before = el.flow;
    const view = el.view;
    const from = backgroundPoint(el);
    await swipe(from, [from[0] + 120, from[1] + 80]);
    await settled(el);
    expect(el.flow).to.equal(before);
    expect(el.view.x).to.be.closeTo(view.x + 120, 2);
    expect(el.view.y).to.be.closeTo(view.y + 80, 2);
  });

  it('a finger dragged across the minimap pans the canvas along, without being cancelled', async () => {
    const el = await designer(chain());
    const minimap = root(el).querySelector<SVGSVGElement>('[part="minimap"]');
    expect(minimap, 'the flow is taller than the canvas: a minimap shows').to.not.equal(null);
    const cancels: string[] = [];
    minimap!.addEventListener('pointercancel', (e) => cancels.push(e.pointerType));
    const box = minimap!.getBoundingClientRect();
    const top: [number, number] = [Math.round(box.left + box.width / 2), Math.round(box.top + 6)];
    const bottom: [number, number] = [top[0], Math.round(box.bottom - 6)];
    await touch('start', top);
    await touch('move', [top[0], top[1] + 4]);
    const atTop = el.view.y;
    await path([top[0], top[1] + 4], bottom);
    await touch('end');
    await settled(el);
    expect(cancels, 'the browser did not take the gesture for a scroll').to.deep.equal([]);
    // Centred lower in the flow: the view moved up.
    expect(el.view.y).to.be.lessThan(atTop - 20);
  });

  it('taps a step: it is selected and its property panel opens', async () => {
    const el = await designer(chain());
    const at = centre(card(el, 'fetch').querySelector('rect')!);
    await tap(at);
    await el.updateComplete;
    expect(el.selection).to.deep.equal(['fetch']);
    await el.propertiesReady;
    await waitUntil(() => root(el).querySelector('millrace-property-panel'), 'panel open');
  });
});
