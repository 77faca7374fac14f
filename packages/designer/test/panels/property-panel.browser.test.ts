import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type {
  ActionDescriptor,
  Diagnostic,
  FlowNode,
  ScheduleTrigger,
  Trigger,
} from '@millrace/engine';
import {
  DEFAULT_PROPERTY_PANEL_STRINGS,
  PropertyPanel,
  definePropertyPanel,
  type PropertyEditDetail,
  type PropertyRendererContext,
} from '../../src/panels/property-panel.ts';
import type { ExpressionField } from '../../src/panels/expression-field.ts';

definePropertyPanel();

const fetchAction: ActionDescriptor = {
  type: 'acme.fetch',
  title: 'Fetch record',
  inputSchema: {
    type: 'object',
    required: ['url'],
    properties: {
      url: { type: 'string', title: 'URL', description: 'Where to fetch from.' },
      retries: { type: 'integer', title: 'Retries', default: 2, minimum: 0 },
      verbose: { type: 'boolean', title: 'Verbose' },
      method: { enum: ['GET', 'POST'], title: 'Method', default: 'GET' },
      tags: { type: 'array', title: 'Tags', items: { type: 'string' } },
      options: {
        type: 'object',
        title: 'Options',
        properties: {
          timeoutMs: { type: 'number', title: 'Timeout' },
          mode: { enum: ['fast', 'safe'], title: 'Mode' },
        },
      },
      auth: {
        title: 'Auth',
        oneOf: [
          {
            title: 'Basic',
            type: 'object',
            required: ['kind', 'user'],
            properties: { kind: { const: 'basic' }, user: { type: 'string', title: 'User' } },
          },
          {
            title: 'Bearer token',
            type: 'object',
            required: ['kind', 'token'],
            properties: { kind: { const: 'bearer' }, token: { type: 'string', title: 'Token' } },
          },
        ],
      },
      body: { title: 'Body' },
    },
  },
};

const catalog = [fetchAction];

function fetchNode(input: Record<string, unknown> = {}): FlowNode {
  return {
    id: 'fetch',
    type: 'acme.fetch',
    name: 'Fetch the record',
    input: {
      url: 'https://example.com',
      retries: 1,
      tags: ['a', 'b'],
      options: { timeoutMs: 100 },
      auth: { kind: 'basic', user: 'ann' },
      body: { a: 1 },
      ...input,
    },
  } as FlowNode;
}

interface PanelProps {
  node?: FlowNode | Trigger | undefined;
  nodeKind?: 'node' | 'trigger';
  diagnostics?: Diagnostic[];
  pointer?: string;
  readonly?: boolean;
  theme?: 'light' | 'dark';
  renderers?: PropertyPanel['renderers'];
}

async function panel(props: PanelProps = {}, slotted?: unknown): Promise<PropertyPanel> {
  const el = await fixture<PropertyPanel>(
    html`<millrace-property-panel
      style="width: 420px"
      .node=${'node' in props ? props.node : fetchNode()}
      .nodeKind=${props.nodeKind ?? 'node'}
      .catalog=${catalog}
      .diagnostics=${props.diagnostics ?? []}
      .pointer=${props.pointer ?? '/nodes/0'}
      .renderers=${props.renderers ?? {}}
      ?readonly=${props.readonly ?? false}
      theme=${props.theme ?? 'light'}
      >${slotted ?? ''}</millrace-property-panel
    >`,
  );
  await el.updateComplete;
  return el;
}

/** Every `property-edit` detail from now on. */
function edits(el: HTMLElement): PropertyEditDetail[] {
  const list: PropertyEditDetail[] = [];
  el.addEventListener('property-edit', (e) =>
    list.push((e as CustomEvent<PropertyEditDetail>).detail),
  );
  return list;
}

const $ = <T extends Element = HTMLElement>(el: PropertyPanel, selector: string): T =>
  el.shadowRoot!.querySelector<T>(selector)!;

const fieldAt = (el: PropertyPanel, pointer: string): HTMLElement =>
  $(el, `[data-pointer="${CSS.escape(pointer)}"]`);

function control<T extends Element = HTMLElement>(el: PropertyPanel, pointer: string): T {
  return fieldAt(el, pointer).querySelector<T>(
    'input, select, textarea, millrace-expression-field',
  )!;
}

