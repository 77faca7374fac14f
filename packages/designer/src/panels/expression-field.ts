import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CompletionScope } from '@millrace/engine';
import {
  formatPreview,
  previewExpression,
  syntaxDiagnostics,
  type SyntaxDiagnostic,
} from '../core/expression-preview.ts';
// Types only: the editor module is loaded with import() (see `loadEditor`), so the main bundle
// carries no CodeMirror code.
import type * as EditorModule from './expression-editor.ts';
import type { ExpressionEditor, ExpressionEditorConfig } from './expression-editor.ts';

let editorModule: Promise<typeof EditorModule> | undefined;

/** Loads the editor chunk once per page (again after a failed attempt). */
function loadEditor(): Promise<typeof EditorModule> {
  editorModule ??= import('./expression-editor.ts').catch((err: unknown) => {
    editorModule = undefined;
    throw err;
  });
  return editorModule;
}

/** A diagnostic of the field from the host (e.g. the flow validator's), without a range. */
export interface ExpressionFieldDiagnostic {
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'info';
}

/** Detail of `value-change` and `value-commit`. */
export interface ExpressionFieldValueDetail {
  readonly value: string;
}

/** What the preview line shows: the formatted value, or the evaluation error's message. */
interface ShownPreview {
  readonly ok: boolean;
  readonly text: string;
}

/** Longest preview text shown under the editor. */
const PREVIEW_CHARS = 120;

const GLYPHS: Readonly<Record<ExpressionFieldDiagnostic['severity'], string>> = {
  error: '×',
  warning: '!',
  info: 'i',
};

// The dark theme's values, under prefers-color-scheme (unless theme="light") or theme="dark".
const darkVars = css`
  color-scheme: dark;
  --_bg: var(--flow-designer-bg, #161a22);
  --_fg: var(--flow-designer-fg, #e3e7ef);
  --_muted: var(--flow-designer-muted, #9aa3b5);
  --_field-bg: var(--flow-designer-card-bg, #222834);
  --_field-border: var(--flow-designer-border, #4a5366);
  --_accent: var(--flow-designer-accent, #7aa2f7);
  --_error: var(--flow-designer-error, #ef6b6b);
  --_warning: var(--flow-designer-warning, #e0a040);
  --_info: var(--flow-designer-info, #5cc4d4);
  --_option-selected-bg: var(--flow-designer-option-selected-bg, #2f4a7a);
  --_option-selected-fg: var(--flow-designer-option-selected-fg, #ffffff);
  --_t-delimiter: var(--flow-designer-expr-delimiter, #ffa657);
  --_t-root: var(--flow-designer-expr-root, #d2a8ff);
  --_t-property: var(--flow-designer-expr-property, #79c0ff);
  --_t-identifier: var(--flow-designer-expr-identifier, var(--_fg));
  --_t-number: var(--flow-designer-expr-number, #7ee787);
  --_t-string: var(--flow-designer-expr-string, #a5d6ff);
  --_t-keyword: var(--flow-designer-expr-keyword, #ff7b72);
  --_t-function: var(--flow-designer-expr-function, #f0a8d8);
  --_t-operator: var(--flow-designer-expr-operator, var(--_fg));
  --_t-punctuation: var(--flow-designer-expr-punctuation, var(--_muted));
`;

/**
 * `<millrace-expression-field>`: an inline editor for one Millrace `$<...>` template, with the
 * engine's highlighting, live syntax errors, completion of roots, node ids and output fields,
 * and a preview of the value on a run's sample data. CodeMirror 6 is loaded on the first
 * render (a separate chunk); until then the value shows as plain text.
 *
 * Properties: `value`, `label` (the editor's accessible name), `completionScope`,
 * `previewScope`, `diagnostics` (the host's, shown with the parser's), `readonly` (reflects),
 * `multiline`, `placeholder`, `theme` (reflects).
 *
 * Events (bubbling, composed): `value-change` on every user edit and `value-commit` when the
 * editor loses focus, both with `detail: { value }`. Setting `value` fires neither.
 *
 * Keys: Enter adds a line break only when `multiline` (Shift+Enter always); Escape leaves the
 * editor and bubbles; Ctrl/⌘+Z is not handled here (no editor history) and bubbles to the
 * host's undo. While the completion list is open, its keys (arrows, Enter, Escape) stay in it.
 *
 * Theme: `theme="light"` or `theme="dark"`, or unset to follow `prefers-color-scheme`. Colours
 * come from the designer's custom properties (`--flow-designer-fg`, `-bg`, `-card-bg`,
 * `-border`, `-muted`, `-accent`, `-error`, `-warning`, `-info`, `-mono`) when set, and token
 * colours from `--flow-designer-expr-<kind>` (`root`, `property`, `delimiter`, `string`...).
 *
 * CSS parts: `field` (the box around the editor), `fallback` (the plain text shown before the
 * editor loads), `diagnostics` (the message list), `preview`.
 *
 * Styles go through adoptedStyleSheets only (Lit's and CodeMirror's, with `root` set to this
 * shadow root), so the field works under a strict `style-src 'self'` without a nonce.
 */
