import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { FlowDefinition, RunEvent, RunView } from '@millrace/engine';
import { runFromEvents, type FlowDesignerBase } from '@millrace/designer';
import '@millrace/designer/define';
import { createLayoutCache } from '../../src/core/layout-cache.ts';
import { createLayoutEngine } from '../../src/layout/layout-client.ts';
import { CATALOG, T0, gateFlow, mixedFlow, nestedFlow, recorder } from '../core/recorded-runs.ts';

/** A designer on a main-thread layout engine, laid out, showing `run`. */
async function designer(
  flow: FlowDefinition,
  run: RunView | readonly RunEvent[] | undefined,
  options: { readonly timelineOpen?: boolean; readonly now?: () => number } = {},
): Promise<FlowDesignerBase> {
  const engine = createLayoutEngine({ mainThread: true, cache: createLayoutCache() });
  const el = await fixture<FlowDesignerBase>(
    html`<flow-designer
      style="width: 900px; height: 700px"
      .layoutEngine=${engine}
      .catalog=${CATALOG}
      .run=${run}
      .now=${options.now ?? (() => T0)}
      ?timeline-open=${options.timelineOpen ?? false}
      .flow=${flow}
    ></flow-designer>`,
  );
  await el.relayout();
  await el.layoutComplete;
  await el.updateComplete;
  return el;
}

const root = (el: FlowDesignerBase) => el.shadowRoot!;
const nodeEl = (el: FlowDesignerBase, id: string) =>
  root(el).querySelector<SVGGElement>(`g.node[data-node-id="${CSS.escape(id)}"]`);
const picker = (el: FlowDesignerBase, loopId: string) =>
  root(el).querySelector<SVGGElement>(`[part~="iteration-picker"][data-loop-id="${loopId}"]`);
const pickerButton = (el: FlowDesignerBase, loopId: string, step: 'previous' | 'next') =>
  picker(el, loopId)!.querySelector<SVGGElement>(`[data-step="${step}"]`)!;
const pickerText = (el: FlowDesignerBase, loopId: string) =>
  picker(el, loopId)!.querySelector('.iteration-text')!.textContent!.trim();
const row = (el: FlowDesignerBase, path: string) =>
  root(el).querySelector<HTMLLIElement>(`[part~="timeline-row"][data-path="${CSS.escape(path)}"]`);
const press = (target: Element, key: string) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));

let gateEvents: RunEvent[];
let mixedEvents: RunEvent[];
let nestedEvents: RunEvent[];

before(async () => {
  gateEvents = await recorder().run(gateFlow());
  mixedEvents = await recorder().run(mixedFlow(), { approveAfterMs: 1000 });
  nestedEvents = await recorder().run(nestedFlow());
});

