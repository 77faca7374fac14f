import { compileTemplate } from '../../expr/index.ts';
import type { FlowDefinition, ScheduleTrigger } from '../../model/flow.ts';
import type { Clock } from '../../platform/clock.ts';
import type { FlowLifecycleStore } from '../../store/flow-state.ts';
import { catchUpFire } from '../../triggers/schedule-catch-up.ts';
import { Scheduler } from '../schedules.ts';
import type { EngineLogger, RunHandle, StartOptions } from './engine-api.ts';

/** An event trigger of a flow's latest version. */
export interface EventTrigger {
  readonly event: string;
  readonly flowId: string;
  readonly triggerId: string;
  readonly filter?: string;
}

/** The triggers of active flows: schedules armed on the clock, and event triggers. */
export interface Triggers {
  /** A flow became active, or an active flow got a new version: its triggers replace the old. */
  deployed(definition: FlowDefinition): Promise<void>;
  /** A flow was deactivated or deleted: its schedules and event triggers are dropped. */
  disarm(flowId: string): void;
  /**
   * Arms the schedules of the active flows (after a restart), first catching up, per trigger's
   * `catchUp`, on fires missed while no engine ran.
   */
  armSchedules(): Promise<void>;
  /** Starts a run of every active flow with an event trigger for `event` whose filter passes. */
  startMatching(event: string, payload: unknown): Promise<string[]>;
  /** Disarms every schedule. */
  close(): void;
}

/** The enabled event triggers of a flow version. */
export function eventTriggersOf(def: FlowDefinition): EventTrigger[] {
  const out: EventTrigger[] = [];
  for (const t of def.triggers ?? []) {
    if (t.kind !== 'event' || t.enabled === false) continue;
    out.push({
      event: t.event,
      flowId: def.id,
      triggerId: t.id,
      ...(t.filter ? { filter: t.filter } : {}),
    });
  }
  return out;
}

function schedulesOf(def: FlowDefinition): ScheduleTrigger[] {
  return (def.triggers ?? []).filter(
    (t): t is ScheduleTrigger => t.kind === 'schedule' && t.enabled !== false,
  );
}

/**
 * Creates the triggers of an engine. A schedule's run id names the planned time, and each fire
 * is recorded in the store (per flow and trigger) after it starts: an engine skips a fire the
 * store says is settled, so engines sharing a store, or a new engine after a restart, start
 * each fire once. Event triggers of the active flows are loaded on the first `startMatching`,
 * then kept current by `deployed` and `disarm`.
 */
export function createTriggers(deps: {
  readonly clock: Clock;
  readonly logger: EngineLogger;
  /** The latest version of every active flow. */
  readonly armed: () => Promise<FlowDefinition[]>;
  /** Starts a triggered run; undefined when the flow is no longer active (another engine). */
  readonly start: (
    flowId: string,
    input: unknown,
    options: StartOptions,
  ) => Promise<RunHandle | undefined>;
  readonly fires: Pick<FlowLifecycleStore, 'getScheduleFire' | 'recordScheduleFire'>;
}): Triggers {
  const { logger, clock, fires } = deps;
  let closed = false;

  async function fire(flowId: string, trigger: ScheduleTrigger, dueAt: number): Promise<void> {
    const settled = await fires.getScheduleFire(flowId, trigger.id);
    if (settled !== undefined && settled >= dueAt) return;
    try {
      await deps.start(flowId, trigger.input ?? {}, {
        runId: `${flowId}.${trigger.id}.${dueAt}`,
        trigger: { kind: 'schedule', id: trigger.id, event: { scheduledAt: dueAt } },
      });
    } catch (err) {
      // Another engine on the same store started this fire first.
      if ((err as { code?: unknown }).code !== 'E_STORE_CONFLICT') throw err;
    }
    await fires.recordScheduleFire(flowId, trigger.id, dueAt);
  }

  const scheduler = new Scheduler(
    clock,
    ({ flowId, trigger, dueAt }) => fire(flowId, trigger, dueAt),
    (err) => logger.error('A schedule failed to start a run', err),
  );

  let byEvent: Map<string, EventTrigger[]> | undefined;
  const unregister = (flowId: string): void => {
    if (!byEvent) return;
    for (const list of byEvent.values()) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i]!.flowId === flowId) list.splice(i, 1);
    }
  };
  const register = (def: FlowDefinition): void => {
    if (!byEvent) return;
    unregister(def.id);
    for (const trigger of eventTriggersOf(def)) {
      const list = byEvent.get(trigger.event) ?? [];
      list.push(trigger);
      byEvent.set(trigger.event, list);
    }
  };
  const passes = (filter: string | undefined, payload: unknown): boolean => {
    if (filter === undefined) return true;
    try {
      return Boolean(
        compileTemplate(filter).evaluate({
          event: payload,
          trigger: { kind: 'event', event: payload },
        }),
      );
    } catch (err) {
      logger.error(`An event filter failed: ${filter}`, err);
      return false;
    }
  };

  return {
    async deployed(def) {
      register(def);
      if (closed) return;
      // Armed from now: fires before this moment are not missed ones (the flow was inactive,
      // or had another version), so the store's record moves up to now.
      const now = clock.now();
      for (const t of schedulesOf(def)) await fires.recordScheduleFire(def.id, t.id, now);
      scheduler.arm(def);
    },
    disarm(flowId) {
      unregister(flowId);
      scheduler.disarm(flowId);
    },
    async armSchedules() {
      for (const def of await deps.armed()) {
        for (const t of schedulesOf(def)) {
          const settled = await fires.getScheduleFire(def.id, t.id);
          const missed = catchUpFire(t, settled, clock.now());
          if (missed !== undefined) {
            await fire(def.id, t, missed).catch((err: unknown) =>
              logger.error('A schedule failed to catch up on a missed fire', err),
            );
          }
        }
        if (!closed) scheduler.arm(def);
      }
    },
    async startMatching(event, payload) {
      if (!byEvent) {
        byEvent = new Map();
        for (const def of await deps.armed()) register(def);
      }
      const started: string[] = [];
      for (const t of [...(byEvent.get(event) ?? [])]) {
        if (!passes(t.filter, payload)) continue;
        const handle = await deps.start(t.flowId, payload, {
          trigger: { kind: 'event', id: t.triggerId, event: payload },
        });
        if (handle) started.push(handle.id);
      }
      return started;
    },
    close() {
      closed = true;
      scheduler.close();
    },
  };
}
