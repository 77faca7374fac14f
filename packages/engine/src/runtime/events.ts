import type { SourcePosition } from '../errors/millrace-error.ts';

/**
 * The events of a run's append-only log (DESIGN §4). A run's state is a fold over them
 * (`run-state.ts`). Events are plain JSON: they are stored, sent over HTTP and postMessage.
 *
 * Addresses: `path` is the node's path, with loop iterations as part of the address
 * (`each[3]/enrich`); `iteration` repeats the innermost iteration index for convenience.
 */
export interface EventBase {
  /** Position in the run's log, from 1, without gaps. */
  readonly seq: number;
  /** Clock time (ms since the epoch) when the event was recorded. */
  readonly at: number;
}

/**
 * An error as it is recorded: engine errors keep their MillraceError code; errors thrown by
 * actions keep their own `code` (what `retry.retryOn` matches) or get `E_ACTION_FAILED`.
 */
export interface NodeError {
  readonly code: string;
  readonly message: string;
  readonly name?: string;
  /** JSON pointer into the flow definition, when the error is about the definition. */
  readonly path?: string;
  readonly position?: SourcePosition;
  readonly details?: Readonly<Record<string, unknown>>;
  /** The node path where the error happened (run errors). */
  readonly nodePath?: string;
}

/** What started a run. */
export interface TriggerInfo {
  readonly kind: 'manual' | 'schedule' | 'webhook' | 'event' | 'subflow' | 'api';
  readonly id?: string;
  /** The event or webhook payload (`$<event>`). */
  readonly event?: unknown;
}

export interface ParentLink {
  readonly runId: string;
  readonly path: string;
  readonly token: string;
  /**
   * The child of a flow script's `ctx.subflow` call: the parent's code node awaits the child's
   * result while it runs (no parked node, no signal when the child ends).
   */
  readonly call?: boolean;
}

/**
 * A node whose execution a run replaces by a given output (test runs and reruns): `mocked`
 * (a test double, `start(..., { mocks })`), `pinned` (an output pinned in the designer,
 * `start(..., { pinned })`), `reused` (the recorded output of the run a `rerun` comes from).
 */
export interface NodeOverride {
  readonly kind: 'mocked' | 'pinned' | 'reused';
  readonly output: unknown;
  /** The port the node takes (a reused `if` keeps its branch); the default port when absent. */
  readonly port?: string;
  /** Variables the node set (a reused `setVars`). */
  readonly vars?: Readonly<Record<string, unknown>>;
}

export interface RunCreated extends EventBase {
  readonly type: 'RunCreated';
  readonly runId: string;
  readonly flowId: string;
  readonly flowVersion: number;
  readonly input: unknown;
  readonly trigger: TriggerInfo;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly parent?: ParentLink;
  /** True when the run waits for a free slot (`maxConcurrentRuns`). */
  readonly queued?: boolean;
  /** Test runs and reruns: nodes (by id) not executed, their output given. */
  readonly overrides?: Readonly<Record<string, NodeOverride>>;
  /** A rerun: the run it reuses outputs from and the node it executes from. */
  readonly rerunOf?: { readonly runId: string; readonly fromNode: string };
  /** Run deadline (`timeoutMs`), absolute. */
  readonly deadline?: number;
  /** The alias the start went through (`production`, `canary`...), when it used one. */
  readonly alias?: string;
}

/** A queued run got its slot. */
export interface RunStarted extends EventBase {
  readonly type: 'RunStarted';
}

interface NodeEventBase extends EventBase {
  readonly path: string;
  readonly iteration?: number;
}

/** A node is waiting for a free slot (`maxConcurrentNodes`). */
export interface NodeScheduled extends NodeEventBase {
  readonly type: 'NodeScheduled';
  readonly attempt: number;
}

/** An attempt begins: written before the action runs, so a crash re-runs it with the same key. */
export interface NodeStarted extends NodeEventBase {
  readonly type: 'NodeStarted';
  readonly attempt: number;
  readonly input?: unknown;
  readonly idempotencyKey?: string;
}

export interface NodeSucceeded extends NodeEventBase {
  readonly type: 'NodeSucceeded';
  readonly attempt: number;
  readonly output: unknown;
  /** The port the node chose (`true`, `approved`, a switch case); `out` when absent. */
  readonly port?: string;
  /** The output came from the step-result cache. */
  readonly cached?: boolean;
  /** Variables the node set (`setVars`), merged into `$<vars>`. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** A `return` node: the run's output is set now and the caller answered. */
  readonly returned?: boolean;
  /** The node failed and `continueOnError` turned the error into its output. */
  readonly recovered?: boolean;
  /** Not executed: a test run's mock (`start(..., { mocks })`) gave the output. */
  readonly mocked?: boolean;
  /** Not executed: an output pinned in the designer (`start(..., { pinned })`). */
  readonly pinned?: boolean;
  /** Not executed: a rerun reused the output recorded by the run it comes from. */
  readonly reused?: boolean;
  readonly input?: unknown;
}

