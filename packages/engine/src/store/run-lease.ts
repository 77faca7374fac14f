/**
 * Run ownership: at most one live engine executes a run at a time. An engine claims a run
 * before it executes anything of it, renews the claim (a lease with an expiry) while the run has
 * work in flight, and releases it when the run parks or ends. Another engine over the same store
 * never starts a node of a run whose lease is held and unexpired; it takes the run over only once
 * the owner's lease has lapsed (the owner died, or lost its store). The store's sequence check
 * on `append` (E_STORE_CONFLICT) stays the fence: an owner that lost its lease and was overtaken
 * cannot write after the new owner.
 *
 * These methods are optional in RunStore (stores written before them still work, with no
 * ownership across engines); every store of this repository implements them.
 */
export interface RunLeaseStore {
  /**
   * Takes the lease of `runId` for `owner` until `until` when it is free, expired (its expiry
   * ≤ `now`) or already `owner`'s (then it is renewed). True when `owner` holds it afterwards.
   */
  claimRun(runId: string, owner: string, now: number, until: number): Promise<boolean>;
  /** Extends the leases `owner` still holds among `runIds` to `until`; returns those ids. */
  renewRuns(owner: string, runIds: readonly string[], until: number): Promise<string[]>;
  /** Gives a lease up (only `owner`'s: another owner's lease is left alone). */
  releaseRun(runId: string, owner: string): Promise<void>;
  /**
   * Claims, for `owner` until `until`, at most `limit` runs that have work due and no live
   * lease: unfinished runs that are queued or running (their owner died, or they were started
   * deferred), and parked runs whose next timer is due (`nextWakeAt` ≤ `now`). Oldest first.
   * Optional: without it an engine lists unfinished runs and claims them one by one.
   */
  claimDue?(owner: string, now: number, until: number, limit: number): Promise<string[]>;
}

/** Whether a run summary has work due at `now` (see `claimDue`). */
export function hasWorkDue(
  summary: { readonly status: string; readonly nextWakeAt?: number },
  now: number,
): boolean {
  if (summary.status === 'queued' || summary.status === 'running') return true;
  return (
    summary.status === 'waiting' && summary.nextWakeAt !== undefined && summary.nextWakeAt <= now
  );
}

/** Leases in memory: for the memory store, shared by the engines that share it. */
export function memoryLeases(): RunLeaseStore & {
  readonly leases: Map<string, { owner: string; until: number }>;
} {
  const leases = new Map<string, { owner: string; until: number }>();
  return {
    leases,
    async claimRun(runId, owner, now, until) {
      const held = leases.get(runId);
      if (held && held.owner !== owner && held.until > now) return false;
      leases.set(runId, { owner, until });
      return true;
    },
    async renewRuns(owner, runIds, until) {
      const kept: string[] = [];
      for (const id of runIds) {
        const held = leases.get(id);
        if (held?.owner !== owner) continue;
        held.until = until;
        kept.push(id);
      }
      return kept;
    },
    async releaseRun(runId, owner) {
      if (leases.get(runId)?.owner === owner) leases.delete(runId);
    },
  };
}

/** Whether a store keeps run leases. */
export function hasLeases<S extends object>(store: S): store is S & RunLeaseStore {
  const s = store as Partial<RunLeaseStore>;
  return (
    typeof s.claimRun === 'function' &&
    typeof s.renewRuns === 'function' &&
    typeof s.releaseRun === 'function'
  );
}