describe('<flow-designer> run overlay: iteration picker', () => {
  it('shows the latest iteration of a loop; the picker switches what nodes inside show', async () => {
    const el = await designer(gateFlow(), gateEvents);
    expect(pickerText(el, 'each')).to.equal('3 / 3');
    expect(picker(el, 'each')!.getAttribute('aria-label')).to.equal('Each item: iteration 3 of 3');
    // Iteration 2 (item 3): the gate is false, so hit was skipped.
    expect(nodeEl(el, 'hit')!.dataset['status']).to.equal('skipped');

    setTimeout(() =>
      pickerButton(el, 'each', 'previous').dispatchEvent(
        new MouseEvent('click', { bubbles: true, composed: true }),
      ),
    );
    const event = (await oneEvent(el, 'iteration-change')) as CustomEvent<{
      loopId: string;
      iteration: number;
    }>;
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(true);
    expect(event.detail).to.deep.equal({ loopId: 'each', iteration: 1 });
    await el.updateComplete;
    expect(pickerText(el, 'each')).to.equal('2 / 3');
    expect(nodeEl(el, 'hit')!.dataset['status']).to.equal('succeeded');
    expect(el.iterationChoice).to.deep.equal({ each: 1 });
  });

  it('does not open or select the loop card when its picker is used', async () => {
    const el = await designer(gateFlow(), gateEvents);
    let opened = 0;
    el.addEventListener('node-open', () => opened++);
    pickerButton(el, 'each', 'previous').dispatchEvent(
      new MouseEvent('click', { bubbles: true, composed: true }),
    );
    press(pickerButton(el, 'each', 'next'), 'Enter');
    await el.updateComplete;
    expect(opened).to.equal(0);
    expect(nodeEl(el, 'each')!.classList.contains('selected')).to.equal(false);
  });

  it('is operated by keyboard: Enter and Space step, arrows step, Home and End jump', async () => {
    const el = await designer(gateFlow(), gateEvents);
    const changes: number[] = [];
    el.addEventListener('iteration-change', (e) =>
      changes.push((e as CustomEvent<{ iteration: number }>).detail.iteration),
    );
    const previous = pickerButton(el, 'each', 'previous');
    const next = pickerButton(el, 'each', 'next');
    expect(previous.getAttribute('role')).to.equal('button');
    expect(previous.getAttribute('tabindex')).to.equal('0');
    expect(previous.getAttribute('aria-label')).to.equal('Previous iteration');
    expect(next.getAttribute('aria-label')).to.equal('Next iteration');
    expect(next.getAttribute('aria-disabled')).to.equal('true');

    previous.focus();
    press(previous, 'Enter');
    await el.updateComplete;
    expect(pickerText(el, 'each')).to.equal('2 / 3');
    press(previous, ' ');
    await el.updateComplete;
    expect(pickerText(el, 'each')).to.equal('1 / 3');
    expect(previous.getAttribute('aria-disabled')).to.equal('true');
    press(previous, 'End');
    await el.updateComplete;
    expect(pickerText(el, 'each')).to.equal('3 / 3');
    press(previous, 'Home');
    await el.updateComplete;
    expect(pickerText(el, 'each')).to.equal('1 / 3');
    press(previous, 'ArrowRight');
    await el.updateComplete;
    expect(pickerText(el, 'each')).to.equal('2 / 3');
    expect(changes).to.deep.equal([1, 0, 2, 0, 1]);
    // The same button keeps focus across the re-renders.
    expect(root(el).activeElement).to.equal(previous);
    // Keys on the picker do not move focus across the canvas.
    press(previous, 'ArrowDown');
    expect(root(el).activeElement).to.equal(previous);
    // Screen readers hear where the picker is after each step.
    expect(root(el).querySelector('[part=iteration-live]')!.textContent!.trim()).to.equal(
      'Each item: iteration 2 of 3',
    );
  });

  it('nested loops have independent pickers; the inner one offers what the outer one chose', async () => {
    const el = await designer(nestedFlow(), nestedEvents);
    expect(pickerText(el, 'outer')).to.equal('2 / 2');
    expect(pickerText(el, 'inner')).to.equal('2 / 2');
    press(pickerButton(el, 'outer', 'previous'), 'Enter');
    await el.updateComplete;
    expect(pickerText(el, 'outer')).to.equal('1 / 2');
    expect(pickerText(el, 'inner')).to.equal('3 / 3');
    press(pickerButton(el, 'inner', 'previous'), 'Home');
    await el.updateComplete;
    expect(pickerText(el, 'inner')).to.equal('1 / 3');
    expect(pickerText(el, 'outer')).to.equal('1 / 2');
    expect(el.iterationChoice).to.deep.equal({ outer: 0, inner: 0 });
  });

  it('starts another run at its latest iterations, keeps the choice while the run grows', async () => {
    const el = await designer(gateFlow(), gateEvents.slice(0, -2));
    press(pickerButton(el, 'each', 'previous'), 'Home');
    await el.updateComplete;
    expect(pickerText(el, 'each')).to.equal('1 / 3');
    el.run = gateEvents;
    await el.updateComplete;
    expect(pickerText(el, 'each')).to.equal('1 / 3');
    el.run = await recorder().run({ ...gateFlow(), id: 'gate-2' });
    await el.updateComplete;
    expect(el.iterationChoice).to.deep.equal({});
    expect(pickerText(el, 'each')).to.equal('3 / 3');
  });

  it('keeps the picker, styled, in an SVG export', async () => {
    const el = await designer(gateFlow(), gateEvents);
    const doc = new DOMParser().parseFromString(el.exportSvg(), 'image/svg+xml');
    expect(doc.querySelector('.iteration-text')?.textContent?.trim()).to.equal('3 / 3');
    expect(doc.querySelector('style')!.textContent).to.contain('.iteration-box');
  });

  it('shows no picker for a loop that ran once, nor without a run', async () => {
    const once = await recorder().run({
      ...gateFlow(),
      nodes: [{ ...gateFlow().nodes[0]!, input: { items: [2] } } as FlowDefinition['nodes'][0]],
    });
    expect(picker(await designer(gateFlow(), once), 'each')).to.equal(null);
    expect(picker(await designer(gateFlow(), undefined), 'each')).to.equal(null);
  });
});

