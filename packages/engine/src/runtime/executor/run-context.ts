import { MillraceError } from '../../errors/millrace-error.ts';
import type { TimerHandle } from '../../platform/clock.ts';
import type { RunSummary } from '../../store/run-store.ts';
import type { CNode, CompiledFlow } from '../compile-flow.ts';
import { nextWakeAt, runSummary } from '../decisions/run-summary.ts';
import type { NewRunEvent, NodeError, RunEvent, TriggerInfo } from '../events.ts';
import type { Frame } from '../frame.ts';
import { redact } from '../redact.ts';
import { applyEvent, stateToSnapshot, type RunState } from '../run-state.ts';
import type { ExecutorServices } from './executor-services.ts';
import type { InFlight, Waiter } from './executor-support.ts';

/**
 * The live side of one run: its folded state and what is in flight (tasks, parked nodes,
 * actions, timers), and the loop that applies work in order. Tasks run synchronously; the
 * events they record batch in the outbox; effects (anything that leaves the engine: an action
 * call, a store read, a child run) wait until the outbox is stored, so events are durable
 * before the engine acts on them.
 *
 * The node kinds (`pure-nodes.ts`, `containers.ts`, `loops.ts`, `waits.ts`, `invoke-action.ts`)
 * and the outcomes they lead to (`node-outcomes.ts`) are functions over this context;
 * `RunExecutor` (run-executor.ts) adds the dispatch from a ready node to its kind.
 */
export abstract class RunContext {
  readonly state: RunState;
  // Tasks; a `null` task is "node ready" with its frame and node in the parallel arrays, so
  // the hottest task allocates no closure.
  readonly queue: ((() => void) | null)[] = [];
  readonly queueFrames: (Frame | undefined)[] = [];
  readonly queueNodes: (CNode | undefined)[] = [];
  head = 0;
  outbox: RunEvent[] = [];
  effects: (() => void)[] = [];
  pumping = false;
  /** Work outside the queue that will come back to it (an action, a cache read, a slot). */
  busy = 0;
  ended = false;
  /** Unloaded or crashed: nothing more runs. */
  dead = false;
  /** The error the run is failing with (compensation and onFailure are running). */
  failing: NodeError | undefined;
  main: Frame | undefined;
  sinceSnapshot = 0;
  holds = 0;
  /** The seq of the last event the store holds (a new run's RunCreated is not stored yet). */
  storedSeq: number;
  private storedWaiters: { seq: number; resolve(): void; reject(error: unknown): void }[] = [];
  readonly timers = new Map<string, TimerHandle>();
  readonly waiters = new Map<string, Waiter>();
  readonly inflight = new Map<string, InFlight>();
  /** Frames of nodes waiting for a retry timer (so a failing scope can cancel them). */
  readonly retryFrames = new Map<string, Frame>();
  readonly flowScope: Record<string, unknown>;
  readonly triggerScope: TriggerInfo;

  protected constructor(
    readonly flow: CompiledFlow,
    readonly services: ExecutorServices,
    state: RunState,
  ) {
    this.state = state;
    this.storedSeq = state.lastSeq;
    this.flowScope = {
      id: state.flowId,
      version: state.flowVersion,
      runId: state.runId,
      input: state.input,
      startedAt: state.createdAt,
    };
    this.triggerScope = state.trigger;
  }

  /** A node became ready (all incoming edges resolved): run it, skip it, or continue it. */
  abstract nodeReady(frame: Frame, node: CNode): void;

  /** Runs an attempt of a node (also when its retry timer fires). */
  abstract runNode(
    frame: Frame,
    node: CNode,
    path: string,
    attempt: number,
    restarted?: boolean,
  ): void;

  /** Nothing in flight, nothing parked, no timer, not ended: a bug, which must fail the run. */
  protected abstract stalled(): void;

