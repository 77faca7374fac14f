import type { Expression } from '../../expr/index.ts';
import { conditional, nodeOutput, skipped } from './ast-build.ts';
import {
  approval,
  branchStop,
  earlyReturn,
  guardAfter,
  sleepAfter,
  stopAfter,
} from './after-step.ts';
import { branchAll, branchOne } from './branches.ts';
import type { ImportContext, ResumeBindings, Scope, StopRef } from './context.ts';
import { templateOf } from './expressions.ts';
import { Chain, Region } from './graph.ts';
import { conditionExpr } from './inputs.ts';
import { asObject, asString, field, type JsonObject } from './json.ts';
import { forLoop, whileLoop } from './loops.ts';
import { applyModuleOptions } from './module-options.ts';
import type { ModuleSite, ValueResult } from './module-site.ts';
import { at } from './reporter.ts';
import { aiAgent, mocked, passThrough, pathFlow, pathScript, rawScript } from './steps.ts';

/** What compiling one module produced. */
export interface ModuleOutcome {
  /** The module's result (Windmill's `results.<id>` and the next step's `previous_result`). */
  readonly result: Expression;
  /** Early stops in and after the module, for the enclosing regions. */
  readonly stops: readonly StopRef[];
  /** The approval gating the next step (`suspend`). */
  readonly resume: ResumeBindings | undefined;
}

const LEAVES = new Set(['rawscript', 'script', 'flow', 'aiagent']);

/**
 * Compiles one OpenFlow module into nodes appended to `chain`:
 *
 * 1. the module value (a code node, a placeholder action, a loop, a branch group...), inside a
 *    `group` with the module's id when it has `skip_if` — the step gets `skipIf`, and the group
 *    passes `previous_result` through when it was skipped, as Windmill does;
 * 2. its options (retry, timeout, cache, continue_on_error, summary);
 * 3. what happens after it: a guard for early stops inside it, its own early stop, the flow's
 *    early return, the approval of `suspend`, the `sleep`.
 */
