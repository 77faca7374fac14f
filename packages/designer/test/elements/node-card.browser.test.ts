import { expect, fixture, html } from '@open-wc/testing';
import type { ActionDescriptor, Diagnostic, FlowDefinition } from '@millrace/engine';
import type { FlowDesignerBase } from '@millrace/designer';
import '@millrace/designer/define';
import { createLayoutCache } from '../../src/core/layout-cache.ts';
import { createLayoutEngine, type LayoutEngine } from '../../src/layout/layout-client.ts';
import { NODE_GLYPHS } from '../../src/core/node-glyphs.ts';
import { everyKindFlow } from '../layout/layout-fixtures.ts';

/** Renders a designer with a main-thread layout engine and waits for its first layout. */
async function designer(
  flow: unknown,
  extra: Partial<Pick<FlowDesignerBase, 'diagnostics' | 'catalog'>> = {},
): Promise<{ el: FlowDesignerBase; engine: LayoutEngine }> {
  const engine = createLayoutEngine({ mainThread: true, cache: createLayoutCache() });
  const el = await fixture<FlowDesignerBase>(
    html`<flow-designer
      style="width: 800px; height: 600px"
      .layoutEngine=${engine}
      .diagnostics=${extra.diagnostics}
      .catalog=${extra.catalog}
      .flow=${flow}
    ></flow-designer>`,
  );
  await el.relayout();
  return { el, engine };
}

const nodeEl = (el: FlowDesignerBase, id: string): SVGGElement =>
  el.shadowRoot!.querySelector<SVGGElement>(`g.node[data-node-id="${CSS.escape(id)}"]`)!;

const iconOf = (el: FlowDesignerBase, id: string): SVGGElement =>
  nodeEl(el, id).querySelector<SVGGElement>('[part~=icon]')!;

const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function catalogFlow(): FlowDefinition {
  return {
    format: 'millrace.flow/v1',
    id: 'catalog',
    nodes: [
      { id: 'post', type: 'slack.post', input: { text: 'hi' } },
      { id: 'lookup', type: 'crm.lookup', input: {} },
      { id: 'logo', type: 'acme.ping', input: {} },
      { id: 'remote', type: 'other.call', input: {} },
    ],
    edges: [
      { from: 'post', to: 'lookup' },
      { from: 'lookup', to: 'logo' },
      { from: 'logo', to: 'remote' },
    ],
  };
}

const catalog: ActionDescriptor[] = [
  { type: 'slack.post', title: 'Slack message', icon: 'slack' },
  { type: 'crm.lookup', title: 'Look up contact', icon: 'database' },
  { type: 'acme.ping', title: 'Ping', icon: PIXEL },
  { type: 'other.call', title: 'Other call', icon: 'https://cdn.other.example/icon.svg' },
];

describe('node cards: icons', () => {
  it('draws the built-in glyph of each node type and trigger kind as stroked paths', async () => {
    const { el, engine } = await designer(everyKindFlow());
    const expected: Record<string, keyof typeof NODE_GLYPHS> = {
      'trigger:hook': 'webhook',
      start: 'shuffle',
      route: 'switch',
      ask: 'check-circle',
      each: 'repeat',
      enrich: 'code',
      stage: 'group',
      guard: 'shield',
      call: 'globe',
      loop: 'loop',
      end: 'message',
    };
    for (const [id, glyph] of Object.entries(expected)) {
      const icon = iconOf(el, id);
      expect(icon.dataset['icon'], id).to.equal(glyph);
      expect(icon.getAttribute('aria-hidden')).to.equal('true');
      const paths = [...icon.querySelectorAll('.glyph path')].map((p) => p.getAttribute('d'));
      expect(paths, id).to.deep.equal([...NODE_GLYPHS[glyph]]);
      const style = getComputedStyle(icon.querySelector('.glyph path')!);
      expect(style.fill, id).to.equal('none');
      expect(style.stroke, id).to.equal(getComputedStyle(icon).color);
    }
    engine.dispose();
  });

  it('themes glyphs through a custom property (currentColor)', async () => {
    const { el, engine } = await designer(everyKindFlow());
    el.style.setProperty('--flow-designer-icon-color', 'rgb(1, 2, 3)');
    const path = iconOf(el, 'start').querySelector('.glyph path')!;
    expect(getComputedStyle(path).stroke).to.equal('rgb(1, 2, 3)');
    engine.dispose();
  });

  it('shows catalog icons: glyph names, data: images, monograms otherwise', async () => {
    const { el, engine } = await designer(catalogFlow(), { catalog });
    expect(iconOf(el, 'lookup').dataset['icon']).to.equal('database');
    expect(iconOf(el, 'lookup').querySelectorAll('.glyph path').length).to.equal(
      NODE_GLYPHS.database.length,
    );

    const image = iconOf(el, 'logo').querySelector('image')!;
    expect(image.getAttribute('href')).to.equal(PIXEL);

    // An unknown icon name, and a cross-origin URL (never requested), become monograms.
    expect(iconOf(el, 'post').querySelector('text.monogram')!.textContent).to.equal('SM');
    expect(iconOf(el, 'remote').querySelector('image')).to.equal(null);
    expect(iconOf(el, 'remote').querySelector('text.monogram')!.textContent).to.equal('OC');
    engine.dispose();
  });

  it('renders a same-origin icon URL as an image resolved against the page', async () => {
    const flow = catalogFlow();
    const { el, engine } = await designer(flow, {
      catalog: [{ type: 'acme.ping', title: 'Ping', icon: '/icons/ping.svg' }],
    });
    const image = iconOf(el, 'logo').querySelector('image')!;
    expect(image.getAttribute('href')).to.equal(`${location.origin}/icons/ping.svg`);
    // Not in the catalog: a monogram of the type.
    expect(iconOf(el, 'post').querySelector('text.monogram')!.textContent).to.equal('SP');
    engine.dispose();
  });

  it('never turns an icon string into markup', async () => {
    const { el, engine } = await designer(catalogFlow(), {
      catalog: [{ type: 'slack.post', title: 'X', icon: '<svg onload="alert(1)"></svg>' }],
      diagnostics: [] as Diagnostic[],
    });
    expect(el.shadowRoot!.querySelectorAll('[onload]').length).to.equal(0);
    expect(iconOf(el, 'post').querySelector('text.monogram')!.textContent).to.equal('X');
    engine.dispose();
  });
});
