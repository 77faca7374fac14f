import { MillraceError } from '../errors/millrace-error.ts';
import type {
  LogLevel,
  NodeError,
  NodeOverride,
  ParentLink,
  RunEvent,
  TimerPurpose,
  TriggerInfo,
  WaitInfo,
} from './events.ts';

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

export type NodeStatus =
  'scheduled' | 'running' | 'retrying' | 'waiting' | 'succeeded' | 'failed' | 'skipped';

export interface LogEntry {
  readonly at: number;
  readonly level: LogLevel;
  readonly message: string;
  readonly data?: unknown;
}

/** One `ctx.action` / `ctx.subflow` of a code node's script, folded from its two events. */
export interface ScriptCallRecord {
  readonly attempt: number;
  readonly index: number;
  readonly kind: 'action' | 'subflow';
  readonly name: string;
  readonly input: unknown;
  readonly childRunId?: string;
  status: 'running' | 'succeeded' | 'failed';
  output?: unknown;
  error?: NodeError;
  readonly startedAt: number;
  finishedAt?: number;
}

/** What the run knows about one node (one path: each loop iteration has its own). */
export interface NodeRecord {
  readonly path: string;
  status: NodeStatus;
  attempt: number;
  input?: unknown;
  output?: unknown;
  port?: string;
  error?: NodeError;
  skipReason?: 'skipIf' | 'dead';
  cached?: boolean;
  recovered?: boolean;
  aborted?: boolean;
  startedAt?: number;
  finishedAt?: number;
  /** Sequence number of the event that finished the node (compensation order). */
  finishedSeq?: number;
  retryAt?: number | undefined;
  wait?: WaitInfo | undefined;
  signal?: unknown;
  logs?: LogEntry[];
  /** Not executed: its output was a test run's mock, a pinned output, or reused by a rerun. */
  replaced?: NodeOverride['kind'];
  /** A code node's flow-script calls, in order, of every attempt. */
  calls?: ScriptCallRecord[];
  /** Internal: whether the record counts in `RunState.active`. */
  counted?: boolean;
}

export interface TimerRecord {
  readonly timerId: string;
  readonly path: string;
  readonly dueAt: number;
  readonly purpose: TimerPurpose;
}

/** The state of a run: a fold over its events. Plain data, so it can be snapshotted. */
export interface RunState {
  runId: string;
  flowId: string;
  flowVersion: number;
  /** The alias the run was started through, if any (its version is `flowVersion`). */
  alias?: string;
  status: RunStatus;
  input: unknown;
  trigger: TriggerInfo;
  parent?: ParentLink;
  vars: Record<string, unknown>;
  nodes: Map<string, NodeRecord>;
  timers: Map<string, TimerRecord>;
  /** Parked nodes by token. */
  waiting: Map<string, WaitInfo>;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  updatedAt: number;
  deadline?: number;
  /** Test runs and reruns: nodes (by id) replaced by a given output (RunCreated). */
  overrides?: Readonly<Record<string, NodeOverride>>;
  /** A rerun: the run it comes from and the node it executes from. */
  rerunOf?: { readonly runId: string; readonly fromNode: string };
  /** Set by a `return` node: the run's output, before the run ends. */
  returned?: { value: unknown };
  output?: unknown;
  error?: NodeError;
  lastSeq: number;
  /** Nodes in flight (scheduled, running or retrying). */
  active: number;
}

function record(state: RunState, path: string): NodeRecord {
  let r = state.nodes.get(path);
  if (!r) {
    r = { path, status: 'scheduled', attempt: 1 };
    state.nodes.set(path, r);
  }
  return r;
}

/**
 * Applies one event to a state, in place, and returns it. The executor uses this on its live
 * state (copying the whole state per event would make runs quadratic); `reduce` is the pure
 * form. Events must come in sequence: a gap or a repeat is `E_STORE_CORRUPT`.
 */
