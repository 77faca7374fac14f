import { MillraceError } from '../errors/millrace-error.ts';
import { isObject } from '../model/validate/context.ts';
import type { Edge, FlowDefinition, FlowNode, JsonValue, SubGraph } from '../model/flow.ts';
import type { Region } from '../model/graph.ts';
import { DEFAULT_PORT } from '../model/ports.ts';
import { compileValue, type CompiledValue } from './compiled-value.ts';

/** A value plus the node ids its expressions read (`null`: reads `nodes` dynamically). */
export interface Evaluable {
  readonly value: CompiledValue;
  readonly nodeRefs: readonly string[] | null;
  readonly usesSecrets: boolean;
}

export interface CEdge {
  readonly from: CNode;
  readonly to: CNode;
  readonly port: string;
}

/** A node of a compiled flow: its definition plus everything the executor needs precomputed. */
export interface CNode {
  readonly id: string;
  readonly type: string;
  readonly def: FlowNode;
  readonly graph: CGraph;
  /** Position in its graph (index into the frame's counters). */
  readonly index: number;
  readonly inEdges: CEdge[];
  readonly outEdges: CEdge[];
  /** How many loops enclose the node. */
  readonly loopDepth: number;
  /** input, skipIf, cache key, retryOn (expression), switch cases: in the node's scope. */
  readonly input: Evaluable;
  readonly skipIf?: Evaluable;
  readonly cacheKey?: Evaluable;
  readonly retryOn?: Evaluable;
  readonly cases?: readonly { readonly port: string; readonly when: Evaluable }[];
  readonly compensateInput?: Evaluable;
  /** Containers: the output expression, evaluated inside (per iteration for forEach). */
  readonly output?: Evaluable;
  /** `waitForEvent`: the filter, evaluated per event with `$<event>` in the node's scope. */
  readonly filter?: Evaluable;
  /** `while`: the condition, evaluated inside the loop's scope. */
  readonly condition?: Evaluable;
  readonly body?: CGraph;
  readonly catchGraph?: CGraph;
  readonly finallyGraph?: CGraph;
}

export interface CGraph {
  readonly key: string;
  readonly region: Region;
  readonly owner: CNode | undefined;
  readonly nodes: CNode[];
  readonly roots: CNode[];
  readonly sinks: CNode[];
  /** A region's own `output` (catch, finally, onFailure). */
  readonly output?: Evaluable;
  readonly loopDepth: number;
}

export interface CompiledFlow {
  readonly def: FlowDefinition;
  readonly version: number;
  readonly main: CGraph;
  readonly onFailure: CGraph | undefined;
  readonly output: Evaluable | undefined;
  readonly nodes: ReadonlyMap<string, CNode>;
}

function omit(input: object, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = input as Record<string, unknown>;
  return rest;
}

function evaluable(raw: unknown, path: string): Evaluable {
  let value: CompiledValue;
  try {
    value = compileValue(raw);
  } catch (err) {
    const e = err as MillraceError;
    throw new MillraceError(e.code ?? 'E_EXPR_SYNTAX', `${e.message} (at ${path})`, {
      path,
      ...(e.position ? { position: e.position } : {}),
      cause: err,
    });
  }
  let dynamic = false;
  let usesSecrets = false;
  const ids = new Set<string>();
  for (const ref of value.references) {
    if (ref.root === 'secrets') usesSecrets = true;
    if (ref.root !== 'nodes') continue;
    const id = ref.path[0];
    if (typeof id === 'string') ids.add(id);
    else dynamic = true;
  }
  return { value, nodeRefs: dynamic ? null : [...ids], usesSecrets };
}

/**
 * Compiles a (validated) flow version for execution: every expression parsed and compiled once,
 * edges resolved to node objects, ports defaulted, loop depths known. Throws MillraceError
 * with a JSON pointer on anything it cannot compile.
 */
