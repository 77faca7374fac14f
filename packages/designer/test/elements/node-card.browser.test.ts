import { expect, fixture, html } from '@open-wc/testing';
import type { ActionDescriptor, Diagnostic, FlowDefinition } from '@millrace/engine';
import type { FlowDesignerBase } from '@millrace/designer';
import '@millrace/designer/define';
import { createLayoutCache } from '../../src/core/layout-cache.ts';
import { createLayoutEngine, type LayoutEngine } from '../../src/layout/layout-client.ts';
import { NODE_GLYPHS } from '../../src/core/node-glyphs.ts';
import { everyKindFlow } from '../layout/layout-fixtures.ts';
import {
  expenseCatalog,
  expenseFlow,
  runDiagnostics,
  runFlow,
  runView,
} from './screenshot-flows.ts';

/** Renders a designer with a main-thread layout engine and waits for its first layout. */
async function designer(
  flow: unknown,
  extra: Partial<Pick<FlowDesignerBase, 'diagnostics' | 'catalog'>> = {},
): Promise<{ el: FlowDesignerBase; engine: LayoutEngine }> {
  const engine = createLayoutEngine({ mainThread: true, cache: createLayoutCache() });
  const el = await fixture<FlowDesignerBase>(
    // Large enough that every flow here fits above the zoom where cards drop their details.
    html`<flow-designer
      style="width: 1400px; height: 1800px"
      .layoutEngine=${engine}
      .diagnostics=${extra.diagnostics}
      .catalog=${extra.catalog}
      .flow=${flow}
    ></flow-designer>`,
  );
  await el.relayout();
  await el.layoutComplete;
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

function markedFlow(): FlowDefinition {
  return {
    format: 'millrace.flow/v1',
    id: 'marked',
    nodes: [
      { id: 'a', type: 'log', input: { message: 'a' } },
      { id: 'b', type: 'log', input: { message: 'b' } },
      { id: 'c', type: 'log', input: { message: 'c' } },
      { id: 'check', type: 'if', input: { condition: true } },
    ],
    edges: [
      { from: 'a', to: 'check' },
      { from: 'check', port: 'true', to: 'b' },
      { from: 'check', port: 'maybe', to: 'c' },
    ],
  };
}

const diag = (
  severity: Diagnostic['severity'],
  nodeId: string,
  message: string,
  path = '/nodes/0',
): Diagnostic => ({
  code:
    severity === 'error'
      ? 'E_VALUE'
      : severity === 'warning'
        ? 'W_UNREACHABLE'
        : 'I_IMPORT_PLACEHOLDER',
  severity,
  path,
  message,
  nodeId,
});

describe('node cards: diagnostic markers', () => {
  const marker = (el: FlowDesignerBase, id: string) =>
    nodeEl(el, id).querySelector<SVGGElement>('[part~=marker]');

  it('shows the most severe marker, with every message in its tooltip and the counts in the label', async () => {
    const { el, engine } = await designer(markedFlow(), {
      diagnostics: [
        diag('warning', 'a', 'Never runs'),
        diag('error', 'a', 'Bad message'),
        diag('error', 'a', 'Worse message'),
      ],
    });
    const m = marker(el, 'a')!;
    expect(m.getAttribute('part')).to.equal('marker marker-error');
    expect(m.dataset['severity']).to.equal('error');
    expect(m.querySelector('title')!.textContent).to.equal(
      'Bad message\nWorse message\nNever runs',
    );
    expect(nodeEl(el, 'a').getAttribute('aria-label')).to.match(/, 2 errors, 1 warning$/);
    expect(nodeEl(el, 'a').dataset['severity']).to.equal('error');
    expect(nodeEl(el, 'a').classList.contains('invalid')).to.equal(true);
    engine.dispose();
  });

  it('gives warnings and infos their own marker shapes, not only colours', async () => {
    const { el, engine } = await designer(markedFlow(), {
      diagnostics: [diag('warning', 'b', 'Unused'), diag('info', 'c', 'Imported')],
    });
    const warning = marker(el, 'b')!;
    const info = marker(el, 'c')!;
    expect(warning.getAttribute('part')).to.equal('marker marker-warning');
    expect(info.getAttribute('part')).to.equal('marker marker-info');
    // A triangle (path) for warnings, a circle for infos.
    expect(warning.querySelector('.marker-shape')!.tagName).to.equal('path');
    expect(info.querySelector('.marker-shape')!.tagName).to.equal('circle');
    const fill = (g: Element) => getComputedStyle(g.querySelector('.marker-shape')!).fill;
    expect(fill(warning)).to.not.equal(fill(info));
    expect(nodeEl(el, 'b').getAttribute('aria-label')).to.match(/, 1 warning$/);
    expect(nodeEl(el, 'c').getAttribute('aria-label')).to.match(/, 1 note$/);
    // Only errors make a card invalid.
    expect(nodeEl(el, 'b').classList.contains('invalid')).to.equal(false);
    engine.dispose();
  });

  it('marks the edge a diagnostic points at, with a tooltip', async () => {
    const { el, engine } = await designer(markedFlow(), {
      diagnostics: [diag('error', 'check', 'No port "maybe"', '/edges/2/port')],
    });
    const edge = el.shadowRoot!.querySelector<SVGGElement>('[data-edge-id="check:maybe->c"]')!;
    expect(edge.getAttribute('part')!.split(' ')).to.include.members(['edge', 'edge-invalid']);
    expect(edge.classList.contains('edge-invalid')).to.equal(true);
    expect(edge.dataset['severity']).to.equal('error');
    expect(edge.querySelector('title')!.textContent).to.equal('No port "maybe"');
    expect(getComputedStyle(edge.querySelector('.edge-line')!).strokeDasharray).to.not.equal(
      'none',
    );
    const others = el.shadowRoot!.querySelectorAll('[part~=edge-invalid]');
    expect(others.length).to.equal(1);
    // The source card counts it too (edges cannot be focused).
    expect(nodeEl(el, 'check').getAttribute('aria-label')).to.match(/, 1 error$/);
    engine.dispose();
  });

  it('marks the edges validateFlow reports when no diagnostics are given', async () => {
    const engine = createLayoutEngine({ mainThread: true, cache: createLayoutCache() });
    const el = await fixture<FlowDesignerBase>(
      html`<flow-designer .layoutEngine=${engine} .flow=${markedFlow()}></flow-designer>`,
    );
    await el.relayout();
    await el.layoutComplete;
    const edge = el.shadowRoot!.querySelector('[data-edge-id="check:maybe->c"]')!;
    expect(edge.getAttribute('part')).to.contain('edge-invalid');
    expect(edge.querySelector('title')!.textContent).to.contain('maybe');
    engine.dispose();
  });

  it('takes the count phrases from the strings table', async () => {
    const { el, engine } = await designer(markedFlow(), {
      diagnostics: [diag('warning', 'b', 'Unused'), diag('info', 'b', 'Imported')],
    });
    el.strings = { warnings: (n) => `${n} avertissement`, infos: (n) => `${n} remarque` };
    await el.updateComplete;
    expect(nodeEl(el, 'b').getAttribute('aria-label')).to.match(/, 1 avertissement, 1 remarque$/);
    engine.dispose();
  });
});

describe('node cards: accessibility and export', () => {
  it('stays axe-clean with icons of every kind and markers of every severity, light and dark', async () => {
    const engine = createLayoutEngine({ mainThread: true, cache: createLayoutCache() });
    const el = await fixture<FlowDesignerBase>(
      html`<flow-designer
        style="width: 800px; height: 600px"
        .layoutEngine=${engine}
        .diagnostics=${runDiagnostics()}
        .run=${runView()}
        .flow=${runFlow()}
      ></flow-designer>`,
    );
    await el.relayout();
    await el.layoutComplete;
    expect(el.shadowRoot!.querySelectorAll('[part~=marker]').length).to.equal(4);
    await expect(el).to.be.accessible();
    el.theme = 'dark';
    el.run = undefined;
    el.catalog = expenseCatalog();
    el.flow = expenseFlow();
    await el.layoutComplete;
    expect(el.shadowRoot!.querySelector('[part~=icon] image')).to.not.equal(null);
    await expect(el).to.be.accessible();
    engine.dispose();
  });

  it('exports glyphs and markers with their styles in exportSvg()', async () => {
    const { el, engine } = await designer(runFlow(), { diagnostics: runDiagnostics() });
    const doc = new DOMParser().parseFromString(el.exportSvg(), 'image/svg+xml');
    expect(doc.querySelector('parsererror')).to.equal(null);
    expect(doc.querySelectorAll('.glyph path').length).to.be.greaterThan(8);
    expect(doc.querySelector('.marker-warning .marker-shape')).to.not.equal(null);
    expect(doc.querySelector('.edge-invalid')).to.not.equal(null);
    const css = doc.querySelector('style')!.textContent!;
    expect(css).to.contain('.glyph path');
    expect(css).to.contain('.marker-warning');
    engine.dispose();
  });
});