export function applyEvent(state: RunState | undefined, event: RunEvent): RunState {
  if (event.type === 'RunCreated') {
    if (state)
      throw new MillraceError(
        'E_STORE_CORRUPT',
        `Run "${event.runId}" has a second RunCreated event at seq ${event.seq}.`,
      );
    const created: RunState = {
      runId: event.runId,
      flowId: event.flowId,
      flowVersion: event.flowVersion,
      status: event.queued ? 'queued' : 'running',
      input: event.input,
      trigger: event.trigger,
      vars: { ...event.vars },
      nodes: new Map(),
      timers: new Map(),
      waiting: new Map(),
      createdAt: event.at,
      updatedAt: event.at,
      lastSeq: event.seq,
      active: 0,
    };
    if (!event.queued) created.startedAt = event.at;
    if (event.parent) created.parent = event.parent;
    if (event.overrides !== undefined) created.overrides = event.overrides;
    if (event.rerunOf !== undefined) created.rerunOf = event.rerunOf;
    if (event.deadline !== undefined) created.deadline = event.deadline;
    if (event.alias !== undefined) created.alias = event.alias;
    return created;
  }
  if (!state)
    throw new MillraceError(
      'E_STORE_CORRUPT',
      `A run log must start with RunCreated, not ${event.type}.`,
    );
  if (event.seq !== state.lastSeq + 1) {
    throw new MillraceError(
      'E_STORE_CORRUPT',
      `Run "${state.runId}": event ${event.type} has seq ${event.seq}, expected ${state.lastSeq + 1}.`,
    );
  }
  state.lastSeq = event.seq;
  state.updatedAt = event.at;
  switch (event.type) {
    case 'RunStarted':
      state.status = 'running';
      state.startedAt = event.at;
      break;
    case 'NodeScheduled': {
      const r = record(state, event.path);
      setStatus(state, r, 'scheduled');
      r.attempt = event.attempt;
      break;
    }
    case 'NodeStarted': {
      const r = record(state, event.path);
      setStatus(state, r, 'running');
      r.attempt = event.attempt;
      if (event.input !== undefined) r.input = event.input;
      r.startedAt ??= event.at;
      if (r.retryAt !== undefined) r.retryAt = undefined;
      break;
    }
    case 'NodeSucceeded': {
      const r = record(state, event.path);
      setStatus(state, r, 'succeeded');
      r.attempt = event.attempt;
      r.output = event.output;
      if (event.input !== undefined) r.input = event.input;
      if (event.port !== undefined) r.port = event.port;
      if (event.cached) r.cached = true;
      if (event.recovered) r.recovered = true;
      if (event.mocked) r.replaced = 'mocked';
      else if (event.pinned) r.replaced = 'pinned';
      else if (event.reused) r.replaced = 'reused';
      r.startedAt ??= event.at;
      r.finishedAt = event.at;
      r.finishedSeq = event.seq;
      clearWait(state, r);
      if (event.vars) Object.assign(state.vars, event.vars);
      if (event.returned && !state.returned) state.returned = { value: event.output };
      break;
    }
    case 'NodeFailed': {
      const r = record(state, event.path);
      setStatus(state, r, 'failed');
      r.attempt = event.attempt;
      r.error = event.error;
      if (event.input !== undefined) r.input = event.input;
      if (event.aborted) r.aborted = true;
      r.startedAt ??= event.at;
      r.finishedAt = event.at;
      r.finishedSeq = event.seq;
      clearWait(state, r);
      break;
    }
    case 'NodeRetryScheduled': {
      for (const path of event.reset ?? []) {
        const gone = state.nodes.get(path);
        if (!gone) continue;
        setStatus(state, gone, 'skipped'); // leaves the active count exact
        if (gone.wait !== undefined) state.waiting.delete(gone.wait.token);
        state.nodes.delete(path);
      }
      const r = record(state, event.path);
      setStatus(state, r, 'retrying');
      r.attempt = event.attempt;
      r.error = event.error;
      r.retryAt = event.dueAt;
      break;
    }
    case 'NodeSkipped': {
      const r = record(state, event.path);
      setStatus(state, r, 'skipped');
      r.skipReason = event.reason;
      r.output = null;
      r.finishedAt = event.at;
      r.finishedSeq = event.seq;
      break;
    }
    case 'NodeSuspended': {
      const r = record(state, event.path);
      setStatus(state, r, 'waiting');
      r.attempt = event.attempt;
      r.wait = event.wait;
      // A new wait (a retry of a subflow, say) must not see the previous attempt's signal.
      if (r.signal !== undefined) r.signal = undefined;
      if (event.input !== undefined) r.input = event.input;
      r.startedAt ??= event.at;
      state.waiting.set(event.wait.token, event.wait);
      break;
    }
    case 'SignalReceived': {
      const r = record(state, event.path);
      r.signal = event.payload;
      state.waiting.delete(event.token);
      break;
    }
    case 'TimerScheduled':
      state.timers.set(event.timerId, {
        timerId: event.timerId,
        path: event.path,
        dueAt: event.dueAt,
        purpose: event.purpose,
      });
      break;
    case 'TimerFired':
      state.timers.delete(event.timerId);
      break;
    case 'NodeLogged': {
      const r = record(state, event.path);
      const entry: LogEntry =
        event.data === undefined
          ? { at: event.at, level: event.level, message: event.message }
          : { at: event.at, level: event.level, message: event.message, data: event.data };
      (r.logs ??= []).push(entry);
      break;
    }
    case 'ScriptCallStarted': {
      const r = record(state, event.path);
      const call: ScriptCallRecord = {
        attempt: event.attempt,
        index: event.index,
        kind: event.kind,
        name: event.name,
        input: event.input,
        status: 'running',
        startedAt: event.at,
        ...(event.childRunId === undefined ? {} : { childRunId: event.childRunId }),
      };
      (r.calls ??= []).push(call);
      break;
    }
    case 'ScriptCallFinished': {
      const call = state.nodes
        .get(event.path)
        ?.calls?.find((c) => c.attempt === event.attempt && c.index === event.index);
      if (!call)
        throw new MillraceError(
          'E_STORE_CORRUPT',
          `Run "${state.runId}": ScriptCallFinished at seq ${event.seq} has no ScriptCallStarted (${event.path}, call ${event.index}).`,
        );
      call.finishedAt = event.at;
      if (event.error !== undefined) {
        call.status = 'failed';
        call.error = event.error;
      } else {
        call.status = 'succeeded';
        call.output = event.output;
      }
      break;
    }
    case 'RunSucceeded':
      state.status = 'succeeded';
      state.output = event.output;
      finish(state, event.at);
      break;
    case 'RunFailed':
      state.status = 'failed';
      state.error = event.error;
      if (event.output !== undefined) state.output = event.output;
      finish(state, event.at);
      break;
    case 'RunCancelled':
      state.status = 'cancelled';
      finish(state, event.at);
      break;
  }
  if (state.status === 'running' || state.status === 'waiting') {
    state.status = state.waiting.size > 0 && state.active === 0 ? 'waiting' : 'running';
  }
  return state;
}

