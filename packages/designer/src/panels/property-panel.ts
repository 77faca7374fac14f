import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  BUILTIN_ACTIONS,
  catalogMap,
  type ActionCatalog,
  type ActionDescriptor,
  type CompletionScope,
  type Diagnostic,
  type FlowNode,
  type JsonSchema,
  type Trigger,
  type TriggerKind,
} from '@millrace/engine';
import {
  diagnosticsAt,
  fieldPointers,
  formFieldsOf,
  planEdit,
  valueAt,
  type FieldPath,
  type FormField,
} from '../core/schema-form.ts';
import {
  DEFAULT_NODE_SETTINGS_TEXT,
  nodeSettingsSchema,
  scheduleDiagnostics,
  triggerSchemas,
  type NodeSettingsText,
} from '../core/node-settings.ts';
import {
  DEFAULT_CONTROL_TEXT,
  nodeFormSections,
  type ControlText,
  type FormSection,
} from '../core/control-schemas.ts';
import { describeCron } from '../core/cron-description.ts';
import { propertyPanelStyles } from '../styles/property-panel-styles.ts';
import { defineExpressionField } from './expression-field.ts';
import {
  DEFAULT_SCHEMA_FORM_STRINGS,
  renderFormField,
  type FieldDraft,
  type FormViewContext,
  type SchemaFormStrings,
} from './schema-form-view.ts';

/** Every user-facing text of the property panel (i18n); the designer merges it into its own. */
export interface PropertyPanelStrings extends SchemaFormStrings, NodeSettingsText, ControlText {
  /** The panel landmark's accessible name. */
  readonly propertiesLabel: string;
  readonly close: string;
  readonly name: string;
  readonly description: string;
  readonly settings: string;
  /** The settings summary's count of problems inside (shown when the section is closed). */
  readonly settingsProblems: (n: number) => string;
  /** The list of diagnostics of the node that no field claims. */
  readonly problems: string;
  readonly nothingSelected: string;
  readonly noInput: string;
  /** The line under the heading: the action's title (or trigger kind) and the id. */
  readonly typeLine: (typeTitle: string, id: string) => string;
  readonly triggerKind: (kind: TriggerKind | string) => string;
  /** Words for a cron string under the schedule's cron field; undefined shows nothing. */
  readonly cronDescription: (cron: string, timezone: string | undefined) => string | undefined;
}

const TRIGGER_KINDS: Readonly<Record<string, string>> = {
  manual: 'Manual trigger',
  schedule: 'Schedule',
  webhook: 'Webhook',
  event: 'Event trigger',
};

export const DEFAULT_PROPERTY_PANEL_STRINGS: PropertyPanelStrings = {
  ...DEFAULT_SCHEMA_FORM_STRINGS,
  ...DEFAULT_NODE_SETTINGS_TEXT,
  ...DEFAULT_CONTROL_TEXT,
  propertiesLabel: 'Properties',
  close: 'Close properties',
  name: 'Name',
  description: 'Description',
  settings: 'Settings',
  settingsProblems: (n) => (n === 1 ? '1 problem' : `${n} problems`),
  problems: 'Problems',
  nothingSelected: 'Select a step or a trigger to see its properties.',
  noInput: 'This step has no input to set.',
  typeLine: (title, id) => `${title} · ${id}`,
  triggerKind: (kind) => TRIGGER_KINDS[kind] ?? kind,
  cronDescription: (cron, timezone) => {
    const words = describeCron(cron);
    return words === undefined ? undefined : `${words} (${timezone ?? 'UTC'})`;
  },
};

/** Options of an edit made by a host renderer. */
export interface PropertyEditOptions {
  /** Edits with the same string merge into one undo step (default: the path's pointer). */
  readonly coalesce?: string;
}