function typeInto(input: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/** What the expression field does on a user edit. */
function expressionEdit(field: Element, value: string): void {
  field.dispatchEvent(
    new CustomEvent('value-change', { detail: { value }, bubbles: true, composed: true }),
  );
}

const labelOf = (el: PropertyPanel, pointer: string): string =>
  fieldAt(el, pointer).querySelector('label, legend')!.textContent!.replace(/\s+/g, ' ').trim();

describe('property panel: the generated form', () => {
  it('is a labelled region landmark with the node’s name, type and a close button', async () => {
    const el = await panel();
    const aside = $(el, 'aside');
    expect(aside.getAttribute('role')).to.equal('region');
    expect(aside.getAttribute('aria-label')).to.equal('Properties');
    expect($(el, 'h2').textContent).to.equal('Fetch the record');
    expect($(el, 'header .type').textContent).to.equal('Fetch record · fetch');
    expect($(el, 'button.close').getAttribute('aria-label')).to.equal('Close properties');
    expect(control<HTMLInputElement>(el, '/name').value).to.equal('Fetch the record');
    expect(control<HTMLInputElement>(el, '/name').placeholder).to.equal('fetch');
    expect(control(el, '/description').tagName).to.equal('TEXTAREA');
  });

  it('draws each schema construct with its control, label, marker, default and help', async () => {
    const el = await panel();
    const url = control<ExpressionField>(el, '/input/url');
    expect(url.tagName.toLowerCase()).to.equal('millrace-expression-field');
    expect(url.value).to.equal('https://example.com');
    expect(url.label).to.equal('URL');
    expect(url.getAttribute('aria-required')).to.equal('true');
    expect(labelOf(el, '/input/url')).to.equal('URL*');
    expect(
      fieldAt(el, '/input/url').querySelector('.required')!.getAttribute('aria-hidden'),
    ).to.equal('true');
    expect(fieldAt(el, '/input/url').querySelector('.help')!.textContent).to.equal(
      'Where to fetch from.',
    );

    const retries = control<HTMLInputElement>(el, '/input/retries');
    expect(retries.type).to.equal('number');
    expect(retries.value).to.equal('1');
    expect(retries.placeholder).to.equal('2');
    expect(retries.step).to.equal('1');
    expect(retries.min).to.equal('0');
    expect(retries.hasAttribute('aria-required')).to.equal(false);
    expect($(el, `label[for="${retries.id}"]`).textContent!.trim()).to.equal('Retries');

    const verbose = control<HTMLInputElement>(el, '/input/verbose');
    expect(verbose.type).to.equal('checkbox');
    expect(verbose.checked).to.equal(false);

    const method = control<HTMLSelectElement>(el, '/input/method');
    expect(method.tagName).to.equal('SELECT');
    expect([...method.options].map((o) => o.textContent!.trim())).to.deep.equal([
      'Default (GET)',
      'GET',
      'POST',
    ]);

    const tags = fieldAt(el, '/input/tags');
    expect(tags.tagName).to.equal('FIELDSET');
    expect(tags.querySelectorAll('ol.items > li').length).to.equal(2);
    expect(control<ExpressionField>(el, '/input/tags/1').value).to.equal('b');
    expect(control<ExpressionField>(el, '/input/tags/1').label).to.equal('Tags 2');

    const options = fieldAt(el, '/input/options');
    expect(options.tagName).to.equal('FIELDSET');
    expect(options.querySelector('legend')!.textContent).to.contain('Options');
    expect(control<HTMLInputElement>(el, '/input/options/timeoutMs').value).to.equal('100');

    const auth = fieldAt(el, '/input/auth');
    const picker = auth.querySelector('select')!;
    expect([...picker.options].map((o) => o.textContent!.trim())).to.deep.equal([
      'None',
      'Basic',
      'Bearer token',
    ]);
    expect(picker.value).to.equal('0');
    expect(control<ExpressionField>(el, '/input/auth/user').value).to.equal('ann');
    expect(auth.querySelector('[data-pointer="/input/auth/kind"]') === null).to.equal(true);

    const body = control<HTMLTextAreaElement>(el, '/input/body');
    expect(body.tagName).to.equal('TEXTAREA');
    expect(JSON.parse(body.value)).to.deep.equal({ a: 1 });
  });

  it('binds every native control to a label element', async () => {
    const el = await panel();
    for (const c of el.shadowRoot!.querySelectorAll<HTMLInputElement>('input, select, textarea')) {
      const named =
        c.labels!.length > 0 || c.hasAttribute('aria-label') || c.hasAttribute('aria-labelledby');
      expect(named, c.outerHTML).to.equal(true);
    }
  });

  it('shows built-in actions from the engine’s descriptors (http)', async () => {
    const el = await panel({
      node: { id: 'h', type: 'http', input: { url: 'https://x', method: 'POST' } } as FlowNode,
    });
    expect($(el, 'header .type').textContent).to.equal('HTTP request · h');
    expect(control<HTMLSelectElement>(el, '/input/method').value).to.equal('2');
    expect(fieldAt(el, '/input/headers').tagName).to.equal('FIELDSET');
  });
});

describe('property panel: edits', () => {
  it('a string field emits its text at its path, coalescing by pointer', async () => {
    const el = await panel();
    const list = edits(el);
    expressionEdit(control(el, '/input/url'), 'https://example.com/$<flow.input.id>');
    expect(list).to.deep.equal([
      {
        path: ['input', 'url'],
        value: 'https://example.com/$<flow.input.id>',
        coalesce: '/nodes/0/input/url',
      },
    ]);
  });

  it('typing in the CodeMirror editor emits edits and a commit on blur', async () => {
    const el = await panel();
    const field = control<ExpressionField>(el, '/input/url');
    await field.editorReady;
    const list = edits(el);
    field.focus();
    await sendKeys({ press: 'End' });
    await sendKeys({ type: '/a' });
    await waitUntil(() => list.length === 2);
    expect(list.map((e) => e.value)).to.deep.equal([
      'https://example.com/',
      'https://example.com/a',
    ]);
    const commit = oneEvent(el, 'property-commit');
    control<HTMLInputElement>(el, '/name').focus();
    expect((await commit).detail).to.deep.equal({ path: ['input', 'url'] });
  });

  it('a number input emits a number; an empty one removes; bad input emits nothing', async () => {
    const el = await panel();
    const list = edits(el);
    const retries = control<HTMLInputElement>(el, '/input/retries');
    typeInto(retries, '5');
    typeInto(retries, '');
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['input', 'retries'], 5],
      [['input', 'retries'], undefined],
    ]);
    expect(list[0]!.coalesce).to.equal('/nodes/0/input/retries');
    typeInto(retries, '2.5'); // not an integer
    await el.updateComplete;
    expect(list.length).to.equal(2);
    expect(retries.getAttribute('aria-invalid')).to.equal('true');
    expect(fieldAt(el, '/input/retries').querySelector('.messages')!.textContent).to.contain(
      'Enter a number.',
    );
  });

  it('a checkbox emits a boolean and a select the chosen value', async () => {
    const el = await panel();
    const list = edits(el);
    control<HTMLInputElement>(el, '/input/verbose').click();
    choose(control<HTMLSelectElement>(el, '/input/method'), '1');
    choose(control<HTMLSelectElement>(el, '/input/method'), '');
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['input', 'verbose'], true],
      [['input', 'method'], 'POST'],
      [['input', 'method'], undefined],
    ]);
    expect(list[0]!.coalesce).to.not.equal(list[1]!.coalesce);
  });

  it('a nested object field emits its nested path', async () => {
    const el = await panel();
    const list = edits(el);
    typeInto(control<HTMLInputElement>(el, '/input/options/timeoutMs'), '250');
    choose(control<HTMLSelectElement>(el, '/input/options/mode'), '1');
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['input', 'options', 'timeoutMs'], 250],
      [['input', 'options', 'mode'], 'safe'],
    ]);
  });

  it('an absent optional object is created whole on its first edit', async () => {
    const el = await panel({ node: fetchNode({ options: undefined }) });
    const list = edits(el);
    choose(control<HTMLSelectElement>(el, '/input/options/mode'), '0');
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['input', 'options'], { mode: 'fast' }],
    ]);
  });

  it('arrays add (the item default), remove and move items', async () => {
    const el = await panel();
    const list = edits(el);
    const tags = fieldAt(el, '/input/tags');
    tags.querySelector<HTMLButtonElement>('button.add-item')!.click();
    tags.querySelectorAll<HTMLButtonElement>('button.remove-item')[0]!.click();
    tags.querySelector<HTMLButtonElement>('[aria-label="Move Tags 1 down"]')!.click();
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['input', 'tags', 2], ''],
      [['input', 'tags', 0], undefined],
      [
        ['input', 'tags'],
        ['b', 'a'],
      ],
    ]);
    expect(tags.querySelector('button.add-item')!.textContent!.trim()).to.equal('Add item');
    expect(
      tags.querySelector('button.remove-item')!.textContent!.replace(/\s+/g, ' ').trim(),
    ).to.equal('Remove item (Tags 1)');
  });

  it('focuses a new array item once the host shows it', async () => {
    const el = await panel();
    el.addEventListener('property-edit', (e) => {
      const { path, value } = (e as CustomEvent<PropertyEditDetail>).detail;
      if (path.join('/') === 'input/tags/2') el.node = fetchNode({ tags: ['a', 'b', value] });
    });
    fieldAt(el, '/input/tags').querySelector<HTMLButtonElement>('button.add-item')!.click();
    await el.updateComplete;
    const field = control<ExpressionField>(el, '/input/tags/2');
    await field.editorReady;
    // (Booleans: chai would print the whole element on a failure.)
    expect(el.shadowRoot!.activeElement === field).to.equal(true);
  });

  it('switching a oneOf variant emits the new variant’s default', async () => {
    const el = await panel();
    const list = edits(el);
    choose(fieldAt(el, '/input/auth').querySelector('select')!, '1');
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['input', 'auth'], { kind: 'bearer', token: '' }],
    ]);
  });

  it('a json field emits parsed JSON and marks invalid text without emitting it', async () => {
    const el = await panel();
    const list = edits(el);
    const body = control<HTMLTextAreaElement>(el, '/input/body');
    typeInto(body, '{"b": [1, 2]}');
    typeInto(body, '{"b": [1, 2');
    await el.updateComplete;
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([[['input', 'body'], { b: [1, 2] }]]);
    expect(body.getAttribute('aria-invalid')).to.equal('true');
    expect(body.value).to.equal('{"b": [1, 2');
  });

  it('the fx toggle turns a number field into an expression field', async () => {
    const el = await panel();
    const toggle = fieldAt(el, '/input/retries').querySelector<HTMLButtonElement>('button.fx')!;
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    expect(toggle.title).to.equal('Use an expression for Retries');
    expect(toggle.textContent!.replace(/\s+/g, ' ').trim()).to.equal('fx (Retries)');
    toggle.click();
    await el.updateComplete;
    const field = control<ExpressionField>(el, '/input/retries');
    expect(field.tagName.toLowerCase()).to.equal('millrace-expression-field');
    const list = edits(el);
    expressionEdit(field, '$<flow.input.retries>');
    expressionEdit(field, '7');
    expect(list.map((e) => e.value)).to.deep.equal(['$<flow.input.retries>', 7]);
  });

  it('a number field holding an expression shows as an expression field', async () => {
    const el = await panel({ node: fetchNode({ retries: '$<flow.input.amount>' }) });
    const field = control<ExpressionField>(el, '/input/retries');
    expect(field.tagName.toLowerCase()).to.equal('millrace-expression-field');
    expect(field.value).to.equal('$<flow.input.amount>');
    const toggle = fieldAt(el, '/input/retries').querySelector('button.fx')!;
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
  });

  it('name and description edits; empty text removes; blur commits', async () => {
    const el = await panel();
    const list = edits(el);
    const name = control<HTMLInputElement>(el, '/name');
    typeInto(name, 'Fetch it');
    typeInto(name, '');
    typeInto(control<HTMLTextAreaElement>(el, '/description'), 'Gets the record.');
    expect(list).to.deep.equal([
      { path: ['name'], value: 'Fetch it', coalesce: '/nodes/0/name' },
      { path: ['name'], value: undefined, coalesce: '/nodes/0/name' },
      { path: ['description'], value: 'Gets the record.', coalesce: '/nodes/0/description' },
    ]);
    name.focus();
    const commit = oneEvent(el, 'property-commit');
    name.blur();
    expect((await commit).detail).to.deep.equal({ path: ['name'] });
  });

  it('never changes the node itself', async () => {
    const node = fetchNode();
    const before = JSON.stringify(node);
    const el = await panel({ node });
    typeInto(control<HTMLInputElement>(el, '/input/retries'), '9');
    fieldAt(el, '/input/tags').querySelector<HTMLButtonElement>('button.add-item')!.click();
    expect(JSON.stringify(node)).to.equal(before);
  });
});

