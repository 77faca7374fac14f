import { html, nothing, type TemplateResult } from 'lit';
import type { FlowDefinition } from '@millrace/engine/model';
import { outlineOf, type OutlineItem } from '../core/outline.ts';
import type { NodeOverlay } from '../core/run-overlay.ts';
import type { DesignerStrings } from './designer-strings.ts';

/**
 * The flow as a tree (`role="tree"`) in execution order, visually hidden: the canvas for
 * screen-reader users, with each node's type and, during a run, its status.
 */
export function renderOutline(
  flow: FlowDefinition,
  strings: DesignerStrings,
  overlay: ReadonlyMap<string, NodeOverlay> | undefined,
): TemplateResult {
  const item = (i: OutlineItem): TemplateResult => {
    const status = overlay?.get(i.id)?.status;
    return html`<li
      role="treeitem"
      aria-level=${i.level}
      aria-expanded=${i.children.length > 0 ? 'true' : nothing}
      data-outline-id=${i.id}
    >
      ${i.label} (${i.type}${status ? `, ${status}` : ''})
      ${
        i.children.length > 0
          ? html`<ul role="group">
              ${i.children.map(item)}
            </ul>`
          : nothing
      }
    </li>`;
  };
  return html`<ul class="sr-only" part="outline" role="tree" aria-label=${strings.outline}>
    ${outlineOf(flow, { onFailure: strings.onFailure }).map(item)}
  </ul>`;
}
