import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { CompletionScope, Diagnostic, JsonSchema } from '@millrace/engine';
import {
  defaultValueOf,
  isExpression,
  type ArrayField,
  type FieldPath,
  type FormField,
  type JsonField,
  type NumberField,
  type ObjectField,
  type OneOfField,
  type SchemaObject,
} from '../core/schema-form.ts';
import { expressionTextValue, parseJsonText, parseNumberText, textOf } from '../core/field-text.ts';

/**
 * Draws a form tree of `core/schema-form.ts` as native controls and expression fields. Holds no
 * state: what is being typed (drafts), which fields were switched to expressions and how edits
 * leave are the property panel's, reached through `FormViewContext`.
 */

/** The texts the generated form shows (part of the panel's `PropertyPanelStrings`). */
export interface SchemaFormStrings {
  /** Visible marker after a required field's label (hidden from screen readers, which hear aria-required). */
  readonly requiredMarker: string;
  /** The marker's tooltip. */
  readonly required: string;
  readonly addItem: string;
  readonly removeItem: string;
  readonly moveUp: string;
  readonly moveDown: string;
  /** Accessible names of an item's buttons. */
  readonly removeItemLabel: (item: string) => string;
  readonly moveUpLabel: (item: string) => string;
  readonly moveDownLabel: (item: string) => string;
  /** An array item's label: the array's label and its 0-based index. */
  readonly itemLabel: (label: string, index: number) => string;
  readonly addProperty: string;
  readonly newPropertyName: (objectLabel: string) => string;
  readonly removeProperty: string;
  readonly removePropertyLabel: (key: string) => string;
  readonly clear: string;
  readonly clearLabel: (label: string) => string;
  /** The "fx" toggle that switches a field to an expression, and its accessible name. */
  readonly expressionToggle: string;
  readonly expressionToggleLabel: (label: string) => string;
  /** The empty choice of an optional select (`none`), of a required one not chosen yet. */
  readonly none: string;
  readonly choose: string;
  /** The empty choice of a select whose schema has a default. */
  readonly defaultChoice: (defaultLabel: string) => string;
  /** A oneOf variant without a title. */
  readonly variant: (n: number) => string;
  /** A select's entry for a current value the schema does not list. */
  readonly otherValue: (text: string) => string;
  readonly invalidNumber: string;
  readonly invalidJson: string;
  /** A placeholder showing the default (`3`). */
  readonly defaultPlaceholder: (text: string) => string;
}

export const DEFAULT_SCHEMA_FORM_STRINGS: SchemaFormStrings = {
  requiredMarker: '*',
  required: 'Required',
  addItem: 'Add item',
  removeItem: 'Remove item',
  moveUp: 'Move up',
  moveDown: 'Move down',
  removeItemLabel: (item) => `Remove ${item}`,
  moveUpLabel: (item) => `Move ${item} up`,
  moveDownLabel: (item) => `Move ${item} down`,
  itemLabel: (label, index) => `${label} ${index + 1}`,
  addProperty: 'Add property',
  newPropertyName: (label) => (label === '' ? 'New property name' : `New property of ${label}`),
  removeProperty: 'Remove',
  removePropertyLabel: (key) => `Remove ${key}`,
  clear: 'Clear',
  clearLabel: (label) => `Clear ${label}`,
  expressionToggle: 'fx',
  expressionToggleLabel: (label) => `Use an expression for ${label}`,
  none: 'None',
  choose: 'Choose…',
  defaultChoice: (text) => `Default (${text})`,
  variant: (n) => `Option ${n}`,
  otherValue: (text) => `${text} (not listed)`,
  invalidNumber: 'Enter a number.',
  invalidJson: 'Enter valid JSON (text in "double quotes").',
  defaultPlaceholder: (text) => text,
};

/** What is being typed in a field and has not left it yet. */
export interface FieldDraft {
  readonly text: string;
  /** The text cannot be read (`invalidNumber`, `invalidJson`); nothing was emitted. */
  readonly error?: string;
  /** The field was an expression field when typing began (it stays one until it is left). */
  readonly expression: boolean;
}

