import type { JsonValue } from '../../model/flow.ts';
import { nodeOutput, outputValue } from './ast-build.ts';
import { templateOf } from './expressions.ts';
import type { Draft } from './graph.ts';
import { mapInputTransforms, staticValue, type MappedInputs } from './inputs.ts';
import { asString, field, toJsonValue, type JsonObject } from './json.ts';
import type { ModuleSite, ValueResult } from './module-site.ts';
import { at } from './reporter.ts';

/** Prefix of the host action types placeholders use (`windmill.script`, `windmill.rawscript`...). */
export const PLACEHOLDER_PREFIX = 'windmill.';

/** Windmill languages that run as Millrace `code` nodes (all three are TypeScript runtimes). */
const JS_LANGUAGES = new Set(['deno', 'bun', 'nativets', 'bunnative']);

/** Maps a step's `input_transforms`, placing a code node before the step when one is needed. */
function inputsOf(site: ModuleSite, value: JsonObject): MappedInputs {
  const { ctx, scope, pointer, mainId } = site;
  const bindings = ctx.bindings(scope, pointer, site.previous, { resume: site.resume });
  const helper = ctx.helper(mainId, 'js', scope, bindings);
  const inputs = mapInputTransforms(
    ctx,
    field(value, 'input_transforms'),
    at(pointer, 'value', 'input_transforms'),
    bindings,
    helper,
    mainId,
  );
  const code = helper.node();
  if (code) site.chain.push(code);
  return inputs;
}

/**
 * `rawscript`. JavaScript/TypeScript (deno, bun, nativets) becomes a `code` node whose `code` is
 * the script unchanged and whose input holds the parameters by name. Windmill calls
 * `main(a, b)` with positional arguments taken by parameter name, so the code runtime must do
 * the same for imported scripts: read the parameter names of `main` and call
 * `main(input.a, input.b)` (see docs/import-openflow.md). Other languages become a
 * `windmill.rawscript` placeholder keeping the language and source.
 */
