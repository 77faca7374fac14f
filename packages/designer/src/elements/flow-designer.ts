import { LitElement, html } from 'lit';
import { property } from 'lit/decorators.js';
import { designerStyles } from '../styles/designer-styles.ts';

/** The part of a flow definition this element reads so far. */
export interface FlowLike {
  readonly id?: string;
  readonly name?: string;
  readonly nodes?: readonly unknown[];
}

/** Replaceable user-facing strings (i18n). */
export interface DesignerStrings {
  readonly untitled: string;
  readonly noFlow: string;
  readonly nodeCount: (n: number) => string;
}

export const DEFAULT_STRINGS: DesignerStrings = {
  untitled: 'Untitled flow',
  noFlow: 'No flow loaded.',
  nodeCount: (n) => (n === 1 ? '1 node' : `${n} nodes`),
};

/**
 * The `<flow-designer>` element. Not registered by itself: `define()` registers a fresh
 * subclass per tag name, because one class cannot be defined under two tags.
 */
export class FlowDesignerBase extends LitElement {
  static override styles = designerStyles;

  /** The flow to show (a `millrace.flow/v1` document). */
  @property({ attribute: false }) flow: FlowLike | undefined = undefined;

  /** Replaces any of the default strings. */
  @property({ attribute: false }) strings: Partial<DesignerStrings> = {};

  @property({ type: Boolean, reflect: true }) readonly = false;

  private get text(): DesignerStrings {
    return { ...DEFAULT_STRINGS, ...this.strings };
  }

  override render() {
    const flow = this.flow;
    if (!flow) return html`<div class="empty" part="empty">${this.text.noFlow}</div>`;
    const count = flow.nodes?.length ?? 0;
    return html`
      <section part="canvas" role="region" aria-label=${flow.name ?? this.text.untitled}>
        <header part="toolbar">${flow.name ?? this.text.untitled}</header>
        <div class="empty">${this.text.nodeCount(count)}</div>
      </section>
    `;
  }
}