/** The panel's side of the form: state, ids, and how edits leave. */
export interface FormViewContext {
  readonly strings: SchemaFormStrings;
  readonly readonly: boolean;
  readonly theme: string | undefined;
  readonly completionScope: CompletionScope | undefined;
  readonly previewScope: Readonly<Record<string, unknown>> | undefined;
  /** Diagnostics by field pointer (see `diagnosticsAt`). */
  readonly diagnostics: ReadonlyMap<string, readonly Diagnostic[]>;
  /** The document the section's `$ref`s resolve against. */
  readonly schemaRoot: JsonSchema;
  /** A shadow-root-unique element id for a pointer. */
  id(pointer: string, suffix?: string): string;
  draft(pointer: string): FieldDraft | undefined;
  setDraft(pointer: string, draft: FieldDraft | undefined): void;
  /** The field's fx toggle, when the user flipped it; undefined otherwise. */
  expressionChoice(pointer: string): boolean | undefined;
  setExpressionChoice(pointer: string, on: boolean): void;
  /** Emits an edit: `typing` edits of one field coalesce; discrete ones stand alone. */
  edit(
    field: Pick<FormField, 'pointer'>,
    path: FieldPath,
    value: unknown,
    how: 'typing' | 'discrete',
  ): void;
  /** A typing burst in the field ended (it lost focus). */
  commit(field: Pick<FormField, 'pointer' | 'path'>): void;
  /** Focuses the element with `data-focus-key=key` once it is rendered. */
  focusLater(key: string): void;
  /** Extra text under a field's control (the words for a cron string). */
  annotate?(field: FormField): TemplateResult | typeof nothing;
}

export interface FieldOptions {
  /** Replaces the field's label (array items). */
  readonly label?: string;
  /** Buttons placed next to the label (an item's move/remove). */
  readonly tools?: TemplateResult;
  /** The parent shows the field's diagnostics (a oneOf and its variant share a pointer). */
  readonly hideDiagnostics?: boolean;
  /** A section's root object: its fields without a fieldset. */
  readonly root?: boolean;
  /** No fx toggle (a oneOf's variant: the oneOf has it). */
  readonly noToggle?: boolean;
}

const GLYPHS: Readonly<Record<Diagnostic['severity'], string>> = {
  error: '×',
  warning: '!',
  info: 'i',
};

/** True when the field is edited as an expression now. */
export function inExpressionMode(field: FormField, ctx: FormViewContext): boolean {
  if (field.kind === 'string') return field.format !== 'code';
  const choice = ctx.expressionChoice(field.pointer);
  if (choice !== undefined) return choice;
  const draft = ctx.draft(field.pointer);
  if (draft !== undefined) return draft.expression;
  if (field.expression) return true;
  if (field.kind === 'json') {
    // json is "JSON, or a string / expression": strings are typed as they are.
    return (
      typeof field.value === 'string' ||
      (field.value === undefined && field.format === 'expression')
    );
  }
  return false;
}

/** Renders one field of a form tree. */
export function renderFormField(
  field: FormField,
  ctx: FormViewContext,
  options: FieldOptions = {},
): TemplateResult | typeof nothing {
  if (field.discriminator) return nothing; // the variant picker sets it
  const label = options.label ?? field.label;
  const expression = inExpressionMode(field, ctx);
  if (options.root === true && field.kind === 'object' && !expression) {
    return renderObjectFields(field, ctx);
  }
  if (expression) return renderExpression(field, ctx, label, options);
  switch (field.kind) {
    case 'number':
    case 'integer':
      return renderNumber(field, ctx, label, options);
    case 'boolean':
      return renderBoolean(field, ctx, label, options);
    case 'enum':
      return renderEnum(field, ctx, label, options);
    case 'object':
      return renderObject(field, ctx, label, options);
    case 'array':
      return renderArray(field, ctx, label, options);
    case 'oneOf':
      return renderOneOf(field, ctx, label, options);
    case 'string':
      return renderCode(field, ctx, label, options);
    case 'json':
      return renderJson(field, ctx, label, options);
  }
}

