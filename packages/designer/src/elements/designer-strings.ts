import type { SuspensionKind } from '@millrace/engine/model';
import type { AttemptOutcome, TimelineSegmentKind } from '../core/run-timeline.ts';
import { formatClockIntl, formatDurationIntl, formatTickIntl } from '../core/time-format.ts';
import type { TimelineRowText, TimelineSegmentText } from './run-timeline-view.ts';
import { DEFAULT_EDITING_STRINGS, type EditingStrings } from './editing-strings.ts';
import { DEFAULT_PALETTE_STRINGS, type PaletteStrings } from './flow-palette.ts';
import type { PropertyPanelStrings } from '../panels/property-panel.ts';

/**
 * Every user-facing text of `<flow-designer>`: the `strings` property replaces any of them
 * (i18n); English by default. Functions take what the text is about, so that a translation can
 * order, pluralise and decline as its language needs.
 */

/** Replaceable user-facing strings (i18n). */
export interface DesignerStrings extends EditingStrings, PaletteStrings {
  /** The property panel's texts (its defaults: DEFAULT_PROPERTY_PANEL_STRINGS). */
  readonly properties: Partial<PropertyPanelStrings>;
  readonly untitled: string;
  readonly noFlow: string;
  readonly nodeCount: (n: number) => string;
  readonly zoomIn: string;
  readonly zoomOut: string;
  readonly fit: string;
  readonly canvas: (flowName: string) => string;
  readonly nodeLabel: (name: string, type: string, status?: string) => string;
  readonly errors: (n: number) => string;
  readonly warnings: (n: number) => string;
  /** Informational diagnostics (`I_` codes). */
  readonly infos: (n: number) => string;
  readonly attempt: (n: number) => string;
  readonly layoutFailed: string;
  /** Shown while a flow without a recorded layout is laid out. */
  readonly layingOut: string;
  readonly outline: string;
  readonly onFailure: string;
  /** How screen readers call a node (aria-roledescription). */
  readonly nodeRole: string;
  readonly minimap: string;
  readonly runStatus: (status: string, failedNodes: readonly string[]) => string;
  /** The iteration picker on loop cards: its arrows, its label and its visible `3 / 10`. */
  readonly previousIteration: string;
  readonly nextIteration: string;
  readonly iterationPicker: (loopName: string, position: number, count: number) => string;
  readonly iterationPosition: (position: number, count: number) => string;
  /** The run timeline: its panel and toolbar toggle, and what it says when it has no rows. */
  readonly timeline: string;
  readonly timelineEmpty: string;
  /** A row's visible label: the node's name and its loop iterations (`enrich [3]`). */
  readonly timelineRowLabel: (name: string, iterations: readonly number[]) => string;
  /** A row's accessible text: node, status, duration, attempts (and retries and waits). */
  readonly timelineRow: (row: TimelineRowText) => string;
  /** One bar's text (its tooltip, and a detail of its row's text). */
  readonly timelineSegment: (segment: TimelineSegmentText) => string;
  readonly segmentKind: (kind: TimelineSegmentKind) => string;
  /** The legend's names of attempt outcomes. */
  readonly attemptOutcome: (outcome: AttemptOutcome) => string;
  readonly waitKind: (kind: SuspensionKind) => string;
  readonly skipped: string;
  /** Time texts (Intl by default); `locale` is the element's `lang`, else the browser's. */
  readonly duration: (ms: number, locale: string | undefined) => string;
  readonly timelineTick: (offsetMs: number, stepMs: number, locale: string | undefined) => string;
  readonly timelineStart: (at: number, locale: string | undefined) => string;
}

const WAIT_KINDS: Readonly<Record<SuspensionKind, string>> = {
  approval: 'approval',
  waitForEvent: 'event',
  wait: 'timer',
  subflow: 'subflow',
};

const SEGMENT_KINDS: Readonly<Record<TimelineSegmentKind, string>> = {
  attempt: 'Attempt',
  retryDelay: 'Retry delay',
  suspended: 'Waiting',
  queued: 'Queued',
};

export const DEFAULT_STRINGS: DesignerStrings = {
  ...DEFAULT_EDITING_STRINGS,
  ...DEFAULT_PALETTE_STRINGS,
  properties: {},
  untitled: 'Untitled flow',
  noFlow: 'No flow loaded.',
  nodeCount: (n) => (n === 1 ? '1 node' : `${n} nodes`),
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  fit: 'Fit to view',
  canvas: (name) => name,
  nodeLabel: (name, type, status) => `${name} (${type})${status ? `, ${status}` : ''}`,
  errors: (n) => (n === 1 ? '1 error' : `${n} errors`),
  warnings: (n) => (n === 1 ? '1 warning' : `${n} warnings`),
  infos: (n) => (n === 1 ? '1 note' : `${n} notes`),
  attempt: (n) => `attempt ${n}`,
  layoutFailed: 'The flow could not be laid out.',
  layingOut: 'Laying out the flow…',
  outline: 'Flow outline',
  nodeRole: 'flow step',
  minimap: 'Overview of the whole flow',
  onFailure: 'On failure',
  runStatus: (status, failed) =>
    `Run ${status}${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}.`,
  previousIteration: 'Previous iteration',
  nextIteration: 'Next iteration',
  iterationPicker: (loop, position, count) => `${loop}: iteration ${position} of ${count}`,
  iterationPosition: (position, count) => `${position} / ${count}`,
  timeline: 'Run timeline',
  timelineEmpty: 'No run to show on the timeline.',
  timelineRowLabel: (name, iterations) =>
    iterations.length === 0 ? name : `${name} ${iterations.map((i) => `[${i}]`).join('')}`,
  timelineRow: (row) =>
    [
      `${row.label}: ${row.status}`,
      ...(row.status === 'skipped' ? [] : [row.duration]),
      ...(row.attempts > 1 ? [`${row.attempts} attempts`] : []),
      ...row.details,
    ].join(', '),
  timelineSegment: (s) => {
    const what =
      s.kind === 'attempt'
        ? `Attempt ${s.attempt} ${s.outcome}`
        : s.kind === 'retryDelay'
          ? `Retry delay after attempt ${s.attempt}`
          : s.kind === 'queued'
            ? `Queued for attempt ${s.attempt}`
            : `Waiting for ${WAIT_KINDS[s.wait ?? 'wait']}`;
    return `${what} (${s.duration}${s.open ? ', so far' : ''})${s.error ? `: ${s.error}` : ''}`;
  },
  segmentKind: (kind) => SEGMENT_KINDS[kind],
  attemptOutcome: (outcome) =>
    ({ succeeded: 'Succeeded', failed: 'Failed', running: 'Running' })[outcome],
  waitKind: (kind) => WAIT_KINDS[kind],
  skipped: 'skipped',
  duration: (ms, locale) => formatDurationIntl(ms, locale),
  timelineTick: (offset, step, locale) => formatTickIntl(offset, step, locale),
  timelineStart: (at, locale) => formatClockIntl(at, locale),
};