describe('property panel: diagnostics', () => {
  const d = (
    path: string,
    message: string,
    code: Diagnostic['code'] = 'E_INPUT_INVALID',
  ): Diagnostic => ({
    code,
    severity: 'error',
    path,
    message,
  });

  it('shows a diagnostic at the field it points into, marked aria-invalid', async () => {
    const el = await panel({
      diagnostics: [
        d('/nodes/0/input/url', 'The url is not a URL.'),
        d('/nodes/0/input/retries', 'Retries must be at most 5.'),
        d('/nodes/1/input/url', 'Another node’s problem.'),
      ],
    });
    const url = control<ExpressionField>(el, '/input/url');
    expect(url.getAttribute('aria-invalid')).to.equal('true');
    expect(url.diagnostics).to.deep.equal([
      { message: 'The url is not a URL.', severity: 'error' },
    ]);
    const retries = control<HTMLInputElement>(el, '/input/retries');
    expect(retries.getAttribute('aria-invalid')).to.equal('true');
    const described = retries.getAttribute('aria-describedby')!.split(' ');
    const message = el.shadowRoot!.getElementById(described.at(-1)!)!;
    expect(message.textContent).to.contain('Retries must be at most 5.');
    expect(el.shadowRoot!.textContent).to.not.contain('Another node');
    expect(control(el, '/input/verbose').hasAttribute('aria-invalid')).to.equal(false);
  });

  it('a diagnostic inside a field goes to that field; the rest of the node’s to the top', async () => {
    const el = await panel({
      diagnostics: [
        d('/nodes/0/input/options/timeoutMs/x', 'Deep inside.'),
        d('/nodes/0/edges/0', 'Not a field.', 'E_UNKNOWN_NODE'),
        d('/nodes/0', 'The node itself.', 'E_DUPLICATE_ID'),
      ],
    });
    expect(fieldAt(el, '/input/options/timeoutMs').textContent).to.contain('Deep inside.');
    const problems = $(el, '.problems');
    expect(problems.getAttribute('aria-label')).to.equal('Problems');
    expect([...problems.querySelectorAll('li')].map((li) => li.textContent!.trim())).to.deep.equal([
      '×Not a field.',
      '×The node itself.',
    ]);
  });

  it('a diagnostic on the input as a whole shows under its heading', async () => {
    const el = await panel({
      diagnostics: [d('/nodes/0/input', 'Needs the input "url".', 'E_MISSING_INPUT')],
    });
    expect($(el, '.section[data-pointer="/input"] > .messages').textContent).to.contain(
      'Needs the input',
    );
  });

  it('opens the settings section when a problem is inside it', async () => {
    const el = await panel({
      diagnostics: [d('/nodes/0/retry/maxAttempts', 'At least 1.', 'E_RETRY_INVALID')],
      node: { ...fetchNode(), retry: { maxAttempts: 0 } } as FlowNode,
    });
    expect($<HTMLDetailsElement>(el, 'details.settings').open).to.equal(true);
    expect(control(el, '/retry/maxAttempts').getAttribute('aria-invalid')).to.equal('true');
  });
});

