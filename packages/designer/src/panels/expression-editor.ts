import { Annotation, Compartment, EditorState, Prec, StateField } from '@codemirror/state';
import type { Extension, Range } from '@codemirror/state';
import { Decoration, EditorView, keymap, placeholder } from '@codemirror/view';
import type { DecorationSet, KeyBinding } from '@codemirror/view';
import {
  autocompletion,
  completionStatus,
  insertCompletionText,
  pickedCompletion,
} from '@codemirror/autocomplete';
import type {
  Completion as CmCompletion,
  CompletionContext,
  CompletionResult,
} from '@codemirror/autocomplete';
import { linter, setDiagnosticsEffect } from '@codemirror/lint';
import type { Diagnostic as LintDiagnostic } from '@codemirror/lint';
import { completeAt, tokensForHighlighting } from '@millrace/engine';
import type { Completion, CompletionScope } from '@millrace/engine';
import { syntaxDiagnostics } from '../core/expression-preview.ts';

/**
 * The CodeMirror 6 half of `<millrace-expression-field>`, loaded with a dynamic `import()` on
 * the field's first render so the designer's main bundle carries no editor code. Everything
 * here is the editor's wiring; what the field shows around it (preview, message list) stays in
 * the element.
 */

/** What the element can change on a mounted editor without re-creating it. */
export interface ExpressionEditorConfig {
  /** The content element's accessible name. */
  readonly label: string;
  readonly placeholder: string;
  readonly readonly: boolean;
  /** Enter inserts a line break (Shift+Enter always does). */
  readonly multiline: boolean;
  /** Ids, in the same shadow root, of what describes the content (messages, preview). */
  readonly describedBy: string;
  /** The template has errors (`aria-invalid`). */
  readonly invalid: boolean;
}

export interface ExpressionEditorOptions extends ExpressionEditorConfig {
  /** Where the editor's DOM goes. */
  readonly parent: HTMLElement;
  /** The shadow root holding `parent`: CodeMirror styles it through adoptedStyleSheets. */
  readonly root: ShadowRoot;
  readonly doc: string;
  /** Read on every completion request, so the host may swap the scope at any time. */
  readonly completionScope: () => CompletionScope | undefined;
  /** A user edit (typing, paste, accepted completion); never called for `setValue`. */
  readonly onChange: (value: string) => void;
  readonly onBlur: () => void;
}

export interface ExpressionEditor {
  readonly view: EditorView;
  /** The document's text. */
  readonly value: string;
  /** Replaces the document; `onChange` is not called. */
  setValue(value: string): void;
  configure(config: ExpressionEditorConfig): void;
  destroy(): void;
}

/** Marks transactions that the host made (`setValue`), which are not user edits. */
const external = Annotation.define<boolean>();

/** Mounts an editor for a `$<...>` template in `options.parent`. */
export function createExpressionEditor(options: ExpressionEditorOptions): ExpressionEditor {
  const attrs = new Compartment();
  const editing = new Compartment();
  const keys = new Compartment();
  const hint = new Compartment();
  let config: ExpressionEditorConfig = options;

  const view = new EditorView({
    root: options.root,
    parent: options.parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        // Only \n splits lines, so the text the host gets back is exactly the text it set.
        EditorState.lineSeparator.of('\n'),
        EditorView.lineWrapping,
        highlighting,
        // No lint source (it would run on a timer): `syntaxLint` sets the parser's errors in
        // the very transaction that changes the text.
        linter(null),
        syntaxLint,
        completionKeys,
        autocompletion({ override: [completionSource(options.completionScope)], icons: true }),
        keys.of(editingKeys(options.multiline)),
        attrs.of(contentAttributes(options)),
        editing.of(editable(options.readonly)),
        hint.of(options.placeholder === '' ? [] : placeholder(options.placeholder)),
        // No history extension: the designer owns undo (Ctrl/⌘+Z reaches it untouched).
        EditorView.domEventHandlers({
          beforeinput(event) {
            // The browser's own contenteditable undo would fight the designer's: cancel it.
            if (event.inputType === 'historyUndo' || event.inputType === 'historyRedo') {
              event.preventDefault();
              return true;
            }
            return false;
          },
          blur() {
            options.onBlur();
            return false;
          },
        }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          if (update.transactions.every((tr) => !tr.docChanged || tr.annotation(external))) return;
          options.onChange(update.state.doc.toString());
        }),
        fieldTheme,
      ],
    }),
  });

  // Transaction extenders do not run for the initial state.
  view.dispatch({ effects: setDiagnosticsEffect.of(lintOf(view.state.doc.toString())) });

  return {
    view,
    get value() {
      return view.state.doc.toString();
    },
    setValue(value) {
      const current = view.state.doc.toString();
      if (value === current) return;
      view.dispatch({ changes: minimalChange(current, value), annotations: external.of(true) });
    },
    configure(next) {
      const effects = [];
      if (
        next.label !== config.label ||
        next.describedBy !== config.describedBy ||
        next.invalid !== config.invalid ||
        next.multiline !== config.multiline ||
        next.readonly !== config.readonly
      )
        effects.push(attrs.reconfigure(contentAttributes(next)));
      if (next.readonly !== config.readonly)
        effects.push(editing.reconfigure(editable(next.readonly)));
      if (next.multiline !== config.multiline)
        effects.push(keys.reconfigure(editingKeys(next.multiline)));
      if (next.placeholder !== config.placeholder)
        effects.push(
          hint.reconfigure(next.placeholder === '' ? [] : placeholder(next.placeholder)),
        );
      config = next;
      if (effects.length > 0) view.dispatch({ effects });
    },
    destroy() {
      view.destroy();
    },
  };
}

