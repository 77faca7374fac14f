import type { Expression } from '../../expr/index.ts';
import type { JsonValue } from '../../model/flow.ts';
import {
  anyOf,
  array,
  binary,
  conditional,
  lit,
  member,
  nodeOutput,
  object,
  property,
  succeeded,
} from './ast-build.ts';
import type { ImportContext, ResumeBindings, Scope, StopRef } from './context.ts';
import { escapeText, rewriteJs, templateOf } from './expressions.ts';
import type { Chain, Draft, Exit } from './graph.ts';
import { conditionExpr, staticNumber } from './inputs.ts';
import {
  asArray,
  asNumber,
  asObject,
  asString,
  field,
  isObject,
  toJsonValue,
  type JsonObject,
} from './json.ts';
import { at } from './reporter.ts';

/**
 * What Windmill does between a step and the next one, in its order: the step's early stop,
 * the flow's early return, the approval of a `suspend`, the `sleep`. Each becomes nodes
 * appended to the chain after the step.
 */

/** Windmill's default approval timeout (`suspend.timeout` absent): 30 minutes. */
export const DEFAULT_SUSPEND_TIMEOUT_S = 1800;

/**
 * After a container holding early stops: an `if` that ends this chain when one of them fired
 * (its `true` port leads nowhere, so the rest is skipped).
 */
export function guardAfter(
  ctx: ImportContext,
  owner: string,
  stops: readonly StopRef[],
  chain: Chain,
): void {
  if (stops.length === 0) return;
  const id = ctx.ids.derived(owner, 'stopped');
  chain.push(
    {
      id,
      type: 'if',
      name: 'Stopped early?',
      input: { condition: templateOf(anyOf(stops.map((s) => succeeded(s.handler)))) },
    },
    [{ from: id, port: 'false' }],
  );
}

/**
 * `stop_after_if` (or `stop_after_all_iters_if`): an `if` over the step's result. When true, at
 * the flow level a `return` ends the run with the result (a `fail` with `error_message`);
 * inside a loop a marker node ends the iteration and the loop's condition breaks. Returns the
 * stop for the enclosing regions (guards, loop breaks), or undefined.
 */
export function stopAfter(
  ctx: ImportContext,
  scope: Scope,
  owner: string,
  spec: unknown,
  pointer: string,
  result: Expression,
  chain: Chain,
): StopRef | undefined {
  const stop = asObject(spec);
  if (!stop) {
    if (spec !== undefined && spec !== null)
      ctx.reporter.report(
        'E_TYPE',
        pointer,
        `An early stop must be {"expr": ...}; it was ignored.`,
        owner,
      );
    return undefined;
  }
  const expr = field(stop, 'expr');
  if (typeof expr === 'string' && expr.trim() === '') return undefined;
  // Windmill binds both `result` and `previous_result` to the step's result here.
  const bindings = ctx.bindings(scope, at(pointer, 'expr'), result, { result });
  const helper = ctx.helper(owner, 'stop_js', scope, bindings);
  const condition = conditionExpr(ctx, expr, at(pointer, 'expr'), bindings, helper, 'stop', owner);
  if (!condition) return undefined;
  const code = helper.node();
  if (code) chain.push(code);
  const ifId = ctx.ids.derived(owner, 'stop');
  const ifNode: Draft = {
    id: ifId,
    type: 'if',
    name: 'Stop early?',
    input: { condition: templateOf(condition) },
  };
  const errorMessage = asString(field(stop, 'error_message'));
  let handler: Draft;
  if (errorMessage !== undefined && errorMessage !== '') {
    handler = {
      id: ctx.ids.derived(owner, 'stop_error'),
      type: 'fail',
      name: 'Stopped with error',
      input: { message: escapeText(errorMessage) },
    };
  } else if (scope.stopMode === 'flow') {
    handler = {
      id: ctx.ids.derived(owner, 'stopped_early'),
      type: 'return',
      name: 'Stopped early',
      input: { value: templateOf(ctx.finalize(result)) },
    };
    if (field(stop, 'skip_if_stopped') === true) {
      ctx.reporter.lossy(
        at(pointer, 'skip_if_stopped'),
        `Windmill marks a run stopped here as skipped; Millrace has no skipped runs, the run succeeds with the step's result.`,
        owner,
      );
    }
  } else if (scope.stopMode === 'branch') {
    // Ends the branch only; the branchall stops the flow after all branches (branchStop).
    handler = {
      id: ctx.ids.derived(owner, 'stopped_branch'),
      type: 'transform',
      name: 'Stopped early (branch)',
      input: { value: templateOf(ctx.finalize(result)) },
    };
  } else {
    handler = {
      id: ctx.ids.derived(owner, 'break'),
      type: 'transform',
      name: 'Break',
      input: { value: templateOf(ctx.finalize(result)) },
    };
  }
  chain.push(ifNode, [{ from: ifId, port: 'false' }]);
  chain.region.add(handler);
  chain.region.link([{ from: ifId, port: 'true' }], handler.id);
  return handler.type === 'fail' ? undefined : { handler: handler.id, result };
}

