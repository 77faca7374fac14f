import { Validator, type Schema } from '@cfworker/json-schema';
import type { ActionContext, ActionDefinition } from '../actions/action.ts';
import { MillraceError } from '../errors/millrace-error.ts';
import type { ForEachNode, WhileNode } from '../model/flow.ts';
import { DEFAULT_PORT } from '../model/ports.ts';
import type { Clock, TimerHandle } from '../platform/clock.ts';
import { newAbortController, utf8Length, type AbortControllerLike } from '../platform/globals.ts';
import type { IdSource } from '../platform/ids.ts';
import type { RunStore, RunSummary } from '../store/run-store.ts';
import type { CGraph, CNode, CompiledFlow, Evaluable } from './compile-flow.ts';
import type {
  NewRunEvent,
  NodeError,
  ParentLink,
  RunEvent,
  TimerPurpose,
  TriggerInfo,
  WaitInfo,
} from './events.ts';
import { Frame, type Bindings } from './frame.ts';
import { engineError, toNodeError } from './node-errors.ts';
import { redact } from './redact.ts';
import { NOT_RETRYABLE, retryDelay } from './retry.ts';
import { applyEvent, stateToSnapshot, type NodeRecord, type RunState } from './run-state.ts';

/** Engine limits that the executor enforces. */
export interface ExecutorLimits {
  readonly maxOutputBytes: number;
  readonly snapshotEvery: number;
  readonly defaultMaxIterations: number;
}

/** A FIFO counting semaphore: `maxConcurrentNodes` across all runs of an engine. */
export interface Slots {
  /** Calls `start` now (returns true) or when a slot frees up (returns false). */
  acquire(start: () => void): boolean;
  release(): void;
}

/** What the executor needs from its engine. */
export interface ExecutorServices {
  readonly store: RunStore;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly limits: ExecutorLimits;
  readonly slots: Slots;
  /** The action that runs a node (or a compensate step's type). */
  action(type: string, node?: CNode): ActionDefinition | undefined;
  secret(name: string): string | undefined;
  /** Events were stored. */
  published(executor: RunExecutor, events: readonly RunEvent[]): void;
  /** A `return` node set the output early. */
  returned(executor: RunExecutor, value: unknown): void;
  /** The run ended (succeeded, failed, cancelled) or parked (nothing in flight). */
  idle(executor: RunExecutor): void;
  /** Starts (once) the child run of a subflow node. */
  startChild(request: {
    runId: string;
    flowId: string;
    version?: number;
    input: unknown;
    parent: ParentLink;
  }): Promise<void>;
  /** Something failed outside any run semantics (the store is down); the run stays as stored. */
  crashed(executor: RunExecutor, error: unknown): void;
}

interface Waiter {
  readonly frame: Frame;
  readonly node: CNode;
  readonly path: string;
  readonly attempt: number;
  readonly wait: WaitInfo;
}

interface InFlight {
  readonly frame: Frame;
  readonly controller: AbortControllerLike;
  readonly node: CNode;
  readonly attempt: number;
  settled: boolean;
  timeout?: TimerHandle;
}

interface LoopState {
  next: number;
  running: number;
  done: number;
  readonly outputs: unknown[];
  readonly frames: Set<Frame>;
}

const validators = new WeakMap<object, Validator>();
function schemaValidator(schema: object): Validator {
  let v = validators.get(schema);
  if (!v) {
    v = new Validator(schema as Schema, '2020-12', false);
    validators.set(schema, v);
  }
  return v;
}

function isTruthy(value: unknown): boolean {
  return Boolean(value);
}

/**
 * Runs one run of one flow version. It folds the run's events into its state and decides the
 * next steps from that state, so recovering after a crash is the same code as running live:
 * a node whose record says it finished is never run again; one that started and did not
 * finish runs again with the same idempotency key; parked nodes and timers are re-armed.
 *
 * Events are appended to the store before the engine acts on them: pure steps (transform,
 * if, switch, log, setVars) are computed and batched, and the batch is flushed before any
 * action runs, any timer is relied on, or any caller is answered.
 */
export class RunExecutor {
  readonly state: RunState;
  // Tasks; a `null` task is "node ready" with its frame and node in the parallel arrays, so
  // the hottest task allocates no closure.
  private readonly queue: ((() => void) | null)[] = [];
  private readonly queueFrames: (Frame | undefined)[] = [];
  private readonly queueNodes: (CNode | undefined)[] = [];
  private head = 0;
  private outbox: RunEvent[] = [];
  private effects: (() => void)[] = [];
  private pumping = false;
  private busy = 0;
  private ended = false;
  private dead = false;
  private failing: NodeError | undefined;
  private main: Frame | undefined;
  private sinceSnapshot = 0;
  private holds = 0;
  private readonly timers = new Map<string, TimerHandle>();
  private readonly timerTargets = new Map<string, () => void>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly inflight = new Map<string, InFlight>();
  /** Frames of nodes waiting for a retry timer (so a failing scope can cancel them). */
  private readonly retryFrames = new Map<string, Frame>();
  private readonly loops = new Map<string, LoopState>();
  private readonly flowScope: Record<string, unknown>;
  private readonly triggerScope: TriggerInfo;

  private constructor(
    readonly flow: CompiledFlow,
    private readonly services: ExecutorServices,
    state: RunState,
  ) {
    this.state = state;
    this.flowScope = {
      id: state.flowId,
      version: state.flowVersion,
      runId: state.runId,
      input: state.input,
      startedAt: state.createdAt,
    };
    this.triggerScope = state.trigger;
  }

  /** A new run: writes RunCreated (and arms the run deadline). */
  static create(
    flow: CompiledFlow,
    services: ExecutorServices,
    init: {
      runId: string;
      input: unknown;
      trigger: TriggerInfo;
      parent?: ParentLink;
      queued: boolean;
    },
  ): RunExecutor {
    const now = services.clock.now();
    const timeoutMs = flow.def.timeoutMs;
    const created: RunEvent = {
      type: 'RunCreated',
      seq: 1,
      at: now,
      runId: init.runId,
      flowId: flow.def.id,
      flowVersion: flow.version,
      input: init.input,
      trigger: init.trigger,
      vars: (flow.def.vars ?? {}) as Record<string, unknown>,
      ...(init.parent ? { parent: init.parent } : {}),
      ...(init.queued ? { queued: true } : {}),
      ...(timeoutMs !== undefined ? { deadline: now + timeoutMs } : {}),
    };
    const executor = new RunExecutor(flow, services, applyEvent(undefined, created));
    executor.outbox.push(created);
    return executor;
  }

  /** An existing run, from its folded state. */
  static resume(flow: CompiledFlow, services: ExecutorServices, state: RunState): RunExecutor {
    return new RunExecutor(flow, services, state);
  }