export function rawScript(site: ModuleSite, value: JsonObject): ValueResult {
  const { ctx, pointer, mainId } = site;
  const valueAt = at(pointer, 'value');
  const inputs = inputsOf(site, value);
  const content = asString(field(value, 'content'));
  const language = asString(field(value, 'language'));
  if (content === undefined)
    ctx.reporter.report(
      'E_REQUIRED',
      at(valueAt, 'content'),
      `A rawscript needs "content" (its source).`,
      mainId,
    );
  if (language === undefined)
    ctx.reporter.report(
      'E_REQUIRED',
      at(valueAt, 'language'),
      `A rawscript needs "language".`,
      mainId,
    );
  for (const key of [
    'tag',
    'concurrent_limit',
    'concurrency_time_window_s',
    'custom_concurrency_key',
  ] as const) {
    if (field(value, key) !== undefined && field(value, key) !== null) {
      ctx.reporter.lossy(
        at(valueAt, key),
        `The script setting "${key}" has no Millrace equivalent; it was dropped.`,
        mainId,
      );
    }
  }
  let node: Draft;
  if (language !== undefined && JS_LANGUAGES.has(language)) {
    node = {
      id: mainId,
      type: 'code',
      language: 'typescript',
      code: content ?? '',
      input: inputs.mapping,
    };
    if (
      content !== undefined &&
      /(['"])windmill-client\1|(['"])npm:windmill-client|deno\.land\/x\/windmill/.test(content)
    ) {
      ctx.reporter.lossy(
        at(valueAt, 'content'),
        `The script imports the Windmill client (windmill-client); the code runtime must provide a compatible module or the script must be rewritten.`,
        mainId,
      );
    }
  } else {
    node = {
      id: mainId,
      type: `${PLACEHOLDER_PREFIX}rawscript`,
      input: { language: language ?? null, content: content ?? '', args: inputs.mapping },
    };
    ctx.reporter.placeholder(
      valueAt,
      `A ${language ?? 'script'} step cannot run as a Millrace code node; it became a "${PLACEHOLDER_PREFIX}rawscript" action (language, content and args in its input): register that action with the host or rewrite the step.`,
      mainId,
    );
  }
  site.chain.push(node);
  return { node, result: nodeOutput(mainId), stops: [], inputs };
}

/** `script { path }`: a `windmill.script` host action with the path, hash and arguments. */
export function pathScript(site: ModuleSite, value: JsonObject): ValueResult {
  const { ctx, pointer, mainId } = site;
  const inputs = inputsOf(site, value);
  const path = asString(field(value, 'path'));
  if (path === undefined)
    ctx.reporter.report(
      'E_REQUIRED',
      at(pointer, 'value', 'path'),
      `A script step needs "path".`,
      mainId,
    );
  const input: { [key: string]: JsonValue } = { path: path ?? '' };
  const hash = asString(field(value, 'hash'));
  if (hash !== undefined) input['hash'] = hash;
  input['args'] = inputs.mapping;
  const node: Draft = { id: mainId, type: `${PLACEHOLDER_PREFIX}script`, input };
  ctx.reporter.placeholder(
    at(pointer, 'value'),
    `The Windmill script "${path ?? ''}" became a "${PLACEHOLDER_PREFIX}script" action: the host must register that action (it receives path and args) or replace the step.`,
    mainId,
  );
  site.chain.push(node);
  return { node, result: nodeOutput(mainId), stops: [], inputs };
}

/** `flow { path }`: a `subflow` node running the flow deployed under the mapped id. */
export function pathFlow(site: ModuleSite, value: JsonObject): ValueResult {
  const { ctx, pointer, mainId } = site;
  const inputs = inputsOf(site, value);
  const path = asString(field(value, 'path'));
  if (path === undefined)
    ctx.reporter.report(
      'E_REQUIRED',
      at(pointer, 'value', 'path'),
      `A flow step needs "path".`,
      mainId,
    );
  const flowId = ctx.options.flowIdForPath(path ?? '');
  const node: Draft = { id: mainId, type: 'subflow', input: { flowId, input: inputs.mapping } };
  ctx.reporter.placeholder(
    at(pointer, 'value'),
    `The sub-flow "${path ?? ''}" runs as the Millrace flow "${flowId}": import and deploy it under that id.`,
    mainId,
  );
  site.chain.push(node);
  return { node, result: nodeOutput(mainId), stops: [], inputs };
}

/** `identity` (and every step that passes its input through): a transform of `previous_result`. */
export function passThrough(site: ModuleSite): ValueResult {
  const node: Draft = {
    id: site.mainId,
    type: 'transform',
    input: { value: templateOf(site.ctx.finalize(site.previous)) },
  };
  site.chain.push(node);
  return { node, result: outputValue(site.mainId), stops: [] };
}

/**
 * A mocked step (`mock.enabled`): Windmill skips the step and returns `return_value`; so does
 * the transform this becomes.
 */
export function mocked(site: ModuleSite, returnValue: unknown): ValueResult {
  const { ctx, pointer, mainId } = site;
  const node: Draft = {
    id: mainId,
    type: 'transform',
    input: { value: staticValue(ctx, returnValue, at(pointer, 'mock', 'return_value'), mainId) },
  };
  ctx.reporter.placeholder(
    at(pointer, 'mock'),
    `The step is mocked in Windmill (mock.enabled): it became a transform returning mock.return_value; the original step was not imported.`,
    mainId,
  );
  site.chain.push(node);
  return { node, result: outputValue(mainId), stops: [] };
}

/** `aiagent`: a `windmill.aiagent` placeholder keeping the tools and arguments. */
export function aiAgent(site: ModuleSite, value: JsonObject): ValueResult {
  const { ctx, pointer, mainId } = site;
  const inputs = inputsOf(site, value);
  const node: Draft = {
    id: mainId,
    type: `${PLACEHOLDER_PREFIX}aiagent`,
    input: { tools: toJsonValue(field(value, 'tools') ?? []), args: inputs.mapping },
  };
  ctx.reporter.placeholder(
    at(pointer, 'value'),
    `AI agent steps have no Millrace equivalent; it became a "${PLACEHOLDER_PREFIX}aiagent" action for the host to provide.`,
    mainId,
  );
  site.chain.push(node);
  return { node, result: nodeOutput(mainId), stops: [], inputs };
}
