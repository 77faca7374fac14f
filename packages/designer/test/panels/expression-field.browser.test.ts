import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { EditorView } from '@codemirror/view';
import type { CompletionScope } from '@millrace/engine';
import {
  ExpressionField,
  defineExpressionField,
  type ExpressionFieldValueDetail,
} from '../../src/panels/expression-field.ts';

defineExpressionField();

const scope: CompletionScope = {
  nodes: {
    extract: {
      title: 'Extract invoice',
      outputSchema: {
        type: 'object',
        properties: { count: { type: 'number' }, items: { type: 'array' } },
      },
    },
    big: { title: 'Big step' },
  },
};

/** Renders a field and waits until CodeMirror is mounted. */
async function field(
  props: Partial<
    Pick<
      ExpressionField,
      | 'value'
      | 'label'
      | 'completionScope'
      | 'previewScope'
      | 'diagnostics'
      | 'readonly'
      | 'multiline'
      | 'placeholder'
      | 'theme'
    >
  > = {},
): Promise<ExpressionField> {
  const el = await fixture<ExpressionField>(html`
    <millrace-expression-field
      .value=${props.value ?? ''}
      .label=${props.label ?? 'Message text'}
      .completionScope=${props.completionScope}
      .previewScope=${props.previewScope}
      .diagnostics=${props.diagnostics ?? []}
      .placeholder=${props.placeholder ?? ''}
      ?readonly=${props.readonly ?? false}
      ?multiline=${props.multiline ?? false}
      theme=${props.theme ?? 'light'}
    ></millrace-expression-field>
  `);
  await el.editorReady;
  await el.updateComplete;
  return el;
}

const viewOf = (el: ExpressionField): EditorView =>
  EditorView.findFromDOM(el.shadowRoot!.querySelector<HTMLElement>('.cm-editor')!)!;

const contentOf = (el: ExpressionField): HTMLElement =>
  el.shadowRoot!.querySelector<HTMLElement>('.cm-content')!;

/** Every `type` event's detail values, in order. */
function record(el: EventTarget, type: string): string[] {
  const values: string[] = [];
  el.addEventListener(type, (e) =>
    values.push((e as CustomEvent<ExpressionFieldValueDetail>).detail.value),
  );
  return values;
}

const completionLabels = (el: ExpressionField): string[] =>
  [...el.shadowRoot!.querySelectorAll('.cm-tooltip-autocomplete .cm-completionLabel')].map(
    (n) => n.textContent ?? '',
  );

/** Waits for the completion list, then past CodeMirror's guard against accidental picks. */
async function completionOpen(el: ExpressionField): Promise<void> {
  await waitUntil(() => completionLabels(el).length > 0, 'completion list opened');
  await aTimeout(120);
}

/** Puts the cursor at the end and focuses the editor. */
function focusAtEnd(el: ExpressionField): EditorView {
  const view = viewOf(el);
  el.focus();
  view.dispatch({ selection: { anchor: view.state.doc.length } });
  return view;
}

