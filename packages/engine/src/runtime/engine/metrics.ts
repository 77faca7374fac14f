import { MillraceError } from '../../errors/millrace-error.ts';
import type { RunStore, RunSummary } from '../../store/run-store.ts';
import type { RunStatus } from '../run-state.ts';

/** `engine.metrics(flowId, options)`. */
export interface MetricsOptions {
  /** Only runs created at or after this time (ms since the epoch). Default: all. */
  readonly since?: number;
}

/** One kind of failure: the node it happened at and its error code. */
export interface ErrorCount {
  /** The failing node's id (loop iterations folded together); null for a run-level error. */
  readonly node: string | null;
  readonly code: string;
  readonly count: number;
}

/** What the store says about a flow's runs. */
export interface FlowMetrics {
  readonly flowId: string;
  readonly since?: number;
  /** Runs counted (created since `since`). */
  readonly runs: number;
  readonly byStatus: Readonly<Record<RunStatus, number>>;
  /** succeeded / (succeeded + failed + cancelled); null while none has finished. */
  readonly successRate: number | null;
  /** Of finished runs, from start (or creation, if never started) to end; null when none. */
  readonly durationMs: {
    readonly count: number;
    readonly average: number | null;
    /** Nearest rank: the smallest duration at or above 95% of them. */
    readonly p95: number | null;
  };
  /** Failed runs by node and code, most frequent first; and the same summed per node, per code. */
  readonly errors: readonly ErrorCount[];
  readonly errorsByNode: Readonly<Record<string, number>>;
  readonly errorsByCode: Readonly<Record<string, number>>;
}

/** Folds run summaries into a flow's metrics (pure). */
export function flowMetrics(
  flowId: string,
  runs: readonly RunSummary[],
  since?: number,
): FlowMetrics {
  const byStatus: Record<RunStatus, number> = {
    queued: 0,
    running: 0,
    waiting: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
  };
  const durations: number[] = [];
  const errors = new Map<string, { node: string | null; code: string; count: number }>();
  for (const run of runs) {
    byStatus[run.status]++;
    if (run.finishedAt !== undefined)
      durations.push(run.finishedAt - (run.startedAt ?? run.createdAt));
    if (run.status === 'failed' && run.error) {
      const node = run.error.nodePath === undefined ? null : nodeIdOf(run.error.nodePath);
      const key = `${node ?? ''}\u0000${run.error.code}`;
      const entry = errors.get(key) ?? { node, code: run.error.code, count: 0 };
      entry.count++;
      errors.set(key, entry);
    }
  }
  const finished = byStatus.succeeded + byStatus.failed + byStatus.cancelled;
  durations.sort((a, b) => a - b);
  const list = [...errors.values()].sort(
    (a, b) =>
      b.count - a.count ||
      (a.node ?? '').localeCompare(b.node ?? '') ||
      a.code.localeCompare(b.code),
  );
  const errorsByNode: Record<string, number> = {};
  const errorsByCode: Record<string, number> = {};
  for (const e of list) {
    const node = e.node ?? '(run)';
    errorsByNode[node] = (errorsByNode[node] ?? 0) + e.count;
    errorsByCode[e.code] = (errorsByCode[e.code] ?? 0) + e.count;
  }
  return {
    flowId,
    ...(since === undefined ? {} : { since }),
    runs: runs.length,
    byStatus,
    successRate: finished === 0 ? null : byStatus.succeeded / finished,
    durationMs: {
      count: durations.length,
      average:
        durations.length === 0 ? null : durations.reduce((s, d) => s + d, 0) / durations.length,
      p95: durations.length === 0 ? null : durations[Math.ceil(0.95 * durations.length) - 1]!,
    },
    errors: list,
    errorsByNode,
    errorsByCode,
  };
}

/** `each[3]/enrich` -> `enrich`: node ids are unique in a flow, iterations fold together. */
function nodeIdOf(path: string): string {
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last.replace(/\[\d+\]$/, '');
}

/** The metrics part of an engine: one store query (`listRuns` with `since`), then a fold. */
export function createMetrics(store: RunStore) {
  return async function metrics(
    flowId: string,
    options: MetricsOptions = {},
  ): Promise<FlowMetrics> {
    if (typeof flowId !== 'string' || flowId === '')
      throw new MillraceError('E_INVALID_ARGUMENT', 'metrics needs a flow id.', {
        path: '/flowId',
      });
    const since = options.since;
    if (since !== undefined && !Number.isFinite(since)) {
      throw new MillraceError(
        'E_INVALID_ARGUMENT',
        `metrics: since must be a time in ms since the epoch; it was ${String(since)}.`,
        { path: '/since' },
      );
    }
    const runs = await store.listRuns({
      flowId,
      ...(since === undefined ? {} : { since }),
      limit: Number.MAX_SAFE_INTEGER,
    });
    return flowMetrics(flowId, runs, since);
  };
}
