import { runInNewContext } from 'node:vm';
import { evaluateTemplate } from '../../../src/expr/index.ts';
import type { Edge, FlowDefinition, FlowNode, JsonValue } from '../../../src/model/flow.ts';

/**
 * A small reference interpreter of `millrace.flow/v1`, for tests only, until the runtime
 * exists: it runs imported flows so the fixtures' expected Windmill results can be checked end
 * to end. It follows DESIGN §2–§4 and the assumptions the importer documents
 * (docs/import-openflow.md): a node runs when one incoming edge is active; `skipIf` skips a node
 * but its successors run; container outputs are their `output` expression (per iteration for
 * loops); a `while` condition reads the previous iteration; `return` sets the run's output and
 * the run goes on; code nodes receive their input's fields by parameter name. One attempt per
 * node (no retries), approvals are approved at once, waits take no time.
 */

type Json = Record<string, unknown>;

interface NodeRecord {
  status: 'succeeded' | 'failed' | 'skipped';
  output: unknown;
  port?: string;
  /** Skipped by skipIf: successors still run. */
  skipIf?: boolean;
}

interface Frame {
  readonly parent: Frame | undefined;
  readonly records: Map<string, NodeRecord>;
  readonly item?: unknown;
  readonly index?: number;
  readonly error?: unknown;
}

export interface SimulatedRun {
  readonly status: 'succeeded' | 'failed';
  readonly output: unknown;
  readonly error?: { message: string };
}

class NodeFailure extends Error {
  constructor(readonly data: { name: string; code: string; message: string }) {
    super(data.message);
  }
}

export function simulate(flow: FlowDefinition, input: unknown): SimulatedRun {
  const run = { input, returned: undefined as { value: unknown } | undefined };
  const root: Frame = { parent: undefined, records: new Map() };
  try {
    runGraph(run, flow.nodes, flow.edges ?? [], root);
    const output = run.returned
      ? run.returned.value
      : flow.output === undefined
        ? null
        : value(run, flow.output as JsonValue, root);
    return { status: 'succeeded', output };
  } catch (err) {
    const error = toError(err);
    let output: unknown = undefined;
    if (flow.onFailure) {
      const frame: Frame = { parent: root, records: new Map(), error };
      runGraph(run, flow.onFailure.nodes, flow.onFailure.edges ?? [], frame);
      output =
        flow.onFailure.output === undefined ? undefined : value(run, flow.onFailure.output, frame);
    }
    return { status: 'failed', output, error: { message: error.message } };
  }
}

type Run = { input: unknown; returned: { value: unknown } | undefined };

function scope(run: Run, frame: Frame): Json {
  const nodes: Json = {};
  const chain: Frame[] = [];
  for (let f: Frame | undefined = frame; f; f = f.parent) chain.unshift(f);
  let item: unknown;
  let index: unknown;
  let error: unknown;
  for (const f of chain) {
    for (const [id, r] of f.records) nodes[id] = { output: r.output, status: r.status };
    if ('item' in f) item = f.item;
    if ('index' in f) index = f.index;
    if ('error' in f) error = f.error;
  }
  return { flow: { input: run.input }, nodes, vars: {}, item, index, error };
}

function value(run: Run, v: JsonValue, frame: Frame): unknown {
  if (typeof v === 'string') return v.includes('$<') ? evaluateTemplate(v, scope(run, frame)) : v;
  if (Array.isArray(v)) return v.map((x) => value(run, x, frame));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, value(run, x as JsonValue, frame)]),
    );
  return v;
}

function runGraph(
  run: Run,
  nodes: readonly FlowNode[],
  edges: readonly Edge[],
  frame: Frame,
): void {
  const done = new Set<string>();
  const pending = [...nodes];
  while (pending.length > 0) {
    const i = pending.findIndex((n) =>
      edges.filter((e) => e.to === n.id).every((e) => done.has(e.from)),
    );
    if (i < 0) throw new Error('cycle or edge to an unknown node');
    const node = pending.splice(i, 1)[0] as FlowNode;
    const incoming = edges.filter((e) => e.to === node.id);
    const active =
      incoming.length === 0 ||
      incoming.some((e) => {
        const r = frame.records.get(e.from);
        return (
          r !== undefined &&
          (r.status === 'succeeded' || r.skipIf === true) &&
          (e.port ?? 'out') === (r.port ?? 'out')
        );
      });
    if (!active) frame.records.set(node.id, { status: 'skipped', output: null });
    else runNode(run, node, frame);
    done.add(node.id);
  }
}

function runNode(run: Run, node: FlowNode, frame: Frame): void {
  const n = node as FlowNode & Json;
  if (node.skipIf !== undefined && value(run, node.skipIf, frame)) {
    frame.records.set(node.id, { status: 'skipped', output: null, skipIf: true });
    return;
  }
  try {
    const { output, port } = execute(run, n, frame);
    frame.records.set(
      node.id,
      port === undefined ? { status: 'succeeded', output } : { status: 'succeeded', output, port },
    );
  } catch (err) {
    if (!node.continueOnError) throw err;
    frame.records.set(node.id, { status: 'succeeded', output: { error: toError(err) } });
  }
}