/** What a host renderer gets to draw (and edit) a node type's input. */
export interface PropertyRendererContext {
  readonly node: FlowNode | Trigger;
  readonly descriptor: ActionDescriptor | undefined;
  readonly readonly: boolean;
  readonly strings: PropertyPanelStrings;
  /** Emits `property-edit` (path relative to the node; `undefined` removes). No-op when readonly. */
  edit(path: FieldPath, value: unknown, options?: PropertyEditOptions): void;
  /** Emits `property-commit` (a typing burst ended). */
  commit(path: FieldPath): void;
}

/** A host's replacement for the generated input form of one node type. */
export type PropertyRenderer = (ctx: PropertyRendererContext) => TemplateResult | HTMLElement;

/** Detail of `property-edit`. */
export interface PropertyEditDetail {
  /** Relative to the node: `['input', 'url']`, `['retry', 'maxAttempts']`, `['name']`. */
  readonly path: FieldPath;
  /** The new value; `undefined` removes the key (an array index is spliced out). */
  readonly value: unknown;
  /** The same string for a burst of typing in one field (the field's pointer in the flow). */
  readonly coalesce: string;
}

/** Detail of `property-commit`. */
export interface PropertyCommitDetail {
  readonly path: FieldPath;
}

interface Draft {
  readonly draft: FieldDraft;
  readonly path: FieldPath;
  /** The value the last edit of this draft emitted (`has`: one was emitted). */
  readonly emitted?: { readonly value: unknown };
}

interface BuiltSection {
  readonly section: FormSection;
  readonly form: FormField;
}

const BUILTINS = catalogMap(BUILTIN_ACTIONS);

/**
 * `<millrace-property-panel>`: the properties of one flow node or trigger, as a form generated
 * from the action's input JSON Schema (the catalog's `inputSchema`; control nodes, `code` and
 * triggers use the schemas of `core/control-schemas.ts` and `core/node-settings.ts`), plus its
 * name, description and a collapsible "Settings" section (retry, timeout, skip, cache,
 * compensation, join). It never changes `node`: every edit is an event the host applies.
 *
 * Properties: `node`, `nodeKind` (`node` | `trigger`), `descriptor` (else looked up in
 * `catalog`, then the built-ins), `catalog` (also the compensation action picker),
 * `diagnostics` (all of the flow's; those under `pointer` show at their fields, the rest of
 * the node's at the top), `pointer` (the node's JSON pointer in the flow: `/nodes/3`,
 * `/triggers/0`), `completionScope` / `previewScope` (passed to the expression fields),
 * `readonly`, `strings` (any of `PropertyPanelStrings`), `theme`, `renderers`.
 *
 * Events (on the element only: they stay inside the designer): `property-edit` (`PropertyEditDetail`), `property-commit`
 * (`{ path }`, when a field loses focus: the end of a typing burst), `panel-close` (the close
 * button or Escape).
 *
 * Replacing the generated input form for a node type (name, description and settings stay):
 * - `renderers`: `{ [type]: (ctx) => TemplateResult | HTMLElement }`, where `ctx` has `node`,
 *   `descriptor`, `readonly`, `strings`, `edit(path, value, options?)` and `commit(path)`;
 *   triggers are keyed `trigger:<kind>` (`trigger:schedule`).
 * - the slot `editor-<type>` (`editor-slack.post`; triggers `editor-trigger-<kind>`): when the
 *   host puts an element into it, the slot's content replaces the form (and wins over a
 *   renderer). Slotted editors dispatch their own `property-edit` events.
 *
 * Theme: the designer's custom properties `--flow-designer-*` (bg, fg, muted, border, card-bg,
 * accent, error, warning, info, font, mono, space, radius-small), light by default, dark under
 * `prefers-color-scheme: dark` unless `theme="light"`, or with `theme="dark"`.
 *
 * CSS parts: `panel`, `header`, `close-button`, `problems`, `settings`, `fieldset`,
 * `expression-field`, `expression-toggle`, `code`, `field-messages`.
 */
export class PropertyPanel extends LitElement {
  static override styles = propertyPanelStyles;

