import type { Expression } from '../../expr/index.ts';
import type { Diagnostic } from '../../model/diagnostic.ts';
import {
  FLOW_FORMAT,
  type FlowDefinition,
  type JsonSchema,
  type SubGraph,
} from '../../model/flow.ts';
import { flowInput, ident, lit, object, property } from './ast-build.ts';
import { ImportContext, type EmptyBranchResult, type Scope } from './context.ts';
import { templateOf } from './expressions.ts';
import { flowSettings } from './flow-settings.ts';
import { Chain, Region } from './graph.ts';
import { IdRegistry, isValidId, openFlowPathToFlowId, sanitizeId, slugify } from './ids.ts';
import { conditionExpr } from './inputs.ts';
import {
  asArray,
  asObject,
  asString,
  field,
  isObject,
  toJsonValue,
  type JsonObject,
} from './json.ts';
import { assignModuleIds } from './module-tree.ts';
import { compileModule } from './modules.ts';
import { at, Reporter } from './reporter.ts';
import { compileSequence } from './sequence.ts';

export interface ImportOpenFlowOptions {
  /** The flow id; by default a slug of the summary, else `imported-flow`. */
  readonly id?: string;
  /**
   * The Millrace flow id a Windmill flow path (`flow` steps) runs as; by default
   * `openFlowPathToFlowId` (`f/billing/invoice` -> `f.billing.invoice`).
   */
  readonly flowIdForPath?: (path: string) => string;
  /**
   * What a branch without steps yields. `windmill` (default) does what Windmill 1.5xx does:
   * `[]` for a branchone branch, the flow input for a branchall branch. `previous` passes the
   * previous step's result through instead.
   */
  readonly emptyBranchResult?: EmptyBranchResult;
  /**
   * `maxIterations` of imported while loops (the engine fails a loop that reaches it). Windmill
   * has no limit, so none is set by default and the engine's default applies.
   */
  readonly maxWhileIterations?: number;
}

export interface ImportOpenFlowResult {
  /** The best flow the document allows, also when it is malformed. */
  readonly flow: FlowDefinition;
  /** Everything lost, approximated or broken; paths point into the OpenFlow document. */
  readonly diagnostics: Diagnostic[];
}

/** The flow id when neither an option nor a summary gives one. */
export const DEFAULT_IMPORTED_FLOW_ID = 'imported-flow';

/**
 * Maps a Windmill OpenFlow document onto a `millrace.flow/v1` definition that gives the same
 * result: steps become nodes chained in order, loops and branches become containers, module
 * options become node options or extra nodes, JavaScript input expressions become Millrace
 * expressions (or generated code nodes). Never throws: bad input becomes diagnostics with JSON
 * pointers into the document, and the flow is the best one possible. A JSON string is parsed.
 * docs/import-openflow.md lists every mapping decision.
 *
 * @example
 * const { flow, diagnostics } = importOpenFlow(JSON.parse(exported), { id: 'invoices' });
 * if (!diagnostics.some((d) => d.severity === 'error')) await engine.deploy(flow);
 */
export function importOpenFlow(
  json: unknown,
  options: ImportOpenFlowOptions = {},
): ImportOpenFlowResult {
  const reporter = new Reporter();
  try {
    return { flow: importDocument(json, options, reporter), diagnostics: reporter.diagnostics };
  } catch (err) {
    // Defensive: the importer reads every field tolerantly, so this means a bug in it.
    reporter.report(
      'E_VALUE',
      '',
      `The import failed unexpectedly (${err instanceof Error ? err.message : String(err)}); please report this document.`,
    );
    return {
      flow: { format: FLOW_FORMAT, id: safeId(options.id) ?? DEFAULT_IMPORTED_FLOW_ID, nodes: [] },
      diagnostics: reporter.diagnostics,
    };
  }
}