/**
 * The change from `a` to `b` that keeps their common start and end: a host's undo of a few
 * characters then leaves the cursor where it was instead of throwing it to the end.
 */
function minimalChange(a: string, b: string): { from: number; to: number; insert: string } {
  const max = Math.min(a.length, b.length);
  let start = 0;
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end))
    end++;
  return { from: start, to: a.length - end, insert: b.slice(start, b.length - end) };
}

function lintOf(text: string): LintDiagnostic[] {
  return syntaxDiagnostics(text).map((d) => ({
    from: d.from,
    to: d.to,
    severity: 'error',
    message: d.message,
    source: d.code,
  }));
}

/** The parser's errors as lint diagnostics, recomputed with every change of the text. */
const syntaxLint: Extension = EditorState.transactionExtender.of((tr) =>
  tr.docChanged ? { effects: setDiagnosticsEffect.of(lintOf(tr.newDoc.toString())) } : null,
);

function contentAttributes(config: ExpressionEditorConfig): Extension {
  const attributes: Record<string, string> = {
    'aria-label': config.label,
    'aria-multiline': String(config.multiline),
  };
  if (config.describedBy !== '') attributes['aria-describedby'] = config.describedBy;
  if (config.invalid) attributes['aria-invalid'] = 'true';
  // A read-only field is not contenteditable, yet keyboard users can still reach and read it.
  if (config.readonly) attributes['tabindex'] = '0';
  return EditorView.contentAttributes.of(attributes);
}

function editable(readonly: boolean): Extension {
  return [EditorState.readOnly.of(readonly), EditorView.editable.of(!readonly)];
}

function insertLineBreak(view: EditorView): boolean {
  if (view.state.readOnly) return false;
  view.dispatch(view.state.replaceSelection('\n'), {
    scrollIntoView: true,
    userEvent: 'input',
  });
  return true;
}

/**
 * Enter: a line break only in a multi-line field; in a one-line field it is swallowed (so the
 * browser adds none) but still bubbles, and a host may treat it as "done". Escape leaves the
 * editor and bubbles too (a completion list open takes it first, see `completionKeys`).
 */
function editingKeys(multiline: boolean): Extension {
  const bindings: KeyBinding[] = [
    { key: 'Enter', run: multiline ? insertLineBreak : () => true },
    { key: 'Shift-Enter', run: insertLineBreak },
    // Never a native line break from a modified Enter; the host may bind these.
    { key: 'Mod-Enter', run: () => true },
    { key: 'Alt-Enter', run: () => true },
    {
      key: 'Escape',
      run: (view) => {
        view.contentDOM.blur();
        return false;
      },
    },
  ];
  return keymap.of(bindings);
}

/** Keys that the open completion list uses (see `completionKeys`). */
const LIST_KEYS: ReadonlySet<string> = new Set([
  'ArrowDown',
  'ArrowUp',
  'PageDown',
  'PageUp',
  'Enter',
  'Escape',
]);

/**
 * While the completion list is open, the keys it uses end in the field: Escape closes the list
 * without leaving the field or reaching the host, Enter picks without submitting anything.
 * (Not the keymap's `stopPropagation`: CodeMirror merges that flag over every binding of a key,
 * so it would stop Enter and Escape from bubbling when the list is closed, too.)
 */
const completionKeys: Extension = Prec.highest(
  EditorView.domEventHandlers({
    keydown(event, view) {
      const status = completionStatus(view.state);
      if (
        LIST_KEYS.has(event.key) &&
        (status === 'active' || (status === 'pending' && event.key === 'Escape'))
      )
        event.stopPropagation();
      return false; // the completion keymap still handles the key
    },
  }),
);

// ---------------------------------------------------------------------------------------------
// Highlighting: the engine's tokens as mark decorations, `cm-mr-<kind>` (styled by the element).

const MARKS = new Map<string, Decoration>();

function markOf(kind: string): Decoration {
  let mark = MARKS.get(kind);
  if (mark === undefined) {
    mark = Decoration.mark({ class: `cm-mr-${kind}` });
    MARKS.set(kind, mark);
  }
  return mark;
}

function decorate(text: string): DecorationSet {
  const ranges: Range<Decoration>[] = [];
  for (const token of tokensForHighlighting(text)) {
    if (token.to > token.from && token.to <= text.length)
      ranges.push(markOf(token.kind).range(token.from, token.to));
  }
  return Decoration.set(ranges, true);
}