// ---------------------------------------------------------------------------------------------
// Pieces every field has

interface Described {
  readonly ids: string;
  readonly invalid: boolean;
  readonly below: TemplateResult;
}

/** Help text and messages under a field, and the ids that describe the control. */
function described(
  field: FormField,
  ctx: FormViewContext,
  options: FieldOptions,
  extraError?: string,
  id = ctx.id(field.pointer),
): Described {
  const diagnostics =
    options.hideDiagnostics === true ? [] : (ctx.diagnostics.get(field.pointer) ?? []);
  const messages = [
    ...(extraError === undefined ? [] : [{ severity: 'error' as const, message: extraError }]),
    ...diagnostics.map((d) => ({ severity: d.severity, message: d.message })),
  ];
  const ids = [
    ...(field.description === undefined ? [] : [`${id}-help`]),
    ...(messages.length === 0 ? [] : [`${id}-msg`]),
  ].join(' ');
  return {
    ids,
    invalid: messages.some((m) => m.severity === 'error'),
    below: html`${
      field.description === undefined
        ? nothing
        : html`<p class="help" id="${id}-help">${field.description}</p>`
    }${
      messages.length === 0
        ? nothing
        : html`<ul class="messages" id="${id}-msg" part="field-messages">
            ${messages.map(
              (m) =>
                html`<li class=${m.severity} data-severity=${m.severity}>
                  <span class="glyph" aria-hidden="true">${GLYPHS[m.severity]}</span
                  ><span>${m.message}</span>
                </li>`,
            )}
          </ul>`
    }`,
  };
}

function marker(field: FormField, ctx: FormViewContext): TemplateResult | typeof nothing {
  return field.required
    ? html`<span class="required" aria-hidden="true" title=${ctx.strings.required}
        >${ctx.strings.requiredMarker}</span
      >`
    : nothing;
}

/** The fx toggle: every kind but strings (always expressions) and constants. */
function fxToggle(
  field: FormField,
  ctx: FormViewContext,
  label: string,
  on: boolean,
  options: FieldOptions = {},
): TemplateResult | typeof nothing {
  if (options.noToggle === true) return nothing;
  if (field.kind === 'string' || (field.kind === 'enum' && field.constant)) return nothing;
  return html`<button
    type="button"
    class="fx"
    part="expression-toggle"
    aria-pressed=${on ? 'true' : 'false'}
    title=${ctx.strings.expressionToggleLabel(label)}
    ?disabled=${ctx.readonly}
    @click=${() => toggleExpression(field, ctx, !on)}
  >
    ${ctx.strings.expressionToggle}${context(label)}
  </button>`;
}

function toggleExpression(field: FormField, ctx: FormViewContext, on: boolean): void {
  ctx.setDraft(field.pointer, undefined);
  ctx.setExpressionChoice(field.pointer, on);
  // Back to a literal: an expression cannot stay in a number box or a select (json can show it).
  if (!on && isExpression(field.value) && field.kind !== 'json') {
    ctx.edit(field, field.path, undefined, 'discrete');
  }
  ctx.focusLater(field.pointer);
}

/** A "Clear" button for an optional container that is set. */
function clearButton(
  field: FormField,
  ctx: FormViewContext,
  label: string,
): TemplateResult | typeof nothing {
  if (field.required || field.value === undefined || field.extra || typeof field.key === 'number') {
    return nothing;
  }
  return html`<button
    type="button"
    class="small"
    title=${ctx.strings.clearLabel(label)}
    ?disabled=${ctx.readonly}
    @click=${() => ctx.edit(field, field.path, undefined, 'discrete')}
  >
    ${ctx.strings.clear}${context(label)}
  </button>`;
}

function placeholderOf(field: FormField, ctx: FormViewContext): string {
  return field.default === undefined ? '' : ctx.strings.defaultPlaceholder(textOf(field.default));
}

// ---------------------------------------------------------------------------------------------
// Kinds