function importDocument(
  json: unknown,
  options: ImportOpenFlowOptions,
  reporter: Reporter,
): FlowDefinition {
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json) as unknown;
    } catch {
      reporter.report(
        'E_NOT_OBJECT',
        '',
        `The document is a string that is not JSON; expected an OpenFlow object.`,
      );
      return emptyFlow(options, undefined);
    }
  }
  const document = asObject(doc);
  if (!document) {
    reporter.report(
      'E_NOT_OBJECT',
      '',
      `An OpenFlow document is an object with "summary" and "value"; got ${describe(doc)}.`,
    );
    return emptyFlow(options, undefined);
  }
  let value = asObject(field(document, 'value'));
  let valueAt = '/value';
  if (!value && asArray(field(document, 'modules'))) {
    // A bare flow value ({ modules, failure_module... }) is accepted too.
    value = document;
    valueAt = '';
  } else if (!value) {
    reporter.report(
      'E_REQUIRED',
      '/value',
      `The document has no "value" (the flow: modules, failure_module...).`,
    );
    value = {};
  }
  const summary = asString(field(document, 'summary'))?.trim();
  const flowId = flowIdOf(options, summary, reporter);

  const ids = new IdRegistry();
  assignModuleIds(value, valueAt, ids, reporter);
  const modules = asArray(field(value, 'modules'));
  if (!modules && valueAt !== '' && isObject(field(document, 'value'))) {
    reporter.report(
      'E_REQUIRED',
      at(valueAt, 'modules'),
      `The flow has no "modules" list; it was imported without steps.`,
    );
  }
  const failure = field(value, 'failure_module');
  const earlyReturnId = asString(field(value, 'early_return'));
  const ctx = new ImportContext(
    ids,
    reporter,
    {
      flowIdForPath: safePathMapper(options.flowIdForPath, reporter),
      emptyBranchResult: options.emptyBranchResult === 'previous' ? 'previous' : 'windmill',
      maxWhileIterations:
        options.maxWhileIterations !== undefined &&
        Number.isInteger(options.maxWhileIterations) &&
        options.maxWhileIterations >= 1
          ? options.maxWhileIterations
          : undefined,
    },
    flowId,
    isObject(failure),
    earlyReturnId,
    compileSequence,
  );

  const region = new Region();
  const chain = new Chain(region);
  const scope: Scope = {
    flowInput: flowInput(),
    loops: [],
    stopMode: 'flow',
    failure: false,
    topLevel: true,
  };
  skipExpression(ctx, value, valueAt, scope, chain);
  const main = compileSequence(
    ctx,
    modules ?? [],
    at(valueAt, 'modules'),
    scope,
    chain,
    flowInput(),
  );
  if (
    earlyReturnId !== undefined &&
    !(modules ?? []).some((m) => asString(field(asObject(m), 'id')) === earlyReturnId)
  ) {
    reporter.lossy(
      at(valueAt, 'early_return'),
      `early_return names "${earlyReturnId}", which is not a top-level step; it was ignored.`,
    );
  }

  const description = asString(field(document, 'description'));
  const schema = field(document, 'schema');
  const graph = region.toGraph();
  // Windmill's result is the last top-level step's result (the flow input for an empty flow).
  const output = templateOf(ctx.finalize(main.result));
  const onFailure = isObject(failure)
    ? failureRegion(ctx, failure, at(valueAt, 'failure_module'), scope)
    : undefined;
  const settings = flowSettings(value, valueAt, reporter);
  const flow: FlowDefinition = {
    format: FLOW_FORMAT,
    id: flowId,
    ...(summary ? { name: summary } : {}),
    ...(description !== undefined && description.trim() !== '' ? { description } : {}),
    ...(isObject(schema) || typeof schema === 'boolean'
      ? { input: toJsonValue(schema) as JsonSchema }
      : {}),
    ...graph,
    output,
    ...(onFailure === undefined ? {} : { onFailure }),
    ...(settings.maxConcurrentRuns === undefined
      ? {}
      : { maxConcurrentRuns: settings.maxConcurrentRuns }),
  };
  return flow;
}

