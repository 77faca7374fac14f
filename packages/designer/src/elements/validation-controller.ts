import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { validateFlow, type ActionCatalog, type Diagnostic } from '@millrace/engine/model';

/** What the validation needs of its designer. */
export interface ValidationHost {
  readonly element: ReactiveControllerHost & HTMLElement;
  flow(): unknown;
  catalog(): ActionCatalog | undefined;
  /** Diagnostics the host gave (`diagnostics`): then the designer does not validate. */
  given(): readonly Diagnostic[] | undefined;
  /** After each validation (form validity, `flow-validate`). */
  validated(diagnostics: readonly Diagnostic[]): void;
}

/**
 * The flow's diagnostics, computed with the engine's `validateFlow` after the frame that draws
 * the flow (a 1,000-step flow takes ~60 ms): cards are painted first, their markers a frame
 * later. What must read the current diagnostics (`checkValidity()`) flushes a pending run.
 */
export class ValidationController implements ReactiveController {
  private computed: readonly Diagnostic[] = [];
  private pending: (() => void) | undefined;
  private settled: Promise<void> = Promise.resolve();

  constructor(private readonly host: ValidationHost) {
    host.element.addController(this);
  }

  hostConnected(): void {}

  /** The diagnostics to show: the host's, else the last validation's. */
  get diagnostics(): readonly Diagnostic[] {
    return this.host.given() ?? this.computed;
  }

  /** True while a validation is scheduled and has not run yet. */
  get scheduled(): boolean {
    return this.pending !== undefined;
  }

  /** Resolves when the scheduled validation has run. */
  get complete(): Promise<void> {
    return this.settled;
  }

  /**
   * Validates after the next frame (or at once on `flush()`); with `after`, after the frame
   * that follows it. An edit's relayout passes its layout's drawing: the worker's answer is then
   * drawn as soon as it arrives instead of waiting behind validation (~30 ms at 1,000 steps)
   * and the re-render of the diagnostics it brings; the markers follow a frame after the cards.
   */
  schedule(after?: Promise<unknown>): void {
    let done = false;
    let resolve: () => void = () => undefined;
    this.settled = new Promise((r) => (resolve = r));
    const run = (): void => {
      if (done) return;
      done = true;
      if (this.pending === run) this.pending = undefined;
      const flow = this.host.flow();
      if (this.host.given() === undefined && flow) {
        try {
          const catalog = this.host.catalog();
          this.computed = validateFlow(flow, catalog === undefined ? {} : { catalog });
        } catch {
          this.computed = [];
        }
      }
      this.host.element.requestUpdate();
      this.host.validated(this.diagnostics);
      resolve();
    };
    this.pending = run;
    const start = (): void => {
      if (done) return;
      requestAnimationFrame(() => setTimeout(run, 0));
      // A hidden page gets no animation frames.
      setTimeout(run, 50);
    };
    if (after) void after.then(start, start);
    else start();
  }

  /** Runs a scheduled validation now. */
  flush(): void {
    this.pending?.();
  }
}
