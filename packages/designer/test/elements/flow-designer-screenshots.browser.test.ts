/*
 * Screenshot regression tests: three reference flows drawn by <flow-designer> at a fixed size,
 * compared pixel by pixel with the PNGs in packages/designer/test/screenshots/ (the
 * `match-screenshot` command of web-test-runner.config.mjs: pixelmatch, a small tolerance).
 *
 * A failure writes `<name>.actual.png` and `<name>.diff.png` to test/screenshots/failed/
 * (git-ignored): look at them first. When a change of the look is intended (new styles, a new
 * way of panning, new card parts), regenerate the baselines and review them like code:
 *
 *   npm run test:update-screenshots     # UPDATE_SCREENSHOTS=1, this file only
 *   git diff --stat packages/designer/test/screenshots/   # then open the PNGs and commit them
 *
 * Only baselines that differ are rewritten; a missing baseline fails unless UPDATE_SCREENSHOTS=1.
 * Rendering is pinned for the pixels to be the same on every machine: Liberation Sans/Mono
 * (Debian's fonts-liberation, installed by the CI), a 960×720 element in a 1000×800 page, light theme (one dark), device
 * scale 1, reduced motion, nothing focused or hovered.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { ActionDescriptor, Diagnostic, FlowDefinition, RunView } from '@millrace/engine';
import type { FlowDesignerBase } from '@millrace/designer';
import '@millrace/designer/define';
import { createLayoutCache } from '../../src/core/layout-cache.ts';
import { createLayoutEngine, type LayoutEngine } from '../../src/layout/layout-client.ts';
import {
  containersFlow,
  expenseCatalog,
  expenseFlow,
  runDiagnostics,
  runFlow,
  runView,
} from './screenshot-flows.ts';

/** Pixels allowed to differ (anti-aliasing is ignored already): font hinting noise only. */
const MAX_DIFF_PIXELS = 40;

interface ScreenshotResult {
  readonly passed: boolean;
  readonly diffPixels: number;
  readonly message: string;
}

const engines: LayoutEngine[] = [];

async function render(
  flow: FlowDefinition,
  extra: {
    diagnostics?: readonly Diagnostic[];
    run?: RunView;
    catalog?: ActionDescriptor[];
    theme?: 'light' | 'dark';
  } = {},
): Promise<FlowDesignerBase> {
  const engine = createLayoutEngine({ mainThread: true, cache: createLayoutCache() });
  const el = await fixture<FlowDesignerBase>(
    html`<flow-designer
      class="screenshot-subject"
      theme=${extra.theme ?? 'light'}
      style="width: 960px; height: 720px; --flow-designer-font: 'Liberation Sans';
        --flow-designer-mono: 'Liberation Mono'"
      .layoutEngine=${engine}
      .diagnostics=${extra.diagnostics ?? []}
      .run=${extra.run}
      .catalog=${extra.catalog}
      .flow=${flow}
    ></flow-designer>`,
  );
  await el.layoutComplete;
  // The whole flow in the picture (a flow larger than the canvas opens at a readable zoom).
  el.fit();
  await el.updateComplete;
  // Fonts must be loaded before the pixels are taken, and nothing may be focused or animate.
  await document.fonts.ready;
  // Icons given as images (data: URLs) are decoded before the pixels are compared.
  // (SVG <image> has no decode(): decoding the same URL as an <img> warms the image cache.)
  for (const image of el.shadowRoot!.querySelectorAll('image')) {
    const img = new Image();
    img.src = image.href.baseVal;
    await img.decode();
  }
  (document.activeElement as HTMLElement | null)?.blur();
  for (let i = 0; i < 2; i++) {
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  }
  engines.push(engine);
  return el;
}

async function matchScreenshot(name: string): Promise<void> {
  const result = (await executeServerCommand('match-screenshot', {
    name,
    selector: 'flow-designer.screenshot-subject',
    maxDiffPixels: MAX_DIFF_PIXELS,
  })) as ScreenshotResult;
  expect(result.passed, result.message).to.equal(true);
}

describe('<flow-designer> screenshots', () => {
  before(async () => {
    await executeServerCommand('screenshot-viewport', { width: 1000, height: 800 });
    // The page around the element: no margin or scrollbars moving it between runs.
    document.body.style.margin = '0';
    document.body.style.overflow = 'hidden';
  });
  afterEach(() => engines.splice(0).forEach((e) => e.dispose()));

  it('draws the expense approval flow (webhook trigger, if and approval branches, catalog icons)', async () => {
    await render(expenseFlow(), { catalog: expenseCatalog() });
    await matchScreenshot('expense-approval');
  });

  it('draws every container kind (switch, forEach, group, try/catch/finally, while)', async () => {
    await render(containersFlow());
    await matchScreenshot('containers');
  });

  it('draws a run overlay in every status with error, warning and info markers', async () => {
    await render(runFlow(), { run: runView(), diagnostics: runDiagnostics() });
    await matchScreenshot('run-overlay');
  });

  it('draws the run overlay in the dark theme', async () => {
    await render(runFlow(), { run: runView(), diagnostics: runDiagnostics(), theme: 'dark' });
    await matchScreenshot('run-overlay-dark');
  });
});
