import type { NodeStatus, RunEvent, RunView, SuspensionKind } from '@millrace/engine/model';
import { loopSegments } from './iteration-choice.ts';

/**
 * The run timeline (a Gantt chart of a run): one row per node record — per path, so every loop
 * iteration has its own row — with segments on one time axis. Plain data, no DOM: the element
 * only scales it to pixels. Time comes from the events (`at`) and, for what is still going on,
 * from the caller's `now`; nothing here reads a clock.
 */

/**
 * What a stretch of a row's time was spent on:
 * - `queued`: waiting for a free slot (`NodeScheduled` → `NodeStarted`);
 * - `attempt`: an attempt running (`NodeStarted` → its outcome);
 * - `retryDelay`: the pause after a failed attempt, before the next one;
 * - `suspended`: parked (approval, waitForEvent, wait, subflow) until woken.
 */
export type TimelineSegmentKind = 'queued' | 'attempt' | 'retryDelay' | 'suspended';

/** How an attempt ended; `running` while it has not (yet). */
export type AttemptOutcome = 'running' | 'succeeded' | 'failed';

export interface TimelineSegment {
  readonly kind: TimelineSegmentKind;
  /** The attempt this stretch belongs to (from 1); a retry delay belongs to the failed one. */
  readonly attempt: number;
  /** Clock times (ms since the epoch). An open segment ends at `now`. */
  readonly start: number;
  readonly end: number;
  /** Still going: its end is `now`, not an event. */
  readonly open: boolean;
  /** The outcome of the segment's attempt. */
  readonly outcome: AttemptOutcome;
  /** For `suspended`: what the node waits for. */
  readonly wait?: SuspensionKind;
  /** For `retryDelay`, the planned next attempt; for `suspended`, the wait's deadline. */
  readonly dueAt?: number;
  /** The attempt's error message, when it failed. */
  readonly error?: string;
}

export interface TimelineRow {
  /** The node's path: the row's key (`each[3]/enrich`). */
  readonly path: string;
  readonly nodeId: string;
  /** The loops around the node, outermost first, with the iteration of this row. */
  readonly loops: readonly (readonly [loopId: string, iteration: number])[];
  readonly status: NodeStatus;
  /** Attempts begun (0 for a skipped node). */
  readonly attempts: number;
  /** From the row's first event to its last (or `now` while open). */
  readonly start: number;
  readonly end: number;
  readonly durationMs: number;
  readonly segments: readonly TimelineSegment[];
}

export interface TimelineTick {
  /** Clock time of the tick. */
  readonly at: number;
  /** Milliseconds since the timeline's start (what axis labels usually show). */
  readonly offsetMs: number;
}

export interface Timeline {
  /** The run's start (its RunCreated) and end (its last event, or `now` while live). */
  readonly start: number;
  readonly end: number;
  /** `end - start`, at least 1 so that positions can always be divided by it. */
  readonly spanMs: number;
  /** True while the run has not finished. */
  readonly live: boolean;
  /** In order of their first event. */
  readonly rows: readonly TimelineRow[];
  readonly ticks: readonly TimelineTick[];
  /** The distance between ticks, in ms. */
  readonly tickMs: number;
}

export interface TimelineOptions {
  /** The current time, for bars that are still open (live runs). Default: the last event's time. */
  readonly now?: number;
  /** About how many ticks the axis should get. Default 6. */
  readonly ticks?: number;
}

/** Tick distances a reader can count in: 1-2-5 steps, then seconds, minutes, hours, days. */
const TICK_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000,
  300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000,
];

/** The smallest readable tick distance giving at most about `target` ticks over `spanMs`. */
export function tickStep(spanMs: number, target = 6): number {
  const raw = spanMs / Math.max(1, target);
  for (const step of TICK_STEPS) if (step >= raw) return step;
  const day = 86_400_000;
  return Math.ceil(raw / day) * day;
}