describe('<millrace-expression-field>', () => {
  it('mounts CodeMirror inside its shadow root and shows the value', async () => {
    const el = await field({ value: 'Hi $<flow.input.name>' });
    const editor = el.shadowRoot!.querySelector('.cm-editor');
    expect(editor).to.not.equal(null);
    expect(contentOf(el).textContent).to.equal('Hi $<flow.input.name>');
    expect(contentOf(el).getAttribute('aria-label')).to.equal('Message text');
    expect(contentOf(el).getAttribute('aria-multiline')).to.equal('false');
    // CodeMirror's own styles reached the shadow root (adoptedStyleSheets, no <style>).
    expect(getComputedStyle(editor!).display).to.equal('flex');
    expect(el.shadowRoot!.querySelector('style')).to.equal(null);
    const cmStyles = [...document.querySelectorAll('style')].filter((s) =>
      s.textContent?.includes('.cm-'),
    );
    expect(cmStyles).to.deep.equal([]);
    expect(el.shadowRoot!.querySelector<HTMLElement>('.fallback')!.hidden).to.equal(true);
  });

  it('shows the value as focusable plain text before the editor is loaded', async () => {
    const el = document.createElement('millrace-expression-field');
    el.value = '$<vars.total>';
    el.label = 'Total';
    document.body.append(el);
    try {
      await el.updateComplete;
      const fallback = el.shadowRoot!.querySelector<HTMLElement>('[part=fallback]')!;
      expect(fallback.textContent!.trim()).to.equal('$<vars.total>');
      expect(fallback.tabIndex).to.equal(0);
      expect(fallback.getAttribute('aria-label')).to.equal('Total');
      await el.editorReady;
      await el.updateComplete;
      expect(contentOf(el).textContent).to.equal('$<vars.total>');
    } finally {
      el.remove();
    }
  });

  it('fires value-change with the new text on every keystroke', async () => {
    const el = await field({ value: '' });
    const changes = record(el, 'value-change');
    el.focus();
    await sendKeys({ type: 'Hi $<x' });
    expect(changes.length).to.equal(6);
    expect(changes.at(-1)).to.equal('Hi $<x');
    expect(el.value).to.equal('Hi $<x');
  });

  it('replaces the document when value is set, without an event', async () => {
    const el = await field({ value: 'one' });
    const changes = record(el, 'value-change');
    el.value = '$<nodes.a.output>';
    await el.updateComplete;
    expect(viewOf(el).state.doc.toString()).to.equal('$<nodes.a.output>');
    expect(changes).to.deep.equal([]);
    // Setting the text the editor already holds leaves the document (and its cursor) alone.
    const view = focusAtEnd(el);
    const before = view.state;
    el.value = '$<nodes.a.output>';
    await el.updateComplete;
    expect(view.state).to.equal(before);
    // A change elsewhere (the host's undo) keeps the cursor in place.
    view.dispatch({ selection: { anchor: 3 } });
    el.value = '$<nodes.a.output.total>';
    await el.updateComplete;
    expect(view.state.doc.toString()).to.equal('$<nodes.a.output.total>');
    expect(view.state.selection.main.head).to.equal(3);
    expect(changes).to.deep.equal([]);
  });

  it('keeps the text exactly, line breaks included', async () => {
    const el = await field({ value: 'a\r\nb', multiline: true });
    const changes = record(el, 'value-change');
    const view = focusAtEnd(el);
    await sendKeys({ type: 'c' });
    expect(changes.at(-1)).to.equal('a\r\nbc');
    expect(view.state.doc.lines).to.equal(2);
  });

  it('fires value-commit with the text when the editor loses focus', async () => {
    const el = await field({ value: '$<flow.input>' });
    el.focus();
    const commit = oneEvent(el, 'value-commit');
    contentOf(el).blur();
    const event = (await commit) as CustomEvent<ExpressionFieldValueDetail>;
    expect(event.detail.value).to.equal('$<flow.input>');
    expect(event.bubbles && event.composed).to.equal(true);
  });

  it('highlights roots, properties and delimiters with the engine’s token kinds', async () => {
    const el = await field({ value: 'n: $<nodes.extract.output.count + 1>' });
    const text = (selector: string): string[] =>
      [...el.shadowRoot!.querySelectorAll(selector)].map((n) => n.textContent ?? '');
    expect(text('.cm-mr-root')).to.deep.equal(['nodes']);
    expect(text('.cm-mr-property')).to.deep.equal(['extract', 'output', 'count']);
    expect(text('.cm-mr-delimiter')).to.deep.equal(['$<', '>']);
    expect(text('.cm-mr-number')).to.deep.equal(['1']);
    expect(text('.cm-mr-operator')).to.deep.equal(['+']);
    const root = el.shadowRoot!.querySelector('.cm-mr-root')!;
    expect(getComputedStyle(root).color).to.equal('rgb(130, 80, 223)');
  });

  it('re-highlights as the user types', async () => {
    const el = await field({ value: '$<' });
    focusAtEnd(el);
    await sendKeys({ type: 'vars' });
    await sendKeys({ press: 'Escape' });
    expect(el.shadowRoot!.querySelector('.cm-mr-root')?.textContent).to.equal('vars');
  });

  it('shows a syntax error with the parser’s message, underlined and listed', async () => {
    const el = await field({ value: '$<nodes.>' });
    const messages = el.shadowRoot!.querySelectorAll('[part=diagnostics] li');
    expect(messages.length).to.equal(1);
    expect(messages[0]!.textContent).to.contain(
      "Expected a property name after '.', found end of expression",
    );
    expect(messages[0]!.getAttribute('data-severity')).to.equal('error');
    expect(el.shadowRoot!.querySelector('.cm-content .cm-lintPoint-error')).to.not.equal(null);
    expect(contentOf(el).getAttribute('aria-invalid')).to.equal('true');
    expect(contentOf(el).getAttribute('aria-describedby')).to.equal('messages');
  });

  it('updates diagnostics live while typing', async () => {
    const el = await field({ value: '$<1 +' });
    expect(el.shadowRoot!.querySelectorAll('[part=diagnostics] li').length).to.be.greaterThan(0);
    const view = focusAtEnd(el);
    await sendKeys({ type: ' 2>' });
    await el.updateComplete;
    expect(view.state.doc.toString()).to.equal('$<1 + 2>');
    expect(el.shadowRoot!.querySelector('[part=diagnostics]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('.cm-lintRange, .cm-lintPoint')).to.equal(null);
    expect(contentOf(el).hasAttribute('aria-invalid')).to.equal(false);
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Backspace' });
    await el.updateComplete;
    const list = el.shadowRoot!.querySelector('[part=diagnostics]')!.textContent;
    expect(list).to.contain('Expected an expression, found end of expression');
    expect(list).to.contain("Expected '>' to close the expression opened at 0");
    expect(el.shadowRoot!.querySelector('.cm-lintRange-error')!.textContent).to.contain('$<1 +');
  });

  it('lists the host’s diagnostics after the parser’s', async () => {
    const el = await field({
      value: '$<nodes.>',
      diagnostics: [
        { message: "Node 'ghost' is not upstream of this node", severity: 'warning' },
        { message: 'Consider a default value', severity: 'info' },
      ],
    });
    const items = [...el.shadowRoot!.querySelectorAll('[part=diagnostics] li')];
    expect(items.map((li) => li.getAttribute('data-severity'))).to.deep.equal([
      'error',
      'warning',
      'info',
    ]);
    expect(items[1]!.textContent).to.contain("Node 'ghost' is not upstream of this node");
    el.diagnostics = [];
    el.value = '$<nodes.a>';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part=diagnostics]')).to.equal(null);
  });

  it('completes node ids after `nodes.` and inserts the chosen one', async () => {
    const el = await field({ value: '', completionScope: scope });
    const changes = record(el, 'value-change');
    el.focus();
    await sendKeys({ type: '$<nodes.' });
    await completionOpen(el);
    expect(completionLabels(el)).to.deep.equal(['big', 'extract']);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    expect(viewOf(el).state.doc.toString()).to.equal('$<nodes.extract');
    expect(changes.at(-1)).to.equal('$<nodes.extract');
    await waitUntil(() => completionLabels(el).length === 0, 'list closed after accepting');
  });

  it('completes output fields from the node’s output schema', async () => {
    const el = await field({ value: '$<nodes.extract.output', completionScope: scope });
    focusAtEnd(el);
    await sendKeys({ type: '.' });
    await completionOpen(el);
    expect(completionLabels(el)).to.deep.equal(['count', 'items']);
    await sendKeys({ press: 'Enter' });
    expect(el.value).to.equal('$<nodes.extract.output.count');
  });

  it('follows a completion scope swapped by the host', async () => {
    const el = await field({ value: '$<nodes', completionScope: scope });
    el.completionScope = { nodes: { only: {} } };
    focusAtEnd(el);
    await sendKeys({ type: '.' });
    await completionOpen(el);
    expect(completionLabels(el)).to.deep.equal(['only']);
  });

  it('closes the completion list on Escape without leaving the field or bubbling', async () => {
    const el = await field({ value: '', completionScope: scope });
    const escapes: KeyboardEvent[] = [];
    const onKey = (e: KeyboardEvent): void => void (e.key === 'Escape' && escapes.push(e));
    el.parentElement!.addEventListener('keydown', onKey);
    el.focus();
    await sendKeys({ type: '$<nodes.' });
    await completionOpen(el);
    await sendKeys({ press: 'Escape' });
    expect(completionLabels(el)).to.deep.equal([]);
    expect(el.shadowRoot!.activeElement).to.equal(contentOf(el));
    expect(escapes.length).to.equal(0);
    // The second Escape leaves the editor and reaches the host.
    await sendKeys({ press: 'Escape' });
    expect(el.shadowRoot!.activeElement).to.equal(null);
    expect(escapes.length).to.equal(1);
  });

  it('does not insert a line break on Enter unless multiline', async () => {
    const el = await field({ value: 'ab' });
    const keys: string[] = [];
    el.addEventListener('keydown', (e) => keys.push(e.key));
    focusAtEnd(el);
    await sendKeys({ press: 'Enter' });
    expect(viewOf(el).state.doc.toString()).to.equal('ab');
    expect(keys).to.deep.equal(['Enter']);
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    expect(viewOf(el).state.doc.toString()).to.equal('ab\n');

    const multi = await field({ value: 'ab', multiline: true });
    expect(contentOf(multi).getAttribute('aria-multiline')).to.equal('true');
    focusAtEnd(multi);
    await sendKeys({ press: 'Enter' });
    expect(multi.value).to.equal('ab\n');
  });

  it('leaves Ctrl/⌘+Z to the host: it bubbles and the text stays', async () => {
    const el = await field({ value: 'x' });
    const undos: KeyboardEvent[] = [];
    el.parentElement!.addEventListener('keydown', (e) => void (e.key === 'z' && undos.push(e)));
    focusAtEnd(el);
    await sendKeys({ type: 'yz' });
    await sendKeys({ down: 'Control' });
    await sendKeys({ press: 'z' });
    await sendKeys({ up: 'Control' });
    await aTimeout(20);
    expect(undos.length).to.equal(2); // the typed "z" and the shortcut
    expect(viewOf(el).state.doc.toString()).to.equal('xyz');
    expect(el.value).to.equal('xyz');
  });

  it('previews the value on the sample data, or the evaluation error', async () => {
    const previewScope = { nodes: { extract: { output: { count: 3, items: ['a'] } } } };
    const el = await field({ value: '$<nodes.extract.output.count * 2>', previewScope });
    const output = (): string =>
      el.shadowRoot!.querySelector('[part=preview] output')!.textContent!.trim();
    expect(output()).to.equal('6');
    expect(contentOf(el).getAttribute('aria-describedby')).to.equal('preview');
    el.value = '$<nodes.extract.output>';
    await el.updateComplete;
    expect(output()).to.equal('{"count": 3, "items": ["a"]}');
    el.value = '$<nodes.missing.output>';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part=preview]')!.classList.contains('failed')).to.equal(
      true,
    );
    expect(output()).to.contain('nodes.missing');
    // Typing updates the preview too.
    el.value = '$<nodes.extract.output.count';
    await el.updateComplete;
    focusAtEnd(el);
    await sendKeys({ type: ' + 1>' });
    await el.updateComplete;
    expect(output()).to.equal('4');
    el.previewScope = undefined;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part=preview]')).to.equal(null);
  });

  it('is not editable when readonly', async () => {
    const el = await field({ value: '$<vars.x>', readonly: true });
    expect(el.hasAttribute('readonly')).to.equal(true);
    const content = contentOf(el);
    expect(content.contentEditable).to.equal('false');
    expect(content.getAttribute('aria-readonly')).to.equal('true');
    expect(content.tabIndex).to.equal(0);
    const changes = record(el, 'value-change');
    el.focus();
    await sendKeys({ type: 'abc' });
    expect(viewOf(el).state.doc.toString()).to.equal('$<vars.x>');
    expect(changes).to.deep.equal([]);
    el.readonly = false;
    await el.updateComplete;
    expect(content.contentEditable).to.equal('true');
  });

  it('shows the placeholder while empty', async () => {
    const el = await field({ value: '', placeholder: 'e.g. $<flow.input.email>' });
    expect(el.shadowRoot!.querySelector('.cm-placeholder')!.textContent).to.equal(
      'e.g. $<flow.input.email>',
    );
  });

  it('works inside the shadow root of another element', async () => {
    class Host extends HTMLElement {
      constructor() {
        super();
        this.attachShadow({ mode: 'open' }).innerHTML =
          '<millrace-expression-field label="Nested"></millrace-expression-field>';
      }
    }
    if (!customElements.get('expression-field-test-host'))
      customElements.define('expression-field-test-host', Host);
    const host = await fixture<HTMLElement>(
      html`<expression-field-test-host></expression-field-test-host>`,
    );
    const el = host.shadowRoot!.querySelector('millrace-expression-field')!;
    el.completionScope = scope;
    await el.editorReady;
    const changes = record(host, 'value-change');
    el.focus();
    await sendKeys({ type: '$<nodes.' });
    await completionOpen(el);
    expect(completionLabels(el)).to.deep.equal(['big', 'extract']);
    await sendKeys({ press: 'Enter' });
    expect(changes.at(-1)).to.equal('$<nodes.big');
    expect(getComputedStyle(el.shadowRoot!.querySelector('.cm-editor')!).display).to.equal('flex');
    expect(getComputedStyle(el.shadowRoot!.querySelector('.cm-mr-root')!).color).to.equal(
      'rgb(130, 80, 223)',
    );
  });

  it('shows focus with a visible outline', async () => {
    const el = await field({ value: '$<flow>' });
    el.focus();
    await waitUntil(() => el.shadowRoot!.querySelector('.cm-editor.cm-focused'), 'focused');
    const style = getComputedStyle(el.shadowRoot!.querySelector('.cm-editor')!);
    expect(style.outlineStyle).to.equal('solid');
    expect(parseFloat(style.outlineWidth)).to.be.at.least(2);
  });

  it('takes colours from --flow-designer-* custom properties', async () => {
    const wrapper = await fixture<HTMLElement>(html`
      <div
        style="--flow-designer-expr-root: rgb(1, 2, 3); --flow-designer-card-bg: rgb(250, 250, 240)"
      >
        <millrace-expression-field .value=${'$<flow>'}></millrace-expression-field>
      </div>
    `);
    const el = wrapper.querySelector('millrace-expression-field')!;
    await el.editorReady;
    expect(getComputedStyle(el.shadowRoot!.querySelector('.cm-mr-root')!).color).to.equal(
      'rgb(1, 2, 3)',
    );
    expect(getComputedStyle(el.shadowRoot!.querySelector('.cm-editor')!).backgroundColor).to.equal(
      'rgb(250, 250, 240)',
    );
  });

  it('is axe-clean in the light and the dark theme', async () => {
    const el = await field({
      value: '$<nodes.extract.output.count + "x" > 2 ? true : null>',
      previewScope: { nodes: { extract: { output: { count: 3 } } } },
      diagnostics: [{ message: 'A warning from the validator', severity: 'warning' }],
    });
    await expect(el).to.be.accessible();
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(22, 26, 34)');
    await expect(el).to.be.accessible();
    const broken = await field({ value: '$<1 +> and $<nodes.', theme: 'dark' });
    await expect(broken).to.be.accessible();
    broken.theme = 'light';
    await broken.updateComplete;
    await expect(broken).to.be.accessible();
  });

  it('is axe-clean with the completion list open', async () => {
    const el = await field({ value: '', completionScope: scope });
    el.focus();
    await sendKeys({ type: '$<nodes.' });
    await completionOpen(el);
    await expect(el).to.be.accessible();
  });

  it('registers each tag once, with a fresh subclass per tag', () => {
    const first = defineExpressionField();
    expect(defineExpressionField()).to.equal(first);
    expect(first.prototype).to.be.instanceOf(ExpressionField);
    const other = defineExpressionField('acme-expression-field');
    expect(other).to.not.equal(first);
    expect(document.createElement('acme-expression-field')).to.be.instanceOf(ExpressionField);
  });
});