// Assigning undefined instead of `delete` keeps records in V8's fast (hidden class) mode.
function clearWait(state: RunState, r: NodeRecord): void {
  if (r.wait !== undefined) {
    state.waiting.delete(r.wait.token);
    r.wait = undefined;
  }
  if (r.retryAt !== undefined) r.retryAt = undefined;
}

function finish(state: RunState, at: number): void {
  state.finishedAt = at;
  state.waiting.clear();
  state.timers.clear();
}

const ACTIVE: ReadonlySet<NodeStatus> = new Set(['scheduled', 'running', 'retrying']);

// Keeps `state.active` (nodes in flight) exact, so "waiting" needs no scan of all records.
function setStatus(state: RunState, r: NodeRecord, status: NodeStatus): void {
  const was = r.counted === true;
  const is = ACTIVE.has(status);
  if (was && !is) state.active--;
  if (!was && is) state.active++;
  r.counted = is;
  r.status = status;
}

/** The pure fold: returns a new state and leaves `state` untouched. */
export function reduce(state: RunState | undefined, event: RunEvent): RunState {
  return applyEvent(state ? cloneState(state) : undefined, event);
}

/** Folds a log (optionally on top of a snapshot) into a state. */
export function foldEvents(events: Iterable<RunEvent>, from?: RunState): RunState | undefined {
  let state = from ? cloneState(from) : undefined;
  for (const event of events) state = applyEvent(state, event);
  return state;
}

/** A deep copy through the snapshot form. */
export function cloneState(state: RunState): RunState {
  return stateFromSnapshot(JSON.parse(JSON.stringify(stateToSnapshot(state))) as RunStateSnapshot);
}

/** The JSON form of a state (Maps become arrays), for snapshots. */
export interface RunStateSnapshot {
  readonly version: 1;
  readonly state: Omit<RunState, 'nodes' | 'timers' | 'waiting'> & {
    readonly nodes: readonly NodeRecord[];
    readonly timers: readonly TimerRecord[];
    readonly waiting: readonly WaitInfo[];
  };
}

export function stateToSnapshot(state: RunState): RunStateSnapshot {
  return {
    version: 1,
    state: {
      ...state,
      nodes: [...state.nodes.values()],
      timers: [...state.timers.values()],
      waiting: [...state.waiting.values()],
    },
  };
}

export function stateFromSnapshot(snapshot: RunStateSnapshot): RunState {
  if (snapshot?.version !== 1) {
    throw new MillraceError(
      'E_STORE_CORRUPT',
      'A run snapshot has an unknown version; it cannot be read.',
    );
  }
  const s = snapshot.state;
  return {
    ...s,
    vars: { ...s.vars },
    nodes: new Map(
      s.nodes.map((r) => [
        r.path,
        r.calls ? { ...r, calls: r.calls.map((c) => ({ ...c })) } : { ...r },
      ]),
    ),
    timers: new Map(s.timers.map((t) => [t.timerId, t])),
    waiting: new Map(s.waiting.map((w) => [w.token, w])),
  } as RunState;
}