export function compileFlow(def: FlowDefinition, version = def.version ?? 1): CompiledFlow {
  const nodes = new Map<string, CNode>();

  const buildGraph = (
    holder: SubGraph | FlowDefinition,
    pointer: string,
    key: string,
    region: Region,
    owner: CNode | undefined,
    loopDepth: number,
  ): CGraph => {
    const graph = {
      key,
      region,
      owner,
      nodes: [] as CNode[],
      roots: [] as CNode[],
      sinks: [] as CNode[],
      loopDepth,
    } as { -readonly [K in keyof CGraph]: CGraph[K] };
    holder.nodes.forEach((def, index) => {
      const at = `${pointer}/nodes/${index}`;
      const raw = def as unknown as Record<string, unknown>;
      const node = {
        id: def.id,
        type: def.type,
        def,
        graph,
        index,
        inEdges: [],
        outEdges: [],
        loopDepth,
        // A waitForEvent filter is evaluated per event (with $<event>), not with the input.
        input: evaluable(
          def.type === 'waitForEvent' ? omit(def.input ?? {}, 'filter') : (def.input ?? {}),
          `${at}/input`,
        ),
      } as { -readonly [K in keyof CNode]: CNode[K] };
      const filter =
        def.type === 'waitForEvent'
          ? (def.input as Record<string, unknown> | undefined)?.['filter']
          : undefined;
      if (filter !== undefined) node.filter = evaluable(filter, `${at}/input/filter`);
      if (typeof def.skipIf === 'string') node.skipIf = evaluable(def.skipIf, `${at}/skipIf`);
      if (def.cache) node.cacheKey = evaluable(def.cache.key, `${at}/cache/key`);
      if (typeof def.retry?.retryOn === 'string')
        node.retryOn = evaluable(def.retry.retryOn, `${at}/retry/retryOn`);
      if (def.compensate)
        node.compensateInput = evaluable(def.compensate.input ?? {}, `${at}/compensate/input`);
      if (def.type === 'switch' && Array.isArray(raw['cases'])) {
        node.cases = (raw['cases'] as { port: string; when: string }[]).map((c, i) => ({
          port: c.port,
          when: evaluable(c.when, `${at}/cases/${i}/when`),
        }));
      }
      if (nodes.has(def.id)) {
        throw new MillraceError('E_FLOW_INVALID', `Two nodes have the id "${def.id}".`, {
          path: `${at}/id`,
        });
      }
      nodes.set(def.id, node);
      graph.nodes.push(node);
      const type = def.type;
      if (type === 'forEach' || type === 'while' || type === 'try' || type === 'group') {
        const inner = type === 'forEach' || type === 'while' ? loopDepth + 1 : loopDepth;
        if ('output' in raw) node.output = evaluable(raw['output'] as JsonValue, `${at}/output`);
        if (type === 'while') {
          node.condition = evaluable(
            (def.input as Record<string, unknown> | undefined)?.['condition'],
            `${at}/input/condition`,
          );
        }
        node.body = buildGraph(def as unknown as SubGraph, at, def.id, 'body', node, inner);
        if (type === 'try' && isObject(raw['catch'])) {
          node.catchGraph = buildGraph(
            raw['catch'] as unknown as SubGraph,
            `${at}/catch`,
            `${def.id}#catch`,
            'catch',
            node,
            loopDepth,
          );
        }
        if (type === 'try' && isObject(raw['finally'])) {
          node.finallyGraph = buildGraph(
            raw['finally'] as unknown as SubGraph,
            `${at}/finally`,
            `${def.id}#finally`,
            'finally',
            node,
            loopDepth,
          );
        }
      }
    });
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    ((holder.edges ?? []) as readonly Edge[]).forEach((edge, i) => {
      const from = byId.get(edge.from);
      const to = byId.get(edge.to);
      if (!from || !to) {
        throw new MillraceError(
          'E_FLOW_INVALID',
          `Edge ${i} connects unknown nodes "${edge.from}" → "${edge.to}".`,
          {
            path: `${pointer}/edges/${i}`,
          },
        );
      }
      const e: CEdge = { from, to, port: edge.port ?? DEFAULT_PORT };
      from.outEdges.push(e);
      to.inEdges.push(e);
    });
    graph.roots = graph.nodes.filter((n) => n.inEdges.length === 0);
    graph.sinks = graph.nodes.filter((n) => n.outEdges.length === 0);
    const regionOutput = (holder as SubGraph).output;
    if (region !== 'main' && region !== 'body' && regionOutput !== undefined) {
      graph.output = evaluable(regionOutput, `${pointer}/output`);
    }
    return graph;
  };

  const main = buildGraph(def, '', '', 'main', undefined, 0);
  const onFailure = def.onFailure
    ? buildGraph(def.onFailure, '/onFailure', 'onFailure', 'onFailure', undefined, 0)
    : undefined;
  const output = def.output === undefined ? undefined : evaluable(def.output, '/output');
  return { def, version, main, onFailure, output, nodes };
}
