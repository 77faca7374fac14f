import { LitElement, css, html, nothing, svg } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  bestMatch,
  filterPalette,
  type PaletteGroup,
  type PaletteItem,
} from '../core/palette-items.ts';
import { nodeIconOf, type NodeIcon } from '../core/node-icon.ts';
import { renderIcon } from './node-card.ts';
import { CLOSE_ICON, toolIconStyles } from './tool-icons.ts';
import { ICON_SIZE } from '../core/node-size.ts';

/** Texts of the palette (the designer passes its own strings table's entries). */
export interface PaletteStrings {
  /** The landmark's name. */
  readonly palette: string;
  readonly paletteSearch: string;
  readonly paletteNoMatch: string;
  readonly paletteClose: string;
}

export const DEFAULT_PALETTE_STRINGS: PaletteStrings = {
  palette: 'Steps',
  paletteSearch: 'Search steps',
  paletteNoMatch: 'No step matches.',
  paletteClose: 'Close',
};

/**
 * `<millrace-flow-palette>`: the steps a user can add, grouped and searchable. Entries are
 * buttons named by their catalog titles. A click or Enter picks one (`palette-pick`); a drag
 * reports `palette-drag-start` with the pointer, and the designer follows the pointer from
 * there (drops on the canvas, an edge, a container). Escape asks to close (`palette-close`).
 */
export class FlowPalette extends LitElement {
  static override styles = [
    toolIconStyles,
    css`
      :host {
        display: block;
        color: var(--_fg, #1d2330);
      }
      section {
        display: flex;
        flex-direction: column;
        max-height: 100%;
        background: var(--_card, #fff);
        border: 1px solid var(--_border, #d9dde5);
        border-radius: 8px;
        box-shadow: 0 4px 16px rgba(0, 0, 0, 0.18);
        overflow: hidden;
      }
      header {
        display: flex;
        gap: 6px;
        align-items: center;
        padding: 8px;
        border-bottom: 1px solid var(--_border, #d9dde5);
      }
      input {
        flex: 1;
        min-width: 0;
        font: inherit;
        padding: 4px 8px;
        color: inherit;
        background: var(--_bg, #f7f8fa);
        border: 1px solid var(--_border, #d9dde5);
        border-radius: 4px;
      }
      .context {
        padding: 4px 8px;
        font-size: 12px;
        color: var(--_muted, #5b6478);
      }
      .list {
        overflow: auto;
        padding: 4px 0 8px;
      }
      h3 {
        margin: 8px 10px 2px;
        font-size: 11px;
        font-weight: 600;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--_muted, #5b6478);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      button.item {
        display: grid;
        grid-template-columns: ${ICON_SIZE}px 1fr;
        gap: 2px 8px;
        align-items: center;
        width: 100%;
        padding: 5px 10px;
        text-align: start;
        font: inherit;
        color: inherit;
        background: none;
        border: 0;
        cursor: grab;
        touch-action: none;
      }
      button.item:hover,
      button.item:focus-visible {
        background: color-mix(in srgb, var(--_accent, #3b6fd8) 12%, transparent);
      }
      button:focus-visible,
      input:focus-visible {
        outline: 2px solid var(--_accent, #3b6fd8);
        outline-offset: -2px;
      }
      .title {
        font-size: 13px;
      }
      .entry {
        position: relative;
      }
      button.item.described {
        padding-bottom: 20px;
      }
      .description {
        position: absolute;
        left: ${10 + ICON_SIZE + 8}px;
        right: 10px;
        top: 24px;
        font-size: 11px;
        color: var(--_muted, #5b6478);
        pointer-events: none;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      svg {
        color: var(--_accent, #3b6fd8);
      }
      .icon-box {
        fill: currentColor;
        fill-opacity: 0.12;
      }
      .glyph path {
        fill: none;
        stroke: currentColor;
        stroke-width: 1.6;
        stroke-linecap: round;
        stroke-linejoin: round;
      }
      .monogram {
        fill: currentColor;
        font-size: 11px;
        font-weight: 600;
      }
      .close {
        font: inherit;
        color: inherit;
        background: none;
        border: 1px solid transparent;
        border-radius: 4px;
        padding: 2px 6px;
        cursor: pointer;
      }
      .none {
        padding: 8px 10px;
        color: var(--_muted, #5b6478);
      }
    `,
  ];