export function compileModule(
  ctx: ImportContext,
  module: unknown,
  pointer: string,
  scope: Scope,
  chain: Chain,
  previous: Expression,
  resume: ResumeBindings | undefined,
): ModuleOutcome {
  const m = asObject(module);
  if (!m) {
    ctx.reporter.report(
      'E_NOT_OBJECT',
      pointer,
      `A step must be an object with "id" and "value"; it passes its input through.`,
    );
    const id = ctx.ids.claimGenerated(pointer, 'invalid');
    const value = passThrough(siteOf(ctx, scope, {}, pointer, id, id, chain, previous, resume));
    return { result: value.result, stops: [], resume: undefined };
  }
  const id = ctx.ids.idAt(pointer) ?? ctx.ids.claimGenerated(pointer, 'step');
  const original = asString(field(m, 'id'));
  const value = asObject(field(m, 'value'));
  const type = asString(field(value, 'type'));
  const mock = asObject(field(m, 'mock'));
  const isMocked = field(mock, 'enabled') === true;
  const skipSource = field(asObject(field(m, 'skip_if')), 'expr');
  // Windmill checks the mock first: a mocked step returns its value even when skip_if holds.
  const skip = !isMocked && typeof skipSource === 'string' && skipSource.trim() !== '';

  // A skipped step is a success whose result is the previous one: a group keeps that visible.
  const inner = skip ? new Chain(new Region()) : chain;
  const mainId = skip ? ctx.ids.derived(id, 'step') : id;
  const site = siteOf(ctx, scope, m, pointer, id, mainId, inner, previous, resume);
  let skipCondition: Expression | undefined;
  if (skip) {
    const bindings = ctx.bindings(scope, at(pointer, 'skip_if', 'expr'), previous, {
      result: previous,
      resume,
    });
    const helper = ctx.helper(id, 'skip_js', scope, bindings);
    skipCondition = conditionExpr(
      ctx,
      skipSource,
      at(pointer, 'skip_if', 'expr'),
      bindings,
      helper,
      'skip',
      id,
    );
    const code = helper.node();
    if (code) inner.push(code);
  }

  let compiled: ValueResult;
  if (isMocked) compiled = mocked(site, field(mock, 'return_value'));
  else if (!value) {
    ctx.reporter.report(
      'E_REQUIRED',
      at(pointer, 'value'),
      `The step "${id}" has no "value" (what it does); it passes its input through.`,
      id,
    );
    compiled = passThrough(site);
  } else compiled = compileValue(site, value, type);
  applyModuleOptions(
    ctx,
    scope,
    m,
    pointer,
    compiled,
    !isMocked && type !== undefined && LEAVES.has(type),
  );

  let result = compiled.result;
  if (skip) {
    if (skipCondition) compiled.node.skipIf = templateOf(skipCondition);
    const group = {
      id,
      type: 'group',
      ...(compiled.node.name === undefined ? {} : { name: compiled.node.name }),
      ...inner.region.toGraph(),
      output: templateOf(ctx.finalize(conditional(skipped(mainId), previous, compiled.result))),
    };
    chain.push(group);
    result = nodeOutput(id);
  }
  ctx.registerResult(original, result, scope);

  const stops: StopRef[] = [...compiled.stops];
  guardAfter(ctx, id, compiled.stops, chain);
  if (compiled.branchStops) {
    const own = branchStop(ctx, scope, id, compiled.branchStops, result, chain);
    if (own) stops.push(own);
  }
  const isLoop = type === 'forloopflow' || type === 'whileloopflow';
  if (!isMocked && (isLoop || type === 'branchall')) {
    // Loops break on stop_after_if (loops.ts); Windmill ignores it on branchall.
    const own = stopAfter(
      ctx,
      scope,
      id,
      field(m, 'stop_after_all_iters_if'),
      at(pointer, 'stop_after_all_iters_if'),
      result,
      chain,
    );
    if (own) stops.push(own);
    if (type === 'branchall' && field(m, 'stop_after_if') !== undefined) {
      ctx.reporter.lossy(
        at(pointer, 'stop_after_if'),
        `Windmill ignores stop_after_if on a branchall (use stop_after_all_iters_if); it was not imported.`,
        id,
      );
    }
  } else {
    const own = stopAfter(
      ctx,
      scope,
      id,
      field(m, 'stop_after_if'),
      at(pointer, 'stop_after_if'),
      result,
      chain,
    );
    if (own) stops.push(own);
  }
  if (scope.topLevel && original !== undefined && original === ctx.earlyReturn)
    earlyReturn(ctx, id, result, chain);
  const next = approval(ctx, m, pointer, id, compiled.node.name ?? id, chain);
  sleepAfter(ctx, scope, m, pointer, id, result, chain);
  return { result, stops, resume: next };
}

function compileValue(site: ModuleSite, value: JsonObject, type: string | undefined): ValueResult {
  switch (type) {
    case 'rawscript':
      return rawScript(site, value);
    case 'script':
      return pathScript(site, value);
    case 'flow':
      return pathFlow(site, value);
    case 'identity':
      return passThrough(site);
    case 'forloopflow':
      return forLoop(site, value);
    case 'whileloopflow':
      return whileLoop(site, value);
    case 'branchone':
      return branchOne(site, value);
    case 'branchall':
      return branchAll(site, value);
    case 'aiagent':
      return aiAgent(site, value);
    default:
      site.ctx.reporter.report(
        type === undefined ? 'E_REQUIRED' : 'E_VALUE',
        at(site.pointer, 'value', 'type'),
        type === undefined
          ? `The step "${site.id}" has no value.type; it passes its input through.`
          : `Unknown step type "${type}"; expected rawscript, script, flow, forloopflow, whileloopflow, branchone, branchall, identity or aiagent. It passes its input through.`,
        site.id,
      );
      return passThrough(site);
  }
}

function siteOf(
  ctx: ImportContext,
  scope: Scope,
  module: JsonObject,
  pointer: string,
  id: string,
  mainId: string,
  chain: Chain,
  previous: Expression,
  resume: ResumeBindings | undefined,
): ModuleSite {
  return { ctx, scope, module, pointer, id, mainId, chain, previous, resume };
}
