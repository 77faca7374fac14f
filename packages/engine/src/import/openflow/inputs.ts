import type { Expression } from '../../expr/index.ts';
import type { JsonValue } from '../../model/flow.ts';
import { array, ident, index, lit, object, property } from './ast-build.ts';
import type { ImportContext } from './context.ts';
import { escapeText, rewriteJs, templateOf, type ExprBindings } from './expressions.ts';
import type { JsHelper } from './js-helper.ts';
import {
  asNumber,
  asObject,
  asString,
  entriesOf,
  field,
  isObject,
  setKey,
  toJsonValue,
} from './json.ts';
import { at } from './reporter.ts';

/** A node's input mapping, plus each parameter as an AST (for cache keys). */
export interface MappedInputs {
  readonly mapping: { [parameter: string]: JsonValue };
  readonly asts: readonly (readonly [string, Expression])[];
}

/**
 * Maps Windmill `input_transforms` (parameters by name) onto a Millrace input mapping:
 * `static` values become literals (strings escaped so `$<` stays text), `javascript`
 * expressions become `$<...>` templates, or read a generated code node when the Millrace
 * language cannot express them.
 */
export function mapInputTransforms(
  ctx: ImportContext,
  transforms: unknown,
  pointer: string,
  bindings: ExprBindings,
  helper: JsHelper,
  nodeId: string,
): MappedInputs {
  const mapping: { [parameter: string]: JsonValue } = {};
  const asts: [string, Expression][] = [];
  if (transforms === undefined || transforms === null) return { mapping, asts };
  const holder = asObject(transforms);
  if (!holder) {
    ctx.reporter.report(
      'E_TYPE',
      pointer,
      `input_transforms must be an object of parameter name to transform; it was ignored.`,
      nodeId,
    );
    return { mapping, asts };
  }
  for (const [name, transform] of entriesOf(holder)) {
    const here = at(pointer, name);
    const value = inputValue(ctx, transform, here, bindings, helper, nodeId, name);
    if (value === undefined) continue;
    setKey(mapping, name, value.json);
    asts.push([name, value.ast]);
  }
  return { mapping, asts };
}

/** One input transform as a JSON value for a node input, and as an AST. */
export function inputValue(
  ctx: ImportContext,
  transform: unknown,
  pointer: string,
  bindings: ExprBindings,
  helper: JsHelper,
  nodeId: string,
  hint: string,
): { json: JsonValue; ast: Expression } | undefined {
  const t = asObject(transform);
  const type = field(t, 'type');
  if (type === 'static') {
    const json = staticValue(ctx, field(t, 'value'), pointer, nodeId);
    return {
      json,
      ast: jsonToAst(field(t, 'value') === undefined ? null : toJsonValue(field(t, 'value'))),
    };
  }
  if (type === 'javascript') {
    const expr = asString(field(t, 'expr'));
    if (expr === undefined) {
      ctx.reporter.report(
        'E_TYPE',
        at(pointer, 'expr'),
        `A javascript transform needs "expr" (a string); the parameter was left out.`,
        nodeId,
      );
      return undefined;
    }
    const rewritten = rewriteJs(expr, bindings.relocate?.(at(pointer, 'expr')) ?? bindings);
    if (rewritten.ok) {
      for (const note of rewritten.notes) ctx.reporter.lossy(at(pointer, 'expr'), note, nodeId);
      return { json: rewritten.text, ast: rewritten.ast };
    }
    const ast = helper.add(expr, false, hint);
    ctx.reporter.placeholder(
      at(pointer, 'expr'),
      `The expression \`${short(expr)}\` is not a Millrace expression (${rewritten.reason}); the generated code node "${helper.nodeId}" evaluates it as JavaScript.`,
      nodeId,
    );
    return { json: templateOf(ast), ast };
  }
  ctx.reporter.lossy(
    pointer,
    type === undefined
      ? `An input transform must be {"type": "static", "value": ...} or {"type": "javascript", "expr": ...}; the parameter was left out.`
      : `Input transforms of type ${JSON.stringify(type) ?? String(type)} are not supported; the parameter was left out.`,
    nodeId,
  );
  return undefined;
}

/**
 * A literal value: strings are escaped (`$<` -> `$$<`), Windmill's `$var:path` becomes
 * `$<secrets['path']>`; `$res:path` resources stay text and are reported.
 */
export function staticValue(
  ctx: ImportContext,
  value: unknown,
  pointer: string,
  nodeId?: string,
): JsonValue {
  if (value === undefined) return null;
  return toJsonValue(value, (text) => {
    if (text.startsWith('$var:')) {
      const name = text.slice('$var:'.length);
      ctx.reporter.lossy(
        pointer,
        `"${text}" reads the Windmill variable "${name}"; it became $<secrets['${name}']>: register that secret with the host.`,
        nodeId,
      );
      return templateOf(index(ident('secrets'), lit(name)));
    }
    if (text.startsWith('$res:')) {
      ctx.reporter.lossy(
        pointer,
        `"${text}" is a Windmill resource reference; the host must resolve it (it was kept as text).`,
        nodeId,
      );
    }
    return escapeText(text);
  });
}

/**
 * A condition (`skip_if`, `stop_after_if`, a branch `expr`, `retry_if`) as an AST; a code
 * node computes it with JavaScript's `Boolean(...)` when the Millrace language cannot.
 */
export function conditionExpr(
  ctx: ImportContext,
  source: unknown,
  pointer: string,
  bindings: ExprBindings,
  helper: JsHelper,
  hint: string,
  nodeId?: string,
): Expression | undefined {
  if (typeof source !== 'string') {
    ctx.reporter.report(
      'E_TYPE',
      pointer,
      `The condition must be a JavaScript expression (a string); it was ignored.`,
      nodeId,
    );
    return undefined;
  }
  const rewritten = rewriteJs(source, bindings.relocate?.(pointer) ?? bindings);
  if (rewritten.ok) {
    for (const note of rewritten.notes) ctx.reporter.lossy(pointer, note, nodeId);
    return rewritten.ast;
  }
  const ast = helper.add(source, true, hint);
  ctx.reporter.placeholder(
    pointer,
    `The condition \`${short(source)}\` is not a Millrace expression (${rewritten.reason}); the generated code node "${helper.nodeId}" evaluates it as JavaScript.`,
    nodeId,
  );
  return ast;
}

/** A number of seconds from a number or a static transform (`sleep`, `timeout`, `parallelism`). */
export function staticNumber(value: unknown): number | undefined {
  const direct = asNumber(value);
  if (direct !== undefined) return direct;
  if (isObject(value) && field(value, 'type') === 'static') return asNumber(field(value, 'value'));
  return undefined;
}

/** A JSON value as an expression AST. */
export function jsonToAst(value: JsonValue): Expression {
  if (value === null || typeof value !== 'object') return lit(value);
  if (Array.isArray(value)) return array((value as readonly JsonValue[]).map(jsonToAst));
  return object(
    Object.entries(value as { [key: string]: JsonValue }).map(([k, v]) =>
      property(k, jsonToAst(v)),
    ),
  );
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? one.slice(0, 57) + '...' : one;
}