/**
 * `failure_module` -> `onFailure`. Its `previous_result` is the failed step's result,
 * `{ error: {...} }` in Windmill, so it reads `{ error: error }`. Windmill makes its result the
 * flow's result and keeps the flow failed (unless it returns `{ recover: true }`); the
 * Millrace run stays failed and records the region's output (`RunFailed.output`).
 */
function failureRegion(
  ctx: ImportContext,
  failure: JsonObject,
  pointer: string,
  scope: Scope,
): SubGraph {
  const region = new Region();
  const chain = new Chain(region);
  const failureScope: Scope = { ...scope, failure: true, topLevel: false };
  const previous: Expression = object([property('error', ident('error'))]);
  const outcome = compileModule(ctx, failure, pointer, failureScope, chain, previous, undefined);
  return { ...region.toGraph(), output: templateOf(ctx.finalize(outcome.result)) };
}

/**
 * `skip_expr`: Windmill checks it over the flow input before the first step and, when true,
 * ends the run (marked skipped) with the result "stopped early". An `if` before the first step
 * returns that value; the steps hang off its `false` port.
 */
function skipExpression(
  ctx: ImportContext,
  value: JsonObject,
  valueAt: string,
  scope: Scope,
  chain: Chain,
): void {
  const source = field(value, 'skip_expr');
  if (
    source === undefined ||
    source === null ||
    (typeof source === 'string' && source.trim() === '')
  )
    return;
  const where = at(valueAt, 'skip_expr');
  const bindings = ctx.bindings(scope, where, flowInput(), { result: lit('{}') });
  const helper = ctx.helper('flow', 'skip_js', scope, bindings);
  const condition = conditionExpr(ctx, source, where, bindings, helper, 'skip');
  if (!condition) return;
  const code = helper.node();
  if (code) chain.push(code);
  const ifId = ctx.ids.derived('flow', 'skip');
  chain.push(
    { id: ifId, type: 'if', name: 'Skip run?', input: { condition: templateOf(condition) } },
    [{ from: ifId, port: 'false' }],
  );
  const stopped = ctx.ids.derived('flow', 'skipped');
  chain.region.add({
    id: stopped,
    type: 'return',
    name: 'Stopped early',
    input: { value: 'stopped early' },
  });
  chain.region.link([{ from: ifId, port: 'true' }], stopped);
  ctx.reporter.lossy(
    where,
    `Windmill marks a run skipped by skip_expr as skipped; the Millrace run succeeds with "stopped early".`,
  );
}

function flowIdOf(
  options: ImportOpenFlowOptions,
  summary: string | undefined,
  reporter: Reporter,
): string {
  if (options.id !== undefined) {
    const id = safeId(options.id);
    if (id !== undefined && id !== options.id)
      reporter.lossy(
        '',
        `The flow id "${options.id}" has characters ids may not use; it became "${id}".`,
      );
    if (id !== undefined) return id;
  }
  const slug = summary === undefined ? '' : slugify(summary);
  return slug === '' ? DEFAULT_IMPORTED_FLOW_ID : slug;
}

function safeId(id: unknown): string | undefined {
  if (typeof id !== 'string' || id === '') return undefined;
  return isValidId(id) ? id : sanitizeId(id);
}

function safePathMapper(
  mapper: ((path: string) => string) | undefined,
  reporter: Reporter,
): (path: string) => string {
  if (mapper === undefined) return openFlowPathToFlowId;
  return (path) => {
    try {
      const id = mapper(path);
      if (typeof id === 'string' && id !== '') return id;
    } catch {
      // fall through to the default mapping
    }
    reporter.lossy('', `flowIdForPath gave no id for "${path}"; the default mapping was used.`);
    return openFlowPathToFlowId(path);
  };
}

function emptyFlow(options: ImportOpenFlowOptions, summary: string | undefined): FlowDefinition {
  const id = safeId(options.id) ?? (summary ? slugify(summary) : '') ?? '';
  return { format: FLOW_FORMAT, id: id === '' ? DEFAULT_IMPORTED_FLOW_ID : id, nodes: [] };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