export class ExpressionField extends LitElement {
  static override styles = css`
    :host {
      color-scheme: light;
      --_bg: var(--flow-designer-bg, #f7f8fa);
      --_fg: var(--flow-designer-fg, #1d2330);
      --_muted: var(--flow-designer-muted, #5b6478);
      --_field-bg: var(--flow-designer-card-bg, #ffffff);
      --_field-border: var(--flow-designer-border, #8a93a6);
      --_accent: var(--flow-designer-accent, #3b6fd8);
      --_error: var(--flow-designer-error, #c62828);
      /* Darker than the designer's glyph colours: here they colour text (4.5:1). */
      --_warning: var(--flow-designer-warning, #8f5500);
      --_info: var(--flow-designer-info, #166a77);
      --_option-selected-bg: var(--flow-designer-option-selected-bg, #1f5fc8);
      --_option-selected-fg: var(--flow-designer-option-selected-fg, #ffffff);
      --_t-delimiter: var(--flow-designer-expr-delimiter, #953800);
      --_t-root: var(--flow-designer-expr-root, #8250df);
      --_t-property: var(--flow-designer-expr-property, #0550ae);
      --_t-identifier: var(--flow-designer-expr-identifier, var(--_fg));
      --_t-number: var(--flow-designer-expr-number, #116329);
      --_t-string: var(--flow-designer-expr-string, #0a3069);
      --_t-keyword: var(--flow-designer-expr-keyword, #cf222e);
      --_t-function: var(--flow-designer-expr-function, #6639ba);
      --_t-operator: var(--flow-designer-expr-operator, var(--_fg));
      --_t-punctuation: var(--flow-designer-expr-punctuation, var(--_muted));
      display: block;
      color: var(--_fg);
      background: var(--_bg);
      font-family: var(--flow-designer-font, system-ui, sans-serif);
    }
    @media (prefers-color-scheme: dark) {
      :host(:not([theme='light'])) {
        ${darkVars}
      }
    }
    :host([theme='dark']) {
      ${darkVars}
    }
    .fallback {
      box-sizing: border-box;
      min-height: calc(1.5em + 8px);
      padding: 3px 8px;
      font-family: var(--flow-designer-mono, ui-monospace, monospace);
      line-height: 1.5;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      color: var(--_fg);
      background: var(--_field-bg);
      border: 1px solid var(--_field-border);
      border-radius: var(--flow-designer-radius-small, 4px);
    }
    .fallback:focus-visible {
      outline: 2px solid var(--_accent);
      outline-offset: 1px;
    }
    .fallback.empty {
      color: var(--_muted);
    }
    .editor[hidden],
    .fallback[hidden] {
      display: none;
    }
    .cm-mr-text {
      color: var(--_fg);
    }
    .cm-mr-delimiter {
      color: var(--_t-delimiter);
      font-weight: 600;
    }
    .cm-mr-root {
      color: var(--_t-root);
      font-weight: 600;
    }
    .cm-mr-property {
      color: var(--_t-property);
    }
    .cm-mr-identifier {
      color: var(--_t-identifier);
    }
    .cm-mr-number {
      color: var(--_t-number);
    }
    .cm-mr-string {
      color: var(--_t-string);
    }
    .cm-mr-keyword {
      color: var(--_t-keyword);
    }
    .cm-mr-function {
      color: var(--_t-function);
    }
    .cm-mr-operator {
      color: var(--_t-operator);
    }
    .cm-mr-punctuation {
      color: var(--_t-punctuation);
    }
    .cm-mr-error {
      color: var(--_error);
      text-decoration: underline wavy var(--_error);
    }
    .diagnostics {
      list-style: none;
      margin: 4px 0 0;
      padding: 0;
      font-size: 0.85em;
    }
    .diagnostics li {
      display: flex;
      gap: 6px;
      align-items: baseline;
    }
    .diagnostics .glyph {
      flex: none;
      width: 1em;
      text-align: center;
      font-weight: 700;
    }
    .diagnostics .error .glyph {
      color: var(--_error);
    }
    .diagnostics .warning .glyph {
      color: var(--_warning);
    }
    .diagnostics .info .glyph {
      color: var(--_info);
    }
    .preview {
      display: flex;
      gap: 6px;
      margin-top: 4px;
      font-size: 0.85em;
      min-width: 0;
    }
    .preview .label {
      flex: none;
      color: var(--_muted);
    }
    .preview output {
      font-family: var(--flow-designer-mono, ui-monospace, monospace);
      white-space: pre;
      overflow: hidden;
      text-overflow: ellipsis;
      min-width: 0;
    }
    .preview.failed output {
      color: var(--_error);
      font-family: inherit;
      white-space: normal;
    }
  `;

