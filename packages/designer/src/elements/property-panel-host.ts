import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import {
  indexFlow,
  type ActionCatalog,
  type Diagnostic,
  type FlowDefinition,
  type RunView,
} from '@millrace/engine/model';
import type { EditTarget } from '../core/flow-edit.ts';
import { locate } from '../core/flow-graphs.ts';
import { completionScopeFor, previewScopeOf } from '../core/completion-scope.ts';
import type { PropertyPanelStrings, PropertyRenderer } from '../panels/property-panel.ts';

/** What the panel host needs of its designer. */
export interface PanelHost {
  readonly element: ReactiveControllerHost & HTMLElement;
  flow(): FlowDefinition | undefined;
  catalog(): ActionCatalog | undefined;
  editable(): boolean;
  diagnostics(): readonly Diagnostic[];
  run(): RunView | undefined;
  theme(): 'light' | 'dark' | undefined;
  strings(): Partial<PropertyPanelStrings>;
  renderers(): { readonly [type: string]: PropertyRenderer };
  /** A field edit: the designer runs it as a `setProperty` command (a burst per `coalesce`). */
  edit(
    target: EditTarget,
    path: readonly (string | number)[],
    value: unknown,
    coalesce: string,
  ): void;
  /** A field lost focus: its typing burst ends. */
  commit(): void;
  focusNode(id: string): void;
}

/**
 * The property panel of the opened step or trigger, drawn beside the canvas. The panel's code
 * (its form renderer, CodeMirror behind its expression fields) is loaded on first open, so a
 * designer that only shows flows never loads it.
 */
export class PropertyPanelHost implements ReactiveController {
  /** The step or trigger whose panel is open. */
  target: EditTarget | undefined;
  private loaded: Promise<void> | undefined;
  private ready = false;

  constructor(private readonly host: PanelHost) {
    host.element.addController(this);
  }

  hostConnected(): void {}

  /** Opens the panel of a step (or `trigger:<id>` card); loads the panel's code first time. */
  open(cardId: string): void {
    if (!this.host.editable()) return;
    const flow = this.host.flow();
    if (!flow) return;
    const trigger = cardId.startsWith('trigger:') ? cardId.slice(8) : undefined;
    if (trigger !== undefined) {
      if (!flow.triggers?.some((t) => t.id === trigger)) return;
      this.target = { kind: 'trigger', id: trigger };
    } else {
      if (!locate(flow, cardId)) return;
      this.target = { kind: 'node', id: cardId };
    }
    this.loaded ??= import('../panels/property-panel.ts').then((m) => {
      m.definePropertyPanel();
      this.ready = true;
    });
    void this.loaded.then(() => this.host.element.requestUpdate());
    this.host.element.requestUpdate();
  }

  /** Closes the panel; true when it was open. */
  close(): boolean {
    if (!this.target) return false;
    const id = this.target.kind === 'trigger' ? `trigger:${this.target.id}` : this.target.id;
    this.target = undefined;
    this.host.element.requestUpdate();
    this.host.focusNode(id);
    return true;
  }

  /** Resolves once the panel's code is loaded and the open panel drawn. */
  get panelReady(): Promise<void> {
    return (this.loaded ?? Promise.resolve())
      .then(() => this.host.element.updateComplete)
      .then(() => undefined);
  }

  render() {
    const target = this.target;
    const flow = this.host.flow();
    if (!target || !flow || !this.host.editable()) return nothing;
    let node;
    let pointer: string;
    if (target.kind === 'trigger') {
      const i = (flow.triggers ?? []).findIndex((t) => t.id === target.id);
      node = flow.triggers?.[i];
      pointer = `/triggers/${i}`;
    } else {
      const info = indexFlow(flow).nodes.get(target.id);
      node = info?.node;
      pointer = info?.pointer ?? '';
    }
    // The step was removed (an undo, a delete): nothing to show.
    if (!node) return nothing;
    if (!this.ready) return html`<div class="panel-overlay panel-loading" aria-busy="true"></div>`;
    const run = this.host.run();
    // The host's own editor for this type (`<div slot="editor-slack.post">` in the designer)
    // is passed on to the panel's slot of that name.
    const slotName =
      target.kind === 'trigger'
        ? `editor-trigger-${(node as { kind: string }).kind}`
        : `editor-${(node as { type: string }).type}`;
    return html`<millrace-property-panel
      class="panel-overlay"
      .node=${node}
      node-kind=${target.kind}
      .catalog=${this.host.catalog()}
      .diagnostics=${this.host.diagnostics()}
      pointer=${pointer}
      .completionScope=${target.kind === 'node' ? completionScopeFor(flow, target.id, this.host.catalog(), run) : undefined}
      .previewScope=${previewScopeOf(run)}
      .strings=${this.host.strings()}
      .renderers=${this.host.renderers()}
      theme=${this.host.theme() ?? nothing}
      @property-edit=${(
        e: CustomEvent<{ path: (string | number)[]; value: unknown; coalesce: string }>,
      ) => this.host.edit(target, e.detail.path, e.detail.value, e.detail.coalesce)}
      @property-commit=${() => this.host.commit()}
      @panel-close=${() => this.close()}
    >
      ${slotName === undefined ? nothing : html`<slot name=${slotName} slot=${slotName}></slot>`}
    </millrace-property-panel>`;
  }
}