function renderExpression(
  field: FormField,
  ctx: FormViewContext,
  label: string,
  options: FieldOptions,
): TemplateResult {
  const id = ctx.id(field.pointer);
  const draft = ctx.draft(field.pointer);
  const diagnostics =
    options.hideDiagnostics === true ? [] : (ctx.diagnostics.get(field.pointer) ?? []);
  const text = draft?.text ?? textOf(field.value);
  const multiline =
    field.kind === 'json' ||
    field.kind === 'object' ||
    field.kind === 'array' ||
    (field.kind === 'string' && field.multiline);
  return html`<div class="field kind-${field.kind} expression" data-pointer=${field.pointer}>
    <div class="label-row">
      <label id="${id}-label" for=${id} @click=${() => ctx.focusLater(field.pointer)}
        >${label}${marker(field, ctx)}</label
      >${fxToggle(field, ctx, label, true, options)}${options.tools ?? nothing}
    </div>
    <millrace-expression-field
      id=${id}
      data-focus-key=${field.pointer}
      part="expression-field"
      .value=${text}
      .label=${label}
      .placeholder=${placeholderOf(field, ctx)}
      .completionScope=${ctx.completionScope}
      .previewScope=${ctx.previewScope}
      .diagnostics=${diagnostics.map((d) => ({ message: d.message, severity: d.severity }))}
      .readonly=${ctx.readonly}
      .multiline=${multiline}
      theme=${ctx.theme ?? nothing}
      aria-required=${field.required ? 'true' : nothing}
      aria-invalid=${diagnostics.some((d) => d.severity === 'error') ? 'true' : nothing}
      @value-change=${(e: CustomEvent<{ value: string }>) => {
        e.stopPropagation();
        if (ctx.readonly) return;
        ctx.setDraft(field.pointer, { text: e.detail.value, expression: true });
        ctx.edit(field, field.path, expressionTextValue(field, e.detail.value), 'typing');
      }}
      @value-commit=${(e: Event) => {
        e.stopPropagation();
        ctx.setDraft(field.pointer, undefined);
        ctx.commit(field);
      }}
    ></millrace-expression-field>
    ${
      field.description === undefined
        ? nothing
        : html`<p class="help" id="${id}-help">${field.description}</p>`
    }
    ${ctx.annotate?.(field) ?? nothing}
  </div>`;
}

function renderNumber(
  field: NumberField,
  ctx: FormViewContext,
  label: string,
  options: FieldOptions,
): TemplateResult {
  const id = ctx.id(field.pointer);
  const draft = ctx.draft(field.pointer);
  const d = described(field, ctx, options, draft?.error);
  const min = field.minimum ?? field.exclusiveMinimum;
  const max = field.maximum ?? field.exclusiveMaximum;
  return html`<div class="field kind-${field.kind}" data-pointer=${field.pointer}>
    <div class="label-row">
      <label for=${id}>${label}${marker(field, ctx)}</label
      >${fxToggle(field, ctx, label, false, options)}${options.tools ?? nothing}
    </div>
    <input
      id=${id}
      data-focus-key=${field.pointer}
      type="number"
      inputmode=${field.kind === 'integer' ? 'numeric' : 'decimal'}
      step=${field.kind === 'integer' ? '1' : 'any'}
      min=${min ?? nothing}
      max=${max ?? nothing}
      .value=${live(draft?.text ?? textOf(field.value))}
      placeholder=${placeholderOf(field, ctx)}
      ?disabled=${ctx.readonly}
      aria-required=${field.required ? 'true' : nothing}
      aria-invalid=${d.invalid ? 'true' : nothing}
      aria-describedby=${d.ids === '' ? nothing : d.ids}
      @input=${(e: Event) => {
        const input = e.target as HTMLInputElement;
        const parsed = input.validity.badInput
          ? ({ ok: false, error: 'number' } as const)
          : parseNumberText(input.value, field.kind === 'integer');
        if (!parsed.ok) {
          ctx.setDraft(field.pointer, {
            text: input.value,
            error: ctx.strings.invalidNumber,
            expression: false,
          });
          return;
        }
        ctx.setDraft(field.pointer, { text: input.value, expression: false });
        ctx.edit(field, field.path, parsed.value, 'typing');
      }}
      @blur=${() => leave(field, ctx)}
    />
    ${d.below}
  </div>`;
}

