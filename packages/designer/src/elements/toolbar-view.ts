import { html, nothing, type TemplateResult } from 'lit';
import { FIT_ICON, ZOOM_IN_ICON, ZOOM_OUT_ICON } from './tool-icons.ts';
import type { DesignerStrings } from './designer-strings.ts';

/** One zoom step of the toolbar's buttons and the `+`/`-` keys. */
export const ZOOM_STEP = 1.2;

export interface ToolbarOptions {
  readonly strings: DesignerStrings;
  readonly name: string;
  readonly count: number;
  /** The editing tools (undo, redo, add), drawn first. */
  readonly editingTools: unknown;
  readonly zoomBy: (factor: number) => void;
  readonly fit: () => void;
  /** With a run shown: the timeline toggle and whether the timeline is open. */
  readonly timeline: { readonly open: boolean; readonly toggle: () => void } | undefined;
}

/** The designer's top bar: the flow's name, its step count, the editing and view tools. */
export function renderToolbar(o: ToolbarOptions): TemplateResult {
  const t = o.strings;
  return html`<div class="top">
    <header part="toolbar">${o.name}</header>
    <span class="count">${t.nodeCount(o.count)}</span>
    <span class="tools" role="toolbar">
      ${o.editingTools}
      <button
        part="button zoom-out"
        aria-label=${t.zoomOut}
        title=${t.zoomOut}
        @click=${() => o.zoomBy(1 / ZOOM_STEP)}
      >
        ${ZOOM_OUT_ICON}
      </button>
      <button
        part="button zoom-in"
        aria-label=${t.zoomIn}
        title=${t.zoomIn}
        @click=${() => o.zoomBy(ZOOM_STEP)}
      >
        ${ZOOM_IN_ICON}
      </button>
      <button part="button fit" aria-label=${t.fit} title=${t.fit} @click=${o.fit}>
        ${FIT_ICON}
      </button>
      ${
        o.timeline
          ? html`<button
              part="button timeline-toggle"
              aria-label=${t.timeline}
              title=${t.timeline}
              aria-pressed=${o.timeline.open ? 'true' : 'false'}
              @click=${o.timeline.toggle}
            >
              <svg class="timeline-icon" width="16" height="12" aria-hidden="true">
                <rect x="0" y="0" width="9" height="3"></rect>
                <rect x="4" y="4.5" width="8" height="3"></rect>
                <rect x="9" y="9" width="7" height="3"></rect>
              </svg>
            </button>`
          : nothing
      }
    </span>
  </div>`;
}
