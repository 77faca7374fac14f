import type { ActionDefinition } from '../../actions/action.ts';
import type { CodeRunner } from '../../actions/code.ts';
import type { FetchLike } from '../../actions/http.ts';
import type { FlowDefinition } from '../../model/flow.ts';
import type { Clock } from '../../platform/clock.ts';
import type { IdSource } from '../../platform/ids.ts';
import type { FlowStore, StoredDraft, StoredFlow } from '../../store/flow-store.ts';
import type { RunQuery, RunStore, RunSummary, WaitingEntry } from '../../store/run-store.ts';
import type { RunEvent, TriggerInfo } from '../events.ts';
import type { RunView } from '../run-view.ts';
import type { AliasTarget } from './aliases.ts';
import type { FlowMetrics, MetricsOptions } from './metrics.ts';
import type { ReplayOptions, RerunOptions } from './test-run-options.ts';
import type { DeployOptions, FlowListing, ListFlowsQuery } from './flow-listing.ts';

// The engine's public types (re-exported by runtime/engine.ts and the package index): the
// same API in Node, in a Worker (connectEngine) and over HTTP (the adapters).

export interface EngineLimits {
  /** Actions running at once across all runs (others wait in order). Default: unlimited. */
  readonly maxConcurrentNodes?: number;
  /** Runs of one flow running at once (others queue in order); a flow's own setting wins. */
  readonly maxConcurrentRuns?: number;
  /** Largest output a node may store, in bytes of JSON. Default 1 MiB. */
  readonly maxOutputBytes?: number;
  /** A snapshot every this many events. Default 500. */
  readonly snapshotEvery?: number;
  /** maxIterations of a while loop that sets none. Default 100,000. */
  readonly defaultMaxIterations?: number;
}

export interface EngineLogger {
  error(message: string, data?: unknown): void;
}

export interface EngineOptions {
  /** Flows and runs; an in-memory store when absent. One object may be both. */
  readonly store?: FlowStore & RunStore;
  readonly flowStore?: FlowStore;
  readonly runStore?: RunStore;
  /** Host actions (connectors). */
  readonly actions?: readonly ActionDefinition[] | Readonly<Record<string, ActionDefinition>>;
  /** `$<secrets.NAME>`: resolved at use, redacted from everything stored. */
  readonly secrets?: Readonly<Record<string, string>> | ((name: string) => string | undefined);
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly limits?: EngineLimits;
  readonly logger?: EngineLogger;
  /** The fetch the http action uses (the platform's by default). */
  readonly fetch?: FetchLike;
  /** Runs code nodes in isolation; without one, code nodes fail with E_CODE_RUNNER_MISSING. */
  readonly codeRunner?: CodeRunner;
  /**
   * This engine's id in the store's run leases (a random one by default). Engines sharing a
   * store never execute the same run at once: a run is claimed before it executes, and another
   * engine takes it over only once its lease lapses (store/run-lease.ts).
   */
  readonly owner?: string;
  /** How long a claimed run stays this engine's without a renewal (ms, default 30,000). */
  readonly leaseMs?: number;
}

export interface StartOptions {
  /** Run this version instead of the latest. */
  readonly version?: number;
  /**
   * Run the version an alias (setAlias) points to; an alias that splits traffic picks by a hash
   * of the run id, so the same run id always takes the same version. Not with `version`.
   */
  readonly alias?: string;
  readonly trigger?: TriggerInfo;
  /** Use this run id (idempotent starts: starting an existing id returns its handle). */
  readonly runId?: string;
  /**
   * A test run: these nodes (by id) are not executed; the given output is used instead (test
   * doubles for a dry run against no real system). Marked `mocked` in their NodeSucceeded.
   */
  readonly mocks?: Readonly<Record<string, unknown>>;
  /**
   * Outputs pinned in the designer (typically from an earlier run): these nodes are not
   * executed either; marked `pinned`. A node in both `mocks` and `pinned` takes its mock.
   */
  readonly pinned?: Readonly<Record<string, unknown>>;
  /**
   * Store the run (queued) without executing it here: any engine sharing the store that calls
   * `work()` picks it up (several processes on one database share the work this way).
   * `result()` of its handle answers only if it runs in this engine; read it with `getRun`.
   */
  readonly defer?: boolean;
}

export interface WorkOptions {
  /** At most this many runs loaded here at once (default 10). */
  readonly maxRuns?: number;
  /** How often to look for due work (ms, default 1,000), on the engine's clock. */
  readonly pollMs?: number;
}

/** A running `work()` loop. */
export interface EngineWorker {
  /** Stops claiming new work (runs already loaded go on); resolves after the current poll. */
  stop(): Promise<void>;
}

