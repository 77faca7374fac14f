import { templateReferences } from '../../expr/references.ts';
import { pointerSegment } from '../diagnostic.ts';
import { isObject, type IndexedContext } from './context.ts';
import { ScopeResolver, enclosingLoops, type ExpressionScope } from './scopes.ts';

/** The roots an expression may start from (DESIGN §3). */
export const EXPRESSION_ROOTS = [
  'flow',
  'nodes',
  'vars',
  'item',
  'index',
  'error',
  'trigger',
  'event',
  'secrets',
] as const;
const ROOTS = new Set<string>(EXPRESSION_ROOTS);

/**
 * Parses every expression in the flow and checks what it reads: syntax, roots, and that each
 * `$<nodes.x...>` names a node that exists and has run by then (upstream, in scope).
 */
export function checkExpressions(ctx: IndexedContext, flow: Record<string, unknown>): void {
  const scopes = new ScopeResolver(ctx.index);
  const visit = (
    value: unknown,
    path: string,
    scope: () => ExpressionScope,
    nodeId?: string,
  ): void => {
    walkStrings(value, path, (text, at) => checkTemplate(ctx, text, at, scope(), nodeId));
  };

  for (const info of [...ctx.index.nodes.values(), ...ctx.index.duplicates]) {
    const node = info.node as unknown as Record<string, unknown>;
    let own: ExpressionScope | undefined;
    const scope = () => (own ??= scopes.forNode(info));
    const input = node['input'];
    if (isObject(input)) {
      for (const [key, value] of Object.entries(input)) {
        const at = `${info.pointer}/input/${pointerSegment(key)}`;
        if (node['type'] === 'while' && key === 'condition') {
          visit(
            value,
            at,
            () => scopes.forContainerInside(info, `the condition of "${info.id}"`),
            info.id,
          );
        } else visit(value, at, scope, info.id);
      }
    }
    visit(node['skipIf'], `${info.pointer}/skipIf`, scope, info.id);
    if (isObject(node['cache']))
      visit(node['cache']['key'], `${info.pointer}/cache/key`, scope, info.id);
    if (isObject(node['retry']) && typeof node['retry']['retryOn'] === 'string') {
      visit(
        node['retry']['retryOn'],
        `${info.pointer}/retry/retryOn`,
        () => ({ ...scope(), error: true }),
        info.id,
      );
    }
    if (Array.isArray(node['cases'])) {
      node['cases'].forEach((c, i) => {
        if (isObject(c)) visit(c['when'], `${info.pointer}/cases/${i}/when`, scope, info.id);
      });
    }
    if (isObject(node['compensate'])) {
      const withSelf = () => ({ ...scope(), selfVisible: true });
      visit(node['compensate']['input'], `${info.pointer}/compensate/input`, withSelf, info.id);
    }
    if ('output' in node) {
      visit(
        node['output'],
        `${info.pointer}/output`,
        () => scopes.forContainerInside(info, `the output of "${info.id}"`),
        info.id,
      );
    }
    for (const region of ['catch', 'finally'] as const) {
      const holder = node[region];
      const graph = ctx.index.regionsOf.get(info.id)?.find((g) => g.region === region);
      if (isObject(holder) && graph && 'output' in holder) {
        visit(
          holder['output'],
          `${graph.pointer}/output`,
          () => scopes.forGraphOutput(graph, `the ${region} output of "${info.id}"`),
          info.id,
        );
      }
    }
  }

  visit(flow['output'], '/output', () => scopes.forGraphOutput(ctx.index.main, 'the flow output'));
  const onFailure = ctx.index.onFailure;
  if (onFailure && isObject(flow['onFailure'])) {
    visit(flow['onFailure']['output'], '/onFailure/output', () =>
      scopes.forGraphOutput(onFailure, 'the onFailure output'),
    );
  }
  if (Array.isArray(flow['triggers'])) {
    flow['triggers'].forEach((t, i) => {
      if (isObject(t) && t['kind'] === 'event') {
        visit(t['filter'], `/triggers/${i}/filter`, () => scopes.forTrigger('an event filter'));
      }
    });
  }
}

