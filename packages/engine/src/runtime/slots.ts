/** A FIFO counting semaphore: `maxConcurrentNodes` across all runs of an engine. */
export interface Slots {
  /** Calls `start` now (returns true) or when a slot frees up (returns false). */
  acquire(start: () => void): boolean;
  release(): void;
}

/**
 * A FIFO counting semaphore for `maxConcurrentNodes`: `acquire` starts at once while slots are
 * free, else queues the start in arrival order; `release` hands the slot to the next in line.
 */
export function createSlots(max: number): Slots {
  let free = max;
  const waiting: (() => void)[] = [];
  return {
    acquire(start) {
      if (free > 0) {
        free--;
        return true;
      }
      waiting.push(start);
      return false;
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}