describe('property panel: settings', () => {
  it('is a collapsible section with retry, timeout, skip, cache, compensate and join', async () => {
    const el = await panel();
    const details = $<HTMLDetailsElement>(el, 'details.settings');
    expect(details.open).to.equal(false);
    expect(details.querySelector('summary')!.textContent!.trim()).to.equal('Settings');
    details.querySelector('summary')!.click();
    await el.updateComplete;
    expect(details.open).to.equal(true);
    for (const p of [
      '/retry',
      '/timeoutMs',
      '/continueOnError',
      '/skipIf',
      '/cache',
      '/compensate',
      '/join',
    ]) {
      expect(fieldAt(el, p) !== null, p).to.equal(true);
    }
    expect(
      control<HTMLSelectElement>(el, '/retry/backoff').options[0]!.textContent!.trim(),
    ).to.equal('Default (Fixed)');
  });

  it('edits settings at node paths; a new retry starts with its max attempts', async () => {
    const el = await panel();
    const list = edits(el);
    typeInto(control<HTMLInputElement>(el, '/retry/delayMs'), '500');
    typeInto(control<HTMLInputElement>(el, '/timeoutMs'), '10000');
    control<HTMLInputElement>(el, '/continueOnError').click();
    choose(control<HTMLSelectElement>(el, '/join'), '1');
    expressionEdit(control(el, '/skipIf'), '$<vars.skip>');
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['retry'], { maxAttempts: 3, delayMs: 500 }],
      [['timeoutMs'], 10000],
      [['continueOnError'], true],
      [['join'], 'all'],
      [['skipIf'], '$<vars.skip>'],
    ]);
  });

  it('edits an existing retry policy field by field', async () => {
    const el = await panel({ node: { ...fetchNode(), retry: { maxAttempts: 2 } } as FlowNode });
    const list = edits(el);
    typeInto(control<HTMLInputElement>(el, '/retry/maxAttempts'), '4');
    choose(control<HTMLSelectElement>(el, '/retry/backoff'), '1');
    fieldAt(el, '/retry').querySelector<HTMLButtonElement>('legend button.small')!.click();
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['retry', 'maxAttempts'], 4],
      [['retry', 'backoff'], 'exponential'],
      [['retry'], undefined],
    ]);
  });

  it('picks a compensation action from the catalog and edits its input', async () => {
    const el = await panel({
      node: { ...fetchNode(), compensate: { type: 'acme.fetch', input: { url: 'u' } } } as FlowNode,
    });
    const picker = fieldAt(el, '/compensate').querySelector('select')!;
    const titles = [...picker.options].map((o) => o.textContent!.trim());
    expect(titles).to.include('Fetch record');
    expect(titles).to.include('HTTP request');
    expect(titles).to.not.include('Code');
    expect(picker.selectedOptions[0]!.textContent!.trim()).to.equal('Fetch record');
    expect(control<ExpressionField>(el, '/compensate/input/url').value).to.equal('u');
    const list = edits(el);
    choose(picker, String(titles.indexOf('Log') - (titles[0] === 'None' ? 1 : 0)));
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([[['compensate'], { type: 'log' }]]);
  });
});