  /** The template text. Setting it replaces the document without firing `value-change`. */
  @property() value = '';
  /** The editor's accessible name (the CodeMirror content element's `aria-label`). */
  @property() label = '';
  /** Placeholder shown while the template is empty. */
  @property() placeholder = '';
  /** Roots, upstream nodes and samples that completion proposes from. */
  @property({ attribute: false }) completionScope: CompletionScope | undefined = undefined;
  /** Sample data of the last run (`{ flow, nodes, vars... }`); when set, a preview is shown. */
  @property({ attribute: false }) previewScope: Readonly<Record<string, unknown>> | undefined =
    undefined;
  /** The host's diagnostics for this field, listed after the parser's own. */
  @property({ attribute: false }) diagnostics: readonly ExpressionFieldDiagnostic[] = [];
  /** Shows the template without letting it be edited. */
  @property({ type: Boolean, reflect: true }) readonly = false;
  /** Enter inserts a line break (otherwise only Shift+Enter does). */
  @property({ type: Boolean, reflect: true }) multiline = false;
  /** `light`, `dark`, or unset to follow the page's prefers-color-scheme. */
  @property({ reflect: true }) theme: 'light' | 'dark' | undefined = undefined;

  /** The editor's syntax errors, kept per text so a re-render does not parse again. */
  @state() private syntax: { readonly text: string; readonly list: SyntaxDiagnostic[] } = {
    text: '',
    list: [],
  };
  @state() private mounted = false;

  private editor: ExpressionEditor | undefined;
  private focusWhenReady = false;
  /** The last preview, kept per text and scope: renders for other reasons do not evaluate. */
  private preview:
    | {
        readonly text: string;
        readonly scope: Readonly<Record<string, unknown>>;
        readonly shown: ShownPreview;
      }
    | undefined;
  private readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private rejectReady!: (err: unknown) => void;

