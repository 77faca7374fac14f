import { render } from 'lit';
import type { FlowDefinition } from '@millrace/engine/model';
import type { NodeOverlay } from '../core/run-overlay.ts';
import type { DesignerStrings } from './designer-strings.ts';
import { renderOutline } from './outline-view.ts';

/** What the outline reads from the designer element. */
export interface OutlineHost {
  readonly slot: () => HTMLElement | null;
  readonly flow: () => unknown;
  readonly overlay: () => ReadonlyMap<string, NodeOverlay> | undefined;
  /** The host's strings (compared by identity) and the strings with their defaults. */
  readonly givenStrings: () => unknown;
  readonly strings: () => DesignerStrings;
}

/**
 * The screen-reader outline of the flow, drawn after the canvas's paint into its own slot: it
 * is not seen, and for a large flow it costs a quarter of the first render (measured: 1,000
 * nodes, 206 → 158 ms to first paint without it in the template).
 */
export class OutlineController {
  private drawn:
    { readonly flow: unknown; readonly overlay: unknown; readonly strings: unknown } | undefined;
  private scheduled = false;

  constructor(private readonly host: OutlineHost) {}

  /** Draws the outline when the browser is idle after the next paint. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    let done = false;
    const run = (): void => {
      if (done) return;
      done = true;
      this.scheduled = false;
      this.draw();
    };
    // When the browser is idle after the paint (a 1,000-step outline costs ~70 ms), and at the
    // latest a moment later; a hidden page gets no animation frames, hence the timer.
    requestAnimationFrame(() =>
      typeof requestIdleCallback === 'function'
        ? requestIdleCallback(run, { timeout: 200 })
        : setTimeout(run, 0),
    );
    setTimeout(run, 250);
  }

  private draw(): void {
    const host = this.host;
    const slot = host.slot();
    const flow = host.flow();
    if (!slot || !flow) return;
    const overlay = host.overlay();
    const strings = host.givenStrings();
    const last = this.drawn;
    if (last?.flow === flow && last.overlay === overlay && last.strings === strings) return;
    this.drawn = { flow, overlay, strings };
    render(renderOutline(flow as FlowDefinition, host.strings(), overlay), slot);
  }
}
