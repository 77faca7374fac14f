import { MillraceError } from '../../errors/millrace-error.ts';
import type { RunStore } from '../../store/run-store.ts';
import type { CNode, CompiledFlow } from '../compile-flow.ts';
import type { NodeOverride, NodeSucceeded } from '../events.ts';
import { foldEvents, type RunState } from '../run-state.ts';
import { toRunView, type RunView } from '../run-view.ts';
import type { RunHandle, StartOptions } from './engine-api.ts';
import type { ReplayOptions, RerunOptions } from './test-run-options.ts';

// Test runs and debugging: mocks and pinned outputs at start, rerun from a node, replay of a
// prefix of a run's log. The executor only sees `overrides` (RunCreated) and replaces those
// nodes (executor/node-overrides.ts); everything here is deciding which.

/** What a rerun needs from its engine. */
export interface TestRunDeps {
  readonly store: RunStore;
  readonly compiled: (flowId: string, version?: number) => Promise<CompiledFlow>;
  readonly state: (runId: string) => Promise<RunState | undefined>;
  readonly start: (
    flowId: string,
    input: unknown,
    options: StartOptions,
    test: TestStart,
  ) => Promise<RunHandle>;
}

/** The internal part of a start that only reruns use. */
export interface TestStart {
  readonly overrides?: Readonly<Record<string, NodeOverride>>;
  readonly rerunOf?: { readonly runId: string; readonly fromNode: string };
}

// Branching nodes choose a port from their input; a given output cannot say which.
const BRANCHING = new Set(['if', 'switch']);

/**
 * The overrides of a start: `mocks` (test doubles) and `pinned` (outputs pinned in the
 * designer from an earlier run). Both replace execution; a node in both takes its mock.
 * E_INVALID_ARGUMENT (with a JSON pointer into the options) for an unknown node id or a
 * branching node (`if`, `switch`: mock what their condition reads instead).
 */
export function startOverrides(
  flow: CompiledFlow,
  options: Pick<StartOptions, 'mocks' | 'pinned'>,
  extra?: Readonly<Record<string, NodeOverride>>,
): Record<string, NodeOverride> | undefined {
  if (options.mocks === undefined && options.pinned === undefined && extra === undefined)
    return undefined;
  const out: Record<string, NodeOverride> = { ...extra };
  const add = (field: 'pinned' | 'mocks', kind: 'pinned' | 'mocked') => {
    const given = options[field];
    if (given === undefined) return;
    if (typeof given !== 'object' || given === null || Array.isArray(given)) {
      throw new MillraceError(
        'E_INVALID_ARGUMENT',
        `start options.${field} must be an object of node id -> output.`,
        { path: `/${field}` },
      );
    }
    for (const [id, output] of Object.entries(given)) {
      const node = flow.nodes.get(id);
      const path = `/${field}/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!node) {
        throw new MillraceError(
          'E_INVALID_ARGUMENT',
          `start options.${field} names "${id}", which is no node of flow "${flow.def.id}" version ${flow.version}.`,
          { path },
        );
      }
      if (BRANCHING.has(node.type)) {
        throw new MillraceError(
          'E_INVALID_ARGUMENT',
          `"${id}" is an ${node.type} node: its port comes from its condition, not an output; mock the nodes its condition reads instead.`,
          { path },
        );
      }
      out[id] = { kind, output: output === undefined ? null : output };
    }
  };
  add('pinned', 'pinned');
  add('mocks', 'mocked');
  return out;
}

/** The nodes of the flow's top level that `node` depends on (through edges), transitively. */
export function upstreamOf(node: CNode): CNode[] {
  const seen = new Set<CNode>();
  const stack = node.inEdges.map((e) => e.from);
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const e of n.inEdges) stack.push(e.from);
  }
  return [...seen];
}

/** Creates `rerun` and `replay` over an engine's store and run supervisor. */
export function createTestRuns(deps: TestRunDeps) {
  async function rerun(runId: string, options: RerunOptions): Promise<RunHandle> {
    const fromNode = options?.fromNode;
    if (typeof fromNode !== 'string' || fromNode === '') {
      throw new MillraceError('E_INVALID_ARGUMENT', 'rerun needs { fromNode: "<node id>" }.', {
        path: '/fromNode',
      });
    }
    const state = await deps.state(runId);
    if (!state) throw new MillraceError('E_RUN_NOT_FOUND', `No run "${runId}" in the store.`);
    const flow = await deps.compiled(state.flowId, state.flowVersion);
    const node = flow.nodes.get(fromNode);
    if (!node) {
      throw new MillraceError(
        'E_INVALID_ARGUMENT',
        `"${fromNode}" is no node of flow "${state.flowId}" version ${state.flowVersion}.`,
        { path: '/fromNode' },
      );
    }
    if (node.graph !== flow.main) {
      const owner = node.graph.owner?.id ?? 'its container';
      throw new MillraceError(
        'E_INVALID_ARGUMENT',
        `"${fromNode}" is inside "${owner}": a rerun starts from a node of the flow's top level; rerun from "${owner}".`,
        { path: '/fromNode' },
      );
    }
    // Variables set by reused nodes come with them (setVars upstream of fromNode).
    const varsByPath = new Map<string, Readonly<Record<string, unknown>>>();
    for (const e of await deps.store.readEvents(runId)) {
      if (e.type === 'NodeSucceeded' && (e as NodeSucceeded).vars)
        varsByPath.set(e.path, (e as NodeSucceeded).vars!);
    }
    const overrides: Record<string, NodeOverride> = {};
    // The original's own mocks and pins stay (a rerun of a test run is a test run).
    for (const [id, o] of Object.entries(state.overrides ?? {}))
      if (o.kind !== 'reused') overrides[id] = o;
    for (const up of upstreamOf(node)) {
      const record = state.nodes.get(up.id);
      // Only what succeeded is reused; a skipped node is skipped again by the same data.
      if (record?.status !== 'succeeded') continue;
      const vars = varsByPath.get(up.id);
      overrides[up.id] = {
        kind: 'reused',
        output: record.output ?? null,
        ...(record.port === undefined ? {} : { port: record.port }),
        ...(vars === undefined ? {} : { vars }),
      };
    }
    return deps.start(
      state.flowId,
      state.input,
      { version: state.flowVersion, trigger: { kind: 'api', id: `rerun:${runId}` } },
      { overrides, rerunOf: { runId, fromNode } },
    );
  }

  async function replay(runId: string, options: ReplayOptions = {}): Promise<RunView> {
    const until = options.untilSeq;
    if (until !== undefined && (!Number.isInteger(until) || until < 1)) {
      throw new MillraceError(
        'E_INVALID_ARGUMENT',
        `untilSeq must be an integer from 1 (the RunCreated event); it was ${String(until)}.`,
        { path: '/untilSeq' },
      );
    }
    const events = await deps.store.readEvents(runId);
    if (events.length === 0)
      throw new MillraceError('E_RUN_NOT_FOUND', `No run "${runId}" in the store.`);
    const prefix = until === undefined ? events : events.filter((e) => e.seq <= until);
    return toRunView(foldEvents(prefix)!);
  }

  return { rerun, replay };
}