describe('property panel: control nodes and code', () => {
  it('an if node edits input.condition as an expression', async () => {
    const el = await panel({
      node: { id: 'ok', type: 'if', input: { condition: '$<flow.input.ok>' } } as FlowNode,
    });
    const list = edits(el);
    const field = control<ExpressionField>(el, '/input/condition');
    expect(field.tagName.toLowerCase()).to.equal('millrace-expression-field');
    expressionEdit(field, '$<flow.input.amount > 10>');
    expressionEdit(field, 'true');
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['input', 'condition'], '$<flow.input.amount > 10>'],
      [['input', 'condition'], true],
    ]);
  });

  it('a switch node edits its cases', async () => {
    const el = await panel({
      node: {
        id: 'route',
        type: 'switch',
        cases: [{ port: 'small', when: '$<flow.input.amount < 500>' }],
      } as FlowNode,
    });
    const list = edits(el);
    expect(control<ExpressionField>(el, '/cases/0/when').value).to.equal(
      '$<flow.input.amount < 500>',
    );
    fieldAt(el, '/cases').querySelector<HTMLButtonElement>('button.add-item')!.click();
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['cases', 1], { port: '', when: '' }],
    ]);
  });

  it('a forEach node edits its items and parallelism', async () => {
    const el = await panel({
      node: {
        id: 'each',
        type: 'forEach',
        input: { items: '$<nodes.a.output>' },
        nodes: [],
      } as FlowNode,
    });
    const list = edits(el);
    typeInto(control<HTMLInputElement>(el, '/parallelism'), '8');
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([[['parallelism'], 8]]);
    expect(control<ExpressionField>(el, '/input/items').value).to.equal('$<nodes.a.output>');
  });

  it('a code node edits its code in a text area and picks the language', async () => {
    const el = await panel({
      node: {
        id: 'c',
        type: 'code',
        input: { record: '$<item>' },
        code: 'export default 1',
      } as FlowNode,
    });
    const list = edits(el);
    const code = control<HTMLTextAreaElement>(el, '/code');
    expect(code.tagName).to.equal('TEXTAREA');
    expect(code.value).to.equal('export default 1');
    typeInto(code, 'export default 2');
    choose(control<HTMLSelectElement>(el, '/language'), '1');
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['code'], 'export default 2'],
      [['language'], 'typescript'],
    ]);
    expect(control<ExpressionField>(el, '/input/record').value).to.equal('$<item>');
  });

  it('a free input mapping adds and removes keys', async () => {
    const el = await panel({
      node: { id: 't', type: 'transform', input: { a: '$<x>' } } as FlowNode,
    });
    const list = edits(el);
    const row = fieldAt(el, '/input').querySelector<HTMLElement>('.add-row')!;
    typeInto(row.querySelector('input')!, 'total');
    row.querySelector('button')!.click();
    fieldAt(el, '/input/a').querySelector<HTMLButtonElement>('[title="Remove a"]')!.click();
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['input', 'total'], ''],
      [['input', 'a'], undefined],
    ]);
  });
});

