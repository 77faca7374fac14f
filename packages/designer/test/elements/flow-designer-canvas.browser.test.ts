import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { indexFlow, type Diagnostic, type RunView } from '@millrace/engine';
import type { FlowDesignerBase } from '@millrace/designer';
import '@millrace/designer/define';
import { createLayoutCache } from '../../src/core/layout-cache.ts';
import { createLayoutEngine, type LayoutEngine } from '../../src/layout/layout-client.ts';
import { LayoutFailedError } from '../../src/layout/layout-errors.ts';
import { branchFlow, everyKindFlow } from '../layout/layout-fixtures.ts';
import { generateFlow } from '../../bench/layout-flows.ts';

/** Renders a designer with a main-thread layout engine and waits for its first layout. */
async function designer(
  flow: unknown,
  extra: Partial<Pick<FlowDesignerBase, 'diagnostics' | 'run'>> = {},
  options: { fit?: boolean } = {},
): Promise<{ el: FlowDesignerBase; engine: LayoutEngine }> {
  const engine = createLayoutEngine({ mainThread: true, cache: createLayoutCache() });
  const el = await fixture<FlowDesignerBase>(
    html`<flow-designer
      style="width: 800px; height: 600px"
      .layoutEngine=${engine}
      .diagnostics=${extra.diagnostics}
      .run=${extra.run}
      .flow=${flow}
    ></flow-designer>`,
  );
  await el.relayout();
  await el.layoutComplete;
  // Fitted, so that every card of the fixture is drawn (the canvas draws what is near the view;
  // a large flow opens at a readable zoom, see the test of that).
  if (options.fit !== false) {
    el.fit();
    await el.updateComplete;
  }
  // The screen-reader outline follows the canvas's paint; the tests (axe too) see it drawn.
  await waitUntil(() => el.shadowRoot!.querySelector('[part=outline]'), 'outline drawn');
  return { el, engine };
}

const nodeEl = (el: FlowDesignerBase, id: string): SVGGElement | null =>
  el.shadowRoot!.querySelector<SVGGElement>(`[data-node-id="${CSS.escape(id)}"]`);

const transformOf = (el: FlowDesignerBase): string =>
  el.shadowRoot!.querySelector('g.viewport')!.getAttribute('transform')!;

