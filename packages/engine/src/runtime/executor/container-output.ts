import type { CGraph, CNode, Evaluable } from '../compile-flow.ts';
import type { Frame } from '../frame.ts';
import { toNodeError } from '../node-errors.ts';
import type { RunContext } from './run-context.ts';
import { failNode } from './node-outcomes.ts';
import { frameFailed } from './run-frames.ts';
import { scope } from './run-scope.ts';

// What a finished body produces (DESIGN §2): its `output` expression when given, else its
// single sink's output (several sinks: an object keyed by sink id).

/** A body's output: the container's `output` expression, else its sinks' outputs. */
export function bodyOutput(
  ctx: RunContext,
  frame: Frame,
  owner: CNode | undefined,
  graph: CGraph,
  expr: Evaluable | undefined,
): { value: unknown } | undefined {
  if (expr) {
    try {
      return { value: expr.value.evaluate(scope(ctx, frame, expr)) };
    } catch (err) {
      failNode(ctx, frame.parent!, owner!, frame.parent!.pathOf(owner!), 1, toNodeError(err));
      return undefined;
    }
  }
  const sinks = graph.sinks;
  if (sinks.length === 0) return { value: null };
  if (sinks.length === 1)
    return { value: ctx.state.nodes.get(frame.pathOf(sinks[0]!))?.output ?? null };
  const out: Record<string, unknown> = {};
  for (const s of sinks) out[s.id] = ctx.state.nodes.get(frame.pathOf(s))?.output ?? null;
  return { value: out };
}

/**
 * A loop iteration's output. With an `output` expression it is recorded once, under the
 * iteration's own path (`each[3]`), because the expression may read `vars` that later
 * iterations change: a replay must reuse the recorded value, not evaluate it again. Without
 * one, the output is the body's sink outputs, which are recorded already.
 */
export function iterationOutput(
  ctx: RunContext,
  frame: Frame,
  owner: CNode,
  body: CGraph,
): { value: unknown } | undefined {
  if (!owner.output) return bodyOutput(ctx, frame, owner, body, undefined);
  const path = frame.segments.join('/');
  const rec = ctx.state.nodes.get(path);
  if (rec?.status === 'succeeded') return { value: rec.output };
  const out = bodyOutput(ctx, frame, owner, body, owner.output);
  if (out) ctx.emit({ type: 'NodeSucceeded', path, attempt: 1, output: out.value }, frame);
  return out;
}

/** A catch or finally region's output: its own `output` expression, else its sinks'. */
export function regionOutput(
  ctx: RunContext,
  frame: Frame,
  graph: CGraph,
): { value: unknown } | undefined {
  if (graph.output) {
    try {
      return { value: graph.output.value.evaluate(scope(ctx, frame, graph.output)) };
    } catch (err) {
      frameFailed(ctx, frame.parent ?? frame, toNodeError(err));
      return undefined;
    }
  }
  return bodyOutput(ctx, frame, graph.owner, graph, undefined);
}
