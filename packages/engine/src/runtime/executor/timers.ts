import type { TimerPurpose } from '../events.ts';
import type { Frame } from '../frame.ts';
import type { RunContext } from './run-context.ts';

// Timers: recorded (TimerScheduled) before they are relied on, armed on the injected clock, and
// re-armed from the record after a reload (a due timer fires at once).

/** A timer's id: deterministic, so a replay finds the timer it recorded. */
export function timerIdOf(path: string, purpose: TimerPurpose, attempt: number): string {
  return `${path}@${purpose}#${attempt}`;
}

/** Records (if not yet recorded) and arms a timer. */
export function ensureTimer(
  ctx: RunContext,
  path: string,
  purpose: TimerPurpose,
  dueAt: number,
  attempt: number,
  fire: () => void,
  frame?: Frame,
): void {
  const timerId = timerIdOf(path, purpose, attempt);
  if (!ctx.state.timers.has(timerId)) {
    ctx.emit({ type: 'TimerScheduled', timerId, path, dueAt, purpose }, frame);
  }
  armTimer(ctx, timerId, dueAt, fire);
}

/** Arms a recorded timer on the clock; when it fires, TimerFired is recorded, then `fire` runs. */
export function armTimer(ctx: RunContext, timerId: string, dueAt: number, fire: () => void): void {
  const existing = ctx.timers.get(timerId);
  if (existing) ctx.services.clock.clearTimer(existing);
  const delay = dueAt - ctx.services.clock.now();
  const onFire = () => {
    ctx.timers.delete(timerId);
    ctx.enqueue(() => {
      if (ctx.ended || !ctx.state.timers.has(timerId)) return;
      const timer = ctx.state.timers.get(timerId)!;
      ctx.emit({ type: 'TimerFired', timerId, path: timer.path });
      fire();
    });
  };
  if (delay <= 0) {
    ctx.push(onFire);
    return;
  }
  ctx.timers.set(timerId, ctx.services.clock.setTimer(delay, onFire));
}

/** Cancels the timers of a node path (`''`: the run's own), recording them as fired. */
export function clearTimersOf(ctx: RunContext, path: string): void {
  for (const [timerId, timer] of ctx.state.timers) {
    if (timer.path !== path) continue;
    const handle = ctx.timers.get(timerId);
    if (handle) ctx.services.clock.clearTimer(handle);
    ctx.timers.delete(timerId);
    ctx.emit({ type: 'TimerFired', timerId, path });
  }
}