describe('property panel: triggers', () => {
  const schedule: ScheduleTrigger = { id: 'nightly', kind: 'schedule', cron: '0 2 * * *' };

  it('a schedule trigger edits its cron and describes it in words', async () => {
    const el = await panel({ node: schedule, nodeKind: 'trigger', pointer: '/triggers/0' });
    expect($(el, 'header .type').textContent).to.equal('Schedule · nightly');
    expect(fieldAt(el, '/cron').querySelector('.cron-description')!.textContent).to.equal(
      'At 02:00, every day (UTC)',
    );
    expect(el.shadowRoot!.querySelector('details.settings') === null).to.equal(true);
    expect(el.shadowRoot!.querySelector('[data-pointer="/description"]') === null).to.equal(true);
    const list = edits(el);
    expressionEdit(control(el, '/cron'), '0 9 * * 1-5');
    expect(list).to.deep.equal([
      { path: ['cron'], value: '0 9 * * 1-5', coalesce: '/triggers/0/cron' },
    ]);
    el.node = { ...schedule, cron: '0 9 * * 1-5', timezone: 'Europe/Zurich' };
    await el.updateComplete;
    expect(fieldAt(el, '/cron').querySelector('.cron-description')!.textContent).to.equal(
      'At 09:00, Monday through Friday (Europe/Zurich)',
    );
  });

  it('an invalid cron shows the engine’s diagnostic at the field', async () => {
    const el = await panel({
      node: { ...schedule, cron: '0 2 * *' },
      nodeKind: 'trigger',
      pointer: '/triggers/1',
    });
    const field = control<ExpressionField>(el, '/cron');
    expect(field.getAttribute('aria-invalid')).to.equal('true');
    expect(field.diagnostics[0]!.message).to.match(
      /Trigger "nightly": "0 2 \* \*" is not a valid cron/,
    );
    expect(fieldAt(el, '/cron').querySelector('.cron-description') === null).to.equal(true);
  });

  it('webhook and event triggers edit their fields', async () => {
    const el = await panel({
      node: { id: 'hook', kind: 'webhook', path: 'expense' },
      nodeKind: 'trigger',
      pointer: '/triggers/2',
    });
    const list = edits(el);
    choose(control<HTMLSelectElement>(el, '/method'), '1');
    control<HTMLInputElement>(el, '/enabled').click();
    expect(list.map((e) => [e.path, e.value])).to.deep.equal([
      [['method'], 'POST'],
      [['enabled'], false],
    ]);
    el.node = { id: 'jira', kind: 'event', event: 'jira.issue.updated' };
    await el.updateComplete;
    expect(control<ExpressionField>(el, '/event').value).to.equal('jira.issue.updated');
    expect(fieldAt(el, '/filter') !== null).to.equal(true);
  });
});

