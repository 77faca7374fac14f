import { Cron } from 'croner';
import type { ScheduleTrigger } from '../model/flow.ts';

function cronOf(trigger: ScheduleTrigger): Cron {
  return new Cron(trigger.cron, {
    paused: true,
    mode: '5-or-6-parts',
    timezone: trigger.timezone ?? 'UTC',
  });
}

/**
 * The fire a schedule catches up on after a restart: with `catchUp: 'runOnce'`, the latest fire
 * time after `settledUpTo` (the stored last fire) and at or before `now`; undefined when nothing
 * was missed, when the policy is `skip` (the default), or when nothing was ever recorded (a
 * schedule that never ran has nothing to catch up). Croner computes the times in the trigger's
 * time zone, DST included.
 *
 * @example
 * catchUpFire({ id: 't', kind: 'schedule', cron: '0 * * * *', catchUp: 'runOnce' }, t0, t0 + 3 * HOUR); // t0 + 3 h
 */
export function catchUpFire(
  trigger: ScheduleTrigger,
  settledUpTo: number | undefined,
  now: number,
): number | undefined {
  if (trigger.catchUp !== 'runOnce' || settledUpTo === undefined || settledUpTo >= now) {
    return undefined;
  }
  const job = cronOf(trigger);
  try {
    const first = job.nextRun(new Date(settledUpTo));
    if (!first || first.getTime() > now) return undefined;
    // previousRuns is strictly before its reference; +1 ms lets a fire at exactly `now` count.
    const latest = job.previousRuns(1, new Date(now + 1))[0];
    return Math.max(first.getTime(), latest ? latest.getTime() : 0);
  } finally {
    job.stop();
  }
}
