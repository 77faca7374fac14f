import {
  compileTemplate,
  parseExpression,
  printTemplate,
  type Expression,
  type PrintablePart,
  type PropertyNode,
  type SpreadNode,
} from '../../expr/index.ts';
import { binary, call, ident, index, lit, member } from './ast-build.ts';
import { prepareJsSource } from './js-source.ts';

/**
 * Rewrites Windmill's JavaScript input expressions into Millrace expressions: the source is
 * parsed with the engine's parser, Windmill's variables are replaced by Millrace ones, the
 * result is simplified and printed back.
 *
 * | Windmill                  | Millrace                                                   |
 * |---------------------------|------------------------------------------------------------|
 * | `flow_input.x`            | `flow.input.x`                                             |
 * | `flow_input.iter.value`   | `item` (forEach), `index` (while), the item of a converted loop |
 * | `flow_input.iter.index`   | `index`                                                    |
 * | `results.a`               | the result of step `a` (`nodes.a.output`, ...)             |
 * | `previous_result`         | the result of the step before (or the flow input / `error`)|
 * | `result`                  | the value Windmill binds there (previous or own result)    |
 * | `resume`, `approvers`     | the output of the approval that gated the step             |
 * | `variable('p')`           | `secrets['p']`                                             |
 *
 * Anything the Millrace language cannot express (unknown globals such as `Date`, `JSON`,
 * `Math`, statements, methods outside the whitelist) makes the rewrite fail with a reason;
 * callers then evaluate the original JavaScript in a generated code node (`js-helper.ts`).
 */
export interface ExprBindings {
  /** What `flow_input` is here (inside loops: the flow input plus `iter`). */
  readonly flowInput: Expression;
  /** What `previous_result` is here. */
  readonly previous: Expression;
  /** What `result` is here; undefined where Windmill binds none (input transforms). */
  readonly result?: Expression;
  readonly resume: Expression;
  readonly resumes: Expression;
  readonly approvers: Expression;
  /** What `error` is here (failure module only). */
  readonly error?: Expression;
  /** The result of the step whose OpenFlow id is `id`. */
  readonly results: (id: string) => Expression;
  /** Replaces the importer's placeholder identifiers (lazily created helper nodes). */
  readonly finalize: (ast: Expression) => Expression;
  /** The same bindings reporting problems (unknown `results.x`) at another pointer. */
  readonly relocate?: (pointer: string) => ExprBindings;
}

