import {
  BUILTIN_ACTIONS,
  ROOTS,
  catalogMap,
  indexFlow,
  scopeChain,
  upstreamOf,
  type ActionCatalog,
  type CompletionScope,
  type RunView,
} from '@millrace/engine/model';

/**
 * What an expression field of a node may refer to, for completion and preview: the nodes
 * upstream of it (in its graph and, for a node inside a container, upstream of each enclosing
 * container), with their output schemas and, when a run is shown, their last outputs; the roots
 * allowed where it sits (`item`/`index` only in loops, `error` only in catch and onFailure).
 */

/** The node ids a node's expressions may name (`$<nodes.x>`), nearest first. */
export function visibleNodes(flow: unknown, id: string): string[] {
  const index = indexFlow(flow);
  const info = index.nodes.get(id);
  if (!info) return [];
  const out: string[] = [...upstreamOf(info.graph, id)];
  for (const { container } of scopeChain(index, id)) {
    out.push(...upstreamOf(container.graph, container.id));
  }
  return [...new Set(out)];
}

/** The last output of each node in a run (its latest iteration's). */
function outputsOf(run: RunView | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const n of run?.nodes ?? []) if (n.output !== undefined) out.set(n.nodeId, n.output);
  return out;
}

export function completionScopeFor(
  flow: unknown,
  id: string,
  catalog: ActionCatalog | undefined,
  run?: RunView,
): CompletionScope {
  const index = indexFlow(flow);
  const chain = scopeChain(index, id);
  const descriptors = catalogMap(BUILTIN_ACTIONS);
  for (const [type, d] of catalogMap(catalog)) descriptors.set(type, d);
  const outputs = outputsOf(run);
  const nodes: Record<string, { title?: string; outputSchema?: unknown; sample?: unknown }> = {};
  for (const nodeId of visibleNodes(flow, id)) {
    const node = index.nodes.get(nodeId)?.node;
    if (!node) continue;
    const schema = descriptors.get(node.type)?.outputSchema;
    nodes[nodeId] = {
      title: node.name ?? node.type,
      ...(schema === undefined ? {} : { outputSchema: schema }),
      ...(outputs.has(nodeId) ? { sample: outputs.get(nodeId) } : {}),
    };
  }
  const inLoop = chain.some(
    ({ container }) => container.node.type === 'forEach' || container.node.type === 'while',
  );
  const graph = index.nodes.get(id)?.graph;
  const inCatch = chain.some(({ region }) => region === 'catch') || graph?.region === 'onFailure';
  const roots = ROOTS.filter((r) => (r !== 'item' && r !== 'index') || inLoop).filter(
    (r) => r !== 'error' || inCatch,
  );
  return {
    roots,
    nodes: nodes as NonNullable<CompletionScope['nodes']>,
    ...(run
      ? {
          samples: { flow: { input: run.input, id: run.flowId, runId: run.runId }, vars: run.vars },
        }
      : {}),
  };
}

/** Sample data of the last run for previews: `flow`, `nodes.<id>.output`, `vars`. */
export function previewScopeOf(run: RunView | undefined): Record<string, unknown> | undefined {
  if (!run) return undefined;
  const nodes: Record<string, unknown> = {};
  for (const n of run.nodes) {
    nodes[n.nodeId] = { output: n.output, status: n.status, attempts: n.attempts, error: n.error };
  }
  return {
    flow: { input: run.input, id: run.flowId, runId: run.runId, startedAt: run.startedAt },
    nodes,
    vars: run.vars,
  };
}
