import type { ActionDefinition } from '../actions/action.ts';
import { MillraceError } from '../errors/millrace-error.ts';
import { DEFAULT_PORT } from '../model/ports.ts';
import type { Clock, TimerHandle } from '../platform/clock.ts';
import { utf8Length } from '../platform/globals.ts';
import type { IdSource } from '../platform/ids.ts';
import type { RunStore, RunSummary } from '../store/run-store.ts';
import type { CGraph, CNode, CompiledFlow } from './compile-flow.ts';
import type {
  NewRunEvent,
  NodeSucceeded,
  NodeError,
  ParentLink,
  RunEvent,
  TimerPurpose,
  TriggerInfo,
} from './events.ts';
import { Frame } from './frame.ts';
import { engineError } from './node-errors.ts';
import { redact } from './redact.ts';
import { NOT_RETRYABLE, retryDelay } from './retry.ts';
import { applyEvent, stateToSnapshot, type NodeRecord, type RunState } from './run-state.ts';
import { isTruthy, type InFlight, type Waiter } from './executor-support.ts';
import { startContainer } from './containers.ts';
import { checkSignal, completeWait, ensureChild, startWait, waitExpired } from './waits.ts';
import { releaseSlot, startAction } from './invoke-action.ts';
import { failRun, mainDone } from './run-end.ts';
import { evaluate, scope, secretValues } from './run-scope.ts';
import { clearTimersOf, ensureTimer, runTimedOut } from './timers.ts';

