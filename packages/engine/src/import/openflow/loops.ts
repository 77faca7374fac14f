import { printExpression, type Expression } from '../../expr/index.ts';
import type { JsonValue } from '../../model/flow.ts';
import { isContainer } from '../../model/flow.ts';
import {
  anyOf,
  binary,
  conditional,
  ident,
  index,
  lit,
  member,
  nodeOutput,
  not,
  object,
  outputValue,
  property,
  succeeded,
} from './ast-build.ts';
import type { LoopFrame, Scope, StopRef } from './context.ts';
import { templateOf } from './expressions.ts';
import { Chain, Region, type Draft } from './graph.ts';
import { conditionExpr, inputValue, staticNumber } from './inputs.ts';
import { asArray, asObject, field, isObject, type JsonObject } from './json.ts';
import type { ModuleSite, ValueResult } from './module-site.ts';
import { hasStops } from './module-tree.ts';
import { at } from './reporter.ts';

/**
 * `parallelism` of an imported parallel loop without a limit. Windmill then starts every
 * iteration at once; Millrace needs a number, and the engine-wide `maxConcurrentNodes` caps
 * it anyway.
 */
export const UNBOUNDED_PARALLELISM = 1000;

/** The body of a loop being compiled. */
interface Body {
  readonly region: Region;
  readonly chain: Chain;
  /** The iteration's result: the last step's, or the stopped step's after an early stop. */
  result: Expression;
  /** The result at the end of the body's chain (where no early stop fired). */
  endResult: Expression;
  readonly stops: readonly StopRef[];
  readonly scope: Scope;
}

/**
 * `forloopflow` -> `forEach` over the iterator, output the per-iteration results in order.
 *
 * Windmill can break a sequential loop: `stop_after_if` on the loop is checked after every
 * iteration, and an early stop inside the body ends the iteration and the loop. `forEach`
 * cannot break, so such a loop becomes a `while` over the items, computed once by an
 * `<id>__items` transform: `index < items.length && (index == 0 || !(stopped))`, where
 * `stopped` reads the previous iteration.
 */
export function forLoop(site: ModuleSite, value: JsonObject): ValueResult {
  const { ctx, scope, pointer, mainId, chain } = site;
  const valueAt = at(pointer, 'value');
  const modules = bodyModules(site, value);
  const parallel = field(value, 'parallel') === true;

  const iterBindings = ctx.bindings(scope, at(valueAt, 'iterator'), site.previous, {
    result: site.previous,
    resume: site.resume,
  });
  const iterHelper = ctx.helper(mainId, 'iterator_js', scope, iterBindings);
  let items: JsonValue = [];
  const iterator = field(value, 'iterator');
  if (iterator === undefined) {
    ctx.reporter.report(
      'E_REQUIRED',
      at(valueAt, 'iterator'),
      `A for loop needs an "iterator"; it iterates over nothing.`,
      mainId,
    );
  } else {
    items =
      inputValue(ctx, iterator, at(valueAt, 'iterator'), iterBindings, iterHelper, mainId, 'items')
        ?.json ?? [];
  }
  const code = iterHelper.node();
  if (code) chain.push(code);

  if (modules.length === 0) {
    // Windmill skips empty bodies and returns [] whatever the iterator holds.
    const node: Draft = { id: mainId, type: 'transform', input: { value: [] } };
    chain.push(node);
    return { node, result: outputValue(mainId), stops: [] };
  }

  const loopStop = stopSpec(field(site.module, 'stop_after_if'));
  const wantsBreak = loopStop !== undefined || hasStops(modules, at(valueAt, 'modules'));
  if (wantsBreak && parallel) {
    ctx.reporter.lossy(
      loopStop !== undefined ? at(pointer, 'stop_after_if') : at(valueAt, 'modules'),
      `A parallel loop cannot break early in Millrace: iterations still end at their early stop, but the loop runs every item.`,
      mainId,
    );
  }
  const asWhile = wantsBreak && !parallel;
  let itemsId: string | undefined;
  if (asWhile) {
    itemsId = ctx.ids.derived(mainId, 'items');
    chain.push({ id: itemsId, type: 'transform', name: 'Loop items', input: { items } });
  }
  const frame: LoopFrame = {
    id: mainId,
    item:
      itemsId === undefined
        ? ident('item')
        : index(member(nodeOutput(itemsId), 'items'), ident('index')),
    index: ident('index'),
  };
  const body = compileBody(site, modules, frame);
  const failed = wrapFailures(site, value, body, asWhile && loopStop !== undefined);
  const breaks = breakCondition(site, body, asWhile ? loopStop : undefined, failed);
  prependCapture(frame, body);

  let node: Draft;
  if (itemsId !== undefined) {
    const length = member(member(nodeOutput(itemsId), 'items'), 'length');
    const condition = binary(
      '&&',
      binary('<', ident('index'), length),
      binary('||', binary('==', ident('index'), lit(0)), not(breaks)),
    );
    node = {
      id: mainId,
      type: 'while',
      input: { condition: templateOf(condition) },
      ...body.region.toGraph(),
      output: templateOf(ctx.finalize(body.result)),
    };
    // Bounded by its items: maxWhileIterations is for Windmill's while loops only.
  } else {
    node = {
      id: mainId,
      type: 'forEach',
      input: { items },
      ...body.region.toGraph(),
      output: templateOf(ctx.finalize(body.result)),
    };
    const parallelism = parallelismOf(site, value, parallel);
    if (parallelism !== undefined) node['parallelism'] = parallelism;
  }
  chain.push(node);
  return { node, result: nodeOutput(mainId), stops: [] };
}