  @property({ attribute: false }) groups: readonly PaletteGroup[] = [];
  @property({ attribute: false }) strings: PaletteStrings = DEFAULT_PALETTE_STRINGS;
  /** Says where a picked step goes ("After Check amount · true"). */
  @property() context = '';
  @state() private query = '';

  /** Focuses the search field. */
  override focus(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector('input')?.focus());
  }

  private pick(item: PaletteItem): void {
    this.dispatchEvent(new CustomEvent('palette-pick', { detail: { item } }));
  }

  private drag(item: PaletteItem, e: PointerEvent): void {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    this.dispatchEvent(
      new CustomEvent('palette-drag-start', {
        detail: { item, pointerId: e.pointerId, clientX: e.clientX, clientY: e.clientY },
      }),
    );
  }

  private onKeydown = (e: KeyboardEvent): void => {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button.item')];
    const at = buttons.indexOf(e.composedPath()[0] as HTMLButtonElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.dispatchEvent(new CustomEvent('palette-close'));
      return;
    }
    const move = (i: number): void => {
      e.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, i))]?.focus();
    };
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') {
      if (at <= 0) {
        e.preventDefault();
        this.renderRoot.querySelector('input')?.focus();
      } else move(at - 1);
    } else if (e.key === 'Home' && at >= 0) move(0);
    else if (e.key === 'End' && at >= 0) move(buttons.length - 1);
    // Keys typed here are the palette's own: the designer's editing keys must not see them.
    e.stopPropagation();
  };

  private onSearchKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Enter') return;
    const first = bestMatch(this.groups, this.query);
    if (first) {
      e.preventDefault();
      this.pick(first);
    }
  };

  private icon(item: PaletteItem): NodeIcon | undefined {
    const where = { origin: location.origin, baseUrl: document.baseURI };
    if (item.kind === 'trigger') return nodeIconOf({ kind: 'trigger', trigger: item.type }, where);
    return nodeIconOf(
      item.descriptor
        ? { kind: 'node', type: item.type, descriptor: item.descriptor }
        : { kind: 'node', type: item.type },
      where,
    );
  }

  override render() {
    const t = this.strings;
    const groups = filterPalette(this.groups, this.query);
    return html`<section
      part="palette"
      role="region"
      aria-label=${t.palette}
      @keydown=${this.onKeydown}
    >
      <header>
        <input
          type="search"
          part="palette-search"
          aria-label=${t.paletteSearch}
          placeholder=${t.paletteSearch}
          .value=${this.query}
          @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
          @keydown=${this.onSearchKey}
        />
        <button
          class="close"
          part="palette-close"
          aria-label=${t.paletteClose}
          title=${t.paletteClose}
          @click=${() => this.dispatchEvent(new CustomEvent('palette-close'))}
        >
          ${CLOSE_ICON}
        </button>
      </header>
      ${this.context ? html`<div class="context" part="palette-context">${this.context}</div>` : nothing}
      <div class="list">
        ${groups.length === 0 ? html`<div class="none" role="status">${t.paletteNoMatch}</div>` : nothing}
        ${groups.map(
          (g) =>
            html`<h3>${g.title}</h3>
              <ul aria-label=${g.title}>
                ${g.items.map(
                  (item) =>
                    html`<li class="entry">
                      <button
                        class="item ${item.description ? 'described' : ''}"
                        part="palette-item"
                        data-key=${item.key}
                        aria-describedby=${item.description ? `d-${item.key}` : nothing}
                        @click=${() => this.pick(item)}
                        @pointerdown=${(e: PointerEvent) => this.drag(item, e)}
                      >
                        <svg width=${ICON_SIZE} height=${ICON_SIZE} aria-hidden="true">
                          ${svg`${renderIcon(this.icon(item), 0, 0)}`}
                        </svg>
                        <span class="title">${item.title}</span>
                      </button>
                      ${
                        // Beside the button, not in it: the button is named by the title alone.
                        item.description
                          ? html`<span class="description" id=${`d-${item.key}`}
                              >${item.description}</span
                            >`
                          : nothing
                      }
                    </li>`,
                )}
              </ul>`,
        )}
      </div>
    </section>`;
  }
}

/** Registers `<millrace-flow-palette>` once (every designer of the page shares it). */
export function defineFlowPalette(tag = 'millrace-flow-palette'): void {
  if (!customElements.get(tag)) customElements.define(tag, class extends FlowPalette {});
}
