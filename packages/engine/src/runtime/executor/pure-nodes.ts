import type { CNode } from '../compile-flow.ts';
import { pureNodeOutcome } from '../decisions/pure-node-outcome.ts';
import type { Frame } from '../frame.ts';
import type { RunContext } from './run-context.ts';
import { evaluateAt, failNode, succeedNode } from './node-outcomes.ts';
import { secretValues } from './run-scope.ts';

// Nodes without side effects: `if`, `switch`, `transform`, `log`, `setVars`, `return`, `fail`.
// They are computed in the loop and their events batched with the next flush.

/** Runs a pure node: evaluates its input and applies its outcome. */
export function runPureNode(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
): void {
  if (node.type === 'switch') {
    runSwitch(ctx, frame, node, path, attempt);
    return;
  }
  const r = evaluateAt(ctx, frame, node, node.input, path, attempt);
  if (!r) return;
  const input = (r.value ?? {}) as Record<string, unknown>;
  // An `if` records no secret (its output is a boolean): skip resolving them.
  const secrets = node.type === 'if' ? [] : secretValues(ctx, node.input);
  const outcome = pureNodeOutcome(node.type, node.id, input, secrets);
  if (outcome.kind === 'fail') {
    failNode(ctx, frame, node, path, attempt, outcome.error);
    return;
  }
  if (outcome.log) {
    const { level, message, data } = outcome.log;
    ctx.emit(
      { type: 'NodeLogged', path, level, message, ...(data === undefined ? {} : { data }) },
      frame,
    );
  }
  // Most outcomes (every transform) carry no extra: passing none keeps succeedNode's reads of
  // the extra on one shape (monomorphic) on the hottest path.
  const extra =
    outcome.port !== undefined || outcome.vars || outcome.returned ? outcome : undefined;
  succeedNode(ctx, frame, node, path, attempt, outcome.output, extra);
}

/** A switch leaves on the port of the first case whose `when` is true, else `default`. */
function runSwitch(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
): void {
  let port = 'default';
  for (const c of node.cases ?? []) {
    // Cases are evaluated one by one, in order: a later case's error must not fail a switch
    // that an earlier case already decided.
    const r = evaluateAt(ctx, frame, node, c.when, path, attempt);
    if (!r) return;
    if (r.value) {
      port = c.port;
      break;
    }
  }
  succeedNode(ctx, frame, node, path, attempt, { port }, { port });
}
