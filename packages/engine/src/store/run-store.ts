import type { NodeError, RunEvent, WaitInfo } from '../runtime/events.ts';
import type { RunStateSnapshot, RunStatus } from '../runtime/run-state.ts';
import type { RunLeaseStore } from './run-lease.ts';

/** A row per run for listings and look-ups; the engine writes it with every append. */
export interface RunSummary {
  readonly runId: string;
  readonly flowId: string;
  readonly flowVersion: number;
  /** The alias the run was started through, if any. */
  readonly alias?: string;
  readonly status: RunStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly error?: NodeError;
  readonly parentRunId?: string;
  /** Parked nodes (approvals, waits for events, long waits, subflows). */
  readonly waiting: readonly WaitInfo[];
  /** The earliest timer of the run, for hosts that poll for due work. */
  readonly nextWakeAt?: number;
  /** Sequence number of the last event. */
  readonly lastSeq: number;
}

export interface RunQuery {
  readonly flowId?: string;
  readonly status?: RunStatus | readonly RunStatus[];
  /** Newest first; at most this many (default 50). */
  readonly limit?: number;
  /** Only runs created before this time (paging). */
  readonly before?: number;
  /** Only runs created at or after this time (metrics over a period). */
  readonly since?: number;
}

export interface WaitingEntry extends WaitInfo {
  readonly runId: string;
  readonly flowId: string;
}

export interface LoadedRun {
  readonly summary: RunSummary;
  /** The latest snapshot, if any; `events` then start after `snapshot.seq`. */
  readonly snapshot?: { readonly seq: number; readonly state: RunStateSnapshot };
  readonly events: readonly RunEvent[];
}

export interface CacheEntry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/** When a `claimOnce` is made (the caller's clock) and until when the claimed key holds. */
export interface ClaimOnceOptions {
  readonly now: number;
  readonly expiresAt: number;
}

/**
 * Where runs live: an append-only event log per run plus a summary row, snapshots, and the
 * step-result cache. Implementations must make `append` atomic (all events and the summary or
 * nothing) and reject an append whose first event does not follow the stored last one
 * (`E_STORE_CONFLICT`): that is how two engines over one store never fork a run.
 */
export interface RunStore {
  /** Appends events (none: only re-syncs the summary of an existing run). */
  append(runId: string, events: readonly RunEvent[], summary: RunSummary): Promise<void>;
  load(runId: string): Promise<LoadedRun | undefined>;
  /** Events with seq > `afterSeq`, for tailing a run. */
  readEvents(runId: string, afterSeq?: number): Promise<RunEvent[]>;
  saveSnapshot(runId: string, seq: number, state: RunStateSnapshot): Promise<void>;
  getSummary(runId: string): Promise<RunSummary | undefined>;
  listRuns(query?: RunQuery): Promise<RunSummary[]>;
  /** Runs not yet succeeded, failed or cancelled: what `engine.recover()` continues. */
  listUnfinished(): Promise<RunSummary[]>;
  /** The parked node that a signal token wakes. */
  findWaiting(token: string): Promise<WaitingEntry | undefined>;
  listWaiting(query?: { readonly flowId?: string }): Promise<WaitingEntry[]>;
  getCache(key: string, now: number): Promise<CacheEntry | undefined>;
  putCache(key: string, entry: CacheEntry): Promise<void>;
  /**
   * Claims `key` of the step cache once, atomically: when no entry there is unexpired at `now`,
   * puts `{ value: true, expiresAt }` and answers true; otherwise changes nothing and answers
   * false. Of any number of claims of one key at once (from engines or processes sharing the
   * store) exactly one answers true, until `expiresAt` passes. Webhook de-duplication uses it
   * (createWebhookDedupe, keys `webhook/...`). Optional for stores written before it: without
   * it the dedupe falls back to getCache then putCache, which two claims at once can both pass.
   */
  claimOnce?(key: string, options: ClaimOnceOptions): Promise<boolean>;

  // Run ownership (run-lease.ts): optional for older stores.
  claimRun?: RunLeaseStore['claimRun'];
  renewRuns?: RunLeaseStore['renewRuns'];
  releaseRun?: RunLeaseStore['releaseRun'];
  claimDue?: RunLeaseStore['claimDue'];
}

/** The summary a state implies (what the engine passes to `append`). */
export function isFinished(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}
