import type { Expression } from '../../expr/index.ts';
import { isContainer } from '../../model/flow.ts';
import {
  array,
  conditional,
  ident,
  nodeOutput,
  object,
  outputValue,
  property,
  succeeded,
} from './ast-build.ts';
import type { Scope, StopRef } from './context.ts';
import { templateOf } from './expressions.ts';
import { Chain, Region, type Draft, type Exit } from './graph.ts';
import { conditionExpr } from './inputs.ts';
import { asArray, asObject, asString, field, type JsonObject } from './json.ts';
import type { ModuleSite, ValueResult } from './module-site.ts';
import { at } from './reporter.ts';

/**
 * `branchone` -> a `group` with the module's id holding a `switch` (one case per branch, in
 * order, `when` = the branch's `expr`; the first true case wins, else `default`) and each
 * branch's steps chained after its port. The group's output is the taken branch's result,
 * selected by re-evaluating the same conditions in the same order:
 * `$<c0 ? r0 : c1 ? r1 : rDefault>` — pure expressions over values that no longer change, so
 * they pick the branch the switch took, whatever the branch results are (null included).
 *
 * Inside a branch, `previous_result` of the first step is the branch's input, which in
 * Windmill is the flow input (branches run as sub-flows of the flow input).
 */
export function branchOne(site: ModuleSite, value: JsonObject): ValueResult {
  const { ctx, scope, pointer, mainId, id } = site;
  const valueAt = at(pointer, 'value');
  const region = new Region();
  const chain = new Chain(region);
  const branches = asArray(field(value, 'branches'));
  if (!branches)
    ctx.reporter.report(
      'E_REQUIRED',
      at(valueAt, 'branches'),
      `A branchone needs "branches"; only its default branch was imported.`,
      mainId,
    );
  const defaults = asArray(field(value, 'default'));
  if (field(value, 'default') !== undefined && !defaults) {
    ctx.reporter.report(
      'E_TYPE',
      at(valueAt, 'default'),
      `"default" must be a list of steps; it was imported empty.`,
      mainId,
    );
  }

  // Branch conditions see `result` and `previous_result` as the step before the branchone.
  const bindings = ctx.bindings(scope, valueAt, site.previous, {
    result: site.previous,
    resume: site.resume,
  });
  const helper = ctx.helper(mainId, 'branches_js', scope, bindings);
  const conditions: (Expression | undefined)[] = (branches ?? []).map((branch, j) =>
    conditionExpr(
      ctx,
      field(asObject(branch), 'expr'),
      at(valueAt, 'branches', j, 'expr'),
      bindings,
      helper,
      `branch_${j}`,
      mainId,
    ),
  );
  const code = helper.node();
  if (code) chain.push(code);
  const switchId = ctx.ids.derived(id, 'branch');
  const cases = (branches ?? []).flatMap((branch, j) => {
    const condition = conditions[j];
    if (!condition) return [];
    const summary = asString(field(asObject(branch), 'summary'));
    return [
      { port: `branch_${j}`, when: templateOf(condition), ...(summary ? { label: summary } : {}) },
    ];
  });
  chain.push({ id: switchId, type: 'switch', name: 'Branch', cases });

  const stops: StopRef[] = [];
  const empty = emptyResult(site, 'branchone');
  const compileBranch = (
    modules: readonly unknown[],
    listAt: string,
    port: string,
    placeholderFor?: number,
  ): Expression => {
    const branchChain = new Chain(region, [{ from: switchId, port }]);
    const seq = ctx.sequence(ctx, modules, listAt, scope, branchChain, scope.flowInput);
    stops.push(...seq.stops);
    if (branchChain.length > 0) return seq.result;
    if (placeholderFor === undefined) return empty;
    // An empty branch still gets a node, so its switch port leads somewhere visible.
    const passId = ctx.ids.derived(id, `branch_${placeholderFor}_empty`);
    branchChain.push({
      id: passId,
      type: 'transform',
      name: 'Empty branch',
      input: { value: templateOf(ctx.finalize(empty)) },
    });
    return outputValue(passId);
  };
  const results = (branches ?? []).map((branch, j) => {
    const modules = asArray(field(asObject(branch), 'modules'));
    if (!modules)
      ctx.reporter.report(
        'E_REQUIRED',
        at(valueAt, 'branches', j, 'modules'),
        `Branch ${j} needs "modules"; it was imported empty.`,
        mainId,
      );
    return conditions[j]
      ? compileBranch(modules ?? [], at(valueAt, 'branches', j, 'modules'), `branch_${j}`, j)
      : undefined;
  });
  const fallback = compileBranch(defaults ?? [], at(valueAt, 'default'), 'default');

  let output = fallback;
  for (let j = results.length - 1; j >= 0; j--) {
    const condition = conditions[j];
    const result = results[j];
    if (condition && result) output = conditional(condition, result, output);
  }
  const node: Draft = {
    id: mainId,
    type: 'group',
    ...region.toGraph(),
    output: templateOf(ctx.finalize(output)),
  };
  site.chain.push(node);
  return { node, result: nodeOutput(mainId), stops };
}

