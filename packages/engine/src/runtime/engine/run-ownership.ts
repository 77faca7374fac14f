import { MillraceError } from '../../errors/millrace-error.ts';
import type { Clock, TimerHandle } from '../../platform/clock.ts';
import { hasLeases } from '../../store/run-lease.ts';
import type { RunStore } from '../../store/run-store.ts';
import type { EngineLogger } from './engine-api.ts';

/** Default lease: how long a run stays an engine's after its last renewal. */
export const DEFAULT_LEASE_MS = 30_000;

/**
 * This engine's claims on runs (store/run-lease.ts): a run is claimed before anything of it
 * executes here, renewed every third of the lease while it is loaded, and released when it
 * parks or ends. Over a store without leases every claim succeeds (one engine per store).
 */
export interface RunOwnership {
  /** This engine's owner id in the store's leases. */
  readonly owner: string;
  /** How long a claim lasts without renewal (ms). */
  readonly leaseMs: number;
  /** Claims `runId`; throws E_RUN_OWNED when another live engine holds it. */
  claim(runId: string): Promise<void>;
  /**
   * Takes on a run whose lease this engine already holds (claimed with others by the store's
   * `claimDue`): renewed and released like a claimed one, without asking the store again.
   */
  adopt(runId: string): void;
  /** Gives the run up (it parked or ended here). */
  release(runId: string): void;
  /** Stops renewing (the engine closes); held leases lapse or are released. */
  close(): void;
}

export function createRunOwnership(deps: {
  readonly store: RunStore;
  readonly clock: Clock;
  readonly logger: EngineLogger;
  readonly owner: string;
  readonly leaseMs?: number;
}): RunOwnership {
  const { store, clock, logger, owner } = deps;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const held = new Set<string>();
  let timer: TimerHandle | undefined;
  let closed = false;

  if (!hasLeases(store)) {
    return {
      owner,
      leaseMs,
      claim: async () => undefined,
      adopt: () => undefined,
      release: () => undefined,
      close: () => undefined,
    };
  }

  const schedule = (): void => {
    if (timer !== undefined || closed || held.size === 0) return;
    timer = clock.setTimer(Math.max(1, Math.floor(leaseMs / 3)), () => {
      timer = undefined;
      void renew();
    });
  };

  async function renew(): Promise<void> {
    const ids = [...held];
    if (ids.length > 0) {
      try {
        const kept = new Set(await store.renewRuns!(owner, ids, clock.now() + leaseMs));
        for (const id of ids) {
          // Lost: another engine took it over after our lease lapsed (a long stall). Our next
          // append will conflict with theirs (E_STORE_CONFLICT) and stop this copy of the run.
          if (!kept.has(id) && held.delete(id))
            logger.error(`Lost the lease of run ${id} to another engine.`);
        }
      } catch (error) {
        logger.error('Could not renew run leases', error);
      }
    }
    schedule();
  }

  return {
    owner,
    leaseMs,
    async claim(runId) {
      const now = clock.now();
      if (!(await store.claimRun!(runId, owner, now, now + leaseMs))) {
        throw new MillraceError(
          'E_RUN_OWNED',
          `Run "${runId}" is being executed by another engine; it takes the run over only when that engine's lease lapses.`,
          { details: { runId } },
        );
      }
      held.add(runId);
      schedule();
    },
    adopt(runId) {
      held.add(runId);
      schedule();
    },
    release(runId) {
      if (!held.delete(runId)) return;
      store.releaseRun!(runId, owner).catch((error: unknown) =>
        logger.error(`Could not release the lease of run ${runId}`, error),
      );
      if (held.size === 0 && timer !== undefined) {
        clock.clearTimer(timer);
        timer = undefined;
      }
    },
    close() {
      closed = true;
      if (timer !== undefined) clock.clearTimer(timer);
      timer = undefined;
      for (const runId of [...held]) this.release(runId);
    },
  };
}
