import type { CompiledFlow } from '../compile-flow.ts';

/** What admission needs to know of a run. */
export interface AdmittedRun {
  readonly runId: string;
  readonly flow: CompiledFlow;
  /** The queued run got its slot: it records RunStarted and starts. */
  dequeue(): void;
}

/** `maxConcurrentRuns`: which runs of a flow run now and which wait in line. */
export interface RunAdmission {
  /** Whether a new run of `flow` must queue (the flow is at its limit, or others wait already). */
  mustQueue(flow: CompiledFlow): boolean;
  /** Counts a run as running (or not any more) against its flow's limit. */
  setRunning(flowId: string, runId: string, running: boolean): void;
  /** Puts a queued run in line (once). */
  enqueue(flowId: string, runId: string): void;
  /** Starts queued runs of the flow while it is under its limit. */
  dequeue(flowId: string, live: (runId: string) => AdmittedRun | undefined): void;
}

/**
 * Creates the admission of runs per flow: a flow's own `maxConcurrentRuns` wins over the
 * engine's; queued runs start in arrival order. A parked run keeps its slot until it ends, so
 * waking it never exceeds the limit.
 */
export function createRunAdmission(engineLimit: number | undefined): RunAdmission {
  const queues = new Map<string, string[]>();
  const running = new Map<string, Set<string>>();
  const limitOf = (flow: CompiledFlow): number =>
    flow.def.maxConcurrentRuns ?? engineLimit ?? Number.POSITIVE_INFINITY;
  const admission: RunAdmission = {
    mustQueue(flow) {
      const id = flow.def.id;
      return (running.get(id)?.size ?? 0) >= limitOf(flow) || (queues.get(id)?.length ?? 0) > 0;
    },
    setRunning(flowId, runId, isRunning) {
      const set = running.get(flowId) ?? new Set<string>();
      if (isRunning) set.add(runId);
      else set.delete(runId);
      running.set(flowId, set);
    },
    enqueue(flowId, runId) {
      const queue = queues.get(flowId) ?? [];
      if (!queue.includes(runId)) queue.push(runId);
      queues.set(flowId, queue);
    },
    dequeue(flowId, live) {
      const queue = queues.get(flowId);
      while (queue && queue.length > 0) {
        const next = live(queue[0]!);
        // A queued run that is no longer loaded (cancelled, unloaded) gives up its place.
        if (!next) {
          queue.shift();
          continue;
        }
        if ((running.get(flowId)?.size ?? 0) >= limitOf(next.flow)) return;
        queue.shift();
        admission.setRunning(flowId, next.runId, true);
        next.dequeue();
        // Starting one run admits one; a freed slot calls dequeue again.
        return;
      }
    },
  };
  return admission;
}