/** Calls `fn` for every string inside `value` that holds an expression, with its pointer. */
function walkStrings(value: unknown, path: string, fn: (text: string, path: string) => void): void {
  if (typeof value === 'string') {
    if (value.includes('$<')) fn(value, path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walkStrings(v, `${path}/${i}`, fn));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) walkStrings(v, `${path}/${pointerSegment(k)}`, fn);
  }
}

type PlaceScope = ExpressionScope & { readonly selfVisible?: boolean };

function checkTemplate(
  ctx: IndexedContext,
  text: string,
  path: string,
  scope: PlaceScope,
  nodeId: string | undefined,
): void {
  const extra = (start: number, end: number) => ({
    position: { start, end },
    ...(nodeId === undefined ? {} : { nodeId }),
  });
  const { references, errors } = templateReferences(text);
  for (const err of errors) {
    const pos = err.position ?? { start: 0, end: text.length };
    ctx.report(
      'E_EXPR_SYNTAX',
      path,
      `In ${scope.where}: ${err.message}`,
      extra(pos.start, pos.end),
    );
  }
  for (const ref of references) {
    const at = extra(ref.start, ref.end);
    if (!ROOTS.has(ref.root)) {
      ctx.report(
        'E_EXPR_UNKNOWN_ROOT',
        path,
        `In ${scope.where}: "${ref.root}" is not defined; expressions start from ${EXPRESSION_ROOTS.join(', ')}${ref.root === 'input' ? ' (did you mean flow.input?)' : ''}.`,
        at,
      );
      continue;
    }
    if ((ref.root === 'item' && !scope.item) || (ref.root === 'index' && !scope.index)) {
      ctx.report(
        'E_REF_ITEM_OUTSIDE_LOOP',
        path,
        `In ${scope.where}: "${ref.root}" only exists inside a ${ref.root === 'item' ? 'forEach' : 'forEach or while'} body.`,
        at,
      );
      continue;
    }
    if (ref.root === 'error' && !scope.error) {
      ctx.report(
        'E_REF_ERROR_OUTSIDE_CATCH',
        path,
        `In ${scope.where}: "error" only exists in a try's catch or finally region, in onFailure, and in retry.retryOn.`,
        at,
      );
      continue;
    }
    if (ref.root === 'nodes') checkNodeReference(ctx, ref.path[0], path, scope, at, nodeId);
  }
}

function checkNodeReference(
  ctx: IndexedContext,
  target: string | number | undefined,
  path: string,
  scope: PlaceScope,
  at: { position: { start: number; end: number }; nodeId?: string },
  nodeId: string | undefined,
): void {
  if (typeof target !== 'string') return; // `nodes[expr]` cannot be checked statically
  const info = ctx.index.nodes.get(target);
  if (!info) {
    const near = [...ctx.index.nodes.keys()].find((k) => k.toLowerCase() === target.toLowerCase());
    ctx.report(
      'E_REF_UNKNOWN_NODE',
      path,
      `In ${scope.where}: there is no node "${target}"${near ? `; did you mean "${near}"?` : '.'}`,
      at,
    );
    return;
  }
  if (info.id === nodeId && scope.selfVisible) return;
  const visibility = scope.sees(info);
  if (visibility === 'yes') return;
  if (visibility === 'in-loop') {
    const own = nodeId === undefined ? [] : enclosingLoops(ctx.index, nodeId);
    const hidden = enclosingLoops(ctx.index, target).find(
      (loop) => !own.includes(loop) && loop.id !== nodeId,
    );
    ctx.report(
      'E_REF_OUT_OF_SCOPE',
      path,
      `In ${scope.where}: "${target}" runs inside the loop "${hidden?.id ?? '?'}", once per iteration; from outside the loop read $<nodes.${hidden?.id ?? '...'}.output> (one entry per iteration).`,
      at,
    );
    return;
  }
  ctx.report(
    'E_REF_NOT_UPSTREAM',
    path,
    target === nodeId
      ? `In ${scope.where}: a node cannot read its own output.`
      : `In ${scope.where}: "${target}" does not run before this point; connect "${target}" upstream of ${nodeId === undefined ? 'this place' : `"${nodeId}"`} (directly or through other nodes), or read another node.`,
    at,
  );
}