/** `early_return`: a `return` node answering the caller with the step's result; the run goes on. */
export function earlyReturn(
  ctx: ImportContext,
  owner: string,
  result: Expression,
  chain: Chain,
): void {
  chain.push({
    id: ctx.ids.derived(owner, 'early_return'),
    type: 'return',
    name: 'Early return',
    input: { value: templateOf(ctx.finalize(result)) },
  });
}

/**
 * `suspend`: an `approval` node after the step (Windmill gates the step after a suspended
 * one). Rejection and timeout fail the run with Windmill's messages, or continue when
 * `continue_on_disapprove_timeout` is set. Returns what `resume`, `resumes` and `approvers`
 * are in the next step.
 */
export function approval(
  ctx: ImportContext,
  module: JsonObject,
  pointer: string,
  owner: string,
  label: string,
  chain: Chain,
): ResumeBindings | undefined {
  const suspend = asObject(field(module, 'suspend'));
  if (!suspend) return undefined;
  const here = at(pointer, 'suspend');
  const requiredEvents = asNumber(field(suspend, 'required_events'));
  if (requiredEvents !== undefined && requiredEvents <= 0) return undefined;
  const id = ctx.ids.derived(owner, 'approval');
  const timeoutS = asNumber(field(suspend, 'timeout')) ?? DEFAULT_SUSPEND_TIMEOUT_S;
  const input: { [key: string]: JsonValue } = {
    message: escapeText(`Approve to continue after "${label}".`),
    timeoutMs: Math.max(1, timeoutS) * 1000,
  };
  const schema = field(asObject(field(suspend, 'resume_form')), 'schema');
  if (isObject(schema)) input['form'] = toJsonValue(schema, escapeText);
  if (requiredEvents !== undefined && requiredEvents > 1) {
    ctx.reporter.lossy(
      at(here, 'required_events'),
      `Windmill waits for ${requiredEvents} approvals; the Millrace approval takes one decision.`,
      id,
    );
  }
  const groups = asObject(field(suspend, 'user_groups_required'));
  if (groups && field(groups, 'type') === 'static' && asArray(field(groups, 'value'))) {
    ctx.reporter.lossy(
      at(here, 'user_groups_required'),
      `Approval is restricted to Windmill groups ${JSON.stringify(field(groups, 'value'))}; Millrace approvals name users: set "approvers" on "${id}".`,
      id,
    );
  } else if (groups) {
    ctx.reporter.lossy(
      at(here, 'user_groups_required'),
      `Approver groups computed by an expression cannot be imported; they were dropped.`,
      id,
    );
  }
  for (const key of ['user_auth_required', 'self_approval_disabled', 'hide_cancel'] as const) {
    if (field(suspend, key) === true) {
      ctx.reporter.lossy(
        at(here, key),
        `The approval setting "${key}" has no Millrace equivalent; it was dropped.`,
        id,
      );
    }
  }
  const continueAnyway = field(suspend, 'continue_on_disapprove_timeout') === true;
  const exits: Exit[] = [{ from: id, port: 'approved' }];
  if (continueAnyway) exits.push({ from: id, port: 'rejected' }, { from: id, port: 'timeout' });
  chain.push({ id, type: 'approval', name: 'Approval', input }, exits);
  const decision = member(nodeOutput(id), 'decision');
  const by = member(nodeOutput(id), 'by');
  const rejectedMessage = binary('+', lit('Disapproved by '), binary('??', by, lit('unknown')));
  if (!continueAnyway) {
    const rejected = ctx.ids.derived(owner, 'rejected');
    const timedOut = ctx.ids.derived(owner, 'timed_out');
    chain.region.add({
      id: rejected,
      type: 'fail',
      input: { message: templateOf(rejectedMessage), code: 'SuspendedDisapproved' },
    });
    chain.region.add({
      id: timedOut,
      type: 'fail',
      input: { message: 'Timed out waiting to be resumed', code: 'SuspendedTimedOut' },
    });
    chain.region.link([{ from: id, port: 'rejected' }], rejected);
    chain.region.link([{ from: id, port: 'timeout' }], timedOut);
  }
  const data = member(nodeOutput(id), 'data');
  // With continue_on_disapprove_timeout Windmill resumes with an error object instead of data.
  const resume = continueAnyway
    ? conditional(
        binary('==', decision, lit('approved')),
        data,
        conditional(
          binary('==', decision, lit('rejected')),
          object([
            property(
              'error',
              object([
                property('message', rejectedMessage),
                property('name', lit('SuspendedDisapproved')),
              ]),
            ),
          ]),
          object([
            property(
              'error',
              object([
                property('message', lit('Timed out waiting to be resumed')),
                property('name', lit('SuspendedTimedOut')),
              ]),
            ),
          ]),
        ),
      )
    : data;
  return { resume, resumes: array([resume]), approvers: array([by]) };
}