/** The field lost focus: a readable draft is done; an unreadable one stays shown and marked. */
function leave(field: FormField, ctx: FormViewContext): void {
  if (ctx.draft(field.pointer)?.error === undefined) ctx.setDraft(field.pointer, undefined);
  ctx.commit(field);
}

function renderBoolean(
  field: FormField,
  ctx: FormViewContext,
  label: string,
  options: FieldOptions,
): TemplateResult {
  const id = ctx.id(field.pointer);
  const d = described(field, ctx, options);
  const checked = typeof field.value === 'boolean' ? field.value : field.default === true;
  return html`<div class="field kind-boolean" data-pointer=${field.pointer}>
    <div class="check">
      <input
        id=${id}
        data-focus-key=${field.pointer}
        type="checkbox"
        .checked=${live(checked)}
        ?disabled=${ctx.readonly}
        aria-required=${field.required ? 'true' : nothing}
        aria-invalid=${d.invalid ? 'true' : nothing}
        aria-describedby=${d.ids === '' ? nothing : d.ids}
        @change=${(e: Event) =>
          ctx.edit(field, field.path, (e.target as HTMLInputElement).checked, 'discrete')}
      />
      <label for=${id}>${label}${marker(field, ctx)}</label
      >${fxToggle(field, ctx, label, false, options)}${options.tools ?? nothing}
    </div>
    ${d.below}
  </div>`;
}

function renderEnum(
  field: FormField & { kind: 'enum' },
  ctx: FormViewContext,
  label: string,
  options: FieldOptions,
): TemplateResult {
  const id = ctx.id(field.pointer);
  const d = described(field, ctx, options);
  if (field.constant) {
    return html`<div class="field kind-enum constant-field" data-pointer=${field.pointer}>
      <div class="label-row">
        <label for=${id}>${label}${marker(field, ctx)}</label>${options.tools ?? nothing}
      </div>
      <output id=${id} class="constant" aria-describedby=${d.ids === '' ? nothing : d.ids}
        >${field.enumLabels[0]}</output
      >
      ${d.below}
    </div>`;
  }
  const index = field.enumValues.findIndex((v) => sameValue(v, field.value));
  const other = field.value !== undefined && index === -1;
  const defaultIndex = field.enumValues.findIndex((v) => sameValue(v, field.default));
  const empty =
    defaultIndex >= 0
      ? ctx.strings.defaultChoice(field.enumLabels[defaultIndex]!)
      : field.required
        ? ctx.strings.choose
        : ctx.strings.none;
  const selected = other ? 'other' : index === -1 ? '' : String(index);
  return html`<div class="field kind-enum" data-pointer=${field.pointer}>
    <div class="label-row">
      <label for=${id}>${label}${marker(field, ctx)}</label
      >${fxToggle(field, ctx, label, false, options)}${options.tools ?? nothing}
    </div>
    <select
      id=${id}
      data-focus-key=${field.pointer}
      .value=${live(selected)}
      ?disabled=${ctx.readonly}
      aria-required=${field.required ? 'true' : nothing}
      aria-invalid=${d.invalid ? 'true' : nothing}
      aria-describedby=${d.ids === '' ? nothing : d.ids}
      @change=${(e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        if (v === 'other') return;
        ctx.edit(field, field.path, v === '' ? undefined : field.enumValues[Number(v)], 'discrete');
      }}
    >
      ${field.required && index !== -1 ? nothing : html`<option value="" ?selected=${selected === ''}>${empty}</option>`}
      ${field.enumValues.map(
        (_, i) =>
          html`<option value=${String(i)} ?selected=${selected === String(i)}>
            ${field.enumLabels[i]}
          </option>`,
      )}
      ${
        other
          ? html`<option value="other" selected>
              ${ctx.strings.otherValue(textOf(field.value))}
            </option>`
          : nothing
      }
    </select>
    ${d.below}
  </div>`;
}