  /** The node (or trigger) to edit; nothing is shown without one. */
  @property({ attribute: false }) node: FlowNode | Trigger | undefined = undefined;

  /** Whether `node` is a flow node or a trigger. */
  @property({ attribute: 'node-kind' }) nodeKind: 'node' | 'trigger' = 'node';

  /** The node type's catalog entry; looked up in `catalog` and the built-ins when unset. */
  @property({ attribute: false }) descriptor: ActionDescriptor | undefined = undefined;

  /** The host's actions (descriptor lookup and the compensation action picker). */
  @property({ attribute: false }) catalog: ActionCatalog | undefined = undefined;

  /** All the flow's diagnostics; those under `pointer` are shown. */
  @property({ attribute: false }) diagnostics: readonly Diagnostic[] = [];

  /** The node's JSON pointer in the flow (`/nodes/3`, `/nodes/2/nodes/0`, `/triggers/0`). */
  @property() pointer = '';

  /** Passed to every expression field (completion of roots, nodes, outputs). */
  @property({ attribute: false }) completionScope: CompletionScope | undefined = undefined;

  /** Passed to every expression field (preview on a run's sample data). */
  @property({ attribute: false }) previewScope: Readonly<Record<string, unknown>> | undefined =
    undefined;

  /** Shows everything disabled; no edit events. */
  @property({ type: Boolean, reflect: true }) readonly = false;

  /** Replaces any of the default strings. */
  @property({ attribute: false }) strings: Partial<PropertyPanelStrings> = {};

  /** `light`, `dark`, or unset to follow the page's prefers-color-scheme. */
  @property({ reflect: true }) theme: 'light' | 'dark' | undefined = undefined;

  /** Host editors replacing the generated input form, by node type (`trigger:<kind>`). */
  @property({ attribute: false }) renderers: { readonly [type: string]: PropertyRenderer } = {};

  /** The settings section is open. */
  @state() private settingsOpen = false;
  /** The host put an element into the `editor-<type>` slot. */
  @state() private slotted = false;

  private drafts = new Map<string, Draft>();
  private choices = new Map<string, boolean>();
  private pendingFocus: string | undefined;
  private identity = '';
  /** Problems inside the settings section at the last update. */
  private settingsProblems = 0;
  private discreteSeq = 0;
  private settingsSchemaMemo:
    { catalog: ActionCatalog | undefined; strings: unknown; schema: JsonSchema } | undefined;
  private cronMemo: { key: string; list: Diagnostic[] } | undefined;

