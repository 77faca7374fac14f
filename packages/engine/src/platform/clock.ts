/**
 * Time, injected: the engine never reads the wall clock or sets a timer except through a
 * Clock, so tests drive retries, waits and timeouts on a simulated clock without sleeping.
 */
import { platform } from './globals.ts';

export type TimerHandle = { readonly __timer: true };

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once `delayMs` have passed; returns a handle for clearTimer. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

// setTimeout's maximum delay is 2^31-1 ms (~24.8 days); longer waits re-arm in steps.
const MAX_DELAY = 2_147_483_647;

/** The real clock: Date.now and setTimeout. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, fn) {
    const box: { handle: unknown; cleared: boolean } = { handle: undefined, cleared: false };
    const due = Date.now() + Math.max(0, delayMs);
    const arm = () => {
      const left = due - Date.now();
      box.handle = platform.setTimeout(
        () => {
          if (box.cleared) return;
          if (due - Date.now() > 0) arm();
          else fn();
        },
        Math.min(Math.max(0, left), MAX_DELAY),
      );
    };
    arm();
    return box as unknown as TimerHandle;
  },
  clearTimer(handle) {
    const box = handle as unknown as { handle: unknown; cleared: boolean };
    box.cleared = true;
    platform.clearTimeout(box.handle);
  },
};

interface SimTimer {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires due timers in time order and lets
 * the engine's promises settle between them, so a whole run with retries and waits completes
 * in a test without real time passing.
 */
export class SimulatedClock implements Clock {
  private time: number;
  private nextId = 1;
  private timers: SimTimer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timer = { id: this.nextId++, due: this.time + Math.max(0, delayMs), fn };
    this.timers.push(timer);
    return { __timer: true, id: timer.id } as unknown as TimerHandle;
  }

  clearTimer(handle: TimerHandle): void {
    const id = (handle as unknown as { id: number }).id;
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /** The due time of the next timer, if any. */
  get nextDue(): number | undefined {
    return this.timers.reduce<number | undefined>(
      (min, t) => (min === undefined || t.due < min ? t.due : min),
      undefined,
    );
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      const next = this.earliest();
      if (!next || next.due > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.due);
      next.fn();
      await settle();
    }
    this.time = target;
    await settle();
  }

  /** Fires timers until none is left (or `maxSteps` fired): "run to completion". */
  async runAll(maxSteps = 10_000): Promise<void> {
    await settle();
    for (let i = 0; i < maxSteps; i++) {
      const next = this.earliest();
      if (!next) return;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.due);
      next.fn();
      await settle();
    }
  }

  private earliest(): SimTimer | undefined {
    let best: SimTimer | undefined;
    for (const t of this.timers)
      if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    return best;
  }
}

/** Lets pending promise chains run: several macrotask-free microtask turns. */
export async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
