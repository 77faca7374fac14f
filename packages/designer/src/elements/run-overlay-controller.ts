import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RunView } from '@millrace/engine/model';
import { indexFlow } from '../core/canvas-geometry.ts';
import { overlayOf, type IterationChoice, type NodeOverlay } from '../core/run-overlay.ts';
import { createRunFeed, type RunInput } from '../core/run-feed.ts';
import {
  loopIterationsOf,
  resolvedChoice,
  stepIteration,
  type IterationStep,
  type LoopIterations,
} from '../core/iteration-choice.ts';
import type { TimelineRow } from '../core/run-timeline.ts';
import type { DesignerStrings } from './designer-strings.ts';
import { drawRunTimeline } from './run-timeline-view.ts';

/** How often an open timeline of an unfinished run is redrawn (its open bars grow to `now`). */
const LIVE_TICK_MS = 1000;

/** What the run overlay needs of its designer. */
export interface RunOverlayHost {
  readonly element: ReactiveControllerHost & HTMLElement;
  run(): RunInput | undefined;
  flow(): unknown;
  iterationChoice(): IterationChoice;
  setIterationChoice(choice: IterationChoice): void;
  strings(): DesignerStrings;
  locale(): string | undefined;
  now(): number;
  selection(): readonly string[];
  select(id: string): void;
  /** The element the timeline panel is drawn into (its slot), when open. */
  timelineSlot(): HTMLElement | null;
}

export interface RunOverlayState {
  readonly loops: Map<string, LoopIterations>;
  readonly overlay: Map<string, NodeOverlay>;
}

/**
 * The run shown over the canvas (issue 5, decision 0006): the `run` property folded into a
 * RunView (incrementally for a growing event stream), the overlay of each card for the chosen
 * loop iterations, the iteration pickers' steps and announcements, and the run timeline panel
 * (redrawn every second while the run is unfinished, without rendering the canvas again).
 */
export class RunOverlayController implements ReactiveController {
  /** The run as a view (folded from `run` when that is an event stream). */
  view: RunView | undefined;
  /** What the iteration pickers' live region says after a step. */
  announcement = '';
  private readonly feed = createRunFeed();
  private liveTick: ReturnType<typeof setTimeout> | undefined;
  private cache: (RunOverlayState & { run: RunView; choice: IterationChoice }) | undefined;

  constructor(private readonly host: RunOverlayHost) {
    host.element.addController(this);
  }

  hostConnected(): void {
    // Moved in the page: a live timeline's ticking stopped when it was taken out.
    if ((this.host.element as unknown as { hasUpdated: boolean }).hasUpdated) this.drawTimeline();
  }

  hostDisconnected(): void {
    clearTimeout(this.liveTick);
    this.liveTick = undefined;
  }

  hostUpdated(): void {
    this.drawTimeline();
  }

  /** Folds `run` into `view`; another run starts at its latest iterations unless `keepChoice`. */
  fold(keepChoice: boolean): void {
    const previous = this.view;
    try {
      const next = (this.view = this.feed.update(this.host.run()));
      const other = next?.runId !== previous?.runId || next?.flowId !== previous?.flowId;
      if (!keepChoice && previous && other) this.host.setIterationChoice({});
    } catch (error) {
      this.view = undefined;
      // A typed engine error (`E_STORE_CORRUPT`...): the host hears of it; nothing is shown.
      this.host.element.dispatchEvent(
        new CustomEvent('run-error', { bubbles: true, composed: true, detail: { error } }),
      );
      console.warn(
        '<flow-designer>: `run` is not a readable event stream (it must start with RunCreated, ' +
          'in sequence, without gaps); no run is shown.',
        error,
      );
    }
  }

  /** The loops of the shown run, and its overlay for the chosen iterations (cached). */
  state(): RunOverlayState | undefined {
    const run = this.view;
    if (!run) return undefined;
    const choice = this.host.iterationChoice();
    const cache = this.cache;
    if (cache?.run === run && cache.choice === choice) return cache;
    const loops = loopIterationsOf(run, choice);
    const overlay = overlayOf(run, resolvedChoice(loops));
    this.cache = { run, choice, loops, overlay };
    return this.cache;
  }

  /** A picker step: shows another iteration of a loop and reports it. */
  stepLoop(loopId: string, step: IterationStep, name: string): void {
    const loop = this.state()?.loops.get(loopId);
    if (!loop) return;
    this.showIterations([[loopId, stepIteration(loop, step)]]);
    // Focus stays on the arrow, whose name does not change: say where the picker is now.
    const now = this.state()?.loops.get(loopId) ?? loop;
    const position = now.iterations.indexOf(now.current) + 1;
    this.announcement = this.host.strings().iterationPicker(name, position, now.iterations.length);
    this.host.element.requestUpdate();
  }

  /**
   * Shows these iterations of these loops (outer loops first), with an `iteration-change` for
   * each of them whose shown iteration number changed.
   */
  showIterations(wanted: readonly (readonly [loopId: string, iteration: number])[]): void {
    const current = this.host.iterationChoice();
    if (wanted.every(([id, i]) => current[id] === i)) return;
    const before = this.state()?.loops;
    this.host.setIterationChoice({ ...current, ...Object.fromEntries(wanted) });
    const after = this.state()?.loops;
    for (const [loopId] of wanted) {
      const iteration = after?.get(loopId)?.current;
      if (iteration === undefined || iteration === before?.get(loopId)?.current) continue;
      this.host.element.dispatchEvent(
        new CustomEvent('iteration-change', {
          bubbles: true,
          composed: true,
          detail: { loopId, iteration },
        }),
      );
    }
  }

  /** Draws the timeline panel; redrawn every LIVE_TICK_MS while its run is unfinished. */
  drawTimeline(): void {
    clearTimeout(this.liveTick);
    this.liveTick = undefined;
    const slot = this.host.timelineSlot();
    if (!slot) return;
    const timeline = this.feed.timeline(this.host.now());
    const byId = indexFlow(this.host.flow() as Parameters<typeof indexFlow>[0]);
    const loops = this.state()?.loops;
    drawRunTimeline(slot, timeline, this.host.element, {
      strings: this.host.strings(),
      locale: this.host.locale(),
      // The row of what a selected card shows: its node, in the iterations the canvas shows.
      selected: (row) =>
        this.host.selection().includes(row.nodeId) &&
        row.loops.every(([id, i]) => loops?.get(id)?.current === i),
      nameOf: (id) => {
        const source = byId.get(id);
        return (source && 'name' in source ? source.name : undefined) ?? id;
      },
      onOpen: (row: TimelineRow) => {
        // Like a click on the card, with the canvas switched to the row's iterations.
        this.showIterations(row.loops);
        this.host.select(row.nodeId);
        this.host.element.dispatchEvent(
          new CustomEvent('node-open', {
            bubbles: true,
            composed: true,
            detail: {
              nodeId: row.nodeId,
              path: row.path,
              view: this.view?.nodes.find((v) => v.path === row.path),
            },
          }),
        );
      },
    });
    if (timeline?.live && this.host.element.isConnected) {
      this.liveTick = setTimeout(() => this.drawTimeline(), LIVE_TICK_MS);
    }
  }
}