/** `sleep` (seconds, after the step): a `wait` node; an expression sees the step's result as `result`. */
export function sleepAfter(
  ctx: ImportContext,
  scope: Scope,
  module: JsonObject,
  pointer: string,
  owner: string,
  result: Expression,
  chain: Chain,
): void {
  const sleep = field(module, 'sleep');
  if (sleep === undefined || sleep === null) return;
  const here = at(pointer, 'sleep');
  const seconds = staticNumber(sleep);
  let durationMs: JsonValue | undefined;
  if (seconds !== undefined) {
    if (seconds <= 0) return;
    durationMs = Math.round(seconds * 1000);
  } else if (isObject(sleep) && field(sleep, 'type') === 'javascript') {
    const bindings = ctx.bindings(scope, at(here, 'expr'), result, { result });
    const expr = asString(field(sleep, 'expr')) ?? '';
    const rewritten = rewriteJs(expr, bindings);
    let seconds: Expression;
    if (rewritten.ok) seconds = rewritten.ast;
    else {
      const helper = ctx.helper(owner, 'sleep_js', scope, bindings);
      seconds = helper.add(expr, false, 'seconds');
      ctx.reporter.placeholder(
        at(here, 'expr'),
        `The sleep expression is not a Millrace expression (${rewritten.reason}); the generated code node "${helper.nodeId}" computes it.`,
        owner,
      );
      const code = helper.node();
      if (code) chain.push(code);
    }
    durationMs = templateOf(binary('*', seconds, lit(1000)));
  } else {
    ctx.reporter.lossy(
      here,
      `sleep must be a number of seconds or an input transform; it was dropped.`,
      owner,
    );
    return;
  }
  chain.push({
    id: ctx.ids.derived(owner, 'sleep'),
    type: 'wait',
    name: 'Sleep',
    input: { durationMs },
  });
}

/**
 * After a `branchall` whose branches stopped early: an `if` that, when any branch's stop
 * fired, stops with the branchall's own result (one entry per branch) — a `return` at the
 * flow level, a marker for an enclosing branch. Windmill runs each branch as a sub-flow: a stop
 * ends that sub-flow with the step's result, and the parent flow stops after the module.
 */
export function branchStop(
  ctx: ImportContext,
  scope: Scope,
  owner: string,
  stops: readonly StopRef[],
  result: Expression,
  chain: Chain,
): StopRef | undefined {
  if (stops.length === 0) return undefined;
  const ifId = ctx.ids.derived(owner, 'branch_stop');
  chain.push(
    {
      id: ifId,
      type: 'if',
      name: 'A branch stopped early?',
      input: { condition: templateOf(anyOf(stops.map((s) => succeeded(s.handler)))) },
    },
    [{ from: ifId, port: 'false' }],
  );
  const handler: Draft =
    scope.stopMode === 'flow'
      ? {
          id: ctx.ids.derived(owner, 'branch_stopped'),
          type: 'return',
          name: 'Stopped early',
          input: { value: templateOf(ctx.finalize(result)) },
        }
      : {
          id: ctx.ids.derived(owner, 'branch_stopped'),
          type: 'transform',
          name: 'Stopped early (branch)',
          input: { value: templateOf(ctx.finalize(result)) },
        };
  chain.region.add(handler);
  chain.region.link([{ from: ifId, port: 'true' }], handler.id);
  return { handler: handler.id, result };
}