/**
 * `branchall` -> a `group` whose output is the array of each branch's result, in branch
 * order. Parallel branches are independent chains inside the group (fan-out); sequential ones
 * (Windmill's default) are chained one after the other. `skip_failure` on a branch turns its
 * failure into its result `{ error }`: `continueOnError` on a single plain node, else a `try`
 * around the branch whose catch region outputs `{ error: error }`.
 */
export function branchAll(site: ModuleSite, value: JsonObject): ValueResult {
  const { ctx, scope, pointer, mainId, id } = site;
  const valueAt = at(pointer, 'value');
  const region = new Region();
  const parallel = field(value, 'parallel') === true;
  const branches = asArray(field(value, 'branches'));
  if (!branches)
    ctx.reporter.report(
      'E_REQUIRED',
      at(valueAt, 'branches'),
      `A branchall needs "branches"; it was imported empty.`,
      mainId,
    );
  const stops: StopRef[] = [];
  // An early stop inside a branch ends that branch (a sub-flow in Windmill); the enclosing
  // flow (or loop iteration) stops after the branchall, with the branchall's result.
  const branchScope: Scope = { ...scope, stopMode: 'branch' };
  const results: Expression[] = [];
  let tail: Exit[] = [];
  (branches ?? []).forEach((branch, j) => {
    const b = asObject(branch);
    const listAt = at(valueAt, 'branches', j, 'modules');
    const modules = asArray(field(b, 'modules'));
    if (!modules)
      ctx.reporter.report(
        'E_REQUIRED',
        listAt,
        `Branch ${j} needs "modules"; it was imported empty.`,
        mainId,
      );
    const sub = new Region();
    const subChain = new Chain(sub);
    const seq = ctx.sequence(ctx, modules ?? [], listAt, branchScope, subChain, scope.flowInput);
    stops.push(...seq.stops);
    if (subChain.length === 0) {
      results.push(emptyResult(site, 'branchall'));
      return;
    }
    let result = seq.result;
    let first = subChain.first as string;
    let exits: Exit[] = subChain.tail;
    if (field(b, 'skip_failure') === true) {
      const only = sub.nodes[0];
      if (sub.nodes.length === 1 && only && !isContainer(only)) only.continueOnError = true;
      else {
        const tryId = ctx.ids.derived(id, `branch_${j}`);
        const tryNode: Draft = {
          id: tryId,
          type: 'try',
          name: asString(field(b, 'summary')) ?? `Branch ${j}`,
          ...sub.toGraph(),
          output: templateOf(ctx.finalize(result)),
          catch: { nodes: [], output: templateOf(object([property('error', ident('error'))])) },
        };
        sub.nodes.splice(0, sub.nodes.length, tryNode);
        sub.edges.splice(0, sub.edges.length);
        result = nodeOutput(tryId);
        first = tryId;
        exits = [{ from: tryId }];
      }
    }
    if (seq.stops.length > 0) {
      // The branch in a group of its own: a stop skips the rest of the branch only, and the
      // group's output is the stopped step's result (else the branch's last result).
      const groupId = ctx.ids.derived(id, `branch_${j}_steps`);
      const entry = seq.stops.reduceRight<Expression>(
        (rest, s) => conditional(succeeded(s.handler), s.result, rest),
        result,
      );
      const group: Draft = {
        id: groupId,
        type: 'group',
        name: asString(field(b, 'summary')) ?? `Branch ${j}`,
        ...sub.toGraph(),
        output: templateOf(ctx.finalize(entry)),
      };
      sub.nodes.splice(0, sub.nodes.length, group);
      sub.edges.splice(0, sub.edges.length);
      result = nodeOutput(groupId);
      first = groupId;
      exits = [{ from: groupId }];
    }
    region.nodes.push(...sub.nodes);
    region.edges.push(...sub.edges);
    if (!parallel) region.link(tail, first);
    if (!parallel) tail = exits;
    results.push(result);
  });
  const node: Draft = {
    id: mainId,
    type: 'group',
    ...region.toGraph(),
    output: templateOf(ctx.finalize(array(results))),
  };
  site.chain.push(node);
  return { node, result: nodeOutput(mainId), stops: [], branchStops: stops };
}

/**
 * The result of a branch without steps. Windmill (1.5xx) returns `[]` for an empty branchone
 * branch and the branch input (the flow input) for an empty branchall branch; with
 * `emptyBranchResult: 'previous'` both pass the previous result through instead.
 */
function emptyResult(site: ModuleSite, kind: 'branchone' | 'branchall'): Expression {
  if (site.ctx.options.emptyBranchResult === 'previous') return site.previous;
  return kind === 'branchone' ? array([]) : site.scope.flowInput;
}
