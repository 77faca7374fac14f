import { Cron } from 'croner';
import type { FlowDefinition, ScheduleTrigger } from '../model/flow.ts';
import type { Clock, TimerHandle } from '../platform/clock.ts';

/** What the scheduler asks the engine to do when a schedule fires. */
export type ScheduledStart = (request: {
  readonly flowId: string;
  readonly trigger: ScheduleTrigger;
  /** The planned fire time (ms); part of the run id, so two engines never start it twice. */
  readonly dueAt: number;
}) => Promise<void>;

/**
 * Arms the schedule triggers of the latest version of each flow on the injected clock. Each
 * fire computes the next one from the planned time (not from "now"), so a slow start does not
 * drift the series. Croner parses the cron string and handles time zones and DST.
 */
export class Scheduler {
  private readonly timers = new Map<string, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly start: ScheduledStart,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** (Re-)arms every schedule trigger of a flow version; disarms those it no longer has. */
  arm(def: FlowDefinition): void {
    this.disarm(def.id);
    for (const t of def.triggers ?? []) {
      if (t.kind !== 'schedule' || t.enabled === false) continue;
      this.next(def.id, t, this.clock.now());
    }
  }

  disarm(flowId: string): void {
    for (const [key, handle] of this.timers) {
      if (key.startsWith(`${flowId}\u0000`)) {
        this.clock.clearTimer(handle);
        this.timers.delete(key);
      }
    }
  }

  close(): void {
    for (const handle of this.timers.values()) this.clock.clearTimer(handle);
    this.timers.clear();
  }

  /** The next fire time of a trigger after `from` (ms), or undefined if it never fires. */
  static nextFire(trigger: ScheduleTrigger, from: number): number | undefined {
    const job = new Cron(trigger.cron, {
      paused: true,
      mode: '5-or-6-parts',
      timezone: trigger.timezone ?? 'UTC',
    });
    const next = job.nextRun(new Date(from));
    job.stop();
    return next ? next.getTime() : undefined;
  }

  private next(flowId: string, trigger: ScheduleTrigger, from: number): void {
    let due: number | undefined;
    try {
      due = Scheduler.nextFire(trigger, from);
    } catch (err) {
      this.onError(err);
      return;
    }
    if (due === undefined) return;
    const key = `${flowId}\u0000${trigger.id}`;
    const planned = due;
    this.timers.set(
      key,
      this.clock.setTimer(planned - this.clock.now(), () => {
        this.timers.delete(key);
        this.next(flowId, trigger, planned);
        this.start({ flowId, trigger, dueAt: planned }).catch(this.onError);
      }),
    );
  }
}