/** Ticks from `start` every `step` ms, up to and including `end`. */
function ticksOf(start: number, end: number, step: number): TimelineTick[] {
  const ticks: TimelineTick[] = [];
  for (let offset = 0; start + offset <= end; offset += step) {
    ticks.push({ at: start + offset, offsetMs: offset });
  }
  return ticks;
}

/** An iteration's own record (`each[2]`, its `output`): not a node, so not a row. */
const ITERATION_RECORD = /\[\d+\]$/;

interface MutableSegment {
  kind: TimelineSegmentKind;
  attempt: number;
  start: number;
  end: number | undefined;
  outcome: AttemptOutcome;
  wait?: SuspensionKind;
  dueAt?: number;
  error?: string;
  /** Belongs to a run of a container's inside that a retry reset: its outcome is settled. */
  final?: boolean;
}

interface MutableRow {
  readonly path: string;
  readonly first: number;
  last: number;
  status: NodeStatus;
  attempts: number;
  segments: MutableSegment[];
}

/**
 * Folds run events into timeline rows, one event at a time, so a live stream costs only its new
 * events. `timelineOf` is the one-shot form; the element keeps one of these per event stream.
 */
export class TimelineBuilder {
  private readonly rows = new Map<string, MutableRow>();
  private runStart: number | undefined;
  private runEnd: number | undefined;
  private lastAt = 0;
  private added = 0;

  /** Events folded so far. */
  get count(): number {
    return this.added;
  }

  /** Folds one event (events must come in log order). */
  add(event: RunEvent): void {
    this.added++;
    this.lastAt = Math.max(this.lastAt, event.at);
    switch (event.type) {
      case 'RunCreated':
        this.runStart = event.at;
        return;
      case 'RunSucceeded':
      case 'RunFailed':
      case 'RunCancelled':
        this.runEnd = event.at;
        // Whatever is still open ended with the run (a cancelled run's parked nodes).
        for (const row of this.rows.values()) this.closeAll(row, event.at);
        return;
      case 'NodeScheduled': {
        const row = this.row(event.path, event.at);
        this.closeAll(row, event.at);
        row.status = 'scheduled';
        row.attempts = Math.max(row.attempts, event.attempt);
        this.open(row, 'queued', event.attempt, event.at);
        return;
      }
      case 'NodeStarted': {
        const row = this.row(event.path, event.at);
        this.closeAll(row, event.at);
        row.status = 'running';
        row.attempts = Math.max(row.attempts, event.attempt);
        this.open(row, 'attempt', event.attempt, event.at);
        return;
      }
      case 'NodeSuspended': {
        const row = this.row(event.path, event.at);
        this.closeAll(row, event.at);
        // An attempt that parks at once (approval, wait) is all suspension: drop its empty bar.
        const last = row.segments[row.segments.length - 1];
        if (last?.kind === 'attempt' && last.attempt === event.attempt && last.start === event.at)
          row.segments.pop();
        row.status = 'waiting';
        row.attempts = Math.max(row.attempts, event.attempt);
        const segment = this.open(row, 'suspended', event.attempt, event.at);
        segment.wait = event.wait.kind;
        if (event.wait.deadline !== undefined) segment.dueAt = event.wait.deadline;
        return;
      }
      case 'SignalReceived':
      case 'TimerFired': {
        // The wake-up ends a suspension; a retry timer's end is the next NodeStarted instead.
        const row = this.rows.get(event.path);
        const open = row?.segments[row.segments.length - 1];
        if (row && open?.kind === 'suspended' && open.end === undefined) {
          open.end = event.at;
          row.last = Math.max(row.last, event.at);
        }
        return;
      }
      case 'NodeRetryScheduled': {
        const row = this.row(event.path, event.at);
        this.closeAll(row, event.at);
        this.settle(row, event.attempt, 'failed', event.error.message);
        // A container's retry runs its inside anew, from attempt 1: keep what those rows showed.
        for (const path of event.reset ?? []) {
          const inner = this.rows.get(path);
          if (!inner) continue;
          this.closeAll(inner, event.at);
          for (const s of inner.segments) s.final = true;
        }
        row.status = 'retrying';
        const segment = this.open(row, 'retryDelay', event.attempt, event.at);
        segment.outcome = 'failed';
        segment.dueAt = event.dueAt;
        segment.error = event.error.message;
        return;
      }
      case 'NodeSucceeded': {
        const row = this.row(event.path, event.at);
        this.closeAll(row, event.at);
        row.status = 'succeeded';
        row.attempts = Math.max(row.attempts, event.attempt);
        // A cached or instant node has no NodeStarted: it still gets its (zero-length) attempt.
        if (
          !row.segments.some((s) => s.attempt === event.attempt && s.kind !== 'queued' && !s.final)
        ) {
          this.open(row, 'attempt', event.attempt, event.at).end = event.at;
        }
        this.settle(row, event.attempt, 'succeeded');
        return;
      }
      case 'NodeFailed': {
        const row = this.row(event.path, event.at);
        this.closeAll(row, event.at);
        row.status = 'failed';
        row.attempts = Math.max(row.attempts, event.attempt);
        if (
          !row.segments.some((s) => s.attempt === event.attempt && s.kind !== 'queued' && !s.final)
        ) {
          this.open(row, 'attempt', event.attempt, event.at).end = event.at;
        }
        this.settle(row, event.attempt, 'failed', event.error.message);
        return;
      }
      case 'NodeSkipped': {
        const row = this.row(event.path, event.at);
        row.status = 'skipped';
        return;
      }
      case 'RunStarted':
      case 'TimerScheduled':
      case 'NodeLogged':
        return;
    }
  }

