import type { ActionDefinition } from '../../actions/action.ts';
import type { Clock } from '../../platform/clock.ts';
import type { AbortSignalLike } from '../../platform/globals.ts';
import type { IdSource } from '../../platform/ids.ts';
import type { RunStore } from '../../store/run-store.ts';
import type { CNode } from '../compile-flow.ts';
import type { ParentLink, RunEvent } from '../events.ts';
import type { RunState } from '../run-state.ts';
import type { Slots } from '../slots.ts';

/** Engine limits that the executor enforces. */
export interface ExecutorLimits {
  readonly maxOutputBytes: number;
  readonly snapshotEvery: number;
  readonly defaultMaxIterations: number;
}

/** What the engine sees of a run's executor in the callbacks below. */
export interface LiveRun {
  readonly runId: string;
  readonly state: RunState;
  readonly isEnded: boolean;
  readonly nextWakeAt: number | undefined;
  /** Stops timers and in-flight work without writing anything. */
  dispose(): void;
}

/**
 * What the executor needs from its engine: the store, time, ids, limits and slots, the actions
 * and secrets, and callbacks through which it reports what the engine must act on (events to
 * publish, an early result, a run going idle, a child run to start, a crash).
 */
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
  published(run: LiveRun, events: readonly RunEvent[]): void;
  /** A `return` node set the output early. */
  returned(run: LiveRun, value: unknown): void;
  /** The run ended (succeeded, failed, cancelled) or parked (nothing in flight). */
  idle(run: LiveRun): void;
  /** Starts (once) the child run of a subflow node. */
  startChild(request: {
    runId: string;
    flowId: string;
    version?: number;
    input: unknown;
    parent: ParentLink;
  }): Promise<void>;
  /**
   * Runs a flow script's `ctx.subflow` child to its end (starts it once; after a crash finds
   * it and waits for it again) and resolves with its result, or rejects with its RunError.
   * Aborting `signal` (the code node's attempt ended) cancels the child.
   */
  callSubflow(
    request: { runId: string; flowId: string; input: unknown; parent: ParentLink },
    signal: AbortSignalLike,
  ): Promise<unknown>;
  /** Something failed outside any run semantics (the store is down); the run stays as stored. */
  crashed(run: LiveRun, error: unknown): void;
}