function renderCode(
  field: FormField & { kind: 'string' },
  ctx: FormViewContext,
  label: string,
  options: FieldOptions,
): TemplateResult {
  const id = ctx.id(field.pointer);
  const d = described(field, ctx, options);
  const draft = ctx.draft(field.pointer);
  return html`<div class="field kind-string code-field" data-pointer=${field.pointer}>
    <div class="label-row">
      <label for=${id}>${label}${marker(field, ctx)}</label>${options.tools ?? nothing}
    </div>
    <textarea
      id=${id}
      data-focus-key=${field.pointer}
      class="code"
      part="code"
      spellcheck="false"
      autocapitalize="off"
      .value=${live(draft?.text ?? textOf(field.value))}
      placeholder=${placeholderOf(field, ctx)}
      ?disabled=${ctx.readonly}
      aria-required=${field.required ? 'true' : nothing}
      aria-invalid=${d.invalid ? 'true' : nothing}
      aria-describedby=${d.ids === '' ? nothing : d.ids}
      @input=${(e: Event) => {
        const text = (e.target as HTMLTextAreaElement).value;
        ctx.setDraft(field.pointer, { text, expression: false });
        ctx.edit(field, field.path, text === '' && !field.required ? undefined : text, 'typing');
      }}
      @blur=${() => leave(field, ctx)}
    ></textarea>
    ${d.below}
  </div>`;
}

function renderJson(
  field: JsonField,
  ctx: FormViewContext,
  label: string,
  options: FieldOptions,
): TemplateResult {
  const id = ctx.id(field.pointer);
  const draft = ctx.draft(field.pointer);
  const d = described(field, ctx, options, draft?.error);
  return html`<div class="field kind-json" data-pointer=${field.pointer}>
    <div class="label-row">
      <label for=${id}>${label}${marker(field, ctx)}</label
      >${fxToggle(field, ctx, label, false, options)}${options.tools ?? nothing}
    </div>
    <textarea
      id=${id}
      data-focus-key=${field.pointer}
      class="json"
      spellcheck="false"
      autocapitalize="off"
      .value=${live(draft?.text ?? textOf(field.value, true))}
      placeholder=${field.default === undefined ? '' : textOf(field.default, false)}
      ?disabled=${ctx.readonly}
      aria-required=${field.required ? 'true' : nothing}
      aria-invalid=${d.invalid ? 'true' : nothing}
      aria-describedby=${d.ids === '' ? nothing : d.ids}
      @input=${(e: Event) => {
        const text = (e.target as HTMLTextAreaElement).value;
        const parsed = parseJsonText(text);
        if (!parsed.ok) {
          ctx.setDraft(field.pointer, { text, error: ctx.strings.invalidJson, expression: false });
          return;
        }
        ctx.setDraft(field.pointer, { text, expression: false });
        ctx.edit(field, field.path, parsed.value, 'typing');
      }}
      @blur=${() => leave(field, ctx)}
    ></textarea>
    ${d.below}
  </div>`;
}

function renderObject(
  field: ObjectField,
  ctx: FormViewContext,
  label: string,
  options: FieldOptions,
): TemplateResult {
  const d = described(field, ctx, options);
  return html`<fieldset
    class="field kind-object"
    part="fieldset"
    data-pointer=${field.pointer}
    aria-describedby=${d.ids === '' ? nothing : d.ids}
  >
    <legend>
      <span>${label}${marker(field, ctx)}</span
      >${fxToggle(field, ctx, label, false, options)}${clearButton(
        field,
        ctx,
        label,
      )}${options.tools ?? nothing}
    </legend>
    ${d.below} ${renderObjectFields(field, ctx, label)}
  </fieldset>`;
}

