import { MillraceError } from '../../errors/millrace-error.ts';
import type { CNode, CompiledFlow } from '../compile-flow.ts';
import { readyStep } from '../decisions/ready-step.ts';
import { signalProblem } from '../decisions/wait-outcome.ts';
import type { NodeOverride, ParentLink, RunEvent, TriggerInfo } from '../events.ts';
import { Frame } from '../frame.ts';
import { engineError } from '../node-errors.ts';
import { redact } from '../redact.ts';
import { applyEvent, type RunState } from '../run-state.ts';
import { startContainer } from './containers.ts';
import type { ExecutorServices } from './executor-services.ts';
import { startAction } from './invoke-action.ts';
import { evaluateAt, resolveNode, retryDue, skipNode } from './node-outcomes.ts';
import { replaceNode } from './node-overrides.ts';
import { runPureNode } from './pure-nodes.ts';
import { RunContext } from './run-context.ts';
import { failRun, mainDone, runTimedOut } from './run-end.ts';
import { abortFrame, frameFailed, startFrame } from './run-frames.ts';
import { scope } from './run-scope.ts';
import { ensureTimer } from './timers.ts';
import { armDeadline, completeWait, ensureChild, startWait } from './waits.ts';

/**
 * Runs one run of one flow version. It folds the run's events into its state and decides the
 * next steps from that state (`readyStep`), so recovering after a crash is the same code as
 * running live: a node whose record says it finished is never run again; one that started and
 * did not finish runs again with the same idempotency key; parked nodes and timers are re-armed.
 *
 * This class is the dispatch: a ready node goes to its kind (pure-nodes.ts, containers.ts,
 * waits.ts, invoke-action.ts), and the engine's requests (signal, cancel) come in here. The
 * loop and the recording of events are RunContext's (run-context.ts).
 */
export class RunExecutor extends RunContext {
  private constructor(flow: CompiledFlow, services: ExecutorServices, state: RunState) {
    super(flow, services, state);
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
      overrides?: Readonly<Record<string, NodeOverride>>;
      rerunOf?: { readonly runId: string; readonly fromNode: string };
      queued: boolean;
      alias?: string;
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
      ...(init.overrides ? { overrides: init.overrides } : {}),
      ...(init.rerunOf ? { rerunOf: init.rerunOf } : {}),
      ...(init.queued ? { queued: true } : {}),
      ...(timeoutMs !== undefined ? { deadline: now + timeoutMs } : {}),
      ...(init.alias !== undefined ? { alias: init.alias } : {}),
    };
    // Secrets never travel as data, not even into a child run's input: a child that needs a
    // secret reads $<secrets.NAME> itself.
    const secrets = services.knownSecrets();
    const stored = secrets.length > 0 ? redact(created, secrets) : created;
    const executor = new RunExecutor(flow, services, applyEvent(undefined, stored));
    executor.outbox.push(stored);
    executor.storedSeq = 0;
    return executor;
  }

  /** An existing run, from its folded state. */
  static resume(flow: CompiledFlow, services: ExecutorServices, state: RunState): RunExecutor {
    return new RunExecutor(flow, services, state);
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
    const problem = signalProblem(waiter.wait, payload);
    if (problem) throw problem;
    this.enqueue(() => {
      if (!this.waiters.has(token)) return;
      this.emit({ type: 'SignalReceived', path: waiter.path, token, payload }, waiter.frame);
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
      return Boolean(filter.value.evaluate(withEvent));
    } catch {
      return false;
    }
  }

  /** Cancels the run: aborts everything in flight and records RunCancelled. */
  cancel(reason?: string): void {
    this.enqueue(() => {
      if (this.ended) return;
      if (this.main) abortFrame(this, this.main, 'E_RUN_CANCELLED');
      this.emit({ type: 'RunCancelled', ...(reason === undefined ? {} : { reason }) });
      this.end();
    });
  }

  protected stalled(): void {
    // Nothing in flight, nothing parked, no timer, not ended: a bug. Fail loudly, not hang.
    this.enqueue(() =>
      failRun(
        this,
        engineError('E_RUN_STALLED', `Run "${this.runId}" stalled with nothing left to do.`),
      ),
    );
  }

  private startMain(): void {
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
    startFrame(this, this.main);
  }

  // ---------------------------------------------------------------------------------------
  // Applying the ready step of a node

  nodeReady(frame: Frame, node: CNode): void {
    if (frame.failed || frame.finished || this.ended) return;
    const path = frame.pathOf(node);
    const step = readyStep(frame.shouldRun(node), this.state.nodes.get(path), path);
    switch (step.kind) {
      case 'skip':
        skipNode(this, frame, node, 'dead');
        return;
      case 'run':
        if (node.skipIf) {
          const r = evaluateAt(this, frame, node, node.skipIf, path, step.attempt);
          if (!r) return;
          if (r.value) {
            skipNode(this, frame, node, 'skipIf');
            return;
          }
        }
        this.runNode(frame, node, path, step.attempt);
        return;
      case 'resolve':
        resolveNode(this, frame, node, step.port);
        return;
      case 'fail':
        frameFailed(this, frame, step.error);
        return;
      case 'none':
        return;
      case 'retry': {
        const attempt = step.attempt;
        this.retryFrames.set(path, frame);
        ensureTimer(
          this,
          path,
          'retry',
          step.dueAt ?? this.services.clock.now(),
          attempt,
          () => retryDue(this, frame, node, path, attempt + 1),
          frame,
        );
        return;
      }
      case 'park': {
        const waiter = { frame, node, path, attempt: step.attempt, wait: step.wait };
        if (step.signal) {
          completeWait(this, waiter, step.signal.payload);
          return;
        }
        this.waiters.set(step.wait.token, waiter);
        if (step.wait.kind === 'subflow') {
          // The crash may have come before the child was created (or it finished meanwhile).
          const r = evaluateAt(this, frame, node, node.input, path, step.attempt);
          if (r) {
            const input = (r.value ?? {}) as Record<string, unknown>;
            ensureChild(this, frame, node, path, step.attempt, step.wait, input);
          }
        }
        armDeadline(this, waiter);
        return;
      }
      case 'continue':
        if (node.body) startContainer(this, frame, node, path, step.attempt, step.input);
        else this.runNode(frame, node, path, step.attempt, true);
        return;
    }
  }

  /** Runs an attempt of a node by its kind (`restarted`: its NodeStarted is recorded already). */
  runNode(frame: Frame, node: CNode, path: string, attempt: number, restarted = false): void {
    // Test runs and reruns: a mocked, pinned or reused node is not executed.
    if (this.state.overrides !== undefined && replaceNode(this, frame, node, path, attempt)) return;
    switch (node.type) {
      case 'if':
      case 'switch':
      case 'transform':
      case 'log':
      case 'setVars':
      case 'return':
      case 'fail':
        runPureNode(this, frame, node, path, attempt);
        return;
      case 'forEach':
      case 'while':
      case 'try':
      case 'group':
        startContainer(this, frame, node, path, attempt, undefined);
        return;
      case 'wait':
      case 'approval':
      case 'waitForEvent':
      case 'subflow':
        startWait(this, frame, node, path, attempt);
        return;
      default:
        startAction(this, frame, node, path, attempt, restarted);
    }
  }
}
