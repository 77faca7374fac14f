import type { CNode, Evaluable } from '../compile-flow.ts';
import type { Frame } from '../frame.ts';
import type { RunContext } from './run-context.ts';

// Expression scopes: what `$<flow>`, `$<nodes.x>`, `$<vars>`, `$<item>`, `$<error>` and
// `$<secrets>` mean for an expression evaluated at a node of a frame.

/** The scope an expression sees at `frame` (`self`: the node it belongs to). */
export function scope(
  ctx: RunContext,
  frame: Frame,
  ev: Evaluable | undefined,
  self?: CNode,
): Record<string, unknown> {
  const b = frame.bindings;
  const scope: Record<string, unknown> = {
    flow: ctx.flowScope,
    nodes: nodesView(ctx, frame, ev?.nodeRefs ?? [], self),
    vars: ctx.state.vars,
    trigger: ctx.triggerScope,
    event: ctx.triggerScope.event,
  };
  if ('item' in b) scope['item'] = b.item;
  if (b.index !== undefined) scope['index'] = b.index;
  if (b.error !== undefined) scope['error'] = b.error;
  if (ev?.usesSecrets) scope['secrets'] = secretsFor(ctx, ev);
  return scope;
}

/** `$<nodes>`: the records of the referenced nodes (`refs`; null: all) as seen from `frame`. */
export function nodesView(
  ctx: RunContext,
  frame: Frame,
  refs: readonly string[] | null,
  self?: CNode,
): Record<string, unknown> {
  // A null-prototype object starts in dictionary mode: node ids as keys would otherwise
  // create one hidden class per id, and runs of 10,000 nodes would slow down per node.
  const view = Object.create(null) as Record<string, unknown>;
  const ids = refs ?? [...ctx.flow.nodes.keys()];
  for (const id of ids) {
    const node = ctx.flow.nodes.get(id);
    if (!node) continue;
    const rec = ctx.state.nodes.get(frame.pathOf(node));
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

/** `$<secrets>`: the secrets an expression names, resolved now. */
export function secretsFor(ctx: RunContext, ev: Evaluable): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ref of ev.value.references) {
    const name = ref.path[0];
    if (ref.root !== 'secrets' || typeof name !== 'string') continue;
    const value = ctx.services.secret(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The values of the secrets some expressions read (to redact from what they produce). */
export function secretValues(ctx: RunContext, ...evs: (Evaluable | undefined)[]): string[] {
  const values: string[] = [];
  for (const ev of evs) if (ev?.usesSecrets) values.push(...Object.values(secretsFor(ctx, ev)));
  return values;
}