  get runId(): string {
    return this.state.runId;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** True when nothing is in flight: the engine may drop the executor (the run is parked). */
  get isIdle(): boolean {
    return !this.pumping && this.busy === 0 && this.head >= this.queue.length;
  }

  /** The earliest timer of the run. */
  get nextWakeAt(): number | undefined {
    let min: number | undefined;
    for (const t of this.state.timers.values())
      if (min === undefined || t.dueAt < min) min = t.dueAt;
    return min;
  }

  /** Keeps the executor loaded (not parked) until `release()`: a caller is about to use it. */
  hold(): void {
    this.holds++;
  }

  release(): void {
    this.holds--;
    if (this.holds === 0) void this.pump();
  }

  /** Starts (or, after a reload, continues) the run. */
  begin(): void {
    if (this.state.status === 'queued') {
      void this.pump();
      return;
    }
    this.enqueue(() => this.startMain());
  }

  /** A queued run got its slot. */
  dequeue(): void {
    if (this.state.status !== 'queued') return;
    this.emit({ type: 'RunStarted' });
    this.enqueue(() => this.startMain());
  }

  /** Wakes the parked node that waits for `token`. Throws E_SIGNAL_* for a bad signal. */
  signal(token: string, payload: unknown): void {
    const waiter = this.waiters.get(token);
    if (!waiter || this.ended) {
      throw new MillraceError(
        'E_SIGNAL_UNKNOWN',
        `No node of run "${this.runId}" waits for this token; it may have been used already or expired.`,
      );
    }
    this.checkSignal(waiter, payload);
    this.enqueue(() => {
      if (!this.waiters.has(token)) return;
      this.emit({
        type: 'SignalReceived',
        path: waiter.path,
        token,
        payload,
        ...this.iter(waiter.frame),
      });
      this.completeWait(waiter, payload);
    });
  }

  /** Cancels the run: aborts everything in flight and records RunCancelled. */
  cancel(reason?: string): void {
    this.enqueue(() => {
      if (this.ended) return;
      if (this.main) this.abortFrame(this.main, 'E_RUN_CANCELLED');
      this.emit({ type: 'RunCancelled', ...(reason === undefined ? {} : { reason }) });
      this.end();
    });
  }

  /** Stops timers and in-flight work without writing anything (the engine unloads the run). */
  dispose(): void {
    for (const handle of this.timers.values()) this.services.clock.clearTimer(handle);
    this.timers.clear();
    this.dead = true;
  }

  /** The run's summary row, as the store keeps it. */
  summary(): RunSummary {
    const s = this.state;
    const base: { -readonly [K in keyof RunSummary]: RunSummary[K] } = {
      runId: s.runId,
      flowId: s.flowId,
      flowVersion: s.flowVersion,
      status: s.status,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      waiting: [...s.waiting.values()],
      lastSeq: s.lastSeq,
    };
    if (s.startedAt !== undefined) base.startedAt = s.startedAt;
    if (s.finishedAt !== undefined) base.finishedAt = s.finishedAt;
    if (s.error !== undefined) base.error = s.error;
    if (s.parent !== undefined) base.parentRunId = s.parent.runId;
    const wake = this.nextWakeAt;
    if (wake !== undefined) base.nextWakeAt = wake;
    return base;
  }

  // ---------------------------------------------------------------------------------------
  // The loop: tasks run synchronously; events batch in the outbox; effects (anything that
  // leaves the engine) wait until the outbox is stored.

  private enqueue(task: () => void): void {
    this.push(task);
    void this.pump();
  }

  private push(task: () => void): void {
    this.queue.push(task);
    this.queueFrames.push(undefined);
    this.queueNodes.push(undefined);
  }

  private pushReady(frame: Frame, node: CNode): void {
    this.queue.push(null);
    this.queueFrames.push(frame);
    this.queueNodes.push(node);
  }

  private async pump(): Promise<void> {
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
    // Nothing in flight, nothing parked, no timer, not ended: a bug. Fail loudly, not hang.
    this.enqueue(() =>
      this.failRun(
        engineError('E_RUN_STALLED', `Run "${this.runId}" stalled with nothing left to do.`),
      ),
    );
  }

  private emit(event: NewRunEvent): RunEvent {
    // Callers build each event fresh, so stamping it in place saves a copy per event.
    const full = event as unknown as { seq: number; at: number } & RunEvent;
    full.seq = this.state.lastSeq + 1;
    full.at = this.services.clock.now();
    applyEvent(this.state, full);
    this.outbox.push(full);
    return full;
  }

  private iter(frame: Frame): { iteration?: number } {
    return frame.iteration === undefined ? {} : { iteration: frame.iteration };
  }

  private end(): void {
    this.ended = true;
    for (const handle of this.timers.values()) this.services.clock.clearTimer(handle);
    this.timers.clear();
    for (const f of this.inflight.values()) f.controller.abort('run ended');
  }

  // ---------------------------------------------------------------------------------------
  // Frames and readiness

  private startMain(): void {
    if (this.main || this.ended) return;
    const s = this.state;
    if (s.deadline !== undefined)
      this.ensureTimer('', 'runTimeout', s.deadline, 0, () => this.runTimedOut());
    this.main = new Frame(
      this.flow.main,
      [],
      {},
      undefined,
      {
        done: (f) => this.mainDone(f),
        failed: (_f, error) => this.failRun(error),
      },
      undefined,
    );
    this.startFrame(this.main);
  }

  private startFrame(frame: Frame): void {
    if (frame.graph.nodes.length === 0) {
      this.push(() => this.frameDone(frame));
      return;
    }
    for (const root of frame.graph.roots) this.pushReady(frame, root);
    if (frame.graph.roots.length === 0) {
      // Validation rejects cycles; a cyclic graph would otherwise never finish.
      this.push(() =>
        this.frameFailed(frame, engineError('E_FLOW_INVALID', 'The graph has no root (a cycle).')),
      );
    }
  }

  private frameDone(frame: Frame): void {
    if (frame.failed || frame.finished) return;
    frame.detach();
    frame.callbacks.done(frame);
  }

  private frameFailed(frame: Frame, error: NodeError): void {
    if (frame.failed || frame.finished) return;
    frame.failed = true;
    this.abortFrame(frame, 'E_NODE_ABORTED');
    frame.detach();
    frame.callbacks.failed(frame, error);
  }

  /** Aborts what is in flight or parked in a frame and its sub-frames (recording it). */
  private abortFrame(frame: Frame, code: 'E_NODE_ABORTED' | 'E_RUN_CANCELLED'): void {
    const frames: Frame[] = [];
    const collect = (f: Frame) => {
      frames.push(f);
      for (const c of f.children) collect(c);
    };
    collect(frame);
    const set = new Set(frames);
    for (const f of frames) if (f !== frame) f.failed = true;
    for (const [path, flight] of this.inflight) {
      const owner = flight.frame;
      if (!owner || !set.has(owner) || flight.settled) continue;
      flight.settled = true;
      if (flight.timeout) this.services.clock.clearTimer(flight.timeout);
      flight.controller.abort(code);
      this.inflight.delete(path);
      this.releaseSlot();
      if (code === 'E_NODE_ABORTED') {
        this.emit({
          type: 'NodeFailed',
          path,
          attempt: flight.attempt,
          aborted: true,
          error: engineError('E_NODE_ABORTED', `Aborted because another node in its scope failed.`),
          ...this.iter(owner),
        });
      }
    }
    for (const [token, w] of this.waiters) {
      if (!set.has(w.frame)) continue;
      this.waiters.delete(token);
      this.clearTimersOf(w.path);
      if (code === 'E_NODE_ABORTED') {
        this.emit({
          type: 'NodeFailed',
          path: w.path,
          attempt: w.attempt,
          aborted: true,
          error: engineError(
            'E_NODE_ABORTED',
            `Stopped waiting because another node in its scope failed.`,
          ),
          ...this.iter(w.frame),
        });
      }
    }
    for (const [path, f] of this.retryFrames) {
      if (!set.has(f)) continue;
      this.retryFrames.delete(path);
      this.clearTimersOf(path);
    }
  }

  private nodeReady(frame: Frame, node: CNode): void {
    if (frame.failed || frame.finished || this.ended) return;
    if (frame.shouldRun(node)) this.execute(frame, node);
    else this.skip(frame, node, 'dead');
  }

  /** Marks a node resolved with the port it chose (`null`: inactive) and readies successors. */
  private resolve(frame: Frame, node: CNode, port: string | null): void {
    if (frame.failed || frame.finished) return;
    frame.unresolved--;
    for (const e of node.outEdges) {
      const t = e.to.index;
      if (port !== null && e.port === port) frame.activeIn[t]!++;
      if (--frame.pending[t]! === 0) this.pushReady(frame, e.to);
    }
    if (frame.unresolved === 0) this.push(() => this.frameDone(frame));
  }

  private skip(frame: Frame, node: CNode, reason: 'skipIf' | 'dead'): void {
    const path = frame.pathOf(node);
    if (this.state.nodes.get(path)?.status !== 'skipped') {
      this.emit({ type: 'NodeSkipped', path, reason, ...this.iter(frame) });
    }
    this.resolve(frame, node, reason === 'skipIf' ? DEFAULT_PORT : null);
  }

  // ---------------------------------------------------------------------------------------
  // Scopes

  private scope(frame: Frame, ev: Evaluable | undefined, self?: CNode): Record<string, unknown> {
    const b = frame.bindings;
    const scope: Record<string, unknown> = {
      flow: this.flowScope,
      nodes: this.nodesView(frame, ev?.nodeRefs ?? [], self),
      vars: this.state.vars,
      trigger: this.triggerScope,
      event: this.triggerScope.event,
    };
    if ('item' in b) scope['item'] = b.item;
    if (b.index !== undefined) scope['index'] = b.index;
    if (b.error !== undefined) scope['error'] = b.error;
    if (ev?.usesSecrets) scope['secrets'] = this.secretsFor(ev);
    return scope;
  }

  private nodesView(
    frame: Frame,
    refs: readonly string[] | null,
    self?: CNode,
  ): Record<string, unknown> {
    // A null-prototype object starts in dictionary mode: node ids as keys would otherwise
    // create one hidden class per id, and runs of 10,000 nodes would slow down per node.
    const view = Object.create(null) as Record<string, unknown>;
    const ids = refs ?? [...this.flow.nodes.keys()];
    for (const id of ids) {
      const node = this.flow.nodes.get(id);
      if (!node) continue;
      const rec = this.state.nodes.get(frame.pathOf(node));
      if (!rec) {
        if (refs !== null) view[id] = { status: 'pending' };
        continue;
      }
      if (node === self && rec.status !== 'succeeded') continue;
      view[id] = {
        output: rec.output,
        status: rec.status,
        error: rec.error,
        attempts: rec.attempt,
      };
    }
    return view;
  }

  private secretsFor(ev: Evaluable): Record<string, string> {
    const out: Record<string, string> = {};
    for (const ref of ev.value.references) {
      const name = ref.path[0];
      if (ref.root !== 'secrets' || typeof name !== 'string') continue;
      const value = this.services.secret(name);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  private secretValues(...evs: (Evaluable | undefined)[]): string[] {
    const values: string[] = [];
    for (const ev of evs) if (ev?.usesSecrets) values.push(...Object.values(this.secretsFor(ev)));
    return values;
  }

  /** Evaluates; an expression error becomes the node's failure (returns undefined). */
  private evaluate(
    frame: Frame,
    node: CNode,
    ev: Evaluable,
    path: string,
    attempt: number,
  ): { value: unknown } | undefined {
    try {
      return { value: ev.value.evaluate(this.scope(frame, ev, node)) };
    } catch (err) {
      this.failNode(frame, node, path, attempt, toNodeError(err));
      return undefined;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Executing a node

  private execute(frame: Frame, node: CNode): void {
    const path = frame.pathOf(node);
    const rec = this.state.nodes.get(path);
    if (rec && this.replay(frame, node, path, rec)) return;
    const attempt = rec?.attempt ?? 1;
    if (node.skipIf) {
      const r = this.evaluate(frame, node, node.skipIf, path, attempt);
      if (!r) return;
      if (isTruthy(r.value)) {
        this.skip(frame, node, 'skipIf');
        return;
      }
    }
    this.run(frame, node, path, attempt);
  }

  /** Continues from a record; returns false when the node should run as if new. */
  private replay(frame: Frame, node: CNode, path: string, rec: NodeRecord): boolean {
    switch (rec.status) {
      case 'succeeded':
        this.resolve(frame, node, rec.port ?? DEFAULT_PORT);
        return true;
      case 'skipped':
        this.resolve(frame, node, rec.skipReason === 'skipIf' ? DEFAULT_PORT : null);
        return true;
      case 'failed':
        // An aborted node waits for the failure that aborted it, which replays too.
        if (!rec.aborted) this.frameFailed(frame, { ...rec.error!, nodePath: path });
        return true;
      case 'retrying': {
        // Re-arm from the record: a missing timer record was either never written (crash) or
        // already fired; in both cases arming at retryAt is right (a due timer fires at once).
        const dueAt = rec.retryAt ?? this.services.clock.now();
        this.retryFrames.set(path, frame);
        this.ensureTimer(
          path,
          'retry',
          dueAt,
          rec.attempt,
          () => this.retryDue(frame, node, path, rec.attempt + 1),
          frame,
        );
        return true;
      }
      case 'waiting': {
        const wait = rec.wait!;
        const waiter: Waiter = { frame, node, path, attempt: rec.attempt, wait };
        if (rec.signal !== undefined) {
          this.completeWait(waiter, rec.signal);
          return true;
        }
        this.waiters.set(wait.token, waiter);
        if (wait.kind === 'subflow') {
          // The crash may have come before the child was created (or it finished meanwhile).
          const r = this.evaluate(frame, node, node.input, path, rec.attempt);
          if (r)
            this.ensureChild(
              frame,
              node,
              path,
              rec.attempt,
              wait,
              (r.value ?? {}) as Record<string, unknown>,
            );
        }
        if (wait.deadline !== undefined) {
          const purpose: TimerPurpose = wait.kind === 'wait' ? 'wait' : 'deadline';
          this.ensureTimer(
            path,
            purpose,
            wait.deadline,
            rec.attempt,
            () => this.waitExpired(wait.token, purpose),
            frame,
          );
        }
        return true;
      }
      case 'running':
        if (node.body) {
          this.startContainer(frame, node, path, rec.attempt, rec.input);
          return true;
        }
        this.run(frame, node, path, rec.attempt, true);
        return true;
      default:
        return false;
    }
  }

  private run(frame: Frame, node: CNode, path: string, attempt: number, restarted = false): void {
    const def = node.def;
    switch (node.type) {
      case 'if': {
        const r = this.evaluate(frame, node, node.input, path, attempt);
        if (!r) return;
        const condition = isTruthy((r.value as { condition?: unknown }).condition);
        this.succeed(
          frame,
          node,
          path,
          attempt,
          { condition },
          { port: condition ? 'true' : 'false' },
        );
        return;
      }
      case 'switch': {
        let port = 'default';
        for (const c of node.cases ?? []) {
          const r = this.evaluate(frame, node, c.when, path, attempt);
          if (!r) return;
          if (isTruthy(r.value)) {
            port = c.port;
            break;
          }
        }
        this.succeed(frame, node, path, attempt, { port }, { port });
        return;
      }
      case 'forEach':
      case 'while':
      case 'try':
      case 'group':
        this.startContainer(frame, node, path, attempt, undefined);
        return;
      case 'transform':
      case 'log':
      case 'setVars':
      case 'return':
      case 'fail':
        this.runPure(frame, node, path, attempt);
        return;
      case 'wait':
      case 'approval':
      case 'waitForEvent':
      case 'subflow':
        this.startWait(frame, node, path, attempt);
        return;
      default:
        void def;
        this.startAction(frame, node, path, attempt, restarted);
    }
  }

  private runPure(frame: Frame, node: CNode, path: string, attempt: number): void {
    const r = this.evaluate(frame, node, node.input, path, attempt);
    if (!r) return;
    const input = (r.value ?? {}) as Record<string, unknown>;
    const secrets = this.secretValues(node.input);
    switch (node.type) {
      case 'transform':
        this.succeed(frame, node, path, attempt, redact(input, secrets));
        return;
      case 'log': {
        const level =
          (['debug', 'info', 'warn', 'error'] as const).find((l) => l === input['level']) ?? 'info';
        const message = redact(
          typeof input['message'] === 'string'
            ? input['message']
            : (JSON.stringify(input['message']) ?? ''),
          secrets,
        );
        const data = redact(input['data'], secrets);
        this.emit({
          type: 'NodeLogged',
          path,
          level,
          message,
          ...(data === undefined ? {} : { data }),
          ...this.iter(frame),
        });
        this.succeed(frame, node, path, attempt, { message, level });
        return;
      }
      case 'setVars':
        this.succeed(frame, node, path, attempt, redact(input, secrets), {
          vars: redact(input, secrets),
        });
        return;
      case 'return': {
        const value = 'value' in input ? input['value'] : input;
        this.succeed(frame, node, path, attempt, redact(value, secrets), { returned: true });
        return;
      }
      case 'fail': {
        const code =
          typeof input['code'] === 'string' && input['code'] !== ''
            ? input['code']
            : 'E_FLOW_FAILED';
        const message =
          typeof input['message'] === 'string'
            ? input['message']
            : `The flow failed at "${node.id}".`;
        const details =
          typeof input['data'] === 'object' && input['data'] !== null
            ? { data: input['data'] }
            : undefined;
        this.failNode(
          frame,
          node,
          path,
          attempt,
          redact({ code, message, ...(details ? { details } : {}) }, secrets),
        );
        return;
      }
    }
  }

  /** Records success (once) and resolves the node. */
  private succeed(
    frame: Frame,
    node: CNode,
    path: string,
    attempt: number,
    output: unknown,
    extra: {
      port?: string;
      vars?: Record<string, unknown>;
      returned?: boolean;
      cached?: boolean;
      input?: unknown;
    } = {},
  ): void {
    if (frame.failed || frame.finished || this.ended) return;
    const checked = this.checkOutput(output);
    if ('error' in checked) {
      this.failNode(frame, node, path, attempt, checked.error);
      return;
    }
    const rec = this.state.nodes.get(path);
    if (rec?.status !== 'succeeded') {
      this.emit({
        type: 'NodeSucceeded',
        path,
        attempt,
        output: checked.value,
        ...(extra.port !== undefined && extra.port !== DEFAULT_PORT ? { port: extra.port } : {}),
        ...(extra.vars ? { vars: extra.vars } : {}),
        ...(extra.returned ? { returned: true } : {}),
        ...(extra.cached ? { cached: true } : {}),
        ...(extra.input !== undefined ? { input: extra.input } : {}),
        ...this.iter(frame),
      });
      if (extra.returned) {
        const value = checked.value;
        this.effects.push(() => this.services.returned(this, value));
      }
    }
    this.resolve(frame, node, extra.port ?? DEFAULT_PORT);
  }

  /** Checks an output is JSON and within maxOutputBytes. */
  private checkOutput(output: unknown): { value: unknown } | { error: NodeError } {
    if (output === undefined) return { value: null };
    let json: string | undefined;
    try {
      json = JSON.stringify(output);
    } catch (err) {
      return {
        error: engineError(
          'E_OUTPUT_NOT_JSON',
          `The output cannot be stored as JSON: ${(err as Error).message}.`,
        ),
      };
    }
    if (json === undefined) return { value: null };
    const max = this.services.limits.maxOutputBytes;
    if (json.length > max / 4 && utf8Length(json) > max) {
      return {
        error: engineError(
          'E_OUTPUT_TOO_LARGE',
          `The output is ${utf8Length(json)} bytes, more than the limit of ${max} bytes; return less data (or raise limits.maxOutputBytes).`,
          { bytes: utf8Length(json), limit: max },
        ),
      };
    }
    return { value: output };
  }

  // ---------------------------------------------------------------------------------------
  // Failures and retries

  /** An attempt failed: retry it per its policy, or fail the node. */
  private attemptFailed(
    frame: Frame,
    node: CNode,
    path: string,
    attempt: number,
    error: NodeError,
  ): void {
    if (frame.failed || frame.finished || this.ended) return;
    const policy = node.def.retry;
    if (policy && attempt < policy.maxAttempts && this.retryable(frame, node, error)) {
      const delayMs = retryDelay(policy, attempt, this.services.ids.random);
      const dueAt = this.services.clock.now() + delayMs;
      this.retryFrames.set(path, frame);
      this.emit({
        type: 'NodeRetryScheduled',
        path,
        attempt,
        error,
        delayMs,
        dueAt,
        ...this.iter(frame),
      });
      this.ensureTimer(
        path,
        'retry',
        dueAt,
        attempt,
        () => this.retryDue(frame, node, path, attempt + 1),
        frame,
      );
      return;
    }
    this.failNode(frame, node, path, attempt, error);
  }

  private retryable(frame: Frame, node: CNode, error: NodeError): boolean {
    if (NOT_RETRYABLE.has(error.code)) return false;
    const on = node.def.retry?.retryOn;
    if (Array.isArray(on)) return on.includes(error.code);
    if (node.retryOn) {
      try {
        const scope = { ...this.scope(frame, node.retryOn, node), error };
        return isTruthy(node.retryOn.value.evaluate(scope));
      } catch {
        return false;
      }
    }
    return true;
  }

  private retryDue(frame: Frame, node: CNode, path: string, attempt: number): void {
    this.retryFrames.delete(path);
    if (frame.failed || frame.finished || this.ended) return;
    this.run(frame, node, path, attempt);
  }

  /** The node failed for good: continueOnError, else its frame fails. */
  private failNode(
    frame: Frame,
    node: CNode,
    path: string,
    attempt: number,
    error: NodeError,
  ): void {
    if (frame.failed || frame.finished || this.ended) return;
    if (node.def.continueOnError) {
      const rec = this.state.nodes.get(path);
      if (rec?.status !== 'succeeded') {
        this.emit({
          type: 'NodeSucceeded',
          path,
          attempt,
          output: { error },
          recovered: true,
          ...this.iter(frame),
        });
      }
      this.resolve(frame, node, DEFAULT_PORT);
      return;
    }
    if (this.state.nodes.get(path)?.status !== 'failed') {
      this.emit({ type: 'NodeFailed', path, attempt, error, ...this.iter(frame) });
    }
    this.frameFailed(frame, { ...error, nodePath: error.nodePath ?? path });
  }

  // ---------------------------------------------------------------------------------------
  // Containers

  private startContainer(
    frame: Frame,
    node: CNode,
    path: string,
    attempt: number,
    recorded: unknown,
  ): void {
    switch (node.type) {
      case 'forEach':
        this.startForEach(frame, node, path, attempt, recorded);
        return;
      case 'while':
        if (recorded === undefined)
          this.emit({ type: 'NodeStarted', path, attempt, ...this.iter(frame) });
        this.startWhile(frame, node, path, attempt);
        return;
      default: {
        if (recorded === undefined)
          this.emit({ type: 'NodeStarted', path, attempt, ...this.iter(frame) });
        if (node.type === 'try') this.startTry(frame, node, path, attempt);
        else this.startGroup(frame, node, path, attempt);
      }
    }
  }

  private childFrame(
    parent: Frame,
    graph: CGraph,
    segments: readonly string[],
    bindings: Bindings,
    iteration: number | undefined,
    done: (f: Frame) => void,
    failed: (f: Frame, e: NodeError) => void,
  ): Frame {
    return new Frame(graph, segments, bindings, parent, { done, failed }, iteration);
  }

  /** A body's output: the container's `output` expression, else its sinks' outputs. */
  private bodyOutput(
    frame: Frame,
    owner: CNode,
    graph: CGraph,
    expr: Evaluable | undefined,
  ): { value: unknown } | undefined {
    if (expr) {
      try {
        return { value: expr.value.evaluate(this.scope(frame, expr)) };
      } catch (err) {
        this.failNode(frame.parent!, owner, frame.parent!.pathOf(owner), 1, toNodeError(err));
        return undefined;
      }
    }
    const sinks = graph.sinks;
    if (sinks.length === 0) return { value: null };
    if (sinks.length === 1)
      return { value: this.state.nodes.get(frame.pathOf(sinks[0]!))?.output ?? null };
    const out: Record<string, unknown> = {};
    for (const s of sinks) out[s.id] = this.state.nodes.get(frame.pathOf(s))?.output ?? null;
    return { value: out };
  }

  private startForEach(
    frame: Frame,
    node: CNode,
    path: string,
    attempt: number,
    recorded: unknown,
  ): void {
    let items: unknown;
    if (recorded !== undefined) {
      items = (recorded as { items?: unknown }).items;
    } else {
      const r = this.evaluate(frame, node, node.input, path, attempt);
      if (!r) return;
      items = (r.value as { items?: unknown }).items;
      if (!Array.isArray(items)) {
        this.failNode(
          frame,
          node,
          path,
          attempt,
          engineError(
            'E_EXPR_TYPE',
            `forEach "${node.id}" needs input.items to be an array, not ${items === null ? 'null' : typeof items}.`,
          ),
        );
        return;
      }
      this.emit({
        type: 'NodeStarted',
        path,
        attempt,
        input: { items: redact(items, this.secretValues(node.input)) },
        ...this.iter(frame),
      });
    }
    const list = items as unknown[];
    if (list.length === 0) {
      this.succeed(frame, node, path, attempt, []);
      return;
    }
    const parallelism = Math.max(1, (node.def as ForEachNode).parallelism ?? 1);
    const loop: LoopState = {
      next: 0,
      running: 0,
      done: 0,
      outputs: new Array(list.length).fill(null),
      frames: new Set(),
    };
    this.loops.set(path, loop);
    const body = node.body!;
    const launch = (): void => {
      while (loop.running < parallelism && loop.next < list.length) {
        const i = loop.next++;
        loop.running++;
        const child = this.childFrame(
          frame,
          body,
          [...frame.segments, `${node.id}[${i}]`],
          { ...frame.bindings, item: list[i], index: i },
          i,
          (f) => {
            const out = this.bodyOutput(f, node, body, node.output);
            if (!out) return;
            loop.outputs[i] = out.value;
            loop.running--;
            loop.done++;
            loop.frames.delete(f);
            if (loop.done === list.length) {
              this.loops.delete(path);
              this.succeed(frame, node, path, attempt, loop.outputs);
            } else launch();
          },
          (_f, error) => {
            this.loops.delete(path);
            for (const other of loop.frames) if (!other.finished) this.abortAndDetach(other);
            this.failNode(frame, node, path, attempt, error);
          },
        );
        loop.frames.add(child);
        this.startFrame(child);
      }
    };
    launch();
  }

  private abortAndDetach(frame: Frame): void {
    frame.failed = true;
    this.abortFrame(frame, 'E_NODE_ABORTED');
    frame.detach();
  }

  private startWhile(frame: Frame, node: CNode, path: string, attempt: number): void {
    const def = node.def as WhileNode;
    const max = def.maxIterations ?? this.services.limits.defaultMaxIterations;
    const body = node.body!;
    const outputs: unknown[] = [];
    const iterate = (i: number): void => {
      if (frame.failed || frame.finished || this.ended) return;
      const segments = [...frame.segments, `${node.id}[${i}]`];
      // An iteration that left records ran: its condition was true (and vars have moved on
      // since, so it must not be evaluated again).
      const ran = body.roots.some((r) => this.state.nodes.has(segments.join('/') + '/' + r.id));
      if (!ran) {
        const previous = new Frame(
          body,
          [...frame.segments, `${node.id}[${i - 1}]`],
          { ...frame.bindings, index: i },
          undefined,
          { done: () => {}, failed: () => {} },
          i,
        );
        let go: unknown;
        try {
          go = node.condition!.value.evaluate(this.scope(previous, node.condition));
        } catch (err) {
          this.failNode(frame, node, path, attempt, toNodeError(err));
          return;
        }
        if (!isTruthy(go)) {
          this.succeed(frame, node, path, attempt, outputs);
          return;
        }
        if (i >= max) {
          this.failNode(
            frame,
            node,
            path,
            attempt,
            engineError(
              'E_LOOP_LIMIT',
              `The while loop "${node.id}" reached maxIterations (${max}) and its condition is still true.`,
              { maxIterations: max },
            ),
          );
          return;
        }
      }
      const child = this.childFrame(
        frame,
        body,
        segments,
        { ...frame.bindings, index: i },
        i,
        (f) => {
          const out = this.bodyOutput(f, node, body, node.output);
          if (!out) return;
          outputs.push(out.value);
          // Iterations run one after another; queue the next to keep the stack flat.
          this.push(() => iterate(i + 1));
        },
        (_f, error) => this.failNode(frame, node, path, attempt, error),
      );
      this.startFrame(child);
    };
    iterate(0);
  }

  private startGroup(frame: Frame, node: CNode, path: string, attempt: number): void {
    const body = node.body!;
    const child = this.childFrame(
      frame,
      body,
      frame.segments,
      frame.bindings,
      frame.iteration,
      (f) => {
        const out = this.bodyOutput(f, node, body, node.output);
        if (out) this.succeed(frame, node, path, attempt, out.value);
      },
      (_f, error) => this.failNode(frame, node, path, attempt, error),
    );
    this.startFrame(child);
  }

  private startTry(frame: Frame, node: CNode, path: string, attempt: number): void {
    const body = node.body!;
    const finish = (
      outcome: { value: unknown } | { error: NodeError },
      error?: NodeError,
    ): void => {
      const fin = node.finallyGraph;
      const conclude = () => {
        if ('error' in outcome) this.failNode(frame, node, path, attempt, outcome.error);
        else this.succeed(frame, node, path, attempt, outcome.value);
      };
      if (!fin) {
        conclude();
        return;
      }
      const bindings = error ? { ...frame.bindings, error } : frame.bindings;
      this.startFrame(
        this.childFrame(
          frame,
          fin,
          frame.segments,
          bindings,
          frame.iteration,
          () => conclude(),
          (_f, e) => this.failNode(frame, node, path, attempt, e),
        ),
      );
    };
    const child = this.childFrame(
      frame,
      body,
      frame.segments,
      frame.bindings,
      frame.iteration,
      (f) => {
        const out = this.bodyOutput(f, node, body, node.output);
        if (out) finish(out);
      },
      (_f, error) => {
        const handler = node.catchGraph;
        if (!handler) {
          finish({ error }, error);
          return;
        }
        const catchFrame = this.childFrame(
          frame,
          handler,
          frame.segments,
          { ...frame.bindings, error },
          frame.iteration,
          (cf) => {
            const out = this.regionOutput(cf, handler);
            if (out) finish(out, error);
          },
          (_cf, e2) => finish({ error: e2 }, e2),
        );
        this.startFrame(catchFrame);
      },
    );
    this.startFrame(child);
  }

  private regionOutput(frame: Frame, graph: CGraph): { value: unknown } | undefined {
    if (graph.output) {
      try {
        return { value: graph.output.value.evaluate(this.scope(frame, graph.output)) };
      } catch (err) {
        this.frameFailed(frame.parent ?? frame, toNodeError(err));
        return undefined;
      }
    }
    return this.bodyOutput(frame, graph.owner!, graph, undefined);
  }

  // ---------------------------------------------------------------------------------------
  // Parked nodes: approval, waitForEvent, wait, subflow

  private startWait(frame: Frame, node: CNode, path: string, attempt: number): void {
    const r = this.evaluate(frame, node, node.input, path, attempt);
    if (!r) return;
    const input = (r.value ?? {}) as Record<string, unknown>;
    const now = this.services.clock.now();
    const token = this.services.ids.token();
    const num = (v: unknown) =>
      typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
    let wait: { -readonly [K in keyof WaitInfo]: WaitInfo[K] };
    switch (node.type) {
      case 'wait': {
        const until =
          typeof input['until'] === 'string' ? Date.parse(input['until']) : num(input['until']);
        const duration = num(input['durationMs']);
        const deadline =
          until !== undefined && !Number.isNaN(until) ? until : now + (duration ?? 0);
        if (deadline <= now) {
          this.succeed(frame, node, path, attempt, { waitedMs: 0 });
          return;
        }
        wait = { kind: 'wait', token, path, deadline };
        break;
      }
      case 'approval': {
        wait = { kind: 'approval', token, path };
        const timeout = num(input['timeoutMs']);
        if (timeout !== undefined) wait.deadline = now + timeout;
        if (Array.isArray(input['approvers']))
          wait.approvers = input['approvers'].filter((a): a is string => typeof a === 'string');
        if (typeof input['message'] === 'string') wait.message = input['message'];
        if (input['form'] !== undefined) wait.form = input['form'];
        break;
      }
      case 'waitForEvent': {
        wait = { kind: 'waitForEvent', token, path, event: String(input['event'] ?? '') };
        const timeout = num(input['timeoutMs']);
        if (timeout !== undefined) wait.deadline = now + timeout;
        const raw = (node.def.input as Record<string, unknown> | undefined)?.['filter'];
        if (typeof raw === 'string') wait.filter = raw;
        break;
      }
      default: {
        const flowId = input['flowId'];
        if (typeof flowId !== 'string' || flowId === '') {
          this.failNode(
            frame,
            node,
            path,
            attempt,
            engineError('E_INPUT_INVALID', `subflow "${node.id}" needs input.flowId.`),
          );
          return;
        }
        const childRunId = `${this.runId}.${path.replaceAll('/', '.')}.${attempt}`;
        wait = { kind: 'subflow', token, path, childRunId };
        this.ensureChild(frame, node, path, attempt, wait, input);
      }
    }
    const secrets = this.secretValues(node.input);
    this.emit({
      type: 'NodeSuspended',
      path,
      attempt,
      wait,
      input: redact(input, secrets),
      ...this.iter(frame),
    });
    const waiter: Waiter = { frame, node, path, attempt, wait };
    this.waiters.set(token, waiter);
    if (wait.deadline !== undefined) {
      const purpose: TimerPurpose = wait.kind === 'wait' ? 'wait' : 'deadline';
      this.ensureTimer(
        path,
        purpose,
        wait.deadline,
        attempt,
        () => this.waitExpired(token, purpose),
        frame,
      );
    }
  }

  /** Starts the child run of a subflow node (idempotent: the child's id is derived). */
  private ensureChild(
    frame: Frame,
    node: CNode,
    path: string,
    attempt: number,
    wait: WaitInfo,
    input: Record<string, unknown>,
  ): void {
    const version = typeof input['version'] === 'number' ? input['version'] : undefined;
    const parent: ParentLink = { runId: this.runId, path, token: wait.token };
    const request = {
      runId: wait.childRunId!,
      flowId: String(input['flowId']),
      ...(version === undefined ? {} : { version }),
      input: input['input'] ?? {},
      parent,
    };
    this.busy++;
    this.effects.push(() => {
      this.services.startChild(request).then(
        () => this.enqueue(() => this.busy--),
        (err) =>
          this.enqueue(() => {
            this.busy--;
            if (!this.waiters.has(wait.token)) return;
            this.waiters.delete(wait.token);
            this.failNode(frame, node, path, attempt, toNodeError(err));
          }),
      );
    });
  }

  private checkSignal(waiter: Waiter, payload: unknown): void {
    if (waiter.wait.kind !== 'approval') return;
    const p = (payload ?? {}) as Record<string, unknown>;
    const decision = decisionOf(p);
    if (!decision) {
      throw new MillraceError(
        'E_SIGNAL_INVALID',
        'An approval needs { approved: true|false } or { decision: "approved"|"rejected" }.',
      );
    }
    const approvers = waiter.wait.approvers;
    if (approvers && approvers.length > 0 && !approvers.includes(String(p['by'] ?? ''))) {
      throw new MillraceError(
        'E_SIGNAL_INVALID',
        `Only ${approvers.join(', ')} may decide this approval; "by" was ${JSON.stringify(p['by'] ?? null)}.`,
      );
    }
    const form = waiter.wait.form;
    if (decision === 'approved' && typeof form === 'object' && form !== null) {
      const result = schemaValidator(form).validate(p['data'] ?? {});
      if (!result.valid) {
        throw new MillraceError(
          'E_SIGNAL_INVALID',
          `The approval form data is invalid: ${result.errors.map((e) => `${e.instanceLocation} ${e.error}`).join('; ')}.`,
          {
            details: {
              errors: result.errors.map((e) => ({ at: e.instanceLocation, error: e.error })),
            },
          },
        );
      }
    }
  }

  private completeWait(waiter: Waiter, payload: unknown): void {
    const { frame, node, path, attempt, wait } = waiter;
    this.waiters.delete(wait.token);
    this.clearTimersOf(path);
    const p = (payload ?? {}) as Record<string, unknown>;
    switch (wait.kind) {
      case 'approval': {
        const decision = decisionOf(p) ?? 'rejected';
        const output: Record<string, unknown> = { decision };
        if (p['by'] !== undefined) output['by'] = p['by'];
        if (p['comment'] !== undefined) output['comment'] = p['comment'];
        if (p['data'] !== undefined) output['data'] = p['data'];
        this.succeed(frame, node, path, attempt, output, { port: decision });
        return;
      }
      case 'subflow': {
        if (p['status'] === 'succeeded')
          this.succeed(frame, node, path, attempt, p['output'] ?? null);
        else {
          const childError = (p['error'] ?? {}) as NodeError;
          this.attemptFailed(frame, node, path, attempt, {
            code: 'E_SUBFLOW_FAILED',
            message: `The subflow run ${wait.childRunId ?? ''} ${String(p['status'] ?? 'failed')}: ${childError.message ?? ''}`,
            details: { childRunId: wait.childRunId, error: childError },
          });
        }
        return;
      }
      case 'wait':
        this.succeed(frame, node, path, attempt, {
          waitedMs: this.services.clock.now() - (this.state.nodes.get(path)?.startedAt ?? 0),
        });
        return;
      default:
        this.succeed(frame, node, path, attempt, payload ?? null);
    }
  }

  private waitExpired(tokenValue: string, purpose: TimerPurpose): void {
    const waiter = this.waiters.get(tokenValue);
    if (!waiter) return;
    this.waiters.delete(tokenValue);
    const { frame, node, path, attempt, wait } = waiter;
    if (purpose === 'wait') {
      this.completeWait({ ...waiter }, {});
      return;
    }
    if (wait.kind === 'approval') {
      this.succeed(frame, node, path, attempt, { decision: 'timeout' }, { port: 'timeout' });
    } else if (wait.kind === 'waitForEvent') {
      this.succeed(frame, node, path, attempt, null, { port: 'timeout' });
    }
  }

  // ---------------------------------------------------------------------------------------
  // Actions (http, code, host connectors)

  private startAction(
    frame: Frame,
    node: CNode,
    path: string,
    attempt: number,
    restarted: boolean,
  ): void {
    const action = this.services.action(node.type, node);
    if (!action) {
      this.failNode(
        frame,
        node,
        path,
        attempt,
        engineError(
          'E_ACTION_UNKNOWN',
          `No action is registered for type "${node.type}"; pass it to createEngine({ actions }).`,
        ),
      );
      return;
    }
    const r = this.evaluate(frame, node, node.input, path, attempt);
    if (!r) return;
    const input = r.value;
    const schema = action.inputSchema;
    if (typeof schema === 'object' && schema !== null) {
      const result = schemaValidator(schema).validate(input);
      if (!result.valid) {
        const first = result.errors[result.errors.length - 1];
        this.failNode(
          frame,
          node,
          path,
          attempt,
          engineError(
            'E_INPUT_INVALID',
            `The input of "${node.id}" does not match the ${action.title} input schema: ${first ? `${first.instanceLocation} ${first.error}` : 'invalid'}.`,
            {
              errors: result.errors.map((e) => ({ at: e.instanceLocation, error: e.error })),
            },
          ),
        );
        return;
      }
    }
    const secrets = this.secretValues(node.input);
    const cacheKey = node.cacheKey
      ? this.evaluate(frame, node, node.cacheKey, path, attempt)
      : undefined;
    if (node.cacheKey && !cacheKey) return;
    const key = cacheKey
      ? `${this.state.flowId}/${node.id}/${JSON.stringify(cacheKey.value)}`
      : undefined;
    const begin = () => {
      if (!restarted) {
        this.emit({
          type: 'NodeStarted',
          path,
          attempt,
          input: redact(input, secrets),
          idempotencyKey: `${this.runId}/${path}/${attempt}`,
          ...this.iter(frame),
        });
      }
      this.effects.push(() => this.invoke(frame, node, path, attempt, action, input, secrets, key));
    };
    if (key === undefined || restarted) {
      this.whenSlot(frame, path, attempt, begin);
      return;
    }
    this.busy++;
    this.effects.push(() => {
      this.services.store.getCache(key, this.services.clock.now()).then(
        (hit) =>
          this.enqueue(() => {
            this.busy--;
            if (hit)
              this.succeed(frame, node, path, attempt, hit.value, {
                cached: true,
                input: redact(input, secrets),
              });
            else this.whenSlot(frame, path, attempt, begin);
          }),
        () =>
          this.enqueue(() => {
            this.busy--;
            this.whenSlot(frame, path, attempt, begin);
          }),
      );
    });
  }

  private whenSlot(frame: Frame, path: string, attempt: number, begin: () => void): void {
    const started = this.services.slots.acquire(() =>
      this.enqueue(() => {
        this.busy--;
        if (frame.failed || frame.finished || this.ended) {
          this.services.slots.release();
          return;
        }
        begin();
      }),
    );
    if (started) {
      begin();
      return;
    }
    this.busy++;
    this.emit({ type: 'NodeScheduled', path, attempt, ...this.iter(frame) });
  }

  private releaseSlot(): void {
    this.services.slots.release();
  }

  private invoke(
    frame: Frame,
    node: CNode,
    path: string,
    attempt: number,
    action: ActionDefinition,
    input: unknown,
    secrets: readonly string[],
    cacheKey: string | undefined,
  ): void {
    if (frame.failed || frame.finished || this.ended) {
      this.releaseSlot();
      return;
    }
    const controller = newAbortController();
    const flight: InFlight = { frame, controller, node, attempt, settled: false };
    this.inflight.set(path, flight);
    this.busy++;
    const settle = (fn: () => void) => {
      if (flight.settled) return;
      flight.settled = true;
      if (flight.timeout) this.services.clock.clearTimer(flight.timeout);
      this.inflight.delete(path);
      this.releaseSlot();
      this.enqueue(() => {
        this.busy--;
        fn();
      });
    };
    const timeoutMs = node.def.timeoutMs;
    if (timeoutMs !== undefined) {
      flight.timeout = this.services.clock.setTimer(timeoutMs, () => {
        const error = engineError(
          'E_NODE_TIMEOUT',
          `"${node.id}" took longer than its timeoutMs (${timeoutMs} ms); the attempt was aborted.`,
          { timeoutMs },
        );
        controller.abort(new MillraceError('E_NODE_TIMEOUT', error.message));
        settle(() => this.attemptFailed(frame, node, path, attempt, error));
      });
    }
    const ctx: ActionContext = {
      signal: controller.signal,
      attempt,
      idempotencyKey: `${this.runId}/${path}/${attempt}`,
      runId: this.runId,
      flowId: this.state.flowId,
      nodeId: node.id,
      nodePath: path,
      now: () => this.services.clock.now(),
      log: (level, message, data) => {
        this.enqueue(() => {
          if (this.ended) return;
          const d = redact(data, secrets);
          this.emit({
            type: 'NodeLogged',
            path,
            level,
            message: redact(String(message), secrets),
            ...(d === undefined ? {} : { data: d }),
            ...this.iter(frame),
          });
        });
      },
    };
    let promise: Promise<unknown>;
    try {
      // Each action gets its own copy: mutating it must not change what other nodes see.
      promise = Promise.resolve(action.run(structuredCloneJson(input), ctx));
    } catch (err) {
      promise = Promise.reject(err);
    }
    promise.then(
      (output) =>
        settle(() => {
          const clean = redact(normalizeJson(output), secrets);
          if (clean && 'error' in clean) {
            this.attemptFailed(frame, node, path, attempt, clean.error);
            return;
          }
          const value = clean?.value ?? null;
          if (cacheKey !== undefined && node.def.cache) {
            const entry = { value, expiresAt: this.services.clock.now() + node.def.cache.ttlMs };
            this.effects.push(
              () => void this.services.store.putCache(cacheKey, entry).catch(() => undefined),
            );
          }
          this.succeed(frame, node, path, attempt, value);
        }),
      (err) =>
        settle(() =>
          this.attemptFailed(frame, node, path, attempt, redact(toNodeError(err), secrets)),
        ),
    );
  }

  // ---------------------------------------------------------------------------------------
  // Timers

  /** Records (if not yet recorded) and arms a timer. Ids are deterministic for replay. */
  private ensureTimer(
    path: string,
    purpose: TimerPurpose,
    dueAt: number,
    attempt: number,
    fire: () => void,
    frame?: Frame,
  ): void {
    const timerId = `${path}@${purpose}#${attempt}`;
    if (!this.state.timers.has(timerId)) {
      this.emit({
        type: 'TimerScheduled',
        timerId,
        path,
        dueAt,
        purpose,
        ...(frame ? this.iter(frame) : {}),
      });
    }
    this.armTimer(timerId, dueAt, fire);
  }

  private armTimer(timerId: string, dueAt: number, fire: () => void): void {
    const existing = this.timers.get(timerId);
    if (existing) this.services.clock.clearTimer(existing);
    this.timerTargets.set(timerId, fire);
    const delay = dueAt - this.services.clock.now();
    const onFire = () => {
      this.timers.delete(timerId);
      this.enqueue(() => {
        if (this.ended || !this.state.timers.has(timerId)) return;
        const timer = this.state.timers.get(timerId)!;
        this.emit({ type: 'TimerFired', timerId, path: timer.path });
        this.timerTargets.delete(timerId);
        fire();
      });
    };
    if (delay <= 0) {
      this.push(onFire);
      return;
    }
    this.timers.set(timerId, this.services.clock.setTimer(delay, onFire));
  }

  private clearTimersOf(path: string): void {
    for (const [timerId, timer] of this.state.timers) {
      if (timer.path !== path) continue;
      const handle = this.timers.get(timerId);
      if (handle) this.services.clock.clearTimer(handle);
      this.timers.delete(timerId);
      this.timerTargets.delete(timerId);
      this.emit({ type: 'TimerFired', timerId, path });
    }
  }

  private runTimedOut(): void {
    if (this.ended) return;
    this.failRun(
      engineError(
        'E_RUN_TIMEOUT',
        `The run took longer than the flow's timeoutMs (${this.flow.def.timeoutMs ?? 0} ms).`,
      ),
    );
  }

  // ---------------------------------------------------------------------------------------
  // The end of a run

  private mainDone(frame: Frame): void {
    if (this.ended || this.failing) return;
    let output: unknown;
    if (this.state.returned) output = this.state.returned.value;
    else if (this.flow.output) {
      try {
        output = this.flow.output.value.evaluate(this.scope(frame, this.flow.output));
      } catch (err) {
        this.failRun(toNodeError(err));
        return;
      }
    } else
      output =
        this.bodyOutput(frame, undefined as unknown as CNode, this.flow.main, undefined)?.value ??
        null;
    const checked = this.checkOutput(output);
    if ('error' in checked) {
      this.failRun(checked.error);
      return;
    }
    this.clearTimersOf('');
    this.emit({ type: 'RunSucceeded', output: checked.value });
    this.end();
  }

  /** The run failed: compensate succeeded nodes in reverse order, run onFailure, record it. */
  private failRun(error: NodeError): void {
    if (this.ended || this.failing) return;
    this.failing = error;
    if (this.main && !this.main.finished) {
      this.main.failed = true;
      this.abortFrame(this.main, 'E_NODE_ABORTED');
      this.main.detach();
    }
    this.clearTimersOf('');
    const compensations = [...this.state.nodes.values()]
      .filter(
        (r) =>
          r.status === 'succeeded' &&
          !r.path.endsWith('#compensate') &&
          this.nodeOfPath(r.path)?.def.compensate,
      )
      .sort((a, b) => (b.finishedSeq ?? 0) - (a.finishedSeq ?? 0));
    const next = (i: number): void => {
      if (i >= compensations.length) {
        this.runOnFailure(error);
        return;
      }
      this.compensate(compensations[i]!, () => this.push(() => next(i + 1)));
    };
    next(0);
  }

  private nodeOfPath(path: string): CNode | undefined {
    const last = path.slice(path.lastIndexOf('/') + 1);
    return this.flow.nodes.get(last);
  }

  private compensate(rec: NodeRecord, then: () => void): void {
    const node = this.nodeOfPath(rec.path)!;
    const spec = node.def.compensate!;
    const path = `${rec.path}#compensate`;
    const existing = this.state.nodes.get(path);
    if (existing && (existing.status === 'succeeded' || existing.status === 'failed')) {
      then();
      return;
    }
    const action = this.services.action(spec.type);
    const frame = this.frameForPath(rec.path);
    const fail = (error: NodeError) => {
      this.emit({ type: 'NodeFailed', path, attempt: 1, error });
      then();
    };
    if (!action) {
      fail(
        engineError(
          'E_ACTION_UNKNOWN',
          `No action is registered for the compensate type "${spec.type}".`,
        ),
      );
      return;
    }
    let input: unknown;
    try {
      input = node.compensateInput!.value.evaluate(
        this.scope(frame, node.compensateInput, undefined),
      );
    } catch (err) {
      fail(toNodeError(err));
      return;
    }
    const secrets = this.secretValues(node.compensateInput);
    if (!existing)
      this.emit({
        type: 'NodeStarted',
        path,
        attempt: 1,
        input: redact(input, secrets),
        idempotencyKey: `${this.runId}/${path}/1`,
      });
    this.busy++;
    this.effects.push(() => {
      const controller = newAbortController();
      const ctx: ActionContext = {
        signal: controller.signal,
        attempt: 1,
        idempotencyKey: `${this.runId}/${path}/1`,
        runId: this.runId,
        flowId: this.state.flowId,
        nodeId: node.id,
        nodePath: path,
        now: () => this.services.clock.now(),
        log: () => undefined,
      };
      Promise.resolve()
        .then(() => action.run(structuredCloneJson(input), ctx))
        .then(
          (output) =>
            this.enqueue(() => {
              this.busy--;
              const normal = normalizeJson(output);
              this.emit({
                type: 'NodeSucceeded',
                path,
                attempt: 1,
                output: redact(normal && 'value' in normal ? normal.value : null, secrets),
              });
              then();
            }),
          (err) =>
            this.enqueue(() => {
              this.busy--;
              fail(redact(toNodeError(err), secrets));
            }),
        );
    });
  }

  /** A frame that resolves `nodes.x` and `item`/`index` as seen from a recorded path. */
  private frameForPath(path: string): Frame {
    const segments = path.split('/').slice(0, -1);
    let bindings: Bindings = {};
    const last = segments[segments.length - 1];
    const m = last ? /^(.*)\[(\d+)\]$/.exec(last) : null;
    if (m) {
      const loopPath = [...segments.slice(0, -1), m[1]!].join('/');
      const index = Number(m[2]);
      const items = (this.state.nodes.get(loopPath)?.input as { items?: unknown[] } | undefined)
        ?.items;
      bindings = items ? { item: items[index], index } : { index };
    }
    return new Frame(
      this.flow.main,
      segments,
      bindings,
      undefined,
      { done: () => {}, failed: () => {} },
      undefined,
    );
  }

  private runOnFailure(error: NodeError): void {
    const graph = this.flow.onFailure;
    const finish = (output?: unknown, extra?: NodeError) => {
      const recorded: NodeError = extra
        ? { ...error, details: { ...(error.details ?? {}), onFailureError: extra } }
        : error;
      this.emit({
        type: 'RunFailed',
        error: recorded,
        ...(output === undefined ? {} : { output }),
      });
      this.end();
    };
    if (!graph) {
      finish();
      return;
    }
    const frame = new Frame(
      graph,
      [],
      { error },
      undefined,
      {
        done: (f) => {
          let output: unknown;
          try {
            output = graph.output
              ? graph.output.value.evaluate(this.scope(f, graph.output))
              : (this.bodyOutput(f, undefined as unknown as CNode, graph, undefined)?.value ??
                null);
          } catch (err) {
            finish(undefined, toNodeError(err));
            return;
          }
          finish(output);
        },
        failed: (_f, e2) => finish(undefined, e2),
      },
      undefined,
    );
    this.startFrame(frame);
  }
}

function decisionOf(p: Record<string, unknown>): 'approved' | 'rejected' | undefined {
  if (p['decision'] === 'approved' || p['decision'] === 'rejected') return p['decision'];
  if (p['approved'] === true) return 'approved';
  if (p['approved'] === false) return 'rejected';
  return undefined;
}

function structuredCloneJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Normalises an action's output to JSON (Dates to strings, undefined dropped). */
function normalizeJson(value: unknown): { value: unknown } | { error: NodeError } | undefined {
  if (value === undefined) return { value: null };
  try {
    const json = JSON.stringify(value);
    return { value: json === undefined ? null : JSON.parse(json) };
  } catch (err) {
    return {
      error: engineError(
        'E_OUTPUT_NOT_JSON',
        `The action returned a value that cannot be stored as JSON: ${(err as Error).message}.`,
      ),
    };
  }
}