describe('<flow-designer> run overlay: .run as an event stream', () => {
  it('reports a broken event stream as a typed run-error and shows no run', async () => {
    const el = await designer(mixedFlow(), undefined);
    const heard = oneEvent(el, 'run-error');
    el.run = mixedEvents.slice(1); // no RunCreated: not a run's log
    const { detail } = (await heard) as CustomEvent<{ error: { code: string; message: string } }>;
    expect(detail.error.code).to.equal('E_STORE_CORRUPT');
    expect(detail.error.message).to.be.a('string').and.not.equal('');
    await el.updateComplete;
    expect(root(el).querySelectorAll('g.node[data-status]').length).to.equal(0);
  });

  it('shows the same overlay for the events as for their folded RunView', async () => {
    const fromEvents = await designer(mixedFlow(), mixedEvents);
    const fromView = await designer(mixedFlow(), runFromEvents(mixedEvents));
    const statuses = (el: FlowDesignerBase) =>
      [...root(el).querySelectorAll<SVGGElement>('g.node')].map(
        (g) => `${g.dataset['nodeId']}=${g.dataset['status'] ?? ''}`,
      );
    expect(statuses(fromEvents)).to.deep.equal(statuses(fromView));
    expect(statuses(fromEvents)).to.include.members(['fetch=succeeded', 'ask=succeeded']);
    // The outlines are drawn right after the canvases' paint.
    for (const el of [fromEvents, fromView]) {
      await waitUntil(() => root(el).querySelector('[part=outline]'), 'outline drawn');
    }
    const texts = (el: FlowDesignerBase) => ({
      live: root(el).querySelector('[part=live]')!.textContent!.trim(),
      outline: root(el).querySelector('[part=outline]')!.textContent!.replace(/\s+/g, ' '),
      picker: pickerText(el, 'each'),
    });
    expect(texts(fromEvents)).to.deep.equal(texts(fromView));
    expect(texts(fromEvents).live).to.equal('Run succeeded.');
  });

  it('follows a live stream reassigned with more events', async () => {
    const cut = mixedEvents.findIndex((e) => e.type === 'NodeSuspended') + 1;
    const el = await designer(mixedFlow(), mixedEvents.slice(0, 3));
    expect(nodeEl(el, 'fetch')!.dataset['status']).to.equal('retrying');
    el.run = mixedEvents.slice(0, cut);
    await el.updateComplete;
    expect(nodeEl(el, 'fetch')!.dataset['status']).to.equal('succeeded');
    expect(nodeEl(el, 'ask')!.dataset['status']).to.equal('waiting');
    el.run = mixedEvents;
    await el.updateComplete;
    expect(nodeEl(el, 'ask')!.dataset['status']).to.equal('succeeded');
  });
});

