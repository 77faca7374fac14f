import type { NodeError, WaitInfo } from './events.ts';
import type { LogEntry, NodeStatus, RunState, RunStatus, ScriptCallRecord } from './run-state.ts';

/** One node of a run, as hosts and the designer's overlay show it. */
export interface NodeView {
  readonly path: string;
  readonly nodeId: string;
  /** The innermost loop iteration, when the node ran inside a loop. */
  readonly iteration?: number;
  readonly status: NodeStatus;
  readonly attempts: number;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly port?: string;
  readonly error?: NodeError;
  readonly cached?: boolean;
  /** Not executed: a test run's mock, a pinned output, or an output reused by a rerun. */
  readonly replaced?: 'mocked' | 'pinned' | 'reused';
  readonly skipReason?: 'skipIf' | 'dead';
  readonly logs: readonly LogEntry[];
  /** A code node's flow-script calls (`ctx.action`, `ctx.subflow`), in order, every attempt. */
  readonly calls?: readonly ScriptCallRecord[];
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly durationMs?: number;
  readonly wait?: WaitInfo;
}

export interface RunView {
  readonly runId: string;
  readonly flowId: string;
  readonly flowVersion: number;
  /** The alias the run was started through, if any. */
  readonly alias?: string;
  readonly status: RunStatus;
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: NodeError;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly durationMs?: number;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly nodes: readonly NodeView[];
  readonly waiting: readonly WaitInfo[];
  readonly parentRunId?: string;
  /** A rerun: the run it reused outputs from and the node it executed from. */
  readonly rerunOf?: { readonly runId: string; readonly fromNode: string };
  /** A test run: ids of the nodes replaced by mocks or pinned outputs. */
  readonly testNodes?: readonly string[];
  readonly lastSeq: number;
}

/** A plain, serialisable view of a run's state (per-node status, data, logs and timings). */
export function toRunView(state: RunState): RunView {
  const nodes: NodeView[] = [];
  for (const r of state.nodes.values()) {
    const slash = r.path.lastIndexOf('/');
    const m = slash >= 0 ? /\[(\d+)\]$/.exec(r.path.slice(0, slash)) : null;
    const view: Record<string, unknown> = {
      path: r.path,
      nodeId: r.path.slice(slash + 1),
      status: r.status,
      attempts: r.attempt,
      logs: r.logs ?? [],
    };
    if (m) view['iteration'] = Number(m[1]);
    for (const key of [
      'input',
      'output',
      'port',
      'error',
      'cached',
      'skipReason',
      'startedAt',
      'finishedAt',
      'wait',
      'calls',
      'replaced',
    ] as const) {
      if (r[key] !== undefined) view[key] = r[key];
    }
    if (r.startedAt !== undefined && r.finishedAt !== undefined)
      view['durationMs'] = r.finishedAt - r.startedAt;
    nodes.push(view as unknown as NodeView);
  }
  const run: Record<string, unknown> = {
    runId: state.runId,
    flowId: state.flowId,
    flowVersion: state.flowVersion,
    status: state.status,
    input: state.input,
    createdAt: state.createdAt,
    vars: state.vars,
    nodes,
    waiting: [...state.waiting.values()],
    lastSeq: state.lastSeq,
  };
  if (state.output !== undefined) run['output'] = state.output;
  if (state.error !== undefined) run['error'] = state.error;
  if (state.startedAt !== undefined) run['startedAt'] = state.startedAt;
  if (state.finishedAt !== undefined) {
    run['finishedAt'] = state.finishedAt;
    run['durationMs'] = state.finishedAt - (state.startedAt ?? state.createdAt);
  }
  if (state.parent) run['parentRunId'] = state.parent.runId;
  if (state.rerunOf) run['rerunOf'] = state.rerunOf;
  if (state.overrides) {
    const test = Object.keys(state.overrides).filter(
      (id) => state.overrides![id]!.kind !== 'reused',
    );
    if (test.length > 0) run['testNodes'] = test;
  }
  if (state.alias !== undefined) run['alias'] = state.alias;
  return run as unknown as RunView;
}
