import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse, resetMouse } from '@web/test-runner-commands';
import type { Edge, FlowDefinition, FlowNode } from '@millrace/engine';
import type { FlowDesignerBase } from '@millrace/designer';
import '@millrace/designer/define';
import { createLayoutCache } from '../../src/core/layout-cache.ts';
import { createLayoutEngine } from '../../src/layout/layout-client.ts';
import type { FlowChangeDetail } from '../../src/core/flow-editor.ts';
import { locate } from '../../src/core/flow-graphs.ts';

const chain = (): FlowDefinition => ({
  format: 'millrace.flow/v1',
  id: 'chain',
  name: 'Chain',
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

async function designer(
  flow: unknown,
  options: { readonly?: boolean; tag?: string } = {},
): Promise<FlowDesignerBase> {
  const engine = createLayoutEngine({ mainThread: true, cache: createLayoutCache() });
  const el = await fixture<FlowDesignerBase>(
    html`<flow-designer
      style="width: 900px; height: 580px"
      .layoutEngine=${engine}
      ?readonly=${options.readonly ?? false}
      .flow=${flow}
    ></flow-designer>`,
  );
  await el.relayout();
  await el.layoutComplete;
  return el;
}

const root = (el: FlowDesignerBase): ShadowRoot => el.shadowRoot!;
const card = (el: FlowDesignerBase, id: string): SVGGElement =>
  root(el).querySelector<SVGGElement>(`g.node[data-node-id="${CSS.escape(id)}"]`)!;
const flowOf = (el: FlowDesignerBase): FlowDefinition => el.flow as FlowDefinition;
/** The flow without the layout the designer recorded in it. */
const withoutUi = (flow: FlowDefinition): FlowDefinition => {
  const { ui: _ui, ...rest } = flow;
  return rest;
};
const edges = (el: FlowDesignerBase): readonly Edge[] => flowOf(el).edges ?? [];
const has = (el: FlowDesignerBase, from: string, to: string, port?: string): boolean =>
  edges(el).some((e) => e.from === from && e.to === to && (port === undefined || e.port === port));

function centre(target: Element): [number, number] {
  const r = target.getBoundingClientRect();
  return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
}

async function drag(from: [number, number], to: [number, number]): Promise<void> {
  await sendMouse({ type: 'move', position: from });
  await sendMouse({ type: 'down' });
  const steps = 6;
  for (let i = 1; i <= steps; i++) {
    await sendMouse({
      type: 'move',
      position: [
        Math.round(from[0] + ((to[0] - from[0]) * i) / steps),
        Math.round(from[1] + ((to[1] - from[1]) * i) / steps),
      ],
    });
  }
  await sendMouse({ type: 'up' });
}

async function settled(el: FlowDesignerBase): Promise<void> {
  await el.layoutComplete;
  await el.updateComplete;
}

/** Presses a key with modifiers held (`chord(['Control', 'Shift'], 'Z')`). */
async function chord(mods: readonly string[], key: string): Promise<void> {
  for (const m of mods) await sendKeys({ down: m });
  await sendKeys({ press: key });
  for (const m of [...mods].reverse()) await sendKeys({ up: m });
}

async function pickFromPalette(el: FlowDesignerBase, search: string): Promise<void> {
  await waitUntil(() => root(el).querySelector('millrace-flow-palette'), 'palette open');
  const palette = root(el).querySelector('millrace-flow-palette')!;
  await (palette as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
  await waitUntil(
    () => palette.shadowRoot!.activeElement?.matches('input') === true,
    'search focused',
  );
  await sendKeys({ type: search });
  await sendKeys({ press: 'Enter' });
  await settled(el);
}

afterEach(async () => {
  await resetMouse();
});

describe('<flow-designer> editing', () => {
  it('builds a 5-node flow with a branch by keyboard alone', async () => {
    const el = await designer({ format: 'millrace.flow/v1', id: 'new', name: 'New', nodes: [] });
    const changes: FlowChangeDetail[] = [];
    el.addEventListener('flow-change', (e) =>
      changes.push((e as CustomEvent<FlowChangeDetail>).detail),
    );
    root(el).querySelector<HTMLButtonElement>('[part~=add-first]')!.focus();
    await sendKeys({ press: 'Enter' });
    await pickFromPalette(el, 'http request');
    const first = flowOf(el).nodes[0]!;
    expect(first.type).to.equal('http');
    await waitUntil(() => root(el).activeElement === card(el, first.id), 'new step focused');
    await sendKeys({ press: 'a' });
    await pickFromPalette(el, 'if / else');
    const branch = flowOf(el).nodes.find((n) => n.type === 'if')!;
    expect(has(el, first.id, branch.id)).to.equal(true);
    // From the if: first its true port, then its false port.
    await waitUntil(() => root(el).activeElement === card(el, branch.id), 'if focused');
    await sendKeys({ press: 'a' });
    await pickFromPalette(el, 'log');
    const yes = flowOf(el).nodes.at(-1)!;
    expect(has(el, branch.id, yes.id, 'true')).to.equal(true);
    card(el, branch.id).focus();
    await sendKeys({ press: 'a' });
    await pickFromPalette(el, 'transform');
    const no = flowOf(el).nodes.at(-1)!;
    expect(has(el, branch.id, no.id, 'false')).to.equal(true);
    await waitUntil(() => root(el).activeElement === card(el, no.id), 'false arm focused');
    await sendKeys({ press: 'a' });
    await pickFromPalette(el, 'wait');
    const last = flowOf(el).nodes.at(-1)!;
    expect(last.type).to.equal('wait');
    expect(has(el, no.id, last.id)).to.equal(true);
    expect(flowOf(el).nodes).to.have.length(5);
    expect(changes.map((c) => c.change.kind).filter((k) => k === 'node-added')).to.have.length(5);
    expect(root(el).querySelector('[part=edit-live]')!.textContent).to.contain('Added');
    // Every step drawn.
    for (const n of flowOf(el).nodes) expect(card(el, n.id), n.id).to.not.equal(null);
  });

  it('inserts a step on an edge through its "+" button', async () => {
    const el = await designer(chain());
    // The "+" buttons come a frame after the cards.
    await waitUntil(() => root(el).querySelector('.plus-edge'), '"+" buttons drawn');
    const plus = root(el).querySelector<SVGGElement>(
      `.plus-edge[data-at='${JSON.stringify({ kind: 'edge', edge: { from: 'fetch', to: 'check' } })}']`,
    )!;
    expect(plus.getAttribute('aria-label')).to.equal('Add a step between fetch and check');
    plus.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    await el.updateComplete;
    const palette = root(el).querySelector('millrace-flow-palette')!;
    await (palette as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(palette.shadowRoot!.querySelector('[part=palette-context]')!.textContent).to.contain(
      'between fetch and check',
    );
    const entry = palette.shadowRoot!.querySelector<HTMLButtonElement>(
      'button[data-key="node:transform"]',
    )!;
    // Named by its title; its description describes it.
    expect(entry.textContent!.trim()).to.equal('Transform');
    expect(entry.getAttribute('aria-describedby')).to.equal('d-node:transform');
    entry.click();
    await settled(el);
    const added = flowOf(el).nodes.find((n) => n.type === 'transform')!;
    expect(has(el, 'fetch', added.id)).to.equal(true);
    expect(has(el, added.id, 'check')).to.equal(true);
    expect(has(el, 'fetch', 'check')).to.equal(false);
  });

  it('adds a step dragged from the palette onto an edge', async () => {
    const el = await designer(chain());
    el.openPalette();
    await el.updateComplete;
    const palette = root(el).querySelector('millrace-flow-palette')!;
    await (palette as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    await waitUntil(
      () => palette.shadowRoot!.activeElement?.matches('input') === true,
      'search focused',
    );
    await sendKeys({ type: 'log' });
    await (palette as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const item = palette.shadowRoot!.querySelector('button[data-key="node:log"]')!;
    item.scrollIntoView({ block: 'nearest' });
    const line = root(el).querySelector('g.edge[data-from="ok"][data-to="done"] path.edge-line')!;
    const box = line.getBoundingClientRect();
    await drag(centre(item), [
      Math.round(box.left + box.width / 2),
      Math.round(box.top + box.height / 2),
    ]);
    await settled(el);
    const added = flowOf(el).nodes.find((n) => n.id.startsWith('log'))!;
    expect(added, 'a log step was added').to.not.equal(undefined);
    expect(has(el, 'ok', added.id)).to.equal(true);
    expect(has(el, added.id, 'done')).to.equal(true);
  });

  it('connects a port to a step by dragging, and refuses a cycle with the reason', async () => {
    const el = await designer(chain());
    const port = card(el, 'check').querySelector('.port-out[data-port="false"]')!;
    await drag(centre(port), centre(card(el, 'done')));
    await settled(el);
    expect(has(el, 'check', 'done', 'false')).to.equal(true);

    const refusals: string[] = [];
    el.addEventListener('edit-refused', (e) => refusals.push((e as CustomEvent).detail.error.code));
    const from = centre(card(el, 'done').querySelector('.port-out')!);
    const to = centre(card(el, 'fetch'));
    await sendMouse({ type: 'move', position: from });
    await sendMouse({ type: 'down' });
    await sendMouse({ type: 'move', position: [from[0] + 10, from[1] + 10] });
    await sendMouse({ type: 'move', position: to });
    await el.updateComplete;
    const preview = root(el).querySelector('.connect-preview')!;
    expect(preview.getAttribute('data-state')).to.equal('refused');
    expect(root(el).querySelector('.connect-refusal')!.textContent).to.contain('loop');
    await sendMouse({ type: 'up' });
    await settled(el);
    expect(has(el, 'done', 'fetch')).to.equal(false);
    expect(refusals).to.deep.equal(['E_EDIT_CYCLE']);
  });

  it('deletes a step with the Delete key and reconnects the chain; undo and redo', async () => {
    const el = await designer(chain());
    card(el, 'ok').focus();
    card(el, 'ok').dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    expect(el.selection).to.deep.equal(['ok']);
    await sendKeys({ press: 'Delete' });
    await settled(el);
    expect(locate(flowOf(el), 'ok')).to.equal(undefined);
    expect(has(el, 'check', 'done', 'true')).to.equal(true);
    expect(el.canUndo).to.equal(true);
    root(el).querySelector<HTMLButtonElement>('[part~=add-step]')!.focus();
    await chord(['Control'], 'z');
    await settled(el);
    expect(withoutUi(flowOf(el))).to.deep.equal(chain());
    await chord(['Control', 'Shift'], 'Z');
    expect(locate(flowOf(el), 'ok')).to.equal(undefined);
    await chord(['Control'], 'y');
    expect(el.canRedo).to.equal(false);
    el.undo();
    expect(withoutUi(flowOf(el))).to.deep.equal(chain());
  });

  it('selects with shift-click and the lasso, copies and pastes into another designer', async () => {
    const a = await designer(chain());
    // The lasso: shift-drag on the background around two cards.
    const canvas = root(a).querySelector('svg.canvas')!.getBoundingClientRect();
    const lasso = async () => {
      const top = card(a, 'check').getBoundingClientRect().top - 8;
      const bottom = card(a, 'ok').getBoundingClientRect().bottom + 8;
      await drag(
        [Math.round(canvas.left + 4), Math.round(top)],
        [Math.round(canvas.right - 4), Math.round(bottom)],
      );
    };
    await sendKeys({ down: 'Shift' });
    await lasso();
    await sendKeys({ up: 'Shift' });
    expect([...a.selection].sort()).to.deep.equal(['check', 'ok']);
    card(a, 'ok').dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    card(a, 'done').dispatchEvent(
      new MouseEvent('click', { bubbles: true, composed: true, shiftKey: true }),
    );
    expect(a.selection).to.deep.equal(['ok', 'done']);
    card(a, 'ok').focus();
    await chord(['Control'], 'c');
    const b = await designer({ ...chain(), id: 'other' });
    card(b, 'done').dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    card(b, 'done').focus();
    await chord(['Control'], 'v');
    await waitUntil(() => flowOf(b).nodes.length === 6, 'pasted');
    await settled(b);
    expect(b.selection).to.deep.equal(['ok_2', 'done_2']);
    expect(has(b, 'done', 'ok_2')).to.equal(true);
    expect(has(b, 'ok_2', 'done_2')).to.equal(true);
    // Pasting text (another app's clipboard) works too.
    b.paste(
      JSON.stringify({ id: 'note', type: 'log', input: { message: '$<nodes.ok_2.output>' } }),
    );
    expect(locate(flowOf(b), 'note')).to.not.equal(undefined);
  });

  it('duplicates and renames inline with F2', async () => {
    const el = await designer(chain());
    card(el, 'ok').dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    card(el, 'ok').focus();
    await chord(['Control'], 'd');
    await settled(el);
    expect(has(el, 'ok', 'ok_2')).to.equal(true);
    expect(has(el, 'ok_2', 'done')).to.equal(true);
    await waitUntil(() => root(el).activeElement === card(el, 'ok_2'), 'the copy is focused');
    await sendKeys({ press: 'F2' });
    await waitUntil(() => root(el).querySelector('input.rename'), 'rename field');
    const input = root(el).querySelector<HTMLInputElement>('input.rename');
    await waitUntil(() => root(el).activeElement === input, 'rename focused');
    await sendKeys({ type: 'Second log' });
    await sendKeys({ press: 'Enter' });
    await settled(el);
    expect((locate(flowOf(el), 'ok_2')!.node as FlowNode).name).to.equal('Second log');
    expect(root(el).querySelector('input.rename')).to.equal(null);
  });

  it('reports each change with patches; a controlled host keeps the history; a veto stops an edit', async () => {
    const el = await designer(chain());
    let detail: FlowChangeDetail | undefined;
    el.addEventListener('flow-change', (e) => {
      detail = (e as CustomEvent<FlowChangeDetail>).detail;
      // Controlled: the host hands the document back.
      el.flow = detail.flow;
    });
    el.connect({ from: 'check', port: 'false', to: 'done' });
    expect(detail!.change).to.deep.equal({
      kind: 'edge-added',
      edges: [{ from: 'check', port: 'false', to: 'done' }],
    });
    expect(detail!.patches.length).to.be.greaterThan(0);
    expect(detail!.inversePatches.length).to.be.greaterThan(0);
    await el.updateComplete;
    expect(el.canUndo, 'history kept for the document handed back').to.equal(true);

    const veto = (e: Event) => e.preventDefault();
    el.addEventListener('flow-before-change', veto);
    const before = el.flow;
    let thrown: unknown;
    try {
      el.removeNodes(['ok']);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as { code?: string }).code).to.equal('E_EDIT_VETOED');
    expect(el.flow).to.equal(before);
    el.removeEventListener('flow-before-change', veto);
    el.removeNodes(['ok']);
    expect(locate(flowOf(el), 'ok')).to.equal(undefined);
  });

  it('submits its flow in a form and reports validity', async () => {
    const form = await fixture<HTMLFormElement>(
      html`<form>
        <flow-designer
          name="flow"
          .layoutEngine=${createLayoutEngine({ mainThread: true })}
          .flow=${chain()}
        ></flow-designer>
      </form>`,
    );
    const el = form.querySelector<FlowDesignerBase>('flow-designer')!;
    await el.updateComplete;
    expect(withoutUi(JSON.parse(new FormData(form).get('flow') as string))).to.deep.equal(chain());
    expect(el.checkValidity()).to.equal(true);
    el.setProperty('fetch', ['input', 'url'], undefined);
    await el.updateComplete;
    expect(el.checkValidity()).to.equal(false);
    expect(el.validationMessage).to.contain('url');
    form.reset();
    await el.updateComplete;
    expect(el.flow).to.equal(undefined);
  });

  it('starts from defaultFlow when uncontrolled', async () => {
    const el = await fixture<FlowDesignerBase>(
      html`<flow-designer
        .layoutEngine=${createLayoutEngine({ mainThread: true })}
        .defaultFlow=${chain()}
      ></flow-designer>`,
    );
    expect(withoutUi(flowOf(el))).to.deep.equal(chain());
    el.addNode('log', { kind: 'port', from: 'done' });
    expect(flowOf(el).nodes).to.have.length(5);
  });

  it('records its layout in the flow; a flow carrying it opens without a layout request', async () => {
    const engine = createLayoutEngine({ mainThread: true, cache: createLayoutCache() });
    const changes: FlowChangeDetail[] = [];
    const el = await fixture<FlowDesignerBase>(
      html`<flow-designer
        style="width: 900px; height: 580px"
        .layoutEngine=${engine}
        .flow=${chain()}
        @flow-change=${(e: CustomEvent<FlowChangeDetail>) => changes.push(e.detail)}
      ></flow-designer>`,
    );
    await el.layoutComplete;
    await waitUntil(() => changes.length > 0, 'layout recorded');
    expect(changes[0]!.change.kind).to.equal('layout-recorded');
    const saved = JSON.parse(JSON.stringify(changes[0]!.flow)) as FlowDefinition;
    expect((saved.ui?.layout as { key: string }).key).to.be.a('string');
    expect(engine.requests).to.equal(1);
    expect(el.canUndo, 'recording is not an edit to undo').to.equal(false);

    const fresh = createLayoutEngine({ mainThread: true, cache: createLayoutCache() });
    const again = await fixture<FlowDesignerBase>(
      html`<flow-designer
        style="width: 900px; height: 580px"
        .layoutEngine=${fresh}
        .flow=${saved}
      ></flow-designer>`,
    );
    await again.layoutComplete;
    expect(fresh.requests, 'drawn from ui.layout').to.equal(0);
    const box = (d: FlowDesignerBase, id: string) =>
      card(d, id).querySelector('rect.card')!.getAttribute('x') +
      ',' +
      card(d, id).querySelector('rect.card')!.getAttribute('y');
    for (const id of ['fetch', 'check', 'ok', 'done'])
      expect(box(again, id), id).to.equal(box(el, id));
    // A changed structure is laid out by ELK again, and recorded again.
    again.addNode('log', { kind: 'port', from: 'done' });
    await again.layoutComplete;
    expect(fresh.requests).to.equal(1);
  });

  it('draws a flow carrying its layout in its first update, at the opening view of the real canvas', async () => {
    // A toolbar taller than the default: the size estimated before the first render is wrong.
    const style = 'width: 900px; height: 580px; --flow-designer-space: 30px';
    const changes: FlowChangeDetail[] = [];
    const laidOut = await fixture<FlowDesignerBase>(
      html`<flow-designer
        style=${style}
        .layoutEngine=${createLayoutEngine({ mainThread: true, cache: createLayoutCache() })}
        .flow=${chain()}
        @flow-change=${(e: CustomEvent<FlowChangeDetail>) => changes.push(e.detail)}
      ></flow-designer>`,
    );
    await laidOut.layoutComplete;
    await waitUntil(() => changes.length > 0, 'layout recorded');
    const saved = JSON.parse(JSON.stringify(changes[0]!.flow)) as FlowDefinition;

    const fresh = createLayoutEngine({ mainThread: true, cache: createLayoutCache() });
    const reopened = await fixture<FlowDesignerBase>(
      html`<flow-designer style=${style} .layoutEngine=${fresh} .flow=${saved}></flow-designer>`,
    );
    // fixture() awaited the first update only: the cards are in it.
    expect(root(reopened).querySelectorAll('g.node')).to.have.length(4);
    expect(fresh.requests).to.equal(0);
    // Corrected by the first resize notification, before the paint.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    expect(reopened.view).to.deep.equal(laidOut.view);
    const canvas = root(reopened).querySelector('svg.canvas')!.getBoundingClientRect();
    expect(canvas.height, 'toolbar taller than the estimate').to.be.below(580 - 53);
  });

  it('opens the property panel of a clicked step; its edits are undoable; Escape closes it', async () => {
    const el = await designer(chain());
    card(el, 'ok').dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    await el.propertiesReady;
    const panel = root(el).querySelector('millrace-property-panel')!;
    await (panel as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const region = panel.shadowRoot!.querySelector('[role=region]')!;
    expect(region.getAttribute('aria-label')).to.equal('Properties');
    // The log step's level is an enum: a select labelled by its property name.
    const select = [...panel.shadowRoot!.querySelectorAll('select')].find((s) =>
      s.labels?.[0]?.textContent?.includes('level'),
    )!;
    expect(select, 'a level field').to.not.equal(undefined);
    // Options are the enum's values in order: debug, info, warn, error.
    select.value = [...select.options].find((o) => o.textContent!.trim() === 'warn')!.value;
    select.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    await el.updateComplete;
    expect(locate(flowOf(el), 'ok')!.node.input).to.deep.equal({ message: 'ok', level: 'warn' });
    el.undo();
    expect(locate(flowOf(el), 'ok')!.node.input).to.deep.equal({ message: 'ok' });
    await expect(el).to.be.accessible();
    // Enter on a focused card opens it too; Escape closes it and focus goes back to the card.
    card(el, 'done').focus();
    await sendKeys({ press: 'Enter' });
    await el.propertiesReady;
    expect((panel as unknown as { node: FlowNode }).node.id).to.equal('done');
    card(el, 'done').focus();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(root(el).querySelector('millrace-property-panel')).to.equal(null);
  });

  it('the palette and the property panel are axe-clean in both themes', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const el = await designer(chain());
      el.theme = theme;
      el.openPalette();
      card(el, 'fetch').dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      await el.propertiesReady;
      el.openPalette();
      await el.updateComplete;
      await (
        root(el).querySelector('millrace-flow-palette') as unknown as {
          updateComplete: Promise<unknown>;
        }
      ).updateComplete;
      await expect(el).to.be.accessible();
    }
  });

  it('readonly hides every editing affordance and refuses every edit', async () => {
    const el = await designer(chain(), { readonly: true });
    expect(root(el).querySelector('[part~=add-step]')).to.equal(null);
    expect(root(el).querySelector('[part~=undo]')).to.equal(null);
    expect(root(el).querySelector('.plus')).to.equal(null);
    card(el, 'ok').dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    card(el, 'ok').focus();
    await sendKeys({ press: 'Delete' });
    await sendKeys({ press: 'a' });
    await el.updateComplete;
    expect(root(el).querySelector('millrace-flow-palette')).to.equal(null);
    expect(withoutUi(flowOf(el))).to.deep.equal(chain());
    expect(() => el.addNode('log'))
      .to.throw()
      .with.property('code', 'E_EDIT_READONLY');
    const event = oneEvent(el, 'selection-change');
    card(el, 'done').dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    expect((await event).detail.selected).to.deep.equal(['done']);
  });
});