describe('property panel: host editors', () => {
  it('a renderer callback replaces the generated input form', async () => {
    let seen: PropertyRendererContext | undefined;
    const el = await panel({
      renderers: {
        'acme.fetch': (ctx) => {
          seen = ctx;
          return html`<button class="custom" @click=${() => ctx.edit(['input', 'url'], 'custom')}>
            Custom editor
          </button>`;
        },
      },
    });
    expect(el.shadowRoot!.querySelector('[data-pointer="/input/url"]') === null).to.equal(true);
    expect(fieldAt(el, '/name') !== null).to.equal(true);
    expect($(el, 'details.settings') !== null).to.equal(true);
    expect(seen!.node.id).to.equal('fetch');
    expect(seen!.descriptor).to.equal(fetchAction);
    const list = edits(el);
    $(el, 'button.custom').click();
    expect(list).to.deep.equal([
      { path: ['input', 'url'], value: 'custom', coalesce: '/nodes/0/input/url' },
    ]);
  });

  it('a renderer may return an element', async () => {
    const el = await panel({
      renderers: {
        'acme.fetch': () =>
          Object.assign(document.createElement('p'), { className: 'mine', textContent: 'Mine' }),
      },
    });
    expect($(el, 'p.mine').textContent).to.equal('Mine');
  });

  it('content in the editor-<type> slot replaces the generated input form', async () => {
    const el = await panel(
      {},
      html`<div slot="editor-acme.fetch" class="slotted">Host editor</div>`,
    );
    await waitUntil(() => el.shadowRoot!.querySelector('[data-pointer="/input/url"]') === null);
    const slot = $<HTMLSlotElement>(el, 'slot[name="editor-acme.fetch"]');
    expect(slot.assignedElements()[0]!.textContent).to.equal('Host editor');
    expect((slot.parentElement as HTMLElement).hidden).to.equal(false);
    expect(fieldAt(el, '/name') !== null).to.equal(true);
  });

  it('the generated form stays when the slot of another type is filled', async () => {
    const el = await panel({}, html`<div slot="editor-http">Other</div>`);
    await el.updateComplete;
    expect(fieldAt(el, '/input/url') !== null).to.equal(true);
  });
});