/** A started run. */
export interface RunHandle {
  readonly id: string;
  readonly flowId: string;
  readonly version: number;
  /**
   * The run's output: answered as soon as a `return` node sets it (the run finishes in the
   * background), else when the run succeeds. Rejects with a RunError (code, failing node path)
   * when it fails or is cancelled.
   */
  result(): Promise<unknown>;
}

export type RunListener = (event: RunEvent) => void;

export interface Engine {
  /**
   * Validates (E_FLOW_INVALID with the diagnostics), stores the next version, returns it. The
   * flow becomes active (triggers armed) unless `{ activate: false }` (see DeployOptions).
   */
  deploy(definition: FlowDefinition, options?: DeployOptions): Promise<StoredFlow>;
  /** A deployed version (the latest when absent); a deleted flow's versions stay readable. */
  getFlow(id: string, version?: number): Promise<StoredFlow | undefined>;
  /** Flows with their status (`draft`, `active`, `inactive`) and aliases; deleted ones are left out. */
  listFlows(query?: ListFlowsQuery): Promise<FlowListing[]>;
  /** Arms the triggers of a deployed flow (E_FLOW_NOT_FOUND, E_FLOW_DELETED). */
  activate(flowId: string): Promise<void>;
  /** Disarms its triggers; manual starts still work. */
  deactivate(flowId: string): Promise<void>;
  /**
   * Deletes a flow: triggers disarmed, draft dropped, left out of listFlows, starts fail with
   * E_FLOW_DELETED. Its runs stay readable (getRun, listRuns), runs in flight finish, and its
   * versions stay in the store. A later deploy of the same id starts afresh (next version).
   */
  deleteFlow(flowId: string): Promise<void>;
  /**
   * Points an alias (`production`, `canary`...) at one version, or splits it by percentage
   * (`{ versions: [{ version: 1, percent: 90 }, { version: 2, percent: 10 }] }`).
   * `start(id, input, { alias })` takes it; triggers take `production` when it is set.
   */
  setAlias(flowId: string, name: string, target: AliasTarget): Promise<void>;
  removeAlias(flowId: string, name: string): Promise<void>;
  /**
   * Stores an editable draft of a flow without deploying it (drafts may be invalid: the editor
   * saves as the user works). Needs an object with a valid `id` (E_INVALID_ARGUMENT).
   */
  saveDraft(definition: FlowDefinition): Promise<StoredDraft>;
  getDraft(id: string): Promise<StoredDraft | undefined>;
  /** Drops a flow's draft; its deployed versions stay. */
  discardDraft(id: string): Promise<void>;
  /**
   * Starts a run of a deployed flow. Resolves once the run is in the store (so a host may
   * acknowledge it: a crash from then on loses nothing); rejects with the store's error when it
   * could not be stored.
   */
  start(flowId: string, input?: unknown, options?: StartOptions): Promise<RunHandle>;
  /** A handle for an existing run. */
  handle(runId: string): Promise<RunHandle>;
  /** Live events of a run; returns the unsubscribe function. */
  subscribe(runId: string, listener: RunListener): () => void;
  /** Wakes a parked node (approval decision, event, ...), in this engine or any other on the store. */
  signal(token: string, payload?: unknown): Promise<void>;
  cancel(runId: string, reason?: string): Promise<void>;
  /** Delivers an event: wakes matching waitForEvent nodes and starts flows with event triggers. */
  emit(
    event: string,
    payload?: unknown,
  ): Promise<{ readonly started: readonly string[]; readonly woken: number }>;
  listRuns(query?: RunQuery): Promise<RunSummary[]>;
  getRun(runId: string): Promise<RunView | undefined>;
  listWaiting(query?: { readonly flowId?: string }): Promise<WaitingEntry[]>;
  /** After a crash or restart: continues every unfinished run in the store and re-arms the schedule triggers of the latest flow versions. */
  recover(): Promise<string[]>;
  /**
   * Shares the work of a store with the other engines on it: every `pollMs` it claims runs that
   * have work due and no live owner — deferred starts, runs whose engine died (their lease
   * lapsed), parked runs whose timer is due — up to `maxRuns` loaded here. A worker process is
   * an engine that only does this.
   */
  work(options?: WorkOptions): EngineWorker;
  /**
   * A new run of the same version with the same input that reuses the recorded outputs of the
   * nodes upstream of `fromNode` (not executed, marked `reused`) and executes from there.
   */
  rerun(runId: string, options: RerunOptions): Promise<RunHandle>;
  /** The run's view after the prefix of its log up to `untilSeq` (pure: from the store). */
  replay(runId: string, options?: ReplayOptions): Promise<RunView>;
  /** Runs of a flow from the store: by status, success rate, durations, errors by node and code. */
  metrics(flowId: string, options?: MetricsOptions): Promise<FlowMetrics>;
  /** Stops timers; runs stay in the store as they are. */
  close(): Promise<void>;
}
