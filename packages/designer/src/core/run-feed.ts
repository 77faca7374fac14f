import {
  applyEvent,
  toRunView,
  type NodeRecord,
  type NodeView,
  type RunEvent,
  type RunState,
  type RunView,
} from '@millrace/engine/model';
import { TimelineBuilder, timelineOfView, type Timeline } from './run-timeline.ts';

/** What `<flow-designer>.run` accepts: a run view, or the run's event stream (recorded or live). */
export type RunInput = RunView | readonly RunEvent[];

/** True when `run` is an event stream rather than a RunView. */
export function isEventStream(run: RunInput): run is readonly RunEvent[] {
  return Array.isArray(run);
}

/**
 * Turns successive values of `.run` into run views and timelines. A host streaming a live run
 * reassigns `.run` with a longer array on every event; when the new array extends the last one
 * (same first event, same event where the last one ended), only the new tail is folded, so a
 * run of n events costs O(n) in all rather than O(n²).
 */
export interface RunFeed {
  /** The view of `run` (a RunView is returned as it is). Throws on a broken stream. */
  update(run: RunInput | undefined): RunView | undefined;
  /** The timeline of the last run given: from its events, or coarse from a RunView alone. */
  timeline(now?: number): Timeline | undefined;
}

/** A RunFeed (one per element). */
export function createRunFeed(): RunFeed {
  let input: RunInput | undefined;
  let view: RunView | undefined;
  // The fold so far of the last stream: its state, length and last event.
  let state: RunState | undefined;
  let first: RunEvent | undefined;
  let last: RunEvent | undefined;
  let length = 0;
  let builder: TimelineBuilder | undefined;
  // The node views of `view` by path, in the state's record order.
  let views: Map<string, NodeView> | undefined;

  const sameEvent = (a: RunEvent | undefined, b: RunEvent | undefined): boolean =>
    a === b || (a !== undefined && b !== undefined && a.seq === b.seq && a.at === b.at);

  const extendsLast = (events: readonly RunEvent[]): boolean => {
    if (state === undefined || events.length < length) return false;
    const head = events[0];
    return (
      sameEvent(head, first) &&
      sameEvent(events[length - 1], last) &&
      // Two runs can share seq and times (simulated clocks): RunCreated names the run.
      (head === first ||
        head?.type !== 'RunCreated' ||
        first?.type !== 'RunCreated' ||
        (head.runId === first.runId &&
          head.flowId === first.flowId &&
          head.flowVersion === first.flowVersion))
    );
  };

  const reset = (): void => {
    state = undefined;
    first = undefined;
    last = undefined;
    length = 0;
    builder = undefined;
    views = undefined;
  };

  /**
   * The view after new events: only the records they touched are converted again (a live run
   * of n records then costs O(touched) per event, not O(n)), unless records were dropped (a
   * container retry) and the order may have changed.
   */
  const viewOf = (s: RunState, touched: ReadonlySet<string>, structural: boolean): RunView => {
    const known = views;
    let added = 0;
    const partial = new Map<string, NodeRecord>();
    for (const path of touched) {
      const r = s.nodes.get(path);
      if (!r) continue;
      partial.set(path, r);
      if (!known?.has(path)) added++;
    }
    if (!known || structural || s.nodes.size !== known.size + added) {
      const full = snapshotView(s);
      views = new Map(full.nodes.map((n) => [n.path, n]));
      return full;
    }
    const part = toRunView({ ...s, nodes: partial });
    for (const n of part.nodes) known.set(n.path, { ...n, logs: [...n.logs] });
    return { ...part, nodes: [...known.values()] };
  };

  return {
    update(run) {
      if (run === input && (!run || !isEventStream(run) || run.length === length)) return view;
      input = run;
      if (!run || !isEventStream(run)) {
        reset();
        view = run;
        return view;
      }
      if (!extendsLast(run)) reset();
      // Fold a private state: applyEvent mutates it, and the views handed out stay as they were.
      let next = state;
      let head = first;
      let tail = last;
      const touched = new Set<string>();
      let structural = false;
      try {
        for (let i = length; i < run.length; i++) {
          tail = run[i]!;
          if (i === 0) head = tail;
          next = applyEvent(next, tail);
          if ('path' in tail) touched.add(tail.path);
          if (tail.type === 'NodeRetryScheduled' && tail.reset) structural = true;
        }
      } catch (error) {
        reset();
        view = undefined;
        throw error;
      }
      state = next;
      first = head;
      last = tail;
      length = run.length;
      view = state ? viewOf(state, touched, structural) : undefined;
      return view;
    },
    timeline(now) {
      const run = input;
      if (!run) return undefined;
      const options = now === undefined ? {} : { now };
      if (!isEventStream(run)) return timelineOfView(run, options);
      // The builder follows the same stream as the fold; it catches up lazily, when drawn.
      if (!builder || builder.count > run.length) builder = new TimelineBuilder();
      for (let i = builder.count; i < run.length; i++) builder.add(run[i]!);
      return builder.build(options);
    },
  };
}

/**
 * `toRunView` shares the record's log arrays, which the next `applyEvent` appends to; copy them
 * so that a view once handed out (say in a `node-open` event) never changes under its holder.
 */
function snapshotView(state: RunState): RunView {
  const view = toRunView(state);
  return { ...view, nodes: view.nodes.map((n) => ({ ...n, logs: [...n.logs] })) };
}