/**
 * `whileloopflow` -> `while`. Windmill runs the body until `stop_after_if` on the loop (over
 * the iteration's result) or an early stop in the body fires, checking after each iteration;
 * Millrace checks before each one, so the condition reads the previous iteration:
 * `index == 0 || !(stopped)`. Without any stop the loop runs until cancelled, as in Windmill
 * (or `maxWhileIterations`). `flow_input.iter.value` is the iteration index, as in Windmill.
 */
export function whileLoop(site: ModuleSite, value: JsonObject): ValueResult {
  const { ctx, pointer, mainId, chain } = site;
  const modules = bodyModules(site, value);
  if (field(value, 'parallel') === true) {
    ctx.reporter.lossy(
      at(pointer, 'value', 'parallel'),
      `A while loop's iterations run one after the other in Millrace; "parallel" was dropped.`,
      mainId,
    );
  }
  const frame: LoopFrame = { id: mainId, item: ident('index'), index: ident('index') };
  const body = compileBody(site, modules, frame);
  const loopStop = stopSpec(field(site.module, 'stop_after_if'));
  const failed = wrapFailures(site, value, body, loopStop !== undefined);
  const breaks = breakCondition(site, body, loopStop, failed);
  prependCapture(frame, body);
  const stoppable = loopStop !== undefined || body.stops.length > 0;
  const condition = stoppable
    ? binary('||', binary('==', ident('index'), lit(0)), not(breaks))
    : lit(true);
  const node: Draft = {
    id: mainId,
    type: 'while',
    input: { condition: templateOf(condition) },
    ...body.region.toGraph(),
    output: templateOf(ctx.finalize(body.result)),
  };
  if (ctx.options.maxWhileIterations !== undefined)
    node['maxIterations'] = ctx.options.maxWhileIterations;
  chain.push(node);
  return { node, result: nodeOutput(mainId), stops: [] };
}

function bodyModules(site: ModuleSite, value: JsonObject): readonly unknown[] {
  const modules = asArray(field(value, 'modules'));
  if (!modules) {
    site.ctx.reporter.report(
      'E_REQUIRED',
      at(site.pointer, 'value', 'modules'),
      `A loop needs "modules" (its body); it was imported empty.`,
      site.mainId,
    );
  }
  return modules ?? [];
}

function stopSpec(spec: unknown): JsonObject | undefined {
  const stop = asObject(spec);
  const expr = field(stop, 'expr');
  return stop && !(typeof expr === 'string' && expr.trim() === '') ? stop : undefined;
}

/** Compiles a loop body: its own scope (`flow_input.iter`, early stops break the loop). */
function compileBody(site: ModuleSite, modules: readonly unknown[], frame: LoopFrame): Body {
  const { ctx, scope } = site;
  const frames = [...scope.loops, frame];
  const bodyScope: Scope = {
    flowInput: ctx.loopFlowInput(frames),
    loops: frames,
    stopMode: 'loop',
    failure: scope.failure,
    topLevel: false,
  };
  const region = new Region();
  const chain = new Chain(region);
  // Windmill runs a one-step body without options directly, with the loop's own previous
  // result; any other body is a sub-flow whose first step sees the sub-flow input instead.
  const previous = isSimpleBody(site, modules)
    ? ctx.rebase(site.previous, scope.loops.at(-1))
    : bodyScope.flowInput;
  const seq = ctx.sequence(
    ctx,
    modules,
    at(site.pointer, 'value', 'modules'),
    bodyScope,
    chain,
    previous,
  );
  const result = seq.stops.reduceRight<Expression>(
    (acc, s) =>
      printExpression(s.result) === printExpression(acc)
        ? acc
        : conditional(succeeded(s.handler), s.result, acc),
    seq.result,
  );
  return { region, chain, result, endResult: seq.result, stops: seq.stops, scope: bodyScope };
}

function isSimpleBody(site: ModuleSite, modules: readonly unknown[]): boolean {
  if (modules.length !== 1 || site.ctx.hasFailureModule) return false;
  const m = asObject(modules[0]);
  const type = field(asObject(field(m, 'value')), 'type');
  if (!m || (type !== 'rawscript' && type !== 'script' && type !== 'flow')) return false;
  const options = [
    'sleep',
    'suspend',
    'cache_ttl',
    'retry',
    'stop_after_if',
    'stop_after_all_iters_if',
    'skip_if',
  ];
  if (options.some((o) => field(m, o) !== undefined && field(m, o) !== null)) return false;
  return field(asObject(field(m, 'mock')), 'enabled') !== true;
}