  get runId(): string {
    return this.state.runId;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The earliest timer of the run. */
  get nextWakeAt(): number | undefined {
    return nextWakeAt(this.state);
  }

  /** The run's summary row, as the store keeps it. */
  summary(): RunSummary {
    return runSummary(this.state);
  }

  /** Keeps the executor loaded (not parked) until `release()`: a caller is about to use it. */
  hold(): void {
    this.holds++;
  }

  release(): void {
    this.holds--;
    if (this.holds === 0) void this.pump();
  }

  /**
   * Resolves once every event recorded so far is in the store; rejects with the error that
   * stopped the run before (a store failure), or when the run is unloaded first. What makes
   * `engine.start()` answer only once its run is stored.
   */
  whenStored(): Promise<void> {
    const seq = this.state.lastSeq;
    if (this.storedSeq >= seq) return Promise.resolve();
    if (this.dead) return Promise.reject(unloaded(this.runId));
    return new Promise((resolve, reject) => this.storedWaiters.push({ seq, resolve, reject }));
  }

  private settleStored(error?: unknown): void {
    const waiters = this.storedWaiters;
    this.storedWaiters = [];
    for (const w of waiters) {
      if (error !== undefined) w.reject(error);
      else if (w.seq <= this.storedSeq) w.resolve();
      else this.storedWaiters.push(w);
    }
  }

  /** Stops timers and in-flight work without writing anything (the engine unloads the run). */
  dispose(): void {
    for (const handle of this.timers.values()) this.services.clock.clearTimer(handle);
    this.timers.clear();
    this.dead = true;
    if (this.storedWaiters.length > 0) this.settleStored(unloaded(this.runId));
  }

  /** Stamps, records and applies an event; `frame` adds its loop iteration. */
  emit(event: NewRunEvent, frame?: Frame): RunEvent {
    // Every secret value the engine has resolved is redacted from every event, whichever
    // path it took (an output expression, a wait message, a forEach item, a child's input).
    const secrets = this.services.knownSecrets();
    const stamped = secrets.length > 0 ? redact(event, secrets) : event;
    // Callers build each event fresh, so stamping it in place saves a copy per event.
    const full = stamped as unknown as { seq: number; at: number } & RunEvent;
    if (frame?.iteration !== undefined)
      (full as { iteration?: number }).iteration = frame.iteration;
    full.seq = this.state.lastSeq + 1;
    full.at = this.services.clock.now();
    applyEvent(this.state, full);
    this.outbox.push(full);
    return full;
  }

  /** The run ended: no timer fires and every action in flight is aborted. */
  end(): void {
    this.ended = true;
    for (const handle of this.timers.values()) this.services.clock.clearTimer(handle);
    this.timers.clear();
    for (const f of this.inflight.values()) f.controller.abort('run ended');
  }

  // ---------------------------------------------------------------------------------------
  // The loop

  enqueue(task: () => void): void {
    this.push(task);
    void this.pump();
  }

  push(task: () => void): void {
    this.queue.push(task);
    this.queueFrames.push(undefined);
    this.queueNodes.push(undefined);
  }

  pushReady(frame: Frame, node: CNode): void {
    this.queue.push(null);
    this.queueFrames.push(frame);
    this.queueNodes.push(node);
  }

  async pump(): Promise<void> {
    if (this.pumping || this.dead) return;
    this.pumping = true;
    try {
      for (;;) {
        while (this.head < this.queue.length && !this.dead) {
          const i = this.head++;
          const task = this.queue[i];
          if (task === null) {
            const frame = this.queueFrames[i]!;
            const node = this.queueNodes[i]!;
            this.queueFrames[i] = undefined;
            this.queueNodes[i] = undefined;
            this.nodeReady(frame, node);
          } else {
            this.queue[i] = null;
            task!();
          }
          if (this.effects.length > 0) await this.runEffects();
        }
        this.queue.length = 0;
        this.queueFrames.length = 0;
        this.queueNodes.length = 0;
        this.head = 0;
        await this.flush();
        if (this.effects.length > 0) await this.runEffects();
        if (this.head >= this.queue.length) break;
      }
    } catch (err) {
      this.dead = true;
      this.pumping = false;
      this.settleStored(err);
      this.dispose();
      this.services.crashed(this, err);
      return;
    }
    this.pumping = false;
    if (this.dead) return;
    this.afterPump();
  }

  private async runEffects(): Promise<void> {
    await this.flush();
    const effects = this.effects;
    this.effects = [];
    for (const effect of effects) effect();
  }

  private async flush(): Promise<void> {
    if (this.outbox.length === 0) return;
    const events = this.outbox;
    this.outbox = [];
    await this.services.store.append(this.runId, events, this.summary());
    this.storedSeq = events[events.length - 1]!.seq;
    if (this.storedWaiters.length > 0) this.settleStored();
    this.sinceSnapshot += events.length;
    if (this.sinceSnapshot >= this.services.limits.snapshotEvery && !this.ended) {
      this.sinceSnapshot = 0;
      await this.services.store.saveSnapshot(
        this.runId,
        this.state.lastSeq,
        stateToSnapshot(this.state),
      );
    }
    this.services.published(this, events);
  }

  private afterPump(): void {
    if (this.holds > 0) return;
    if (this.ended || this.state.status === 'queued') {
      this.services.idle(this);
      return;
    }
    if (this.busy > 0 || this.head < this.queue.length) return;
    if (this.state.waiting.size > 0 || this.state.timers.size > 0) {
      this.services.idle(this);
      return;
    }
    this.stalled();
  }
}

/** Why a run's events never reached the store: it was unloaded (the engine closed) first. */
function unloaded(runId: string): MillraceError {
  return new MillraceError(
    'E_INVALID_ARGUMENT',
    `Run "${runId}" was unloaded (the engine closed) before its events were stored.`,
    { details: { runId } },
  );
}