  // Computed in willUpdate from the properties.
  private s: PropertyPanelStrings = DEFAULT_PROPERTY_PANEL_STRINGS;
  private sections: BuiltSection[] = [];
  private settingsForm: BuiltSection | undefined;
  private byField: ReadonlyMap<string, readonly Diagnostic[]> = new Map();

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.s = { ...DEFAULT_PROPERTY_PANEL_STRINGS, ...this.strings };
    const node = this.node;
    const identity = node === undefined ? '' : `${this.nodeKind}:${node.id}:${this.pointer}`;
    if (identity !== this.identity) {
      this.identity = identity;
      this.drafts.clear();
      this.choices.clear();
      this.pendingFocus = undefined;
      this.settingsOpen = false;
      this.settingsProblems = 0;
    } else if (changed.has('node')) {
      this.dropStaleDrafts();
    }
    this.sections = [];
    this.settingsForm = undefined;
    if (node === undefined) {
      this.byField = new Map();
      return;
    }
    if (this.nodeKind === 'trigger') {
      const schema = triggerSchemas(this.s)[(node as Trigger).kind] ?? { type: 'object' };
      const section: FormSection = { path: [], schema };
      this.sections = [{ section, form: formFieldsOf(schema, node, { path: [], partial: true }) }];
    } else {
      const type = (node as FlowNode).type;
      this.sections = nodeFormSections(type, this.resolvedDescriptor(), this.s).map((section) => ({
        section,
        form: formFieldsOf(section.schema, valueAt(node, section.path), {
          path: section.path,
          partial: section.path.length === 0,
          ...(section.label === undefined ? {} : { label: section.label }),
        }),
      }));
      const schema = this.settingsSchema();
      this.settingsForm = {
        section: { path: [], schema },
        form: formFieldsOf(schema, node, { path: [], partial: true }),
      };
    }
    const pointers = ['/name', '/description'];
    for (const built of [...this.sections, ...(this.settingsForm ? [this.settingsForm] : [])]) {
      pointers.push(...fieldPointers(built.form));
    }
    this.byField = diagnosticsAt(this.allDiagnostics(), this.pointer, pointers);
    // A problem in the closed settings section would go unseen: open it when one appears.
    const problems = this.settingsProblemCount();
    if (problems > this.settingsProblems) this.settingsOpen = true;
    this.settingsProblems = problems;
  }

  protected override updated(): void {
    const key = this.pendingFocus;
    if (key === undefined) return;
    const target = this.renderRoot.querySelector<HTMLElement>(
      `[data-focus-key="${CSS.escape(key)}"]`,
    );
    if (target !== null) {
      this.pendingFocus = undefined;
      target.focus();
    }
  }

  /** The descriptor shown: the property, else the catalog's, else the built-in one. */
  private resolvedDescriptor(): ActionDescriptor | undefined {
    if (this.descriptor !== undefined) return this.descriptor;
    const node = this.node;
    if (node === undefined || this.nodeKind !== 'node') return undefined;
    const type = (node as FlowNode).type;
    return catalogMap(this.catalog).get(type) ?? BUILTINS.get(type);
  }

  private settingsSchema(): JsonSchema {
    const memo = this.settingsSchemaMemo;
    if (memo !== undefined && memo.catalog === this.catalog && memo.strings === this.strings) {
      return memo.schema;
    }
    const schema = nodeSettingsSchema({
      ...(this.catalog === undefined ? {} : { catalog: this.catalog }),
      text: this.s,
    });
    this.settingsSchemaMemo = { catalog: this.catalog, strings: this.strings, schema };
    return schema;
  }

  /**
   * The flow's diagnostics, plus the engine's check of a schedule's cron as it is typed (the
   * host validates the flow again later; until then the field is already marked).
   */
  private allDiagnostics(): readonly Diagnostic[] {
    const node = this.node;
    if (
      this.nodeKind !== 'trigger' ||
      node === undefined ||
      (node as Trigger).kind !== 'schedule'
    ) {
      return this.diagnostics;
    }
    const trigger = node as Trigger & { cron?: unknown; timezone?: unknown };
    const key = JSON.stringify([trigger.cron, trigger.timezone, this.pointer]);
    if (this.cronMemo?.key !== key) {
      this.cronMemo = { key, list: scheduleDiagnostics(trigger, this.pointer) };
    }
    const own = this.cronMemo.list.filter(
      (mine) => !this.diagnostics.some((d) => d.code === mine.code && d.path === mine.path),
    );
    return own.length === 0 ? this.diagnostics : [...this.diagnostics, ...own];
  }

  private settingsProblemCount(): number {
    const form = this.settingsForm?.form;
    if (form === undefined) return 0;
    let n = 0;
    for (const pointer of fieldPointers(form)) {
      if (pointer !== '') n += this.byField.get(pointer)?.length ?? 0;
    }
    return n;
  }

  /** Drafts whose field the host changed to something else (undo) give way to the value. */
  private dropStaleDrafts(): void {
    for (const [pointer, entry] of this.drafts) {
      if (entry.emitted === undefined) continue;
      if (!sameJson(valueAt(this.node, entry.path), entry.emitted.value))
        this.drafts.delete(pointer);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Events

  private emitEdit(path: FieldPath, value: unknown, coalesce: string): void {
    if (this.readonly) return;
    this.dispatchEvent(
      new CustomEvent<PropertyEditDetail>('property-edit', {
        detail: { path, value, coalesce },
      }),
    );
  }

  private emitCommit(path: FieldPath): void {
    if (this.readonly) return;
    this.dispatchEvent(
      new CustomEvent<PropertyCommitDetail>('property-commit', {
        detail: { path },
      }),
    );
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent('panel-close'));
  }

  private onKeydown(e: KeyboardEvent): void {
    // An open completion list or select handles its own Escape (and prevents the default).
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      this.close();
    }
  }

  private onSlotChange(e: Event): void {
    const slot = e.target as HTMLSlotElement;
    this.slotted = slot.assignedElements({ flatten: true }).length > 0;
  }

  // -------------------------------------------------------------------------------------------
  // Contexts

  private viewContext(built: BuiltSection): FormViewContext {
    const s = this.s;
    return {
      strings: s,
      readonly: this.readonly,
      theme: this.theme,
      completionScope: this.completionScope,
      previewScope: this.previewScope,
      diagnostics: this.byField,
      schemaRoot: built.section.schema,
      id: (pointer, suffix = '') => fieldId(pointer) + suffix,
      draft: (pointer) => this.drafts.get(pointer)?.draft,
      setDraft: (pointer, draft) => {
        if (draft === undefined) this.drafts.delete(pointer);
        else {
          const previous = this.drafts.get(pointer);
          this.drafts.set(pointer, {
            draft,
            path: previous?.path ?? [],
            ...(previous?.emitted === undefined ? {} : { emitted: previous.emitted }),
          });
        }
        this.requestUpdate();
      },
      expressionChoice: (pointer) => this.choices.get(pointer),
      setExpressionChoice: (pointer, on) => {
        this.choices.set(pointer, on);
        this.requestUpdate();
      },
      edit: (source, path, value, how) => {
        if (this.readonly) return;
        const planned = planEdit(built.form, path, value, built.section.schema);
        const coalesce =
          how === 'typing'
            ? this.pointer + source.pointer
            : `${this.pointer}${source.pointer}#${++this.discreteSeq}`;
        if (how === 'typing') {
          const entry = this.drafts.get(source.pointer);
          if (entry !== undefined) {
            this.drafts.set(source.pointer, { ...entry, path, emitted: { value } });
          }
        }
        this.emitEdit(planned.path, planned.value, coalesce);
      },
      commit: (source) => this.emitCommit(source.path),
      annotate: (field) => this.cronDescription(field),
      focusLater: (key) => {
        this.pendingFocus = key;
        this.requestUpdate();
      },
    };
  }

  private rendererContext(): PropertyRendererContext {
    return {
      node: this.node!,
      descriptor: this.resolvedDescriptor(),
      readonly: this.readonly,
      strings: this.s,
      edit: (path, value, options = {}) =>
        this.emitEdit(path, value, options.coalesce ?? this.pointer + pointerOf(path)),
      commit: (path) => this.emitCommit(path),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Rendering

  protected override render() {
    const node = this.node;
    const s = this.s;
    // A region, not complementary: inside the designer (itself a region) a complementary
    // landmark would not be top-level.
    return html`<aside
      class="panel"
      part="panel"
      role="region"
      aria-label=${s.propertiesLabel}
      @keydown=${this.onKeydown}
    >
      ${
        node === undefined
          ? html`<header part="header">
              <div class="titles"><p class="empty">${s.nothingSelected}</p></div>
              ${this.renderClose()}
            </header>`
          : this.renderNode(node)
      }
    </aside>`;
  }

  private renderClose(): TemplateResult {
    return html`<button
      type="button"
      class="close"
      part="close-button"
      aria-label=${this.s.close}
      title=${this.s.close}
      @click=${this.close}
    >
      <span aria-hidden="true">×</span>
    </button>`;
  }

  private renderNode(node: FlowNode | Trigger): TemplateResult {
    const s = this.s;
    const trigger = this.nodeKind === 'trigger';
    const type = trigger ? `trigger:${(node as Trigger).kind}` : (node as FlowNode).type;
    const typeTitle = trigger
      ? s.triggerKind((node as Trigger).kind)
      : (this.resolvedDescriptor()?.title ?? (node as FlowNode).type);
    const slotName = trigger ? `editor-trigger-${(node as Trigger).kind}` : `editor-${type}`;
    const renderer = this.renderers[type];
    const leftovers = this.byField.get('') ?? [];
    return html`<header part="header">
        <div class="titles">
          <h2>${node.name === undefined || node.name === '' ? node.id : node.name}</h2>
          <div class="type">${s.typeLine(typeTitle, node.id)}</div>
        </div>
        ${this.renderClose()}
      </header>
      ${
        leftovers.length === 0
          ? nothing
          : html`<ul class="problems" part="problems" aria-label=${s.problems}>
              ${leftovers.map((d) => messageItem(d))}
            </ul>`
      }
      ${this.renderText(['name'], s.name, node.name, node.id, false)}
      ${
        trigger
          ? nothing
          : this.renderText(
              ['description'],
              s.description,
              (node as FlowNode).description,
              '',
              true,
            )
      }
      <div class="host-editor" ?hidden=${!this.slotted}>
        <slot name=${slotName} @slotchange=${this.onSlotChange}></slot>
      </div>
      ${
        this.slotted
          ? nothing
          : renderer !== undefined
            ? html`<div class="section custom-editor">${renderer(this.rendererContext())}</div>`
            : this.sections.map((built) => this.renderSection(built))
      }
      ${trigger ? nothing : this.renderSettings()}`;
  }

  /** The name and description: plain text (not templates). */
  private renderText(
    path: FieldPath,
    label: string,
    value: string | undefined,
    placeholder: string,
    multiline: boolean,
  ): TemplateResult {
    const pointer = pointerOf(path);
    const id = fieldId(pointer);
    const diagnostics = this.byField.get(pointer) ?? [];
    const draft = this.drafts.get(pointer)?.draft;
    const text = draft?.text ?? value ?? '';
    const onInput = (e: Event): void => {
      const next = (e.target as HTMLInputElement | HTMLTextAreaElement).value;
      this.drafts.set(pointer, {
        draft: { text: next, expression: false },
        path,
        emitted: { value: next === '' ? undefined : next },
      });
      this.emitEdit(path, next === '' ? undefined : next, this.pointer + pointer);
    };
    const onBlur = (): void => {
      this.drafts.delete(pointer);
      this.emitCommit(path);
      this.requestUpdate();
    };
    const described = diagnostics.length === 0 ? nothing : `${id}-msg`;
    const invalid = diagnostics.some((d) => d.severity === 'error') ? 'true' : nothing;
    return html`<div class="field kind-text" data-pointer=${pointer}>
      <div class="label-row"><label for=${id}>${label}</label></div>
      ${
        multiline
          ? html`<textarea
              id=${id}
              data-focus-key=${pointer}
              .value=${live(text)}
              ?disabled=${this.readonly}
              aria-invalid=${invalid}
              aria-describedby=${described}
              @input=${onInput}
              @blur=${onBlur}
            ></textarea>`
          : html`<input
              id=${id}
              data-focus-key=${pointer}
              type="text"
              .value=${live(text)}
              placeholder=${placeholder}
              ?disabled=${this.readonly}
              aria-invalid=${invalid}
              aria-describedby=${described}
              @input=${onInput}
              @blur=${onBlur}
            />`
      }
      ${
        diagnostics.length === 0
          ? nothing
          : html`<ul class="messages" id="${id}-msg" part="field-messages">
              ${diagnostics.map((d) => messageItem(d))}
            </ul>`
      }
    </div>`;
  }

  private renderSection(built: BuiltSection): TemplateResult {
    const { section, form } = built;
    const ctx = this.viewContext(built);
    const rootMessages = form.pointer === '' ? [] : (this.byField.get(form.pointer) ?? []);
    const empty = form.kind === 'object' && form.fields.length === 0 && form.additional === false;
    return html`<div class="section" data-pointer=${form.pointer}>
      ${section.label === undefined ? nothing : html`<h3>${section.label}</h3>`}
      ${
        rootMessages.length === 0
          ? nothing
          : html`<ul class="messages" part="field-messages">
              ${rootMessages.map((d) => messageItem(d))}
            </ul>`
      }
      ${
        empty && this.nodeKind === 'node'
          ? html`<p class="empty">${this.s.noInput}</p>`
          : renderFormField(form, ctx, { root: true })
      }
    </div>`;
  }

  /** Words for a schedule's cron, under the cron field (not while it has a problem). */
  private cronDescription(field: FormField): TemplateResult | typeof nothing {
    const node = this.node as (Trigger & { cron?: unknown; timezone?: unknown }) | undefined;
    if (this.nodeKind !== 'trigger' || node?.kind !== 'schedule' || field.pointer !== '/cron') {
      return nothing;
    }
    if (typeof node.cron !== 'string' || (this.byField.get('/cron')?.length ?? 0) > 0) {
      return nothing;
    }
    const words = this.s.cronDescription(
      node.cron,
      typeof node.timezone === 'string' && node.timezone !== '' ? node.timezone : undefined,
    );
    return words === undefined ? nothing : html`<p class="help cron-description">${words}</p>`;
  }

  private renderSettings(): TemplateResult | typeof nothing {
    const built = this.settingsForm;
    if (built === undefined) return nothing;
    const problems = this.settingsProblemCount();
    return html`<details
      class="settings"
      part="settings"
      .open=${this.settingsOpen}
      @toggle=${(e: Event) => (this.settingsOpen = (e.target as HTMLDetailsElement).open)}
    >
      <summary>
        ${this.s.settings}${
          problems === 0 || this.settingsOpen
            ? nothing
            : html` <span class="description-text">(${this.s.settingsProblems(problems)})</span>`
        }
      </summary>
      ${renderFormField(built.form, this.viewContext(built), { root: true })}
    </details>`;
  }
}

function messageItem(d: Diagnostic): TemplateResult {
  const glyph = d.severity === 'error' ? '×' : d.severity === 'warning' ? '!' : 'i';
  return html`<li class=${d.severity} data-severity=${d.severity} data-code=${d.code}>
    <span class="glyph" aria-hidden="true">${glyph}</span><span>${d.message}</span>
  </li>`;
}

function pointerOf(path: FieldPath): string {
  return path.map((s) => '/' + String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

/** An id unique per pointer in the shadow root (ids cannot hold `/` and stay readable). */
function fieldId(pointer: string): string {
  return 'f' + pointer.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

declare global {
  interface HTMLElementTagNameMap {
    'millrace-property-panel': PropertyPanel;
  }
}

/**
 * Registers the property panel under `tag` (and the expression field it uses) and returns the
 * class; a second call returns the class already registered. Each tag gets a fresh subclass.
 *
 * @example
 * definePropertyPanel();
 * html`<millrace-property-panel .node=${node} pointer="/nodes/0"></millrace-property-panel>`;
 */
export function definePropertyPanel(tag = 'millrace-property-panel'): typeof PropertyPanel {
  defineExpressionField();
  const existing = customElements.get(tag);
  if (existing !== undefined) {
    if (existing === PropertyPanel || existing.prototype instanceof PropertyPanel) {
      return existing as typeof PropertyPanel;
    }
    throw new Error(
      `Cannot define <${tag}>: the tag is already taken by another element. Pass another tag name to definePropertyPanel().`,
    );
  }
  const element = class extends PropertyPanel {};
  customElements.define(tag, element);
  return element;
}