describe('property panel: readonly, closing, strings, accessibility', () => {
  it('readonly disables everything and emits nothing', async () => {
    const el = await panel({
      readonly: true,
      node: { ...fetchNode(), retry: { maxAttempts: 2 } } as FlowNode,
    });
    const list = edits(el);
    let commits = 0;
    el.addEventListener('property-commit', () => commits++);
    const controls = [
      ...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('input, select, textarea, button'),
    ];
    for (const c of controls) {
      if (c.classList.contains('close')) continue;
      expect(c.disabled, c.outerHTML).to.equal(true);
    }
    for (const f of el.shadowRoot!.querySelectorAll<ExpressionField>('millrace-expression-field')) {
      expect(f.readonly).to.equal(true);
    }
    typeInto(control<HTMLInputElement>(el, '/input/retries'), '5');
    expressionEdit(control(el, '/input/url'), 'x');
    control<HTMLInputElement>(el, '/name').dispatchEvent(new Event('blur'));
    expect(list).to.deep.equal([]);
    expect(commits).to.equal(0);
  });

  it('Escape and the close button emit panel-close', async () => {
    const el = await panel();
    control<HTMLInputElement>(el, '/name').focus();
    let closing = oneEvent(el, 'panel-close');
    await sendKeys({ press: 'Escape' });
    await closing;
    closing = oneEvent(el, 'panel-close');
    $(el, 'button.close').click();
    await closing;
  });

  it('replaces any string', async () => {
    const el = await panel();
    el.strings = {
      propertiesLabel: 'Eigenschaften',
      settings: 'Einstellungen',
      addItem: 'Hinzufügen',
      retry: 'Wiederholen',
    };
    await el.updateComplete;
    expect($(el, 'aside').getAttribute('aria-label')).to.equal('Eigenschaften');
    expect($(el, 'summary').textContent!.trim()).to.equal('Einstellungen');
    expect(
      fieldAt(el, '/input/tags').querySelector('button.add-item')!.textContent!.trim(),
    ).to.equal('Hinzufügen');
    expect(fieldAt(el, '/retry').querySelector('legend')!.textContent).to.contain('Wiederholen');
    expect(DEFAULT_PROPERTY_PANEL_STRINGS.propertiesLabel).to.equal('Properties');
  });

  it('shows a hint when nothing is selected', async () => {
    const el = await panel({ node: undefined });
    expect($(el, '.empty').textContent).to.equal(
      'Select a step or a trigger to see its properties.',
    );
    await expect(el).to.be.accessible();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`has no axe-core violations (${theme})`, async () => {
      const el = await panel({
        theme,
        node: {
          ...fetchNode(),
          retry: { maxAttempts: 2 },
          compensate: { type: 'log', input: { message: 'undo' } },
        } as FlowNode,
        diagnostics: [
          {
            code: 'E_INPUT_INVALID',
            severity: 'error',
            path: '/nodes/0/input/retries',
            message: 'Too many.',
          },
          { code: 'E_DUPLICATE_ID', severity: 'error', path: '/nodes/0', message: 'Duplicate id.' },
        ],
      });
      $<HTMLDetailsElement>(el, 'details.settings').open = true;
      await el.updateComplete;
      await Promise.all(
        [...el.shadowRoot!.querySelectorAll<ExpressionField>('millrace-expression-field')].map(
          (f) => f.editorReady,
        ),
      );
      await expect(el).to.be.accessible();
      const trigger = await panel({
        theme,
        node: { id: 'nightly', kind: 'schedule', cron: '0 2 * * *' },
        nodeKind: 'trigger',
        pointer: '/triggers/0',
      });
      await expect(trigger).to.be.accessible();
    });
  }

  it('dark theme colours come from the designer’s dark values', async () => {
    const el = await panel({ theme: 'dark' });
    expect(getComputedStyle($(el, 'aside')).color).to.equal('rgb(227, 231, 239)');
    const light = await panel({ theme: 'light' });
    expect(getComputedStyle($(light, 'aside')).color).to.equal('rgb(29, 35, 48)');
  });

  it('follows prefers-color-scheme without a theme, unless theme="light"', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    try {
      const el = await fixture<PropertyPanel>(
        html`<millrace-property-panel
          .node=${fetchNode()}
          .catalog=${catalog}
        ></millrace-property-panel>`,
      );
      expect(getComputedStyle($(el, 'aside')).color).to.equal('rgb(227, 231, 239)');
      await Promise.all(
        [...el.shadowRoot!.querySelectorAll<ExpressionField>('millrace-expression-field')].map(
          (f) => f.editorReady,
        ),
      );
      await expect(el).to.be.accessible();
      el.theme = 'light';
      await el.updateComplete;
      expect(getComputedStyle($(el, 'aside')).color).to.equal('rgb(29, 35, 48)');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('definePropertyPanel is idempotent and defines fresh subclasses per tag', () => {
    const a = definePropertyPanel();
    expect(definePropertyPanel()).to.equal(a);
    expect(a.prototype).to.be.instanceOf(PropertyPanel);
    const b = definePropertyPanel('acme-property-panel');
    expect(b).to.not.equal(a);
    expect(customElements.get('millrace-expression-field')).to.not.equal(undefined);
  });
});
