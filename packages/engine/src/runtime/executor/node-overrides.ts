import type { CNode } from '../compile-flow.ts';
import type { Frame } from '../frame.ts';
import type { RunContext } from './run-context.ts';
import { succeedNode } from './node-outcomes.ts';

// Test runs and reruns: a node the run replaces (a mock, a pinned output, an output a rerun
// reuses) is not executed; it succeeds with the given output, marked as such in NodeSucceeded.

/**
 * Succeeds the node with its override, if the run has one for its id; returns whether it did.
 * A container's override replaces the whole container (its body does not run).
 */
export function replaceNode(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
): boolean {
  const override = ctx.state.overrides?.[node.id];
  if (override === undefined) return false;
  succeedNode(ctx, frame, node, path, attempt, override.output, {
    port: override.port,
    vars: override.vars as Record<string, unknown> | undefined,
    replaced: override.kind,
  });
  return true;
}