describe('<flow-designer> canvas', () => {
  it('renders every node kind with its part names', async () => {
    const { el, engine } = await designer(everyKindFlow());
    const expected: Record<string, string> = {
      'trigger:hook': 'node-webhook',
      start: 'node-transform',
      route: 'node-switch',
      each: 'node-forEach',
      stage: 'node-group',
      guard: 'node-try',
      loop: 'node-while',
      end: 'node-log',
    };
    for (const [id, part] of Object.entries(expected)) {
      const g = nodeEl(el, id);
      expect(g, id).to.not.equal(null);
      expect(g!.getAttribute('part')!.split(' ')).to.include.members(['node', part]);
      expect(g!.getAttribute('tabindex')).to.equal('0');
      expect(g!.getAttribute('role')).to.equal('group');
      expect(g!.getAttribute('aria-label')).to.contain(id === 'trigger:hook' ? 'hook' : id);
    }
    expect(nodeEl(el, 'guard#catch')!.getAttribute('part')).to.equal('region region-catch');
    expect(nodeEl(el, 'guard#finally')).to.not.equal(null);
    engine.dispose();
  });

  it('places nodes at the coordinates of the layout result', async () => {
    const { el, engine } = await designer(branchFlow());
    const result = await engine.layout(branchFlow());
    for (const n of result.nodes.values()) {
      const card = nodeEl(el, n.id)!.querySelector('rect.card')!;
      expect(Number(card.getAttribute('x')), n.id).to.equal(n.x);
      expect(Number(card.getAttribute('y')), n.id).to.equal(n.y);
      expect(Number(card.getAttribute('width')), n.id).to.equal(n.width);
      expect(Number(card.getAttribute('height')), n.id).to.equal(n.height);
    }
    engine.dispose();
  });

  it('draws edges as polylines with arrowheads and port labels', async () => {
    const { el, engine } = await designer(branchFlow());
    const edges = el.shadowRoot!.querySelectorAll('[part~=edge]');
    expect(edges.length).to.equal(5 + 2); // flow edges + one per trigger
    for (const e of edges) {
      expect(e.querySelector('.edge-line')!.getAttribute('d')).to.match(/^M[\d.-]+ [\d.-]+ L/);
      expect(e.querySelector('.edge-arrow')!.getAttribute('d')).to.match(/Z$/);
    }
    const labels = [...el.shadowRoot!.querySelectorAll('[part=edge-label] text')].map(
      (t) => t.textContent,
    );
    expect(labels).to.include.members(['true', 'false']);
    const ports = [...nodeEl(el, 'check')!.querySelectorAll('.port-out')].map((p) =>
      p.getAttribute('data-port'),
    );
    expect(ports).to.deep.equal(['true', 'false']);
    engine.dispose();
  });

  it('shows name, type and the main input on an action card', async () => {
    const { el, engine } = await designer(branchFlow());
    const card = nodeEl(el, 'fetch')!;
    expect(card.querySelector('.name')!.textContent).to.equal('Fetch');
    expect(card.querySelector('.type')!.textContent).to.equal('http');
    expect(card.querySelector('.summary')!.textContent).to.contain('url: https://');
    engine.dispose();
  });

  it('opens a large flow at a readable zoom at its start, drawing the cards near the view', async () => {
    const { el, engine } = await designer(generateFlow(60), {}, { fit: false });
    expect(el.view.zoom).to.equal(0.75);
    const drawn = () => el.shadowRoot!.querySelectorAll('g.node').length;
    expect(nodeEl(el, 'n0')!.querySelector('text.name'), 'the start, with its texts').to.not.equal(
      null,
    );
    expect(drawn()).to.be.lessThan(60);
    expect(
      el.shadowRoot!.querySelector('[part~=minimap]'),
      'the minimap shows the rest',
    ).to.not.equal(null);
    // Focus moves to a card out of view: the view follows, the card is drawn and focused.
    el.focusNode('n55');
    await waitUntil(() => el.shadowRoot!.activeElement === nodeEl(el, 'n55'), 'n55 focused');
    expect(el.view.zoom).to.equal(0.75);
    // fit() shows it all.
    el.fit();
    const cards = indexFlow(generateFlow(60)).nodes.size;
    await waitUntil(() => drawn() >= cards, 'every card drawn when fitted');
    engine.dispose();
  });

  it('fits, zooms and pans by changing one transform', async () => {
    const { el, engine } = await designer(everyKindFlow());
    const fitted = transformOf(el);
    expect(fitted).to.not.equal('translate(0 0) scale(1)');
    const card = nodeEl(el, 'start')!;
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=zoom-in]')!.click();
    const zoomed = transformOf(el);
    expect(zoomed).to.not.equal(fitted);
    expect(el.view.zoom).to.be.greaterThan(0);
    el.fit();
    expect(transformOf(el)).to.equal(fitted);
    const svgEl = el.shadowRoot!.querySelector('svg[part~=svg]')!;
    svgEl.dispatchEvent(new WheelEvent('wheel', { deltaY: 40, bubbles: true, cancelable: true }));
    expect(el.view.y).to.be.closeTo(
      Number(/translate\([\d.-]+ ([\d.-]+)\)/.exec(fitted)![1]) - 40,
      0.02,
    );
    expect(nodeEl(el, 'start')).to.equal(card); // same element: nodes are not re-rendered
    engine.dispose();
  });

  it('pans by pointer drag on the background', async () => {
    const { el, engine } = await designer(branchFlow());
    const svgEl = el.shadowRoot!.querySelector('svg[part~=svg]')!;
    const { x, y } = el.view;
    const at = (type: string, cx: number, cy: number) =>
      svgEl.dispatchEvent(
        new PointerEvent(type, {
          pointerId: 7,
          button: 0,
          clientX: cx,
          clientY: cy,
          bubbles: true,
        }),
      );
    at('pointerdown', 100, 100);
    at('pointermove', 130, 90);
    at('pointerup', 130, 90);
    expect(el.view.x).to.be.closeTo(x + 30, 0.001);
    expect(el.view.y).to.be.closeTo(y - 10, 0.001);
    at('pointermove', 200, 200); // released: no more panning
    expect(el.view.x).to.be.closeTo(x + 30, 0.001);
    engine.dispose();
  });

  it('pinches with two touch pointers: zooms around their midpoint and pans with it', async () => {
    const { el, engine } = await designer(everyKindFlow());
    const svgEl = el.shadowRoot!.querySelector('svg.canvas')!;
    const box = svgEl.getBoundingClientRect();
    const touch = (type: string, id: number, x: number, y: number) =>
      svgEl.dispatchEvent(
        new PointerEvent(type, {
          pointerId: id,
          pointerType: 'touch',
          isPrimary: id === 1,
          clientX: box.left + x,
          clientY: box.top + y,
          bubbles: true,
        }),
      );
    const before = el.view;
    const transformBefore = transformOf(el);
    const worldUnder = {
      x: (150 - before.x) / before.zoom,
      y: (100 - before.y) / before.zoom,
    };
    touch('pointerdown', 1, 100, 100);
    touch('pointerdown', 2, 200, 100);
    touch('pointermove', 2, 300, 100); // fingers 100 -> 200 px apart
    expect(el.view.zoom).to.be.closeTo(Math.min(4, before.zoom * 2), 1e-9);
    // The world point that was under the old midpoint (150, 100) is under the new one (200, 100).
    expect((200 - el.view.x) / el.view.zoom).to.be.closeTo(worldUnder.x, 1e-6);
    expect((100 - el.view.y) / el.view.zoom).to.be.closeTo(worldUnder.y, 1e-6);
    expect(transformOf(el)).to.not.equal(transformBefore);
    touch('pointerup', 2, 300, 100);
    const zoom = el.view.zoom;
    touch('pointermove', 1, 120, 100); // one finger left: pans, no zoom
    expect(el.view.zoom).to.equal(zoom);
    touch('pointerup', 1, 120, 100);
    engine.dispose();
  });

  it('draws a zoomed-out flow as plain cards, and their details once zoomed in', async () => {
    const { el, engine } = await designer(generateFlow(150));
    const canvas = el.shadowRoot!.querySelector('svg.canvas')!;
    const nameOf = (id: string) =>
      el.shadowRoot!.querySelector(`g.node[data-node-id="${id}"] text.name`);
    expect(el.view.zoom).to.be.lessThan(0.45);
    // Fitted after the first paint: the cards lose their details once the zoom settles.
    // Far out, a flow this long is drawn near the view only: take a card that is drawn.
    const id = el.shadowRoot!.querySelector('g.node.kind-action')!.getAttribute('data-node-id')!;
    await waitUntil(() => nameOf(id) === null, 'plain cards');
    expect(canvas.classList.contains('far')).to.equal(true);
    expect(nameOf(id)).to.equal(null);
    expect(el.shadowRoot!.querySelectorAll('g.node .port').length).to.equal(0);
    // The card stays a labelled, focusable group.
    const card = nodeEl(el, id)!;
    expect(card.getAttribute('aria-label')).to.contain(id);
    expect(card.getAttribute('tabindex')).to.equal('0');
    // An export is at zoom 1: every card with its texts.
    const exported = new DOMParser().parseFromString(el.exportSvg(), 'image/svg+xml');
    const names = [...exported.querySelectorAll('text.name')].map((t) => t.textContent);
    expect(names).to.include(id);
    expect(exported.documentElement.classList.contains('far')).to.equal(false);
    el.zoomToNode(id);
    expect(el.view.zoom).to.be.greaterThan(0.45);
    expect(canvas.classList.contains('far')).to.equal(false);
    // Re-rendered with texts once the zoom settles.
    await waitUntil(() => nameOf(id) !== null, 'card details drawn', { timeout: 3000 });
    expect(nameOf(id)!.textContent).to.equal(id);
    engine.dispose();
  });

  it('zooms with + and - and fits with 0 from the keyboard', async () => {
    const { el, engine } = await designer(everyKindFlow());
    const fitted = el.view;
    const card = nodeEl(el, 'start')!;
    card.focus();
    const press = (key: string) =>
      card.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
    press('+');
    expect(el.view.zoom).to.be.closeTo(fitted.zoom * 1.2, 1e-9);
    press('-');
    press('-');
    expect(el.view.zoom).to.be.closeTo(fitted.zoom / 1.2, 1e-9);
    press('0');
    expect(el.view).to.deep.equal(fitted);
    engine.dispose();
  });

  it('says so when the flow cannot be laid out, and reports a typed layout-error', async () => {
    const failing: LayoutEngine = {
      backend: 'main-thread',
      requests: 0,
      cache: createLayoutCache(),
      layout: () => Promise.reject(new LayoutFailedError('ELK could not lay out the flow: boom')),
      warmUp: () => Promise.resolve(),
      dispose: () => undefined,
    };
    const el = await fixture<FlowDesignerBase>(
      html`<flow-designer
        style="width: 800px; height: 600px"
        .layoutEngine=${failing}
      ></flow-designer>`,
    );
    const heard = oneEvent(el, 'layout-error');
    el.flow = branchFlow();
    const { detail } = (await heard) as CustomEvent<{ error: LayoutFailedError }>;
    expect(detail.error.code).to.equal('E_LAYOUT_FAILED');
    await el.updateComplete;
    const alert = el.shadowRoot!.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.contain('could not be laid out');
    expect(el.shadowRoot!.querySelectorAll('g.node').length).to.equal(0);
  });

  it('zooms with ctrl+wheel', async () => {
    const { el, engine } = await designer(branchFlow());
    const before = el.view.zoom;
    el.shadowRoot!.querySelector('svg[part~=svg]')!.dispatchEvent(
      new WheelEvent('wheel', { deltaY: -100, ctrlKey: true, bubbles: true, cancelable: true }),
    );
    expect(el.view.zoom).to.be.greaterThan(before);
    engine.dispose();
  });

  it('marks nodes with error diagnostics and a tooltip', async () => {
    const diagnostics: Diagnostic[] = [
      {
        code: 'E_EXPR_SYNTAX',
        severity: 'error',
        path: '/nodes/1/input/condition',
        message: 'Broken condition',
        nodeId: 'check',
      } as Diagnostic,
    ];
    const { el, engine } = await designer(branchFlow(), { diagnostics });
    const check = nodeEl(el, 'check')!;
    expect(check.classList.contains('invalid')).to.equal(true);
    expect(check.querySelector('[part~=marker] title')!.textContent).to.equal('Broken condition');
    expect(check.getAttribute('aria-label')).to.contain('1 error');
    expect(nodeEl(el, 'fetch')!.querySelector('[part~=marker]')).to.equal(null);
    engine.dispose();
  });

  it('validates the flow and dispatches flow-validate when it changes', async () => {
    const { el, engine } = await designer(branchFlow());
    const broken = { ...branchFlow(), edges: [{ from: 'fetch', to: 'nowhere' }] };
    setTimeout(() => (el.flow = broken));
    const event = (await oneEvent(el, 'flow-validate')) as CustomEvent<{
      diagnostics: Diagnostic[];
    }>;
    expect(event.bubbles && event.composed).to.equal(true);
    expect(event.detail.diagnostics.length).to.be.greaterThan(0);
    engine.dispose();
  });

  const run = {
    runId: 'r1',
    flowId: 'branch',
    flowVersion: 1,
    status: 'running',
    input: {},
    createdAt: 0,
    vars: {},
    waiting: [],
    lastSeq: 5,
    nodes: [
      {
        path: 'fetch',
        nodeId: 'fetch',
        status: 'succeeded',
        attempts: 1,
        durationMs: 420,
        logs: [],
        output: { status: 200 },
      },
      { path: 'check', nodeId: 'check', status: 'retrying', attempts: 2, logs: [] },
      { path: 'no', nodeId: 'no', status: 'skipped', attempts: 0, logs: [] },
    ],
  } as unknown as RunView;

  it('writes run durations in the locale property, else the page language', async () => {
    const slow = {
      ...run,
      nodes: run.nodes.map((n) => (n.nodeId === 'fetch' ? { ...n, durationMs: 1500 } : n)),
    } as RunView;
    const { el, engine } = await designer(branchFlow(), { run: slow });
    const info = () => nodeEl(el, 'fetch')!.querySelector('[part=run-info]')!.textContent!;
    expect(info()).to.contain('1.5');
    el.locale = 'de-DE';
    await el.updateComplete;
    expect(info()).to.contain('1,5');
    engine.dispose();
  });

  it('overlays run status, attempts and duration', async () => {
    const { el, engine } = await designer(branchFlow(), { run });
    expect(nodeEl(el, 'fetch')!.dataset['status']).to.equal('succeeded');
    expect(nodeEl(el, 'fetch')!.querySelector('[part=run-info]')!.textContent).to.equal('420ms');
    expect(nodeEl(el, 'check')!.dataset['status']).to.equal('retrying');
    expect(nodeEl(el, 'check')!.querySelector('[part=run-info]')!.textContent).to.contain(
      'attempt 2',
    );
    expect(nodeEl(el, 'no')!.classList.contains('status-skipped')).to.equal(true);
    expect(nodeEl(el, 'join')!.dataset['status']).to.equal('pending');
    engine.dispose();
  });

  it('emits node-open with the node view on click and Enter', async () => {
    const { el, engine } = await designer(branchFlow(), { run });
    setTimeout(() =>
      nodeEl(el, 'fetch')!.dispatchEvent(new MouseEvent('click', { bubbles: true })),
    );
    const event = (await oneEvent(el, 'node-open')) as CustomEvent<{
      nodeId: string;
      view?: { output?: unknown };
    }>;
    expect(event.composed).to.equal(true);
    expect(event.detail.nodeId).to.equal('fetch');
    expect(event.detail.view?.output).to.deep.equal({ status: 200 });
    setTimeout(() =>
      nodeEl(el, 'join')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' })),
    );
    const second = (await oneEvent(el, 'node-open')) as CustomEvent<{ nodeId: string }>;
    expect(second.detail.nodeId).to.equal('join');
    engine.dispose();
  });

  it('moves focus along edges and across branches with the arrow keys', async () => {
    const { el, engine } = await designer(branchFlow());
    const press = (id: string, key: string) =>
      nodeEl(el, id)!.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    const focused = () => el.shadowRoot!.activeElement?.getAttribute('data-node-id');
    nodeEl(el, 'fetch')!.focus();
    press('fetch', 'ArrowDown');
    expect(focused()).to.equal('check');
    press('check', 'ArrowDown');
    const arm = focused();
    expect(['yes', 'no']).to.include(arm);
    press(arm!, arm === 'yes' ? 'ArrowRight' : 'ArrowLeft');
    const other = focused();
    expect(other).to.equal(arm === 'yes' ? 'no' : 'yes');
    press(other!, 'ArrowDown');
    expect(focused()).to.equal('join');
    press('join', 'ArrowUp');
    expect(['yes', 'no']).to.include(focused());
    engine.dispose();
  });

  it('announces the run status in a live region and lists the flow as a tree', async () => {
    const { el, engine } = await designer(branchFlow(), { run });
    const live = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
    expect(live.getAttribute('role')).to.equal('status');
    expect(live.textContent!.trim()).to.equal('Run running.');
    // The outline is drawn right after the canvas's paint.
    await waitUntil(() => el.shadowRoot!.querySelector('[role="tree"]'), 'outline drawn');
    const tree = el.shadowRoot!.querySelector('[role="tree"]')!;
    const items = [...tree.querySelectorAll('[role="treeitem"]')].map((i) =>
      i.getAttribute('data-outline-id'),
    );
    expect(items[0]).to.equal('fetch');
    expect(items).to.include.members(['check', 'yes', 'no', 'join']);
    expect(tree.querySelector('[data-outline-id="fetch"]')!.textContent).to.contain('succeeded');
    el.run = {
      ...run,
      status: 'failed',
      nodes: [...run.nodes, { path: 'no', nodeId: 'no', status: 'failed', attempts: 1, logs: [] }],
    } as RunView;
    await el.updateComplete;
    expect(live.textContent!.trim()).to.equal('Run failed; failed: no.');
    engine.dispose();
  });

  it('exports the whole flow as a standalone SVG document', async () => {
    const { el, engine } = await designer(branchFlow());
    const text = el.exportSvg();
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    expect(root.nodeName).to.equal('svg');
    expect(doc.querySelector('parsererror')).to.equal(null);
    expect(Number(root.getAttribute('width'))).to.be.greaterThan(100);
    expect(root.querySelector('style')!.textContent).to.contain('.card');
    expect(root.querySelectorAll('[data-node-id]').length).to.be.greaterThan(4);
    expect(root.querySelector('g.viewport')!.hasAttribute('transform')).to.equal(false);
    engine.dispose();
  });

  it('has no axe-core violations, with and without a run overlay', async () => {
    const plain = await designer(everyKindFlow());
    await expect(plain.el).to.be.accessible();
    plain.engine.dispose();
    const withRun = await designer(branchFlow(), { run });
    await expect(withRun.el).to.be.accessible();
    withRun.engine.dispose();
  });

  it('exports a PNG of the whole flow', async () => {
    const { el, engine } = await designer(branchFlow());
    const png = await el.exportPng(1);
    expect(png.type).to.equal('image/png');
    const bitmap = await createImageBitmap(png);
    expect(bitmap.width).to.be.greaterThan(100);
    expect(bitmap.height).to.be.greaterThan(100);
    engine.dispose();
  });

  it('shows a minimap whose frame follows the view and which pans on click', async () => {
    const { el, engine } = await designer(everyKindFlow());
    const minimap = el.shadowRoot!.querySelector<SVGSVGElement>('[part="minimap"]')!;
    const cards = minimap.querySelector('.minimap-nodes')!.getAttribute('d')!.match(/M/g) ?? [];
    expect(cards.length, 'a rectangle per card').to.be.greaterThan(5);
    const frame = minimap.querySelector('.minimap-frame')!;
    expect(Number(frame.getAttribute('width'))).to.be.greaterThan(0);
    const before = transformOf(el);
    const box = minimap.getBoundingClientRect();
    minimap.dispatchEvent(
      new PointerEvent('pointerdown', {
        clientX: box.left + 5,
        clientY: box.top + box.height - 5,
        bubbles: true,
      }),
    );
    expect(transformOf(el)).to.not.equal(before);
    engine.dispose();
  });

  it('shows the minimap only when the flow does not fit at zoom 1, unless told otherwise', async () => {
    const minimapOf = (el: FlowDesignerBase) => el.shadowRoot!.querySelector('[part="minimap"]');
    const small = await designer({
      format: 'millrace.flow/v1',
      id: 'tiny',
      nodes: [
        { id: 'a', type: 'log', input: { message: 'a' } },
        { id: 'b', type: 'log', input: { message: 'b' } },
      ],
      edges: [{ from: 'a', to: 'b' }],
    });
    expect(small.el.view.zoom).to.equal(1);
    expect(minimapOf(small.el), 'a flow that fits needs no overview').to.equal(null);
    small.el.minimap = 'on';
    await small.el.updateComplete;
    expect(minimapOf(small.el)).to.not.equal(null);
    small.engine.dispose();
    const large = await designer(generateFlow(60));
    expect(minimapOf(large.el)).to.not.equal(null);
    large.el.minimap = 'off';
    await large.el.updateComplete;
    expect(minimapOf(large.el)).to.equal(null);
    large.engine.dispose();
  });

  it('keeps the minimap frame in step with the canvas size when the designer is resized', async () => {
    const { el, engine } = await designer(generateFlow(60));
    const frame = el.shadowRoot!.querySelector('.minimap-frame')!;
    const height = () => Number(frame.getAttribute('height'));
    const before = height();
    expect(before).to.be.greaterThan(0);
    el.style.height = '300px';
    await waitUntil(() => height() < before, 'frame follows the smaller canvas', {
      timeout: 3000,
    });
    engine.dispose();
  });

  it('selects nodes on click (shift adds) and reports selection-change; Escape clears', async () => {
    const { el, engine } = await designer(everyKindFlow());
    const changes: string[][] = [];
    el.addEventListener('selection-change', (e) =>
      changes.push((e as CustomEvent<{ selected: string[] }>).detail.selected),
    );
    const ids = [...el.shadowRoot!.querySelectorAll('g.node.kind-action')].map((g) =>
      g.getAttribute('data-node-id')!,
    );
    const inner = ids[1]!;
    nodeEl(el, ids[0]!)!.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    nodeEl(el, inner)!.dispatchEvent(
      new MouseEvent('click', { bubbles: true, composed: true, shiftKey: true }),
    );
    await el.updateComplete;
    expect(changes).to.deep.equal([[ids[0]], [ids[0], inner]]);
    expect(nodeEl(el, inner)!.classList.contains('selected')).to.equal(true);
    // The click opened the first card's property panel: Escape closes it, then clears.
    const escape = () =>
      nodeEl(el, inner)!.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
      );
    escape();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('millrace-property-panel')).to.equal(null);
    escape();
    await el.updateComplete;
    expect(changes[changes.length - 1]).to.deep.equal([]);
    engine.dispose();
  });

  it('switches to the dark theme and stays axe-clean there', async () => {
    const { el, engine } = await designer(branchFlow(), { run });
    const light = getComputedStyle(el).backgroundColor;
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(getComputedStyle(el).backgroundColor).to.not.equal(light);
    await expect(el).to.be.accessible();
    engine.dispose();
  });

  it('zooms to a node: centres it and focuses it', async () => {
    const { el, engine } = await designer(everyKindFlow());
    el.zoomToNode('enrich');
    const svgBox = el.shadowRoot!.querySelector('svg.canvas')!.getBoundingClientRect();
    const nodeBox = nodeEl(el, 'enrich')!.getBoundingClientRect();
    const dx = nodeBox.left + nodeBox.width / 2 - (svgBox.left + svgBox.width / 2);
    const dy = nodeBox.top + nodeBox.height / 2 - (svgBox.top + svgBox.height / 2);
    expect(Math.abs(dx)).to.be.lessThan(2);
    expect(Math.abs(dy)).to.be.lessThan(2);
    expect(el.shadowRoot!.activeElement?.getAttribute('data-node-id')).to.equal('enrich');
    engine.dispose();
  });
});