/** An object's fields, each extra key with a remove button, and an add-property row. */
function renderObjectFields(field: ObjectField, ctx: FormViewContext, label = ''): TemplateResult {
  const visible = field.fields.filter((f) => !f.discriminator);
  return html`<div class="fields">
    ${visible.map((child) =>
      renderFormField(child, ctx, child.extra ? { tools: removeKeyButton(child, ctx) } : {}),
    )}
    ${field.additional === false || field.expression ? nothing : addPropertyRow(field, ctx, label)}
  </div>`;
}

function removeKeyButton(field: FormField, ctx: FormViewContext): TemplateResult {
  return html`<button
    type="button"
    class="small remove-key"
    title=${ctx.strings.removePropertyLabel(String(field.key))}
    ?disabled=${ctx.readonly}
    @click=${() => ctx.edit(field, field.path, undefined, 'discrete')}
  >
    ${ctx.strings.removeProperty}${context(String(field.key))}
  </button>`;
}

function addPropertyRow(field: ObjectField, ctx: FormViewContext, label: string): TemplateResult {
  const id = ctx.id(field.pointer, '-newkey');
  const add = (row: HTMLElement): void => {
    const input = row.querySelector<HTMLInputElement>('input')!;
    const key = input.value.trim();
    if (key === '' || field.fields.some((f) => f.key === key)) {
      input.focus();
      return;
    }
    const additional = field.additional as SchemaObject;
    // A free mapping's new value starts as an empty string (typed as text or an expression).
    const value =
      Object.keys(additional).length === 0 ? '' : defaultValueOf(additional, ctx.schemaRoot);
    input.value = '';
    ctx.edit(field, [...field.path, key], value, 'discrete');
    ctx.focusLater(`${field.pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`);
  };
  return html`<div class="add-row">
    <input
      id=${id}
      type="text"
      aria-label=${ctx.strings.newPropertyName(label)}
      placeholder=${ctx.strings.newPropertyName(label)}
      ?disabled=${ctx.readonly}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key !== 'Enter') return;
        e.preventDefault();
        add((e.target as HTMLElement).parentElement!);
      }}
    />
    <button
      type="button"
      class="small"
      ?disabled=${ctx.readonly}
      @click=${(e: Event) => add((e.target as HTMLElement).closest('.add-row') as HTMLElement)}
    >
      ${ctx.strings.addProperty}
    </button>
  </div>`;
}