function execute(run: Run, n: FlowNode & Json, frame: Frame): { output: unknown; port?: string } {
  const input = () => structuredClone(value(run, (n.input ?? {}) as JsonValue, frame)) as Json;
  switch (n.type) {
    case 'code':
      return { output: callByName(n['code'] as string, input()) };
    case 'transform':
      return { output: input() };
    case 'if':
      return { output: null, port: input()['condition'] ? 'true' : 'false' };
    case 'switch': {
      const cases = n['cases'] as { port: string; when: string }[];
      const hit = cases.find((c) => value(run, c.when, frame));
      return { output: null, port: hit?.port ?? 'default' };
    }
    case 'return': {
      const v = input()['value'];
      run.returned ??= { value: v };
      return { output: v };
    }
    case 'fail': {
      const i = input();
      throw new NodeFailure({
        name: 'Error',
        code: String(i['code'] ?? 'E_FAIL'),
        message: String(i['message'] ?? 'failed'),
      });
    }
    case 'wait':
      return { output: null };
    case 'approval':
      return { output: { decision: 'approved', by: 'tester', data: {} }, port: 'approved' };
    case 'group': {
      // The inside of a group or try stays visible after it (DESIGN §2 scoping): share records.
      const inner: Frame = { parent: frame, records: frame.records };
      runGraph(run, n['nodes'] as FlowNode[], (n['edges'] as Edge[] | undefined) ?? [], inner);
      return { output: containerOutput(run, n, inner) };
    }
    case 'try': {
      const inner: Frame = { parent: frame, records: frame.records };
      try {
        runGraph(run, n['nodes'] as FlowNode[], (n['edges'] as Edge[] | undefined) ?? [], inner);
        return { output: containerOutput(run, n, inner) };
      } catch (err) {
        const region = n['catch'] as
          { nodes: FlowNode[]; edges?: Edge[]; output?: JsonValue } | undefined;
        if (!region) throw err;
        const caught: Frame = { parent: frame, records: frame.records, error: toError(err) };
        runGraph(run, region.nodes, region.edges ?? [], caught);
        return { output: region.output === undefined ? null : value(run, region.output, caught) };
      }
    }
    case 'forEach': {
      const items = input()['items'];
      if (!Array.isArray(items))
        throw new NodeFailure({ name: 'Error', code: 'E_TYPE', message: 'items is not an array' });
      return {
        output: items.map((item, index) => {
          const inner: Frame = { parent: frame, records: new Map(), item, index };
          runGraph(run, n['nodes'] as FlowNode[], (n['edges'] as Edge[] | undefined) ?? [], inner);
          return containerOutput(run, n, inner);
        }),
      };
    }
    case 'while': {
      const outputs: unknown[] = [];
      let previous: Frame = { parent: frame, records: new Map(), index: 0 };
      const max = (n['maxIterations'] as number | undefined) ?? 100_000;
      for (let index = 0; ; index++) {
        const check: Frame = { parent: frame, records: previous.records, index };
        if (!value(run, (n.input as Json)['condition'] as JsonValue, check)) break;
        // As the engine: reaching maxIterations with the condition still true fails the loop.
        if (index >= max) {
          throw new NodeFailure({
            name: 'Error',
            code: 'E_LOOP_LIMIT',
            message: 'maxIterations reached',
          });
        }
        const inner: Frame = { parent: frame, records: new Map(), index };
        runGraph(run, n['nodes'] as FlowNode[], (n['edges'] as Edge[] | undefined) ?? [], inner);
        outputs.push(containerOutput(run, n, inner));
        previous = inner;
      }
      return { output: outputs };
    }
    default:
      throw new Error(`the simulator cannot run "${n.type}" nodes`);
  }
}

function containerOutput(run: Run, n: Json, inner: Frame): unknown {
  if (n['output'] !== undefined) return value(run, n['output'] as JsonValue, inner);
  const nodes = n['nodes'] as FlowNode[];
  const edges = (n['edges'] as Edge[] | undefined) ?? [];
  const sinks = nodes.filter((x) => !edges.some((e) => e.from === x.id));
  return sinks.length === 1
    ? inner.records.get((sinks[0] as FlowNode).id)?.output
    : Object.fromEntries(sinks.map((s) => [s.id, inner.records.get(s.id)?.output]));
}

/** Runs a code node's module and calls `main` with its input's fields by parameter name. */
function callByName(code: string, input: Json): unknown {
  const source = code.replace(/\bexport\s+(?=(async\s+)?function\b|const\b|let\b)/g, '');
  const main = runInNewContext(`${source}\n;main`, {
    Error,
    JSON,
    Array,
    Object,
    Math,
    Number,
    String,
    Boolean,
  }) as (...args: unknown[]) => unknown;
  const params = /^[^(]*\(([^)]*)\)/.exec(main.toString())?.[1] ?? '';
  const names = params
    .split(',')
    .map((p) => p.trim().split(/[=:]/)[0]?.trim() ?? '')
    .filter((p) => p !== '');
  try {
    return structuredClone(main(...names.map((name) => input[name])));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new NodeFailure({ name: 'Error', code: 'E_CODE', message });
  }
}

function toError(err: unknown): { name: string; code: string; message: string } {
  if (err instanceof NodeFailure) return err.data;
  return {
    name: 'Error',
    code: 'E_INTERNAL',
    message: err instanceof Error ? err.message : String(err),
  };
}
