import { nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { FlowNode, Trigger } from '@millrace/engine/model';
import type { LayoutNode, LayoutPorts } from '../core/layout-result.ts';
import {
  CARD_PADDING_X,
  CARD_PADDING_Y,
  ICON_SIZE,
  LINE_GAP,
  PORT_RADIUS,
  TEXT_LINE_HEIGHT,
  TITLE_LINE_HEIGHT,
} from '../core/node-size.ts';
import { clipText, inputSummary, triggerSummary } from '../core/canvas-geometry.ts';
import type { NodeOverlay } from '../core/run-overlay.ts';
import { GLYPH_GRID, NODE_GLYPHS } from '../core/node-glyphs.ts';
import type { NodeIcon } from '../core/node-icon.ts';
import { countsPhrase, type Mark } from '../core/diagnostic-marks.ts';
import type { DesignerStrings } from './designer-strings.ts';

/**
 * One card of the canvas (or a region box) as an SVG template. The element owns state and
 * behaviour; everything a card shows comes in through `NodeCardContext`, so the card can be
 * rendered (and extended) without reaching into the element.
 */

/** Characters that fit a card's text lines (CARD_WIDTH minus padding at ~7px per char). */
const TITLE_CHARS = 24;
const LINE_CHARS = 28;

/** What a card needs besides its layout node. */
export interface NodeCardContext {
  readonly strings: DesignerStrings;
  /** The flow's node or trigger this card stands for (absent for unknown ids). */
  readonly source: FlowNode | Trigger | undefined;
  /** Port anchors from the layout. */
  readonly ports: LayoutPorts | undefined;
  /** The node's diagnostics (see `diagnosticMarks`); absent when it has none. */
  readonly mark?: Mark | undefined;
  /** What the icon square shows (see `nodeIconOf`); an empty square when absent. */
  readonly icon?: NodeIcon | undefined;
  /** The run overlay of this node, when a run is shown. */
  readonly overlay: NodeOverlay | undefined;
  /** True when a run is shown at all (nodes without an overlay are then `pending`). */
  readonly hasRun: boolean;
  readonly selected: boolean;
  /** The locale of the run info's durations (`strings.duration`). */
  readonly locale?: string | undefined;
  /**
   * Zoomed far out: the card is drawn as its box (status colour, marker) without texts, icon,
   * ports or run info, a fraction of the elements — still a focusable group with the full name.
   */
  readonly far?: boolean;
  readonly onClick: (e: MouseEvent) => void;
  readonly onKeydown: (e: KeyboardEvent) => void;
  /**
   * Extra content drawn last inside the card's group (e.g. an iteration picker on loop cards);
   * positioned by its producer in canvas coordinates.
   */
  readonly extra?: SVGTemplateResult | TemplateResult | typeof nothing;
}

/** The icon square at (x, y): a stroke glyph, an `<image>` or a monogram on a tinted box. */
export function renderIcon(icon: NodeIcon | undefined, x: number, y: number): SVGTemplateResult {
  const inset = (ICON_SIZE - GLYPH_GRID) / 2;
  const name = icon?.kind === 'glyph' ? icon.name : icon?.kind === 'image' ? 'image' : 'monogram';
  let content: SVGTemplateResult | typeof nothing = nothing;
  if (icon?.kind === 'glyph') {
    content = svg`<g class="glyph" transform="translate(${x + inset} ${y + inset})">${NODE_GLYPHS[icon.name].map((d) => svg`<path d=${d}></path>`)}</g>`;
  } else if (icon?.kind === 'image') {
    content = svg`<image class="icon-image" href=${icon.href} x=${x + inset} y=${y + inset} width=${GLYPH_GRID} height=${GLYPH_GRID} preserveAspectRatio="xMidYMid meet"></image>`;
  } else if (icon?.kind === 'monogram') {
    content = svg`<text class="monogram" x=${x + ICON_SIZE / 2} y=${y + ICON_SIZE / 2 + 3.5} text-anchor="middle">${icon.text}</text>`;
  }
  return svg`<g part="icon" class="icon icon-${icon?.kind ?? 'none'}" data-icon=${name} aria-hidden="true">
      <rect class="icon-box" x=${x} y=${y} width=${ICON_SIZE} height=${ICON_SIZE} rx="4"></rect>${content}
    </g>`;
}

/**
 * The marker of a card's most severe diagnostic, in its top-right corner: a filled circle with
 * "!" for errors, a triangle with "!" for warnings, a ringed "i" for information (shapes differ,
 * not only colours). Its tooltip lists every message of the card, most severe first.
 */
export function renderMarker(mark: Mark, cx: number, cy: number): SVGTemplateResult {
  const tooltip = mark.diagnostics.map((d) => d.message).join('\n');
  const shape =
    mark.severity === 'error'
      ? svg`<circle class="marker-shape" cx=${cx} cy=${cy} r="8"></circle>
          <path class="marker-glyph" d="M${cx} ${cy - 4.25}v4.5M${cx} ${cy + 3.75}v.01"></path>`
      : mark.severity === 'warning'
        ? svg`<path class="marker-shape" d="M${cx} ${cy - 8}l8.5 15h-17Z"></path>
          <path class="marker-glyph" d="M${cx} ${cy - 2.75}v4M${cx} ${cy + 4.25}v.01"></path>`
        : svg`<circle class="marker-shape" cx=${cx} cy=${cy} r="7.25"></circle>
          <path class="marker-glyph" d="M${cx} ${cy - 3.75}v.01M${cx} ${cy - 0.75}v4.5"></path>`;
  return svg`<g part="marker marker-${mark.severity}" class="marker marker-${mark.severity}" data-severity=${mark.severity} aria-hidden="true">${shape}<title>${tooltip}</title></g>`;
}

/** The SVG of one layout node: a region box, or a focusable card with ports and markers. */
export function renderNodeCard(n: LayoutNode, ctx: NodeCardContext): SVGTemplateResult {
  const { strings: t, source, mark, overlay } = ctx;
  if (n.kind === 'region') {
    return svg`<g part="region region-${n.type}" class="region" data-node-id=${n.id}>
        <rect class="region-box" x=${n.x} y=${n.y} width=${n.width} height=${n.height} rx="6"></rect>
        <text class="region-label" x=${n.x + CARD_PADDING_X} y=${n.y + 16}>${n.type}</text>
      </g>`;
  }
  const isTrigger = n.kind === 'trigger';
  const name = isTrigger
    ? ((source as Trigger | undefined)?.id ?? n.id)
    : ((source as FlowNode | undefined)?.name ?? n.id);
  const summary = isTrigger
    ? source
      ? triggerSummary(source as Trigger)
      : n.type
    : source
      ? inputSummary(source as FlowNode)
      : '';
  const status = overlay?.status ?? (ctx.hasRun && !isTrigger ? 'pending' : undefined);
  // The card's texts are aria-hidden; the name says all of it (and its status).
  const label = `${t.nodeLabel(name, n.type, status)}${summary && summary !== n.type ? `: ${summary}` : ''}`;
  const titleY = n.y + CARD_PADDING_Y + TITLE_LINE_HEIGHT - 5;
  const typeY = titleY + LINE_GAP + TEXT_LINE_HEIGHT;
  const isBox = n.kind === 'container';
  const summaryY = isBox || isTrigger ? typeY : typeY + LINE_GAP + TEXT_LINE_HEIGHT;
  const textX = n.x + CARD_PADDING_X + ICON_SIZE + 8;
  const ports = ctx.ports;
  const problems = mark ? countsPhrase(mark.counts, t) : '';
  return svg`<g
      part="node node-${n.type} node-kind-${n.kind}"
      class="node kind-${n.kind} ${status ? `status-${status}` : ''} ${mark?.counts.error ? 'invalid' : ''} ${mark ? `marked-${mark.severity}` : ''} ${ctx.selected ? 'selected' : ''}"
      data-node-id=${n.id}
      data-status=${status ?? nothing}
      data-severity=${mark?.severity ?? nothing}
      tabindex="0"
      role="group"
      aria-roledescription=${t.nodeRole}
      aria-label=${problems ? `${label}, ${problems}` : label}
      @click=${ctx.onClick}
      @keydown=${ctx.onKeydown}
    >
      <rect class="card" x=${n.x} y=${n.y} width=${n.width} height=${n.height} rx=${isBox ? 8 : 6}></rect>
      ${ctx.far ? (mark ? renderMarker(mark, n.x + n.width - 14, n.y + 14) : nothing) : renderDetails()}
    </g>`;

  function renderDetails(): SVGTemplateResult {
    return svg`${isBox ? svg`<line class="header-rule" x1=${n.x} x2=${n.x + n.width} y1=${n.y + 2 * CARD_PADDING_Y + TITLE_LINE_HEIGHT + LINE_GAP + TEXT_LINE_HEIGHT} y2=${n.y + 2 * CARD_PADDING_Y + TITLE_LINE_HEIGHT + LINE_GAP + TEXT_LINE_HEIGHT}></line>` : nothing}
      ${renderIcon(ctx.icon, n.x + CARD_PADDING_X, n.y + CARD_PADDING_Y)}
      <text class="name" aria-hidden="true" x=${textX} y=${titleY}>${clipText(name, mark ? TITLE_CHARS - 3 : TITLE_CHARS)}</text>
      ${isBox || isTrigger ? nothing : svg`<text class="type" aria-hidden="true" x=${n.x + CARD_PADDING_X} y=${typeY}>${clipText(n.type, LINE_CHARS)}</text>`}
      <text class="summary" aria-hidden="true" x=${n.x + CARD_PADDING_X} y=${summaryY}>${clipText(
        isTrigger && summary !== n.type ? `${n.type}: ${summary}` : summary,
        LINE_CHARS,
      )}</text>
      ${ports?.input ? svg`<circle class="port port-in" aria-hidden="true" cx=${ports.input.x} cy=${ports.input.y} r=${PORT_RADIUS}></circle>` : nothing}
      ${(ports?.outputs ?? []).map(
        (p) =>
          svg`<circle class="port port-out" aria-hidden="true" data-port=${p.port} cx=${p.x} cy=${p.y} r=${PORT_RADIUS}><title>${p.port}</title></circle>`,
      )}
      ${mark ? renderMarker(mark, n.x + n.width - 14, n.y + 14) : nothing}
      ${
        overlay && status !== 'pending'
          ? svg`<text part="run-info" class="run-info" aria-hidden="true" x=${n.x + n.width - CARD_PADDING_X} y=${typeY} text-anchor="end">${[
              overlay.attempts > 1 ? t.attempt(overlay.attempts) : '',
              overlay.durationMs !== undefined ? t.duration(overlay.durationMs, ctx.locale) : '',
            ]
              .filter(Boolean)
              .join(' · ')}</text>`
          : nothing
      }
      ${ctx.extra ?? nothing}`;
  }
}
