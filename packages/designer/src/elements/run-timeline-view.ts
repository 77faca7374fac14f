import { html, nothing, render, svg, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { NodeStatus, SuspensionKind } from '@millrace/engine/model';
import type {
  AttemptOutcome,
  Timeline,
  TimelineRow,
  TimelineSegment,
  TimelineSegmentKind,
} from '../core/run-timeline.ts';
import type { DesignerStrings } from './designer-strings.ts';

/**
 * The run timeline panel: a Gantt chart under the canvas. Each row is a list item whose button
 * names the node, its status, duration and attempts (what screen readers read, and what opens
 * the node); the bars beside it are drawn in an SVG track positioned in percent of the run's
 * span — SVG attributes, not inline styles, so a strict CSP (`style-src 'self'`) allows them.
 */

/** What a row's accessible text is made of. */
export interface TimelineRowText {
  /** `enrich [3]` (from `timelineRowLabel`). */
  readonly label: string;
  readonly status: NodeStatus;
  /** The row's duration, formatted. */
  readonly duration: string;
  readonly attempts: number;
  /** One text per segment, when the row has more than one plain attempt (retries, waits). */
  readonly details: readonly string[];
}

/** What one bar's text (tooltip, and part of the row's text) is made of. */
export interface TimelineSegmentText {
  readonly kind: TimelineSegmentKind;
  readonly attempt: number;
  readonly outcome: AttemptOutcome;
  readonly wait?: SuspensionKind;
  readonly duration: string;
  readonly error?: string;
  /** Still going (a live run). */
  readonly open: boolean;
}

export interface RunTimelineContext {
  readonly strings: DesignerStrings;
  /** For Intl formatting; undefined means the browser's locale. */
  readonly locale: string | undefined;
  /** A node's name as its card shows it. */
  readonly nameOf: (nodeId: string) => string;
  /** A row's bar or button was activated: open that node (and path). */
  readonly onOpen: (row: TimelineRow) => void;
  /** Rows to mark as selected (what the canvas's selected cards show). */
  readonly selected?: (row: TimelineRow) => boolean;
  /**
   * Roving focus: the row whose button is the list's one tab stop (the first row when absent),
   * and where focus moves (arrow keys, Home, End) or lands. Without it every row is a tab stop.
   */
  readonly focusPath?: string;
  readonly onFocusRow?: (path: string, move: boolean) => void;
}

const ROW_KEYS: Readonly<Record<string, (index: number, count: number) => number>> = {
  ArrowDown: (i, n) => Math.min(n - 1, i + 1),
  ArrowUp: (i) => Math.max(0, i - 1),
  Home: () => 0,
  End: (_i, n) => n - 1,
};

/** Bars narrower than this share of the span are drawn this many pixels wide instead. */
const MIN_BAR_PERCENT = 0.4;
const MIN_BAR_PX = 3;
/** A suspension's kind is written inside its bar when the bar is at least this wide. */
const LABEL_MIN_PERCENT = 12;

const pct = (value: number): string => `${Math.round(value * 1000) / 1000}%`;

function segmentText(s: TimelineSegment, ctx: RunTimelineContext): string {
  return ctx.strings.timelineSegment({
    kind: s.kind,
    attempt: s.attempt,
    outcome: s.outcome,
    duration: ctx.strings.duration(s.end - s.start, ctx.locale),
    open: s.open,
    ...(s.wait === undefined ? {} : { wait: s.wait }),
    ...(s.error === undefined ? {} : { error: s.error }),
  });
}

function rowLabel(row: TimelineRow, ctx: RunTimelineContext): string {
  return ctx.strings.timelineRowLabel(
    ctx.nameOf(row.nodeId),
    row.loops.map(([, i]) => i),
  );
}

function rowText(row: TimelineRow, label: string, ctx: RunTimelineContext): string {
  const plain = row.segments.length <= 1 && row.segments.every((s) => s.kind === 'attempt');
  return ctx.strings.timelineRow({
    label,
    status: row.status,
    duration: ctx.strings.duration(row.durationMs, ctx.locale),
    attempts: row.attempts,
    details: plain ? [] : row.segments.map((s) => segmentText(s, ctx)),
  });
}

function renderBar(t: Timeline, row: TimelineRow, s: TimelineSegment, ctx: RunTimelineContext) {
  const left = ((s.start - t.start) / t.spanMs) * 100;
  const width = ((s.end - s.start) / t.spanMs) * 100;
  const narrow = width < MIN_BAR_PERCENT;
  const classes = `timeline-bar kind-${s.kind} outcome-${s.outcome}${s.open ? ' open' : ''}`;
  const parts = `timeline-bar timeline-bar-${s.kind} timeline-bar-${s.outcome}`;
  const open = (e: MouseEvent) => {
    e.stopPropagation();
    ctx.onOpen(row);
  };
  const title = svg`<title>${segmentText(s, ctx)}</title>`;
  if (s.kind === 'retryDelay') {
    // A pause, not work: a dashed line across the gap between two attempts.
    return svg`<g part=${parts} class=${classes} data-kind=${s.kind} data-attempt=${s.attempt} @click=${open}>
      <rect class="timeline-hit" x=${pct(left)} y="2" width=${narrow ? MIN_BAR_PX : pct(width)} height="16"></rect>
      <line class="timeline-retry-line" x1=${pct(left)} x2=${pct(left + width)} y1="10" y2="10"></line>
      ${title}
    </g>`;
  }
  const label =
    s.kind === 'suspended' && s.wait !== undefined && width >= LABEL_MIN_PERCENT
      ? svg`<text class="timeline-bar-label" x=${pct(left)} dx="4" y="14">${ctx.strings.waitKind(s.wait)}</text>`
      : nothing;
  return svg`<g part=${parts} class=${classes} data-kind=${s.kind} data-attempt=${s.attempt} @click=${open}>
    <rect class="timeline-rect" x=${pct(left)} y=${s.kind === 'queued' ? 5 : 3} width=${narrow ? MIN_BAR_PX : pct(width)} height=${s.kind === 'queued' ? 10 : 14} rx="2"></rect>
    ${label}
    ${title}
  </g>`;
}

function renderAxis(t: Timeline, ctx: RunTimelineContext) {
  const last = t.ticks.length - 1;
  return html`<div class="timeline-axis" part="timeline-axis" aria-hidden="true">
    <span class="timeline-start">${ctx.strings.timelineStart(t.start, ctx.locale)}</span>
    <svg class="timeline-ticks" width="100%" height="20">
      ${t.ticks.map((k, i) => {
        const x = pct((k.offsetMs / t.spanMs) * 100);
        const anchor =
          i === 0 ? 'start' : i === last && k.offsetMs / t.spanMs > 0.9 ? 'end' : 'middle';
        return svg`<line class="timeline-tick" x1=${x} x2=${x} y1="14" y2="20"></line>
          <text class="timeline-tick-label" x=${x} y="11" text-anchor=${anchor}>${ctx.strings.timelineTick(k.offsetMs, t.tickMs, ctx.locale)}</text>`;
      })}
    </svg>
    <span></span>
  </div>`;
}

function renderLegend(ctx: RunTimelineContext) {
  // Attempts by outcome, then the other kinds of time.
  const swatch = (classes: string, line: boolean) =>
    html`<svg class="timeline-swatch ${classes}" width="18" height="10" aria-hidden="true">
      ${
        line
          ? svg`<line class="timeline-retry-line" x1="0" x2="18" y1="5" y2="5"></line>`
          : svg`<rect class="timeline-rect" x="0" y="1" width="18" height="8" rx="2"></rect>`
      }
    </svg>`;
  const outcomes: readonly AttemptOutcome[] = ['succeeded', 'failed', 'running'];
  const kinds: readonly TimelineSegmentKind[] = ['retryDelay', 'suspended', 'queued'];
  return html`<ul class="timeline-legend" part="timeline-legend">
    ${outcomes.map(
      (o) =>
        html`<li>
          ${swatch(`kind-attempt outcome-${o}`, false)}${ctx.strings.attemptOutcome(o)}
        </li>`,
    )}
    ${kinds.map(
      (k) => html`<li>${swatch(`kind-${k}`, k === 'retryDelay')}${ctx.strings.segmentKind(k)}</li>`,
    )}
  </ul>`;
}

/** The timeline panel (`part="timeline"`); a short note when there is nothing to draw. */
export function renderRunTimeline(
  t: Timeline | undefined,
  ctx: RunTimelineContext,
): TemplateResult {
  const s = ctx.strings;
  if (!t || t.rows.length === 0) {
    return html`<div part="timeline" class="timeline" role="region" aria-label=${s.timeline}>
      <p class="timeline-empty">${s.timelineEmpty}</p>
    </div>`;
  }
  const active = t.rows.some((r) => r.path === ctx.focusPath) ? ctx.focusPath : t.rows[0]?.path;
  return html`<div part="timeline" class="timeline" role="region" aria-label=${s.timeline}>
    <div class="timeline-head">${renderLegend(ctx)}</div>
    ${renderAxis(t, ctx)}
    <ul class="timeline-rows" part="timeline-rows" aria-label=${s.timeline}>
      ${repeat(
        t.rows,
        (row) => row.path,
        (row, index) => {
          const label = rowLabel(row, ctx);
          const focusRow = ctx.onFocusRow;
          const tabStop = !focusRow || row.path === active;
          const onKeydown = (e: KeyboardEvent) => {
            const to = ROW_KEYS[e.key];
            if (!to || !focusRow) return;
            e.preventDefault();
            const target = t.rows[to(index, t.rows.length)];
            if (target) focusRow(target.path, true);
          };
          return html`<li
            part="timeline-row"
            class="timeline-row status-${row.status} depth-${Math.min(3, row.loops.length)} ${ctx.selected?.(row) ? 'selected' : ''}"
            data-path=${row.path}
            data-status=${row.status}
          >
            <button
              part="timeline-label"
              class="timeline-label"
              aria-label=${rowText(row, label, ctx)}
              tabindex=${tabStop ? '0' : '-1'}
              @click=${() => ctx.onOpen(row)}
              @keydown=${onKeydown}
              @focus=${() => {
                if (focusRow && row.path !== active) focusRow(row.path, false);
              }}
            >
              ${label}
            </button>
            <svg
              class="timeline-track"
              part="timeline-track"
              width="100%"
              height="20"
              aria-hidden="true"
            >
              ${row.segments.map((seg) => renderBar(t, row, seg, ctx))}
            </svg>
            <span class="timeline-duration" aria-hidden="true"
              >${row.status === 'skipped' ? s.skipped : s.duration(row.durationMs, ctx.locale)}</span
            >
          </li>`;
        },
      )}
    </ul>
  </div>`;
}

/** Per drawn container: what it was last drawn with, and its roving focus. */
interface Drawn {
  timeline: Timeline | undefined;
  host: object;
  ctx: RunTimelineContext;
  focusPath?: string;
}
const drawn = new WeakMap<HTMLElement, Drawn>();

/**
 * Draws the panel into `container` with Lit's `render`, apart from the element's own template,
 * so that a live timeline can be redrawn on its own (every second) without the canvas. Keeps
 * the rows' roving focus (one tab stop, arrow keys between rows) across redraws.
 */
export function drawRunTimeline(
  container: HTMLElement,
  timeline: Timeline | undefined,
  host: object,
  ctx: RunTimelineContext,
): void {
  const state: Drawn = drawn.get(container) ?? { timeline, host, ctx };
  state.timeline = timeline;
  state.host = host;
  state.ctx = ctx;
  drawn.set(container, state);
  const onFocusRow = (path: string, move: boolean): void => {
    state.focusPath = path;
    drawRunTimeline(container, state.timeline, state.host, state.ctx);
    if (move) {
      container
        .querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"] .timeline-label`)
        ?.focus();
    }
  };
  render(
    renderRunTimeline(timeline, {
      ...ctx,
      onFocusRow,
      ...(state.focusPath === undefined ? {} : { focusPath: state.focusPath }),
    }),
    container,
    { host },
  );
}