describe('<flow-designer> run timeline', () => {
  it('opens from the toolbar and reflects timeline-open', async () => {
    const el = await designer(mixedFlow(), mixedEvents);
    expect(root(el).querySelector('[part~=timeline]')).to.equal(null);
    const toggle = root(el).querySelector<HTMLButtonElement>('[part~="timeline-toggle"]')!;
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    toggle.click();
    await el.updateComplete;
    expect(el.timelineOpen).to.equal(true);
    expect(el.hasAttribute('timeline-open')).to.equal(true);
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    expect(root(el).querySelector('[part~=timeline]')).to.not.equal(null);
    el.timelineOpen = false;
    await el.updateComplete;
    expect(root(el).querySelector('[part~=timeline]')).to.equal(null);
  });

  it('draws bars for attempts, the retry delay and the approval wait', async () => {
    const el = await designer(mixedFlow(), mixedEvents, { timelineOpen: true });
    const fetch = row(el, 'fetch')!;
    const bars = [...fetch.querySelectorAll<SVGGElement>('[part~="timeline-bar"]')].map(
      (b) => `${b.dataset['kind']}#${b.dataset['attempt']} ${b.getAttribute('part')}`,
    );
    expect(bars).to.deep.equal([
      'attempt#1 timeline-bar timeline-bar-attempt timeline-bar-failed',
      'retryDelay#1 timeline-bar timeline-bar-retryDelay timeline-bar-failed',
      'attempt#2 timeline-bar timeline-bar-attempt timeline-bar-succeeded',
    ]);
    // Positions are shares of the run's 1290 ms: the retry delay spans 50..150 ms.
    const delay = fetch.querySelector('[data-kind="retryDelay"] line')!;
    expect(delay.getAttribute('x1')).to.equal(`${Math.round((50 / 1290) * 100 * 1000) / 1000}%`);
    expect(delay.getAttribute('x2')).to.equal(`${Math.round((150 / 1290) * 100 * 1000) / 1000}%`);

    const ask = row(el, 'ask')!;
    const wait = ask.querySelector<SVGGElement>('[part~="timeline-bar"]')!;
    expect(wait.dataset['kind']).to.equal('suspended');
    expect(wait.querySelector('.timeline-bar-label')!.textContent).to.equal('approval');
    expect(wait.querySelector('title')!.textContent).to.equal('Waiting for approval (1s)');
    expect(ask.querySelector('.timeline-label')!.getAttribute('aria-label')).to.equal(
      'ask: succeeded, 1s, Waiting for approval (1s)',
    );

    // One row per loop iteration, labelled with it.
    const labels = [...root(el).querySelectorAll('[part~="timeline-row"]')].map((r) =>
      r.querySelector('.timeline-label')!.textContent!.trim(),
    );
    expect(labels).to.deep.equal([
      'fetch',
      'each',
      'enrich [0]',
      'enrich [1]',
      'enrich [2]',
      'ask',
      'done',
    ]);
    expect(fetch.querySelector('.timeline-label')!.getAttribute('aria-label')).to.equal(
      'fetch: succeeded, 200ms, 2 attempts, Attempt 1 failed (50ms): first try fails, ' +
        'Retry delay after attempt 1 (100ms): first try fails, Attempt 2 succeeded (50ms)',
    );
    // Axis labels share the unit of the tick distance (500 ms here).
    const ticks = [...root(el).querySelectorAll('.timeline-tick-label')].map((t) => t.textContent);
    expect(ticks).to.deep.equal(['0ms', '500ms', '1,000ms']);
  });

  it('clicking a bar or a row label opens that node (and iteration)', async () => {
    const el = await designer(mixedFlow(), mixedEvents, { timelineOpen: true });
    const bar = row(el, 'each[1]/enrich')!.querySelector('[part~="timeline-bar"]')!;
    setTimeout(() => bar.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })));
    const event = (await oneEvent(el, 'node-open')) as CustomEvent<{
      nodeId: string;
      path: string;
      view?: { path: string; iteration?: number };
    }>;
    expect(event.composed).to.equal(true);
    expect(event.detail.nodeId).to.equal('enrich');
    expect(event.detail.path).to.equal('each[1]/enrich');
    expect(event.detail.view?.iteration).to.equal(1);
    const label = row(el, 'fetch')!.querySelector<HTMLButtonElement>('.timeline-label')!;
    setTimeout(() => label.click());
    const second = (await oneEvent(el, 'node-open')) as CustomEvent<{ nodeId: string }>;
    expect(second.detail.nodeId).to.equal('fetch');
  });

  it('rows are one tab stop; arrow keys, Home and End move between them', async () => {
    const el = await designer(mixedFlow(), mixedEvents, { timelineOpen: true });
    const labels = () => [
      ...root(el).querySelectorAll<HTMLButtonElement>('[part~="timeline-row"] .timeline-label'),
    ];
    const stops = () => labels().filter((b) => b.tabIndex === 0);
    const focused = () => root(el).activeElement?.closest('li')?.dataset['path'];
    expect(stops().map((b) => b.closest('li')!.dataset['path'])).to.deep.equal(['fetch']);
    labels()[0]!.focus();
    press(labels()[0]!, 'ArrowDown');
    expect(focused()).to.equal('each');
    press(root(el).activeElement!, 'End');
    expect(focused()).to.equal('done');
    press(root(el).activeElement!, 'ArrowUp');
    expect(focused()).to.equal('ask');
    expect(stops().map((b) => b.closest('li')!.dataset['path'])).to.deep.equal(['ask']);
    // The tab stop survives a redraw (a live run grows, or the element updates).
    el.requestUpdate();
    await el.updateComplete;
    expect(stops().map((b) => b.closest('li')!.dataset['path'])).to.deep.equal(['ask']);
    press(root(el).activeElement!, 'Home');
    expect(focused()).to.equal('fetch');
  });

  it('opening an iteration row switches the loop cards to that iteration', async () => {
    const el = await designer(nestedFlow(), nestedEvents, { timelineOpen: true });
    const changes: unknown[] = [];
    el.addEventListener('iteration-change', (e) => changes.push((e as CustomEvent).detail));
    row(el, 'outer[0]/inner[1]/cell')!.querySelector<HTMLButtonElement>('.timeline-label')!.click();
    await el.updateComplete;
    // The inner loop showed iteration 1 (of outer 1) and still does (of outer 0): one event.
    expect(changes).to.deep.equal([{ loopId: 'outer', iteration: 0 }]);
    expect(pickerText(el, 'outer')).to.equal('1 / 2');
    expect(pickerText(el, 'inner')).to.equal('2 / 3');
    expect(nodeEl(el, 'cell')!.classList.contains('selected')).to.equal(true);
    // The row of what the selected card shows is marked, not the other iterations of it.
    const selectedRows = [...root(el).querySelectorAll('[part~="timeline-row"].selected')];
    expect(selectedRows.map((r) => (r as HTMLElement).dataset['path'])).to.deep.equal([
      'outer[0]/inner[1]/cell',
    ]);
  });

  it('extends open bars of a live run to now', async () => {
    const cut = mixedEvents.findIndex((e) => e.type === 'NodeSuspended') + 1;
    let now = T0 + 500;
    const el = await designer(mixedFlow(), mixedEvents.slice(0, cut), {
      timelineOpen: true,
      now: () => now,
    });
    const waitRect = () =>
      row(el, 'ask')!.querySelector('[data-kind="suspended"] rect')!.getAttribute('width');
    const fetchEnd = () =>
      row(el, 'fetch')!.querySelector('[data-attempt="2"] rect')!.getAttribute('width');
    // The wait began at 290 ms; the span is 500 ms.
    expect(waitRect()).to.equal('42%');
    expect(
      row(el, 'ask')!.querySelector('[data-kind="suspended"]')!.classList.contains('open'),
    ).to.equal(true);
    const before = fetchEnd();
    now = T0 + 1000;
    el.requestUpdate();
    await el.updateComplete;
    expect(waitRect()).to.equal('71%');
    // A finished attempt keeps its length; only its share of the longer axis shrinks.
    expect(fetchEnd()).to.equal('5%');
    expect(before).to.equal('10%');
    // Moved elsewhere in the page, it draws (and ticks) again at once.
    now = T0 + 2000;
    el.parentElement!.append(el);
    expect(waitRect()).to.equal('85.5%');
  });

  it('falls back to start/finish bars when only a RunView is given', async () => {
    const el = await designer(mixedFlow(), runFromEvents(mixedEvents), { timelineOpen: true });
    const bars = row(el, 'fetch')!.querySelectorAll('[part~="timeline-bar"]');
    expect(bars.length).to.equal(1);
    expect(row(el, 'each[2]/enrich')).to.not.equal(null);
  });

  it('uses replaced strings and the element language for time texts', async () => {
    const el = await designer(mixedFlow(), mixedEvents, { timelineOpen: true });
    el.setAttribute('lang', 'de');
    el.strings = { timeline: 'Ablauf', timelineRowLabel: (n, i) => `${n}#${i.join('.')}` };
    await el.updateComplete;
    expect(root(el).querySelector('[part~=timeline]')!.getAttribute('aria-label')).to.equal(
      'Ablauf',
    );
    expect(
      row(el, 'each[0]/enrich')!.querySelector('.timeline-label')!.textContent!.trim(),
    ).to.equal('enrich#0');
    const ticks = [...root(el).querySelectorAll('.timeline-tick-label')].map((t) => t.textContent);
    // German groups thousands with a dot.
    expect(ticks[2]).to.match(/^1\.000\s?ms$/);
  });

  it('has no axe-core violations with the timeline open and pickers shown, light and dark', async () => {
    const el = await designer(mixedFlow(), mixedEvents, { timelineOpen: true });
    expect(picker(el, 'each')).to.not.equal(null);
    await expect(el).to.be.accessible();
    el.theme = 'dark';
    await el.updateComplete;
    await expect(el).to.be.accessible();
    const nested = await designer(nestedFlow(), nestedEvents, { timelineOpen: true });
    await expect(nested).to.be.accessible();
  });
});