  /** The timeline as it stands, with open segments ending at `now`. */
  build(options: TimelineOptions = {}): Timeline | undefined {
    if (this.runStart === undefined) return undefined;
    const live = this.runEnd === undefined;
    const now = options.now ?? this.lastAt;
    const end = live ? Math.max(now, this.lastAt) : (this.runEnd ?? this.lastAt);
    const rows: TimelineRow[] = [];
    for (const r of this.rows.values()) {
      const segments = r.segments.map((s) => freeze(s, end));
      const rowEnd = Math.max(r.last, ...segments.map((s) => s.end));
      const { nodeId, loops } = loopSegments(r.path);
      if (ITERATION_RECORD.test(nodeId)) continue;
      rows.push({
        path: r.path,
        nodeId,
        loops,
        status: r.status,
        attempts: r.attempts,
        start: r.first,
        end: rowEnd,
        durationMs: rowEnd - r.first,
        segments,
      });
    }
    // Map order is first-event order already (events come in log order).
    return axis({ start: this.runStart, end, live, rows }, options.ticks);
  }

  private row(path: string, at: number): MutableRow {
    let row = this.rows.get(path);
    if (!row) {
      row = { path, first: at, last: at, status: 'scheduled', attempts: 0, segments: [] };
      this.rows.set(path, row);
    }
    row.last = Math.max(row.last, at);
    return row;
  }

  private open(
    row: MutableRow,
    kind: TimelineSegmentKind,
    attempt: number,
    at: number,
  ): MutableSegment {
    const segment: MutableSegment = {
      kind,
      attempt,
      start: at,
      end: undefined,
      outcome: 'running',
    };
    row.segments.push(segment);
    return segment;
  }

  private closeAll(row: MutableRow, at: number): void {
    for (const s of row.segments) if (s.end === undefined) s.end = at;
  }

  /** Sets the outcome of every segment of one attempt. */
  private settle(row: MutableRow, attempt: number, outcome: AttemptOutcome, error?: string): void {
    for (const s of row.segments) {
      if (s.attempt !== attempt || s.final) continue;
      s.outcome = outcome;
      if (error !== undefined) s.error = error;
    }
  }
}

