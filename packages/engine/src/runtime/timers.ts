import type { TimerPurpose } from './events.ts';
import type { RunExecutor } from './executor.ts';
import type { Frame } from './frame.ts';
import { engineError } from './node-errors.ts';
import { failRun } from './run-end.ts';

// Timers: recorded (TimerScheduled) before they are relied on, armed on the injected clock, and
// re-armed from the record after a reload (a due timer fires at once).

/** Records (if not yet recorded) and arms a timer. Ids are deterministic for replay. */
export function ensureTimer(
  ex: RunExecutor,
  path: string,
  purpose: TimerPurpose,
  dueAt: number,
  attempt: number,
  fire: () => void,
  frame?: Frame,
): void {
  const timerId = `${path}@${purpose}#${attempt}`;
  if (!ex.state.timers.has(timerId)) {
    ex.emit(
      {
        type: 'TimerScheduled',
        timerId,
        path,
        dueAt,
        purpose,
      },
      frame,
    );
  }
  armTimer(ex, timerId, dueAt, fire);
}

export function armTimer(ex: RunExecutor, timerId: string, dueAt: number, fire: () => void): void {
  const existing = ex.timers.get(timerId);
  if (existing) ex.services.clock.clearTimer(existing);
  const delay = dueAt - ex.services.clock.now();
  const onFire = () => {
    ex.timers.delete(timerId);
    ex.enqueue(() => {
      if (ex.ended || !ex.state.timers.has(timerId)) return;
      const timer = ex.state.timers.get(timerId)!;
      ex.emit({ type: 'TimerFired', timerId, path: timer.path });
      fire();
    });
  };
  if (delay <= 0) {
    ex.push(onFire);
    return;
  }
  ex.timers.set(timerId, ex.services.clock.setTimer(delay, onFire));
}

export function clearTimersOf(ex: RunExecutor, path: string): void {
  for (const [timerId, timer] of ex.state.timers) {
    if (timer.path !== path) continue;
    const handle = ex.timers.get(timerId);
    if (handle) ex.services.clock.clearTimer(handle);
    ex.timers.delete(timerId);
    ex.emit({ type: 'TimerFired', timerId, path });
  }
}

export function runTimedOut(ex: RunExecutor): void {
  if (ex.ended) return;
  failRun(
    ex,
    engineError(
      'E_RUN_TIMEOUT',
      `The run took longer than the flow's timeoutMs (${ex.flow.def.timeoutMs ?? 0} ms).`,
    ),
  );
}