/** The node failed for good (retries exhausted or not retryable). */
export interface NodeFailed extends NodeEventBase {
  readonly type: 'NodeFailed';
  readonly attempt: number;
  readonly error: NodeError;
  /** The failure was caused by aborting the node (its scope failed or the run was cancelled). */
  readonly aborted?: boolean;
  readonly input?: unknown;
}

export interface NodeRetryScheduled extends NodeEventBase {
  readonly type: 'NodeRetryScheduled';
  /** The attempt that failed. */
  readonly attempt: number;
  readonly error: NodeError;
  readonly delayMs: number;
  readonly dueAt: number;
  /** A container's retry: the records of its inside, dropped so the next attempt runs anew. */
  readonly reset?: readonly string[];
}

export interface NodeSkipped extends NodeEventBase {
  readonly type: 'NodeSkipped';
  /** `skipIf`: skipped on purpose, successors run; `dead`: on a branch not taken. */
  readonly reason: 'skipIf' | 'dead';
}

export type SuspensionKind = 'approval' | 'waitForEvent' | 'wait' | 'subflow';

/** What a parked node waits for; listed by `engine.listWaiting()`. */
export interface WaitInfo {
  readonly kind: SuspensionKind;
  readonly token: string;
  readonly path: string;
  readonly deadline?: number;
  readonly approvers?: readonly string[];
  readonly message?: string;
  readonly form?: unknown;
  readonly event?: string;
  readonly filter?: string;
  readonly childRunId?: string;
}

export interface NodeSuspended extends NodeEventBase {
  readonly type: 'NodeSuspended';
  readonly attempt: number;
  readonly wait: WaitInfo;
  readonly input?: unknown;
}

export interface SignalReceived extends NodeEventBase {
  readonly type: 'SignalReceived';
  readonly token: string;
  readonly payload: unknown;
}

export type TimerPurpose = 'retry' | 'wait' | 'deadline' | 'runTimeout';

export interface TimerScheduled extends NodeEventBase {
  readonly type: 'TimerScheduled';
  readonly timerId: string;
  readonly dueAt: number;
  readonly purpose: TimerPurpose;
}

export interface TimerFired extends NodeEventBase {
  readonly type: 'TimerFired';
  readonly timerId: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface NodeLogged extends NodeEventBase {
  readonly type: 'NodeLogged';
  readonly level: LogLevel;
  readonly message: string;
  readonly data?: unknown;
}

/**
 * A flow script (a code node) called `ctx.action` or `ctx.subflow`: recorded before the call
 * is performed. After a crash the node's script runs again and its calls are answered from
 * these records, in order (`index`), instead of being performed again.
 */
export interface ScriptCallStarted extends NodeEventBase {
  readonly type: 'ScriptCallStarted';
  /** The code node's attempt (a retry's script performs its calls anew). */
  readonly attempt: number;
  /** 0 for the attempt's first call. */
  readonly index: number;
  readonly kind: 'action' | 'subflow';
  /** The action type or the flow id. */
  readonly name: string;
  readonly input: unknown;
  /** A subflow call's child run. */
  readonly childRunId?: string;
}

/** A flow-script call ended: its output, or its error (what the script saw thrown). */
export interface ScriptCallFinished extends NodeEventBase {
  readonly type: 'ScriptCallFinished';
  readonly attempt: number;
  readonly index: number;
  readonly output?: unknown;
  readonly error?: NodeError;
}

export interface RunSucceeded extends EventBase {
  readonly type: 'RunSucceeded';
  readonly output: unknown;
}

export interface RunFailed extends EventBase {
  readonly type: 'RunFailed';
  readonly error: NodeError;
  /** The onFailure region's output, when it ran. */
  readonly output?: unknown;
}

export interface RunCancelled extends EventBase {
  readonly type: 'RunCancelled';
  readonly reason?: string;
}

export type RunEvent =
  | RunCreated
  | RunStarted
  | NodeScheduled
  | NodeStarted
  | NodeSucceeded
  | NodeFailed
  | NodeRetryScheduled
  | NodeSkipped
  | NodeSuspended
  | SignalReceived
  | TimerScheduled
  | TimerFired
  | NodeLogged
  | ScriptCallStarted
  | ScriptCallFinished
  | RunSucceeded
  | RunFailed
  | RunCancelled;

export type RunEventType = RunEvent['type'];

/** Distributes Omit over a union, so each event type keeps its own fields. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before the log gives it a sequence number and a time. */
export type NewRunEvent = DistributiveOmit<RunEvent, 'seq' | 'at'>;

/** True for the three events that end a run. */
export function isTerminalEvent(event: RunEvent): boolean {
  return (
    event.type === 'RunSucceeded' || event.type === 'RunFailed' || event.type === 'RunCancelled'
  );
}