function freeze(s: MutableSegment, now: number): TimelineSegment {
  const open = s.end === undefined;
  return {
    kind: s.kind,
    attempt: s.attempt,
    start: s.start,
    end: open ? Math.max(s.start, now) : (s.end as number),
    open,
    outcome: s.outcome,
    ...(s.wait === undefined ? {} : { wait: s.wait }),
    ...(s.dueAt === undefined ? {} : { dueAt: s.dueAt }),
    ...(s.error === undefined ? {} : { error: s.error }),
  };
}

function axis(
  t: Pick<Timeline, 'start' | 'end' | 'live' | 'rows'>,
  target: number | undefined,
): Timeline {
  const spanMs = Math.max(1, t.end - t.start);
  const tickMs = tickStep(spanMs, target);
  return { ...t, spanMs, tickMs, ticks: ticksOf(t.start, t.start + spanMs, tickMs) };
}

/**
 * The timeline of a recorded or live event stream (`store.readEvents`, `engine.subscribe`).
 * Undefined when the stream has no RunCreated yet.
 *
 * @example
 * const t = timelineOf(events, { now: Date.now() });
 * for (const row of t.rows) console.log(row.path, row.status, row.segments.length);
 */
export function timelineOf(
  events: readonly RunEvent[],
  options: TimelineOptions = {},
): Timeline | undefined {
  const builder = new TimelineBuilder();
  for (const e of events) builder.add(e);
  return builder.build(options);
}

const OPEN_STATUSES: ReadonlySet<NodeStatus> = new Set(['scheduled', 'running', 'retrying']);

/**
 * A coarser timeline from a RunView alone (no event log): one segment per node, from its start
 * to its finish — no separate attempts, retry delays or queue time, which only events record. A
 * waiting node's segment is a suspension of its wait's kind.
 */
export function timelineOfView(run: RunView, options: TimelineOptions = {}): Timeline {
  const live = run.finishedAt === undefined;
  const lastKnown = Math.max(
    run.createdAt,
    run.finishedAt ?? 0,
    ...run.nodes.map((n) => n.finishedAt ?? n.startedAt ?? 0),
  );
  const end = live ? Math.max(options.now ?? lastKnown, lastKnown) : (run.finishedAt ?? lastKnown);
  const rows: TimelineRow[] = [];
  for (const n of run.nodes) {
    const { nodeId, loops } = loopSegments(n.path);
    if (ITERATION_RECORD.test(nodeId)) continue;
    const start = n.startedAt ?? n.finishedAt;
    const segments: TimelineSegment[] = [];
    if (start !== undefined && n.status !== 'skipped') {
      const open = n.finishedAt === undefined && (OPEN_STATUSES.has(n.status) || !!n.wait);
      const segEnd = n.finishedAt ?? (open ? Math.max(start, end) : start);
      const outcome: AttemptOutcome =
        n.status === 'succeeded' ? 'succeeded' : n.status === 'failed' ? 'failed' : 'running';
      segments.push({
        kind: n.status === 'waiting' && n.wait ? 'suspended' : 'attempt',
        attempt: Math.max(1, n.attempts),
        start,
        end: segEnd,
        open,
        outcome,
        ...(n.status === 'waiting' && n.wait ? { wait: n.wait.kind } : {}),
        ...(n.error ? { error: n.error.message } : {}),
      });
    }
    const rowStart = start ?? run.createdAt;
    const rowEnd = segments[0]?.end ?? rowStart;
    rows.push({
      path: n.path,
      nodeId,
      loops,
      status: n.status,
      attempts: n.attempts,
      start: rowStart,
      end: rowEnd,
      durationMs: rowEnd - rowStart,
      segments,
    });
  }
  rows.sort((a, b) => a.start - b.start);
  return axis({ start: run.createdAt, end, live, rows }, options.ticks);
}