export type RewriteResult =
  | {
      readonly ok: true;
      readonly ast: Expression;
      readonly text: string;
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

class Unsupported extends Error {}

/**
 * Rewrites one Windmill expression. `text` is the Millrace template for an input value: a
 * whole `$<...>`, or text with interpolations when the source is one template literal.
 */
export function rewriteJs(source: string, env: ExprBindings): RewriteResult {
  const prepared = prepareJsSource(source);
  if (!prepared.ok)
    return {
      ok: false,
      reason: 'the JavaScript source is not balanced (an unterminated string, template or comment)',
    };
  if (prepared.text === '') return { ok: false, reason: 'the expression is empty' };
  const notes: string[] = [];
  try {
    if (prepared.template && prepared.template.expressions.length > 0) {
      const parts: PrintablePart[] = [];
      prepared.template.quasis.forEach((q, k) => {
        if (q !== '') parts.push({ kind: 'text', value: q });
        const e = prepared.template?.expressions[k];
        if (e !== undefined) parts.push({ kind: 'expression', ast: convert(e, env, notes) });
      });
      // The same value as one expression (for cache keys): text joined with `string(...)`.
      const pieces = parts.map((p) => (p.kind === 'text' ? lit(p.value) : call('string', [p.ast])));
      const whole =
        pieces.length === 1
          ? (pieces[0] as Expression)
          : pieces.reduce((a, b) => binary('+', a, b));
      // `${x}` alone is text in JavaScript; a lone `$<x>` would keep x's type.
      const only = parts.length === 1 ? parts[0] : undefined;
      const text = printTemplate(
        only?.kind === 'expression' ? [{ kind: 'expression', ast: whole }] : parts,
      );
      check(text);
      return { ok: true, ast: whole, text, notes };
    }
    const ast = convert(prepared.text, env, notes);
    const text = printTemplate([{ kind: 'expression', ast }]);
    check(text);
    return { ok: true, ast, text, notes };
  } catch (err) {
    if (err instanceof Unsupported) return { ok: false, reason: err.message };
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** Prints an AST the importer built as a whole-value template `$<...>`. */
export function templateOf(ast: Expression): string {
  return printTemplate([{ kind: 'expression', ast }]);
}

/** Escapes literal text for a place where `$<` would start an expression (`$<` -> `$$<`). */
export function escapeText(text: string): string {
  return text.includes('$<') ? printTemplate([{ kind: 'text', value: text }]) : text;
}

function convert(text: string, env: ExprBindings, notes: string[]): Expression {
  const { ast, errors } = parseExpression(text);
  if (errors.length > 0) throw new Unsupported(errors[0]?.message ?? 'syntax error');
  return env.finalize(simplify(substitute(ast, env, new Set(), notes)));
}

/** Compiles the printed template: unknown functions, methods and forbidden keys fail here. */
function check(text: string): void {
  try {
    compileTemplate(text);
  } catch (err) {
    throw new Unsupported(err instanceof Error ? err.message : String(err));
  }
}

const WINDMILL_FUNCTIONS = new Set(['resource', 'variable']);

function substitute(
  node: Expression,
  env: ExprBindings,
  bound: ReadonlySet<string>,
  notes: string[],
): Expression {
  const sub = (n: Expression): Expression => substitute(n, env, bound, notes);
  switch (node.type) {
    case 'Identifier':
      return identifier(node.name, env, bound);
    case 'Literal':
    case 'Error':
      if (node.type === 'Error') throw new Unsupported(node.message);
      return node;
    case 'Member':
      if (isFree(node.object, 'results', bound)) return env.results(node.property);
      return { ...node, object: sub(node.object) };
    case 'Index':
      if (isFree(node.object, 'results', bound)) {
        const key = node.index;
        if (
          key.type === 'Literal' &&
          (typeof key.value === 'string' || typeof key.value === 'number')
        ) {
          return env.results(String(key.value));
        }
        throw new Unsupported('`results[...]` with a computed step id');
      }
      return { ...node, object: sub(node.object), index: sub(node.index) };
    case 'Call': {
      const callee = node.callee;
      if (callee.type === 'Identifier' && !bound.has(callee.name)) {
        if (callee.name === 'variable' && node.args.length === 1) {
          const arg = node.args[0];
          if (arg?.type === 'Literal' && typeof arg.value === 'string') {
            notes.push(
              `variable('${arg.value}') reads the secret "${arg.value}": register it with the host's secrets.`,
            );
            return index(ident('secrets'), lit(arg.value));
          }
        }
        if (WINDMILL_FUNCTIONS.has(callee.name))
          throw new Unsupported(`${callee.name}() reads Windmill ${callee.name}s`);
        // `string()` comes from template literals (js-source.ts); JavaScript has no such global.
        if (callee.name !== 'string')
          throw new Unsupported(`${callee.name}() is not a function Millrace expressions have`);
        return { ...node, args: node.args.map(sub) };
      }
      return { ...node, callee: sub(callee), args: node.args.map(sub) };
    }
    case 'Arrow': {
      const inner = new Set(bound);
      for (const p of node.params) inner.add(p.name);
      return { ...node, body: substitute(node.body, env, inner, notes) };
    }
    case 'Array':
      return {
        ...node,
        elements: node.elements.map((e) =>
          e.type === 'Spread' ? { ...e, argument: sub(e.argument) } : sub(e),
        ),
      };
    case 'Object':
      return {
        ...node,
        properties: node.properties.map((p): PropertyNode | SpreadNode =>
          p.type === 'Spread'
            ? { ...p, argument: sub(p.argument) }
            : { ...p, key: p.computed ? sub(p.key) : p.key, value: sub(p.value), shorthand: false },
        ),
      };
    case 'Chain': {
      const inner = sub(node.expression);
      return inner.type === 'Member' || inner.type === 'Index' || inner.type === 'Call'
        ? { ...node, expression: inner }
        : inner;
    }
    case 'Unary':
      return { ...node, argument: sub(node.argument) };
    case 'Binary':
    case 'Logical':
      return { ...node, left: sub(node.left), right: sub(node.right) };
    case 'Conditional':
      return {
        ...node,
        test: sub(node.test),
        consequent: sub(node.consequent),
        alternate: sub(node.alternate),
      };
  }
}

function isFree(node: Expression, name: string, bound: ReadonlySet<string>): boolean {
  return node.type === 'Identifier' && node.name === name && !bound.has(name);
}

function identifier(name: string, env: ExprBindings, bound: ReadonlySet<string>): Expression {
  if (bound.has(name)) return ident(name);
  switch (name) {
    case 'flow_input':
      return env.flowInput;
    case 'previous_result':
      return env.previous;
    case 'result':
      if (env.result) return env.result;
      throw new Unsupported('`result` is not defined in Windmill input transforms');
    case 'resume':
      return env.resume;
    case 'resumes':
      return env.resumes;
    case 'approvers':
      return env.approvers;
    case 'error':
      if (env.error) return env.error;
      throw new Unsupported('`error` only exists in the failure module');
    case 'results':
      throw new Unsupported('`results` used as a whole object');
    default:
      throw new Unsupported(
        `\`${name}\` is not a variable Windmill expressions can use in Millrace`,
      );
  }
}

/**
 * Resolves member accesses on object literals the substitution produced, so
 * `flow_input.iter.value` prints as `item` rather than `{ ..., iter: { value: item } }.iter.value`.
 */
export function simplify(node: Expression): Expression {
  switch (node.type) {
    case 'Member':
    case 'Index': {
      const object = simplify(node.object);
      if (node.type === 'Member') {
        const picked = pick(object, node.property);
        return picked ?? { ...node, object };
      }
      const key = simplify(node.index);
      if (
        key.type === 'Literal' &&
        (typeof key.value === 'string' || typeof key.value === 'number')
      ) {
        const picked = pick(object, String(key.value));
        if (picked) return picked;
      }
      return { ...node, object, index: key };
    }
    case 'Chain': {
      const inner = simplify(node.expression);
      return inner.type === 'Member' || inner.type === 'Index' || inner.type === 'Call'
        ? { ...node, expression: inner }
        : inner;
    }
    case 'Call':
      return { ...node, callee: simplify(node.callee), args: node.args.map(simplify) };
    case 'Arrow':
      return { ...node, body: simplify(node.body) };
    case 'Array':
      return {
        ...node,
        elements: node.elements.map((e) =>
          e.type === 'Spread' ? { ...e, argument: simplify(e.argument) } : simplify(e),
        ),
      };
    case 'Object':
      return {
        ...node,
        properties: node.properties.map((p): PropertyNode | SpreadNode =>
          p.type === 'Spread'
            ? { ...p, argument: simplify(p.argument) }
            : { ...p, value: simplify(p.value) },
        ),
      };
    case 'Unary':
      return { ...node, argument: simplify(node.argument) };
    case 'Binary':
    case 'Logical':
      return { ...node, left: simplify(node.left), right: simplify(node.right) };
    case 'Conditional':
      return {
        ...node,
        test: simplify(node.test),
        consequent: simplify(node.consequent),
        alternate: simplify(node.alternate),
      };
    default:
      return node;
  }
}

/** The value of `key` in an object literal, when it is statically known. */
function pick(object: Expression, key: string): Expression | undefined {
  if (object.type !== 'Object') return undefined;
  const props = object.properties;
  const spreads = props.filter((p) => p.type === 'Spread');
  for (let i = props.length - 1; i >= 0; i--) {
    const p = props[i] as PropertyNode | SpreadNode;
    if (p.type === 'Spread') {
      // `{ ...a, b: 1 }.c` is `a.c` when `a` is the only source of unknown keys.
      const explicit = props.some((q) => q.type === 'Property' && staticKey(q) === key);
      return spreads.length === 1 && !explicit ? simplify(member(p.argument, key)) : undefined;
    }
    if (p.computed) return undefined;
    if (staticKey(p) === key) return p.value;
  }
  return lit(undefined);
}

function staticKey(p: PropertyNode): string | undefined {
  return !p.computed &&
    p.key.type === 'Literal' &&
    p.key.value !== undefined &&
    p.key.value !== null
    ? String(p.key.value)
    : undefined;
}
