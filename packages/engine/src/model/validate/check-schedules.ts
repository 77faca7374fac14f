import { Cron } from 'croner';
import { isObject, quote, type ValidationContext } from './context.ts';

// A fixed reference instant keeps validation deterministic (no clock read): any cron that can
// fire at all fires at some point after it.
const REFERENCE = new Date(Date.UTC(2000, 0, 1));

/** Checks each schedule trigger's cron string and time zone (croner parses them). */
export function checkSchedules(ctx: ValidationContext, triggers: unknown): void {
  if (!Array.isArray(triggers)) return;
  triggers.forEach((t, i) => {
    if (!isObject(t) || t['kind'] !== 'schedule' || typeof t['cron'] !== 'string') return;
    const what = typeof t['id'] === 'string' ? `Trigger "${t['id']}"` : `Trigger ${i}`;
    const timezone = typeof t['timezone'] === 'string' ? t['timezone'] : undefined;
    if (timezone !== undefined && !isTimeZone(timezone)) {
      ctx.report(
        'E_CRON_INVALID',
        `/triggers/${i}/timezone`,
        `${what}: ${quote(timezone)} is not an IANA time zone; use a name like "Europe/Berlin" or "UTC".`,
      );
      return;
    }
    try {
      const job = new Cron(t['cron'], {
        paused: true,
        mode: '5-or-6-parts',
        timezone: timezone ?? 'UTC',
      });
      const next = job.nextRun(REFERENCE);
      job.stop();
      if (next === null) {
        ctx.report(
          'E_CRON_INVALID',
          `/triggers/${i}/cron`,
          `${what}: the cron ${quote(t['cron'])} never fires (no such date).`,
        );
      }
    } catch (err) {
      const reason =
        err instanceof Error ? err.message.replace(/^CronPattern:\s*/, '') : String(err);
      ctx.report(
        'E_CRON_INVALID',
        `/triggers/${i}/cron`,
        `${what}: ${quote(t['cron'])} is not a valid cron string (${reason}). Use five fields "minute hour day month weekday", e.g. "0 2 * * *", or six with seconds first.`,
      );
    }
  });
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