// Templates are short: re-tokenising the whole text per change costs microseconds and keeps
// the marks exactly what the engine reports.
const highlighting = StateField.define<DecorationSet>({
  create: (state) => decorate(state.doc.toString()),
  update: (marks, tr) => (tr.docChanged ? decorate(tr.newDoc.toString()) : marks),
  provide: (field) => EditorView.decorations.from(field),
});

// ---------------------------------------------------------------------------------------------
// Completion: the engine's `completeAt`.

const TYPES: Readonly<Record<Completion['kind'], string>> = {
  root: 'variable',
  node: 'class',
  field: 'property',
  method: 'method',
  function: 'function',
  keyword: 'keyword',
};

/** Details longer than this go to the info panel beside the list, not into the row. */
const SHORT_DETAIL = 32;

/**
 * Without an explicit request (Ctrl+Space), the list opens only where a name is being typed:
 * after a name character, after `.`/`?.`, or right after `$<`.
 */
function opensHere(text: string, pos: number): boolean {
  const before = text.slice(Math.max(0, pos - 2), pos);
  return /[\w$.]$/.test(before) || before === '$<';
}

function completionSource(scope: () => CompletionScope | undefined) {
  return (context: CompletionContext): CompletionResult | null => {
    const text = context.state.doc.toString();
    if (!context.explicit && !opensHere(text, context.pos)) return null;
    const items = completeAt(text, context.pos, scope() ?? {});
    if (items.length === 0) return null;
    const from = Math.min(...items.map((c) => c.from));
    const to = Math.max(...items.map((c) => c.to));
    return {
      from,
      to,
      // The engine has filtered by the typed prefix and sorted; asked again on every keystroke.
      filter: false,
      options: items.map((item) => toOption(item, from, to)),
    };
  };
}

function toOption(item: Completion, from: number, to: number): CmCompletion {
  const option: CmCompletion = {
    label: item.label,
    type: `${TYPES[item.kind]} mr-${item.kind}`,
    ...(item.detail === undefined
      ? {}
      : item.detail.length <= SHORT_DETAIL
        ? { detail: item.detail }
        : { info: item.detail }),
  };
  if (item.from === from && item.to === to) return option;
  // A label that replaces another range than the list's (`['odd key']` replaces the dot too):
  // keep its offsets relative to the list's range, which CodeMirror maps through edits.
  const startDelta = item.from - from;
  const endDelta = item.to - to;
  return {
    ...option,
    apply: (view, completion, applyFrom, applyTo) => {
      view.dispatch({
        ...insertCompletionText(view.state, item.label, applyFrom + startDelta, applyTo + endDelta),
        annotations: pickedCompletion.of(completion),
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Theme: the editor's chrome in the element's custom properties (set on its :host); token
// colours are in the element's own styles.

const fieldTheme = EditorView.theme({
  '&': {
    color: 'var(--_fg)',
    backgroundColor: 'var(--_field-bg)',
    border: '1px solid var(--_field-border)',
    borderRadius: 'var(--flow-designer-radius-small, 4px)',
  },
  '&.cm-focused': {
    outline: '2px solid var(--_accent)',
    outlineOffset: '1px',
  },
  '.cm-scroller': {
    fontFamily: 'var(--flow-designer-mono, ui-monospace, monospace)',
    lineHeight: '1.5',
  },
  '.cm-content': {
    caretColor: 'var(--_fg)',
    padding: '3px 0',
  },
  '.cm-line': { padding: '0 8px' },
  '.cm-placeholder': { color: 'var(--_muted)' },
  '.cm-lintRange-error, .cm-lintRange-warning, .cm-lintRange-info': {
    // A text decoration instead of lint's data: SVG: themable, and no image for a CSP to vet.
    backgroundImage: 'none',
    textDecoration: 'underline wavy',
    textDecorationSkipInk: 'none',
  },
  '.cm-lintRange-error': { textDecorationColor: 'var(--_error)' },
  '.cm-lintRange-warning': { textDecorationColor: 'var(--_warning)' },
  '.cm-lintRange-info': { textDecorationColor: 'var(--_info)' },
  '.cm-lintPoint-error:after': { borderBottomColor: 'var(--_error)' },
  '.cm-lintPoint-warning:after': { borderBottomColor: 'var(--_warning)' },
  '.cm-lintPoint-info:after': { borderBottomColor: 'var(--_info)' },
  '.cm-tooltip': {
    color: 'var(--_fg)',
    backgroundColor: 'var(--_field-bg)',
    border: '1px solid var(--_field-border)',
    borderRadius: '4px',
  },
  '.cm-tooltip-autocomplete ul li[aria-selected]': {
    background: 'var(--_option-selected-bg)',
    color: 'var(--_option-selected-fg)',
  },
  '.cm-tooltip.cm-tooltip-autocomplete > ul': {
    fontFamily: 'var(--flow-designer-mono, ui-monospace, monospace)',
  },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--_error)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--_warning)' },
  '.cm-diagnostic-info': { borderLeftColor: 'var(--_info)' },
});
