import type { AbortControllerLike } from '../../platform/globals.ts';
import type { TimerHandle } from '../../platform/clock.ts';
import type { CNode } from '../compile-flow.ts';
import type { NodeError, WaitInfo } from '../events.ts';
import type { Frame } from '../frame.ts';
import { engineError } from '../node-errors.ts';

// Types and small helpers shared by the executor's parts.

/** A parked node. */
export interface Waiter {
  readonly frame: Frame;
  readonly node: CNode;
  readonly path: string;
  readonly attempt: number;
  readonly wait: WaitInfo;
}

/** An action attempt in flight. */
export interface InFlight {
  readonly frame: Frame;
  readonly controller: AbortControllerLike;
  readonly node: CNode;
  readonly attempt: number;
  settled: boolean;
  timeout?: TimerHandle;
}

/** The progress of one forEach instance. */
export interface LoopState {
  next: number;
  running: number;
  done: number;
  readonly outputs: unknown[];
  readonly frames: Set<Frame>;
}

/** A deep copy through JSON: each action gets its own copy of its input. */
export function structuredCloneJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Normalises an action's output to JSON (Dates to strings, undefined dropped). */
export function normalizeJson(
  value: unknown,
): { value: unknown } | { error: NodeError } | undefined {
  if (value === undefined) return { value: null };
  try {
    const json = JSON.stringify(value);
    return { value: json === undefined ? null : JSON.parse(json) };
  } catch (err) {
    return {
      error: engineError(
        'E_OUTPUT_NOT_JSON',
        `The action returned a value that cannot be stored as JSON: ${(err as Error).message}.`,
      ),
    };
  }
}
