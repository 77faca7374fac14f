import type { CNode, Evaluable } from './compile-flow.ts';
import type { RunExecutor } from './executor.ts';
import type { Frame } from './frame.ts';
import { toNodeError } from './node-errors.ts';

// Expression scopes: what `$<flow>`, `$<nodes.x>`, `$<vars>`, `$<item>`, `$<error>` and
// `$<secrets>` mean for an expression evaluated at a node of a frame.

export function scope(
  ex: RunExecutor,
  frame: Frame,
  ev: Evaluable | undefined,
  self?: CNode,
): Record<string, unknown> {
  const b = frame.bindings;
  const scope: Record<string, unknown> = {
    flow: ex.flowScope,
    nodes: nodesView(ex, frame, ev?.nodeRefs ?? [], self),
    vars: ex.state.vars,
    trigger: ex.triggerScope,
    event: ex.triggerScope.event,
  };
  if ('item' in b) scope['item'] = b.item;
  if (b.index !== undefined) scope['index'] = b.index;
  if (b.error !== undefined) scope['error'] = b.error;
  if (ev?.usesSecrets) scope['secrets'] = secretsFor(ex, ev);
  return scope;
}

export function nodesView(
  ex: RunExecutor,
  frame: Frame,
  refs: readonly string[] | null,
  self?: CNode,
): Record<string, unknown> {
  // A null-prototype object starts in dictionary mode: node ids as keys would otherwise
  // create one hidden class per id, and runs of 10,000 nodes would slow down per node.
  const view = Object.create(null) as Record<string, unknown>;
  const ids = refs ?? [...ex.flow.nodes.keys()];
  for (const id of ids) {
    const node = ex.flow.nodes.get(id);
    if (!node) continue;
    const rec = ex.state.nodes.get(frame.pathOf(node));
    if (!rec) {
      if (refs !== null) view[id] = { status: 'pending' };
      continue;
    }
    if (node === self && rec.status !== 'succeeded') continue;
    view[id] = {
      output: rec.output,
      status: rec.status,
      error: rec.error,
      attempts: rec.attempt,
    };
  }
  return view;
}

export function secretsFor(ex: RunExecutor, ev: Evaluable): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ref of ev.value.references) {
    const name = ref.path[0];
    if (ref.root !== 'secrets' || typeof name !== 'string') continue;
    const value = ex.services.secret(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export function secretValues(ex: RunExecutor, ...evs: (Evaluable | undefined)[]): string[] {
  const values: string[] = [];
  for (const ev of evs) if (ev?.usesSecrets) values.push(...Object.values(secretsFor(ex, ev)));
  return values;
}

/** Evaluates; an expression error becomes the node's failure (returns undefined). */
export function evaluate(
  ex: RunExecutor,
  frame: Frame,
  node: CNode,
  ev: Evaluable,
  path: string,
  attempt: number,
): { value: unknown } | undefined {
  try {
    return { value: ev.value.evaluate(scope(ex, frame, ev, node)) };
  } catch (err) {
    ex.failNode(frame, node, path, attempt, toNodeError(err));
    return undefined;
  }
}