  constructor() {
    super();
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Nobody may be waiting; a failed load must not surface as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** Resolves once CodeMirror is mounted (rejects if its chunk failed to load). */
  get editorReady(): Promise<void> {
    return this.ready;
  }

  /** Focuses the editor (the plain text box until CodeMirror is mounted, then the editor). */
  override focus(options?: FocusOptions): void {
    if (this.editor !== undefined) {
      this.editor.view.focus();
      return;
    }
    this.focusWhenReady = true;
    this.renderRoot.querySelector<HTMLElement>('.fallback')?.focus(options);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page: the editor was destroyed on disconnect; mount a new one.
    if (this.hasUpdated) void this.mount();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.editor?.destroy();
    this.editor = undefined;
    this.mounted = false;
  }

  protected override willUpdate(): void {
    if (this.syntax.text !== this.value)
      this.syntax = { text: this.value, list: syntaxDiagnostics(this.value) };
  }

  protected override firstUpdated(): void {
    void this.mount();
  }

  protected override updated(changed: PropertyValues): void {
    const editor = this.editor;
    if (editor === undefined) return;
    if (changed.has('value')) editor.setValue(this.value);
    editor.configure(this.editorConfig());
  }

  /** Loads the editor chunk, then mounts CodeMirror if still connected. */
  private async mount(): Promise<void> {
    let loaded: typeof EditorModule;
    try {
      loaded = await loadEditor();
    } catch (err) {
      // Without the chunk the field stays the plain text box (with its messages and preview);
      // `editorReady` says why.
      this.rejectReady(err);
      return;
    }
    await this.updateComplete;
    if (!this.isConnected || this.editor !== undefined) return;
    const parent = this.renderRoot.querySelector<HTMLElement>('.editor');
    if (parent === null) return;
    const root = this.renderRoot as ShadowRoot;
    const refocus = this.focusWhenReady || root.activeElement?.classList.contains('fallback');
    this.editor = loaded.createExpressionEditor({
      ...this.editorConfig(),
      parent,
      root,
      doc: this.value,
      completionScope: () => this.completionScope,
      onChange: (value) => this.userEdit(value),
      onBlur: () => this.emit('value-commit'),
    });
    this.focusWhenReady = false;
    this.mounted = true;
    await this.updateComplete;
    if (refocus === true) this.editor?.view.focus();
    this.resolveReady();
  }

  private editorConfig(): ExpressionEditorConfig {
    return {
      label: this.accessibleName,
      placeholder: this.placeholder,
      readonly: this.readonly,
      multiline: this.multiline,
      describedBy: this.describedBy(),
      invalid: this.hasErrors,
    };
  }

  private get accessibleName(): string {
    return this.label === '' ? 'Expression' : this.label;
  }

  private get hasErrors(): boolean {
    return this.syntax.list.length > 0 || this.diagnostics.some((d) => d.severity === 'error');
  }

  private get messageCount(): number {
    return this.syntax.list.length + this.diagnostics.length;
  }

  /** Only ids that are rendered: a dangling aria-describedby is an axe violation. */
  private describedBy(): string {
    const ids: string[] = [];
    if (this.messageCount > 0) ids.push('messages');
    if (this.previewLine() !== undefined) ids.push('preview');
    return ids.join(' ');
  }

  private userEdit(value: string): void {
    // `value` follows the document; updated() then finds them equal and leaves the editor be.
    this.value = value;
    this.emit('value-change');
  }

  private emit(type: 'value-change' | 'value-commit'): void {
    const value = this.editor?.value ?? this.value;
    this.dispatchEvent(
      new CustomEvent<ExpressionFieldValueDetail>(type, {
        detail: { value },
        bubbles: true,
        composed: true,
      }),
    );
  }

  /** The preview line for the current text: none without a scope or with syntax errors. */
  private previewLine(): ShownPreview | undefined {
    const scope = this.previewScope;
    // With syntax errors the message list already says what is wrong.
    if (scope === undefined || this.syntax.list.length > 0) return undefined;
    const cached = this.preview;
    if (cached !== undefined && cached.text === this.value && cached.scope === scope)
      return cached.shown;
    const result = previewExpression(this.value, scope);
    const shown: ShownPreview = result.ok
      ? { ok: true, text: formatPreview(result.value, PREVIEW_CHARS) }
      : { ok: false, text: result.message };
    this.preview = { text: this.value, scope, shown };
    return shown;
  }

  protected override render() {
    const messages = [
      ...this.syntax.list.map((d) => ({ severity: 'error' as const, message: d.message })),
      ...this.diagnostics,
    ];
    const preview = this.previewLine();
    return html`<div part="field" class="field">
        <div class="editor" ?hidden=${!this.mounted}></div>
        <div
          part="fallback"
          class="fallback ${this.value === '' ? 'empty' : ''}"
          ?hidden=${this.mounted}
          role="textbox"
          tabindex="0"
          aria-readonly="true"
          aria-label=${this.accessibleName}
          aria-multiline=${this.multiline ? 'true' : 'false'}
          @focus=${() => (this.focusWhenReady = true)}
          @blur=${() => (this.focusWhenReady = false)}
        >
          ${this.value === '' ? this.placeholder : this.value}
        </div>
      </div>
      ${
        messages.length === 0
          ? nothing
          : html`<ul part="diagnostics" class="diagnostics" id="messages">
              ${messages.map(
                (m) =>
                  html`<li class=${m.severity} data-severity=${m.severity}>
                    <span class="glyph" aria-hidden="true">${GLYPHS[m.severity]}</span>
                    <span class="message">${m.message}</span>
                  </li>`,
              )}
            </ul>`
      }
      ${
        preview === undefined
          ? nothing
          : html`<div part="preview" class="preview ${preview.ok ? 'ok' : 'failed'}" id="preview">
              <span class="label">Preview</span>
              <output>${preview.text}</output>
            </div>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'millrace-expression-field': ExpressionField;
  }
}

/**
 * Registers the expression field under `tag` (once; a second call returns the same class) and
 * returns the class. Each tag gets a fresh subclass, so two tags can live on one page.
 *
 * @example
 * defineExpressionField();
 * html`<millrace-expression-field .value=${'$<flow.input.name>'}></millrace-expression-field>`;
 */
export function defineExpressionField(tag = 'millrace-expression-field'): typeof ExpressionField {
  const existing = customElements.get(tag);
  if (existing !== undefined) {
    if (existing === ExpressionField || existing.prototype instanceof ExpressionField)
      return existing as typeof ExpressionField;
    throw new Error(
      `Cannot define <${tag}>: the tag is already taken by another element. Pass another tag name to defineExpressionField().`,
    );
  }
  const element = class extends ExpressionField {};
  customElements.define(tag, element);
  return element;
}