function renderArray(
  field: ArrayField,
  ctx: FormViewContext,
  label: string,
  options: FieldOptions,
): TemplateResult {
  const d = described(field, ctx, options);
  const count = field.items.length;
  const canAdd = !ctx.readonly && (field.maxItems === undefined || count < field.maxItems);
  const canRemove = !ctx.readonly && (field.minItems === undefined || count > field.minItems);
  const move = (from: number, to: number): void => {
    const list = [...(field.value as unknown[])];
    const [item] = list.splice(from, 1);
    list.splice(to, 0, item);
    ctx.edit(field, field.path, list, 'discrete');
    ctx.focusLater(`${field.items[to]!.pointer}#${to < from ? 'up' : 'down'}`);
  };
  return html`<fieldset
    class="field kind-array"
    part="fieldset"
    data-pointer=${field.pointer}
    aria-describedby=${d.ids === '' ? nothing : d.ids}
  >
    <legend>
      <span>${label}${marker(field, ctx)}</span
      >${fxToggle(field, ctx, label, false, options)}${clearButton(
        field,
        ctx,
        label,
      )}${options.tools ?? nothing}
    </legend>
    ${d.below}
    ${
      count === 0
        ? nothing
        : html`<ol class="items">
            ${field.items.map((item, i) => {
              const itemLabel = ctx.strings.itemLabel(label, i);
              const tools = html`<span class="item-tools">
                <button
                  type="button"
                  class="small"
                  data-focus-key="${item.pointer}#up"
                  aria-label=${ctx.strings.moveUpLabel(itemLabel)}
                  title=${ctx.strings.moveUp}
                  ?disabled=${ctx.readonly || i === 0}
                  @click=${() => move(i, i - 1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  class="small"
                  data-focus-key="${item.pointer}#down"
                  aria-label=${ctx.strings.moveDownLabel(itemLabel)}
                  title=${ctx.strings.moveDown}
                  ?disabled=${ctx.readonly || i === count - 1}
                  @click=${() => move(i, i + 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  class="small remove-item"
                  title=${ctx.strings.removeItemLabel(itemLabel)}
                  ?disabled=${!canRemove}
                  @click=${() => {
                    ctx.edit(field, item.path, undefined, 'discrete');
                    ctx.focusLater(`${field.pointer}#add`);
                  }}
                >
                  ${ctx.strings.removeItem}${context(itemLabel)}
                </button>
              </span>`;
              return html`<li data-index=${i}>
                ${renderFormField(item, ctx, { label: itemLabel, tools })}
              </li>`;
            })}
          </ol>`
    }
    <div class="add-row">
      <button
        type="button"
        class="small add-item"
        data-focus-key="${field.pointer}#add"
        ?disabled=${!canAdd}
        @click=${() => {
          const value = defaultValueOf(field.itemSchema, ctx.schemaRoot);
          ctx.edit(field, [...field.path, count], value, 'discrete');
          ctx.focusLater(`${field.pointer}/${count}`);
        }}
      >
        ${ctx.strings.addItem}
      </button>
    </div>
  </fieldset>`;
}

function renderOneOf(
  field: OneOfField,
  ctx: FormViewContext,
  label: string,
  options: FieldOptions,
): TemplateResult {
  // The variant's own control may sit at the same pointer: the picker takes other ids.
  const id = ctx.id(field.pointer, '-choice');
  const d = described(field, ctx, options, undefined, id);
  const sub = field.field;
  const selected = field.selected === -1 ? '' : String(field.selected);
  const title = (i: number): string => field.variants[i]!.title ?? ctx.strings.variant(i + 1);
  return html`<div class="field kind-oneOf" data-pointer=${field.pointer}>
    <div class="label-row">
      <label for=${id} id="${id}-label">${label}${marker(field, ctx)}</label>${fxToggle(
        field,
        ctx,
        label,
        false,
        options,
      )}${options.tools ?? nothing}
    </div>
    <select
      id=${id}
      data-focus-key="${field.pointer}#variant"
      .value=${live(selected)}
      ?disabled=${ctx.readonly}
      aria-required=${field.required ? 'true' : nothing}
      aria-invalid=${d.invalid ? 'true' : nothing}
      aria-describedby=${d.ids === '' ? nothing : d.ids}
      @change=${(e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        const value =
          v === '' ? undefined : defaultValueOf(field.variants[Number(v)]!.schema, ctx.schemaRoot);
        ctx.edit(field, field.path, value, 'discrete');
      }}
    >
      ${
        field.required && field.selected !== -1
          ? nothing
          : html`<option value="" ?selected=${selected === ''}>
              ${field.required ? ctx.strings.choose : ctx.strings.none}
            </option>`
      }
      ${field.variants.map(
        (_, i) =>
          html`<option value=${String(i)} ?selected=${selected === String(i)}>${title(i)}</option>`,
      )}
    </select>
    ${d.below}
    ${
      sub === undefined
        ? nothing
        : sub.kind === 'object' && !inExpressionMode(sub, ctx)
          ? html`<div class="variant" role="group" aria-labelledby="${id}-label">
              ${renderObjectFields(sub, ctx, label)}
            </div>`
          : html`<div class="variant">
              ${renderFormField(sub, ctx, {
                label: field.selected === -1 ? label : title(field.selected),
                hideDiagnostics: true,
                noToggle: true,
              })}
            </div>`
    }
  </div>`;
}

/**
 * What a short button is about, for screen readers only ("Remove item" of which item): the
 * accessible name starts with the visible text (WCAG 2.5.3, axe label-content-name-mismatch).
 */
function context(label: string): TemplateResult {
  return html`<span class="vh"> (${label})</span>`;
}

function sameValue(a: unknown, b: unknown): boolean {
  return (
    a === b || (a !== null && typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b))
  );
}