const NO_EXTRA = {} as const;

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
  /** Every secret value resolved so far (redacted from everything stored). */
  knownSecrets(): readonly string[];
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
  readonly queue: ((() => void) | null)[] = [];
  readonly queueFrames: (Frame | undefined)[] = [];
  readonly queueNodes: (CNode | undefined)[] = [];
  head = 0;
  outbox: RunEvent[] = [];
  effects: (() => void)[] = [];
  pumping = false;
  busy = 0;
  ended = false;
  dead = false;
  failing: NodeError | undefined;
  main: Frame | undefined;
  sinceSnapshot = 0;
  holds = 0;
  readonly timers = new Map<string, TimerHandle>();
  readonly waiters = new Map<string, Waiter>();
  readonly inflight = new Map<string, InFlight>();
  /** Frames of nodes waiting for a retry timer (so a failing scope can cancel them). */
  readonly retryFrames = new Map<string, Frame>();
  readonly flowScope: Record<string, unknown>;
  readonly triggerScope: TriggerInfo;

  private constructor(
    readonly flow: CompiledFlow,
    readonly services: ExecutorServices,
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
    // Secrets never travel as data, not even into a child run's input: a child that needs a
    // secret reads $<secrets.NAME> itself.
    const secrets = services.knownSecrets();
    const stored = secrets.length > 0 ? redact(created, secrets) : created;
    const executor = new RunExecutor(flow, services, applyEvent(undefined, stored));
    executor.outbox.push(stored);
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
    checkSignal(waiter, payload);
    this.enqueue(() => {
      if (!this.waiters.has(token)) return;
      this.emit(
        {
          type: 'SignalReceived',
          path: waiter.path,
          token,
          payload,
        },
        waiter.frame,
      );
      completeWait(this, waiter, payload);
    });
  }

  /**
   * Whether an emitted event wakes the waitForEvent node parked on `token`: its filter is
   * evaluated in the node's own scope (so it can correlate with `$<flow.input>`, `$<vars>` or
   * upstream outputs) plus `$<event>`. A filter that fails to evaluate does not match.
   */
  matchesEvent(token: string, payload: unknown): boolean {
    const waiter = this.waiters.get(token);
    if (!waiter || this.ended) return false;
    const filter = waiter.node.filter;
    if (!filter) return true;
    try {
      const withEvent = { ...scope(this, waiter.frame, filter, waiter.node), event: payload };
      return isTruthy(filter.value.evaluate(withEvent));
    } catch {
      return false;
    }
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
      this.dispose();
      this.services.crashed(this, err);
      return;
    }
    this.pumping = false;
    if (this.dead) return;
    this.afterPump();
  }

  async runEffects(): Promise<void> {
    await this.flush();
    const effects = this.effects;
    this.effects = [];
    for (const effect of effects) effect();
  }

  async flush(): Promise<void> {
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

  afterPump(): void {
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
      failRun(
        this,
        engineError('E_RUN_STALLED', `Run "${this.runId}" stalled with nothing left to do.`),
      ),
    );
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

  end(): void {
    this.ended = true;
    for (const handle of this.timers.values()) this.services.clock.clearTimer(handle);
    this.timers.clear();
    for (const f of this.inflight.values()) f.controller.abort('run ended');
  }

  // ---------------------------------------------------------------------------------------
  // Frames and readiness

  startMain(): void {
    if (this.main || this.ended) return;
    const s = this.state;
    if (s.deadline !== undefined)
      ensureTimer(this, '', 'runTimeout', s.deadline, 0, () => runTimedOut(this));
    this.main = new Frame(
      this.flow.main,
      [],
      {},
      undefined,
      {
        done: (f) => mainDone(this, f),
        failed: (_f, error) => failRun(this, error),
      },
      undefined,
    );
    this.startFrame(this.main);
  }

  startFrame(frame: Frame): void {
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

  frameDone(frame: Frame): void {
    if (frame.failed || frame.finished) return;
    frame.detach();
    frame.callbacks.done(frame);
  }

  frameFailed(frame: Frame, error: NodeError): void {
    if (frame.failed || frame.finished) return;
    frame.failed = true;
    this.abortFrame(frame, 'E_NODE_ABORTED');
    frame.detach();
    frame.callbacks.failed(frame, error);
  }

  /** Aborts what is in flight or parked in a frame and its sub-frames (recording it). */
  abortFrame(frame: Frame, code: 'E_NODE_ABORTED' | 'E_RUN_CANCELLED'): void {
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
      releaseSlot(this);
      if (code === 'E_NODE_ABORTED') {
        this.emit(
          {
            type: 'NodeFailed',
            path,
            attempt: flight.attempt,
            aborted: true,
            error: engineError(
              'E_NODE_ABORTED',
              `Aborted because another node in its scope failed.`,
            ),
          },
          owner,
        );
      }
    }
    for (const [token, w] of this.waiters) {
      if (!set.has(w.frame)) continue;
      this.waiters.delete(token);
      clearTimersOf(this, w.path);
      if (code === 'E_NODE_ABORTED') {
        this.emit(
          {
            type: 'NodeFailed',
            path: w.path,
            attempt: w.attempt,
            aborted: true,
            error: engineError(
              'E_NODE_ABORTED',
              `Stopped waiting because another node in its scope failed.`,
            ),
          },
          w.frame,
        );
      }
    }
    for (const [path, f] of this.retryFrames) {
      if (!set.has(f)) continue;
      this.retryFrames.delete(path);
      clearTimersOf(this, path);
    }
  }

  nodeReady(frame: Frame, node: CNode): void {
    if (frame.failed || frame.finished || this.ended) return;
    if (frame.shouldRun(node)) this.execute(frame, node);
    else this.skip(frame, node, 'dead');
  }

  /** Marks a node resolved with the port it chose (`null`: inactive) and readies successors. */
  resolve(frame: Frame, node: CNode, port: string | null): void {
    if (frame.failed || frame.finished) return;
    frame.unresolved--;
    for (const e of node.outEdges) {
      const t = e.to.index;
      if (port !== null && e.port === port) frame.activeIn[t]!++;
      if (--frame.pending[t]! === 0) this.pushReady(frame, e.to);
    }
    if (frame.unresolved === 0) this.push(() => this.frameDone(frame));
  }

  skip(frame: Frame, node: CNode, reason: 'skipIf' | 'dead'): void {
    const path = frame.pathOf(node);
    if (this.state.nodes.get(path)?.status !== 'skipped') {
      this.emit({ type: 'NodeSkipped', path, reason }, frame);
    }
    this.resolve(frame, node, reason === 'skipIf' ? DEFAULT_PORT : null);
  }

  // ---------------------------------------------------------------------------------------
  // Executing a node

  execute(frame: Frame, node: CNode): void {
    const path = frame.pathOf(node);
    const rec = this.state.nodes.get(path);
    if (rec && this.replay(frame, node, path, rec)) return;
    const attempt = rec?.attempt ?? 1;
    if (node.skipIf) {
      const r = evaluate(this, frame, node, node.skipIf, path, attempt);
      if (!r) return;
      if (isTruthy(r.value)) {
        this.skip(frame, node, 'skipIf');
        return;
      }
    }
    this.run(frame, node, path, attempt);
  }

  /** Continues from a record; returns false when the node should run as if new. */
  replay(frame: Frame, node: CNode, path: string, rec: NodeRecord): boolean {
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
        ensureTimer(
          this,
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
          completeWait(this, waiter, rec.signal);
          return true;
        }
        this.waiters.set(wait.token, waiter);
        if (wait.kind === 'subflow') {
          // The crash may have come before the child was created (or it finished meanwhile).
          const r = evaluate(this, frame, node, node.input, path, rec.attempt);
          if (r)
            ensureChild(
              this,
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
          ensureTimer(
            this,
            path,
            purpose,
            wait.deadline,
            rec.attempt,
            () => waitExpired(this, wait.token, purpose),
            frame,
          );
        }
        return true;
      }
      case 'running':
        if (node.body) {
          startContainer(this, frame, node, path, rec.attempt, rec.input);
          return true;
        }
        this.run(frame, node, path, rec.attempt, true);
        return true;
      default:
        return false;
    }
  }

  run(frame: Frame, node: CNode, path: string, attempt: number, restarted = false): void {
    const def = node.def;
    switch (node.type) {
      case 'if': {
        const r = evaluate(this, frame, node, node.input, path, attempt);
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
          const r = evaluate(this, frame, node, c.when, path, attempt);
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
        startContainer(this, frame, node, path, attempt, undefined);
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
        startWait(this, frame, node, path, attempt);
        return;
      default:
        void def;
        startAction(this, frame, node, path, attempt, restarted);
    }
  }

  runPure(frame: Frame, node: CNode, path: string, attempt: number): void {
    const r = evaluate(this, frame, node, node.input, path, attempt);
    if (!r) return;
    const input = (r.value ?? {}) as Record<string, unknown>;
    const secrets = secretValues(this, node.input);
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
        this.emit(
          {
            type: 'NodeLogged',
            path,
            level,
            message,
            ...(data === undefined ? {} : { data }),
          },
          frame,
        );
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
  succeed(
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
    } = NO_EXTRA,
  ): void {
    if (frame.failed || frame.finished || this.ended) return;
    const checked = this.checkOutput(output);
    if ('error' in checked) {
      this.failNode(frame, node, path, attempt, checked.error);
      return;
    }
    const rec = this.state.nodes.get(path);
    if (rec?.status !== 'succeeded') {
      // Optional fields assigned one by one: spreading conditional literals allocates several
      // objects per node, and this runs once for every node of every run.
      const event: { -readonly [K in keyof NodeSucceeded]?: NodeSucceeded[K] } = {
        type: 'NodeSucceeded',
        path,
        attempt,
        output: checked.value,
      };
      if (extra.port !== undefined && extra.port !== DEFAULT_PORT) event.port = extra.port;
      if (extra.vars) event.vars = extra.vars;
      if (extra.returned) event.returned = true;
      if (extra.cached) event.cached = true;
      if (extra.input !== undefined) event.input = extra.input;
      this.emit(event as NewRunEvent, frame);
      if (extra.returned) {
        const value = checked.value;
        this.effects.push(() => this.services.returned(this, value));
      }
    }
    this.resolve(frame, node, extra.port ?? DEFAULT_PORT);
  }

  /** Checks an output is JSON and within maxOutputBytes. */
  checkOutput(output: unknown): { value: unknown } | { error: NodeError } {
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
  attemptFailed(frame: Frame, node: CNode, path: string, attempt: number, error: NodeError): void {
    if (frame.failed || frame.finished || this.ended) return;
    const policy = node.def.retry;
    if (policy && attempt < policy.maxAttempts && this.retryable(frame, node, error)) {
      const delayMs = retryDelay(policy, attempt, this.services.ids.random);
      const dueAt = this.services.clock.now() + delayMs;
      this.retryFrames.set(path, frame);
      this.emit(
        {
          type: 'NodeRetryScheduled',
          path,
          attempt,
          error,
          delayMs,
          dueAt,
          ...(node.body ? { reset: this.recordsInside(frame, node, path) } : {}),
        },
        frame,
      );
      ensureTimer(
        this,
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

  /**
   * The records a container's next attempt must not replay: every path of a node inside it
   * (at this frame's iteration), and its own iterations (`each[3]/...`, `each[3]`).
   */
  recordsInside(frame: Frame, container: CNode, path: string): string[] {
    const inside = new Set<string>();
    const walk = (graph: CGraph | undefined) => {
      for (const n of graph?.nodes ?? []) {
        inside.add(n.id);
        walk(n.body);
        walk(n.catchGraph);
        walk(n.finallyGraph);
      }
    };
    walk(container.body);
    walk(container.catchGraph);
    walk(container.finallyGraph);
    const prefix = frame.prefix;
    const loopPrefix = `${path}[`;
    const out: string[] = [];
    for (const key of this.state.nodes.keys()) {
      if (key.startsWith(loopPrefix)) {
        out.push(key);
        continue;
      }
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const id = rest.slice(0, rest.search(/[[/#]|$/));
      if (inside.has(id)) out.push(key);
    }
    return out;
  }

  retryable(frame: Frame, node: CNode, error: NodeError): boolean {
    if (NOT_RETRYABLE.has(error.code)) return false;
    const on = node.def.retry?.retryOn;
    if (Array.isArray(on)) return on.includes(error.code);
    if (node.retryOn) {
      try {
        const withError = { ...scope(this, frame, node.retryOn, node), error };
        return isTruthy(node.retryOn.value.evaluate(withError));
      } catch {
        return false;
      }
    }
    return true;
  }

  retryDue(frame: Frame, node: CNode, path: string, attempt: number): void {
    this.retryFrames.delete(path);
    if (frame.failed || frame.finished || this.ended) return;
    this.run(frame, node, path, attempt);
  }

  /** The node failed for good: continueOnError, else its frame fails. */
  failNode(frame: Frame, node: CNode, path: string, attempt: number, error: NodeError): void {
    if (frame.failed || frame.finished || this.ended) return;
    if (node.def.continueOnError) {
      const rec = this.state.nodes.get(path);
      if (rec?.status !== 'succeeded') {
        this.emit(
          {
            type: 'NodeSucceeded',
            path,
            attempt,
            output: { error },
            recovered: true,
          },
          frame,
        );
      }
      this.resolve(frame, node, DEFAULT_PORT);
      return;
    }
    if (this.state.nodes.get(path)?.status !== 'failed') {
      this.emit({ type: 'NodeFailed', path, attempt, error }, frame);
    }
    this.frameFailed(frame, { ...error, nodePath: error.nodePath ?? path });
  }
}
