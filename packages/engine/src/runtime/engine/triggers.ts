import { compileTemplate } from '../../expr/index.ts';
import type { FlowDefinition } from '../../model/flow.ts';
import type { Clock } from '../../platform/clock.ts';
import { Scheduler } from '../schedules.ts';
import type { EngineLogger, RunHandle, StartOptions } from './engine-api.ts';

/** An event trigger of a flow's latest version. */
export interface EventTrigger {
  readonly event: string;
  readonly flowId: string;
  readonly triggerId: string;
  readonly filter?: string;
}

/** The triggers of deployed flows: schedules armed on the clock, and event triggers. */
export interface Triggers {
  /** A version was deployed: its triggers replace the previous version's. */
  deployed(definition: FlowDefinition): void;
  /** Arms the schedules of the latest versions (after a restart). */
  armSchedules(): Promise<void>;
  /** Starts a run of every flow with an event trigger for `event` whose filter passes. */
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

/**
 * Creates the triggers of an engine. A schedule's run id names the planned time, so engines
 * sharing a store start each fire once. Event triggers of the latest version of every flow are
 * loaded on the first `startMatching`, then kept current by `deployed`.
 */
export function createTriggers(deps: {
  readonly clock: Clock;
  readonly logger: EngineLogger;
  /** The latest version of every flow. */
  readonly latest: () => Promise<FlowDefinition[]>;
  readonly start: (flowId: string, input: unknown, options: StartOptions) => Promise<RunHandle>;
}): Triggers {
  const { logger } = deps;
  let closed = false;
  const scheduler = new Scheduler(
    deps.clock,
    async ({ flowId, trigger, dueAt }) => {
      const runId = `${flowId}.${trigger.id}.${dueAt}`;
      try {
        await deps.start(flowId, trigger.input ?? {}, {
          runId,
          trigger: { kind: 'schedule', id: trigger.id, event: { scheduledAt: dueAt } },
        });
      } catch (err) {
        // Another engine on the same store started this fire first.
        if ((err as { code?: unknown }).code !== 'E_STORE_CONFLICT') throw err;
      }
    },
    (err) => logger.error('A schedule failed to start a run', err),
  );

  let byEvent: Map<string, EventTrigger[]> | undefined;
  const register = (def: FlowDefinition): void => {
    if (!byEvent) return;
    for (const list of byEvent.values()) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i]!.flowId === def.id) list.splice(i, 1);
    }
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
    deployed(def) {
      register(def);
      if (!closed) scheduler.arm(def);
    },
    async armSchedules() {
      for (const def of await deps.latest()) scheduler.arm(def);
    },
    async startMatching(event, payload) {
      if (!byEvent) {
        byEvent = new Map();
        for (const def of await deps.latest()) register(def);
      }
      const started: string[] = [];
      for (const t of byEvent.get(event) ?? []) {
        if (!passes(t.filter, payload)) continue;
        const handle = await deps.start(t.flowId, payload, {
          trigger: { kind: 'event', id: t.triggerId, event: payload },
        });
        started.push(handle.id);
      }
      return started;
    },
    close() {
      closed = true;
      scheduler.close();
    },
  };
}