/**
 * `skip_failures`: a failed iteration yields its error (`{ error }`) in the results and the
 * loop goes on. A single plain node gets `continueOnError`; a longer body is wrapped in a
 * `try` whose catch region outputs `{ error: error }`, so the rest of the iteration is skipped
 * as in Windmill. When the loop's own stop_after_if must ignore failed iterations (Windmill
 * only checks it after a success), the catch region holds a marker node whose id is returned.
 */
function wrapFailures(
  site: ModuleSite,
  value: JsonObject,
  body: Body,
  markFailures: boolean,
): string | undefined {
  if (field(value, 'skip_failures') !== true) return undefined;
  const nodes = body.region.nodes;
  const only = nodes[0];
  if (!markFailures && nodes.length === 1 && only && !isContainer(only)) {
    only.continueOnError = true;
    return undefined;
  }
  const tryId = site.ctx.ids.derived(site.mainId, 'try');
  const failedId = markFailures ? site.ctx.ids.derived(site.mainId, 'failed') : undefined;
  const tryNode: Draft = {
    id: tryId,
    type: 'try',
    name: 'Skip failures',
    ...body.region.toGraph(),
    output: templateOf(site.ctx.finalize(body.result)),
    catch: {
      nodes:
        failedId === undefined
          ? []
          : [{ id: failedId, type: 'transform', name: 'Iteration failed', input: { value: true } }],
      output: templateOf(object([property('error', ident('error'))])),
    },
  };
  nodes.splice(0, nodes.length, tryNode);
  body.region.edges.splice(0, body.region.edges.length);
  body.chain.first = tryId;
  body.chain.tail = [{ from: tryId }];
  body.result = nodeOutput(tryId);
  body.endResult = body.result;
  return failedId;
}

/** True when the previous iteration stopped early or the loop's stop_after_if holds for it. */
function breakCondition(
  site: ModuleSite,
  body: Body,
  loopStop: JsonObject | undefined,
  failed: string | undefined,
): Expression {
  const { ctx, scope, mainId } = site;
  const conditions = body.stops.map((s) => succeeded(s.handler));
  if (loopStop !== undefined) {
    // Evaluated like Windmill's: `result` (and `previous_result`) is the iteration's result,
    // `flow_input` the loop's own.
    const where = at(site.pointer, 'stop_after_if', 'expr');
    // Evaluated inside the loop (its condition, or a code node at the end of the body), so the
    // enclosing loop's `item` and `index` are read from its capture node.
    const outer = scope.loops.at(-1);
    const bindings = ctx.bindings(scope, where, body.result, {
      result: body.result,
      insideLoopOf: outer,
    });
    // A code node runs at the end of the body's chain, where no early stop fired.
    const atEnd = ctx.bindings(scope, where, body.endResult, {
      result: body.endResult,
      insideLoopOf: outer,
    });
    const helper = ctx.helper(mainId, 'stop_js', body.scope, atEnd);
    const condition = conditionExpr(
      ctx,
      field(loopStop, 'expr'),
      where,
      bindings,
      helper,
      'stop',
      mainId,
    );
    const code = helper.node();
    if (code) body.chain.push(code);
    if (condition)
      conditions.push(
        failed === undefined ? condition : binary('&&', not(succeeded(failed)), condition),
      );
    if (
      typeof field(loopStop, 'error_message') === 'string' ||
      field(loopStop, 'skip_if_stopped') === true
    ) {
      ctx.reporter.lossy(
        at(site.pointer, 'stop_after_if'),
        `On a loop, Windmill ignores error_message and skip_if_stopped (it only breaks); so does the import.`,
        mainId,
      );
    }
  }
  return ctx.finalize(anyOf(conditions));
}

/** Adds the `<loop>__iter` transform nested loops read this loop's `iter` from. */
function prependCapture(frame: LoopFrame, body: Body): void {
  if (frame.captureId === undefined) return;
  const capture: Draft = {
    id: frame.captureId,
    type: 'transform',
    name: 'Loop iteration',
    input: { value: templateOf(frame.item), index: templateOf(frame.index) },
  };
  const first = body.chain.first;
  body.region.nodes.unshift(capture);
  if (first !== undefined) body.region.edges.unshift({ from: capture.id, to: first });
}

function parallelismOf(site: ModuleSite, value: JsonObject, parallel: boolean): number | undefined {
  if (!parallel) return undefined;
  const raw = field(value, 'parallelism');
  if (raw === undefined || raw === null) return UNBOUNDED_PARALLELISM;
  const n = staticNumber(raw);
  if (n !== undefined && n >= 1) return Math.floor(n);
  site.ctx.reporter.lossy(
    at(site.pointer, 'value', 'parallelism'),
    isObject(raw) && field(raw, 'type') === 'javascript'
      ? `A parallelism computed by an expression cannot be imported; the loop runs up to ${UNBOUNDED_PARALLELISM} iterations at once.`
      : `parallelism must be a positive number; the loop runs up to ${UNBOUNDED_PARALLELISM} iterations at once.`,
    site.mainId,
  );
  return UNBOUNDED_PARALLELISM;
}
