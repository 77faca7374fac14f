import { ARRAY_METHODS } from './array-methods.ts';
import type { CallNode, Expression, Span } from './ast.ts';
import { checkArity, type FunctionSpec, type MethodSpec } from './callable.ts';
import { SHORT, nullishError } from './compile-access.ts';
import type { Compiler } from './compiler.ts';
import { makeCaller, type CallSite, type CompiledArrow, type Evaluator } from './eval-context.ts';
import { ExpressionError } from './expression-error.ts';
import { FUNCTIONS } from './functions.ts';
import {
  FORBIDDEN_KEYS,
  checkedArray,
  describeType,
  forbiddenKeyError,
} from './property-access.ts';
import { isRoot, suggest } from './roots.ts';
import { NUMBER_METHODS, STRING_METHODS } from './string-methods.ts';

/**
 * Calls. Only two shapes can be called: a whitelisted global function by name (`len(x)`),
 * and a whitelisted method on a value (`items.map(...)`), dispatched on the receiver's type at
 * run time. Nothing else is callable — not functions found in data, not computed members.
 */

const METHOD_TABLES: readonly (readonly [string, ReadonlyMap<string, MethodSpec>])[] = [
  ['arrays', ARRAY_METHODS],
  ['strings', STRING_METHODS],
  ['numbers', NUMBER_METHODS],
];

/** What the compiler checks before the receiver's type is known: the union over types. */
interface MethodInfo {
  readonly kinds: readonly string[];
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly params: string;
  readonly callbacks: Readonly<Record<number, number>> | undefined;
}

/** Every method name with the receiver kinds that have it, for messages and completion. */
export const METHOD_NAMES: ReadonlyMap<string, MethodInfo> = (() => {
  const out = new Map<string, MethodInfo>();
  for (const [kind, table] of METHOD_TABLES) {
    for (const [name, spec] of table) {
      const prev = out.get(name);
      out.set(name, {
        kinds: [...(prev?.kinds ?? []), kind],
        minArgs: Math.min(prev?.minArgs ?? Infinity, spec.minArgs),
        maxArgs: Math.max(prev?.maxArgs ?? 0, spec.maxArgs),
        params: prev?.params ?? spec.params,
        callbacks: prev?.callbacks ?? spec.callbacks,
      });
    }
  }
  return out;
})();

type Arg =
  | { readonly arrow: CompiledArrow; readonly value?: undefined }
  | { readonly arrow?: undefined; readonly value: Evaluator };

function forbidden(message: string, at: Span): ExpressionError {
  return new ExpressionError('E_EXPR_FORBIDDEN', message, { start: at.start, end: at.end });
}

export function compileCall(compiler: Compiler, node: CallNode): Evaluator {
  const callee = node.callee;
  if (callee.type === 'Identifier') {
    if (compiler.isParam(callee.name) || isRoot(callee.name)) {
      throw forbidden(
        `'${callee.name}' is not a function; only whitelisted functions and methods can be called`,
        callee,
      );
    }
    const spec = FUNCTIONS.get(callee.name);
    if (spec === undefined) {
      const near = suggest(callee.name, FUNCTIONS.keys());
      throw new ExpressionError(
        'E_EXPR_REFERENCE',
        `Unknown function '${callee.name}'${near ? `; did you mean '${near}'?` : ''}`,
        { start: callee.start, end: callee.end },
      );
    }
    return compileFunctionCall(compiler, node, spec);
  }
  if (callee.type === 'Member')
    return compileMethodCall(
      compiler,
      node,
      callee.object,
      callee.property,
      callee.optional,
      callee,
    );
  // Compile the callee anyway: its own errors (a forbidden key, an unknown name) say more.
  compiler.compile(callee);
  throw forbidden(
    'Only whitelisted functions (len(x)) and methods (items.map(...)) can be called',
    callee,
  );
}

function compileArgs(
  compiler: Compiler,
  args: readonly Expression[],
  callbacks: Readonly<Record<number, number>> | undefined,
  name: string,
): Arg[] {
  return args.map((arg, i): Arg => {
    const maxParams = callbacks?.[i];
    if (arg.type === 'Arrow') {
      if (maxParams === undefined) {
        throw new ExpressionError(
          'E_EXPR_TYPE',
          `${name} does not take a function as argument ${i + 1}`,
          arg,
        );
      }
      if (arg.params.length > maxParams) {
        throw new ExpressionError(
          'E_EXPR_TYPE',
          `The function passed to ${name} takes at most ${maxParams} parameter${maxParams === 1 ? '' : 's'}`,
          arg,
        );
      }
      return { arrow: compiler.arrow(arg) };
    }
    if (maxParams !== undefined) {
      throw new ExpressionError(
        'E_EXPR_TYPE',
        `${name} expects an arrow function as argument ${i + 1}, e.g. x => x.id`,
        arg,
      );
    }
    return { value: compiler.compile(arg) };
  });
}

/** Builds the argument array; arrows become callers bound to this evaluation. */
function argumentEvaluator(args: readonly Arg[]): Evaluator {
  const n = args.length;
  return (s, f, c) => {
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const a = args[i] as Arg;
      out[i] = a.arrow === undefined ? a.value(s, f, c) : makeCaller(a.arrow, s, f, c);
    }
    return out;
  };
}

function compileFunctionCall(compiler: Compiler, node: CallNode, spec: FunctionSpec): Evaluator {
  const site: CallSite = {
    name: spec.name,
    at: { start: node.start, end: node.end },
    limits: compiler.limits,
  };
  checkArity(spec, node.args.length, site);
  const args = argumentEvaluator(compileArgs(compiler, node.args, spec.callbacks, spec.name));
  const call = spec.call;
  return (s, f, c) => call(args(s, f, c) as unknown[], site, c);
}

function compileMethodCall(
  compiler: Compiler,
  node: CallNode,
  objectNode: Expression,
  name: string,
  receiverOptional: boolean,
  at: Span,
): Evaluator {
  if (FORBIDDEN_KEYS.has(name)) throw forbiddenKeyError(name, at);
  // The receiver first: an unknown name there (`Math.max(...)`) is the real problem.
  const receiver = compiler.compile(objectNode);
  const info = METHOD_NAMES.get(name);
  if (info === undefined) {
    const near = suggest(name, METHOD_NAMES.keys());
    throw forbidden(
      `'${name}' is not a method expressions can call${near ? `; did you mean '${near}'?` : ''}`,
      at,
    );
  }
  const site: CallSite = {
    name: `.${name}()`,
    at: { start: node.start, end: node.end },
    limits: compiler.limits,
  };
  checkArity(info, node.args.length, site);
  const { kinds, callbacks } = info;
  const args = argumentEvaluator(compileArgs(compiler, node.args, callbacks, `.${name}()`));
  const callOptional = node.optional;
  const arrayMethod = ARRAY_METHODS.get(name);
  const stringMethod = STRING_METHODS.get(name);
  const numberMethod = NUMBER_METHODS.get(name);
  const count = node.args.length;
  return (s, f, c) => {
    let r = receiver(s, f, c);
    if (r === SHORT) return SHORT;
    if (r == null) {
      if (receiverOptional) return SHORT;
      throw nullishError(objectNode, r, `call .${name}()`, at);
    }
    const spec = Array.isArray(r)
      ? arrayMethod
      : typeof r === 'string'
        ? stringMethod
        : typeof r === 'number'
          ? numberMethod
          : undefined;
    if (spec === undefined) {
      if (callOptional) return SHORT;
      throw new ExpressionError(
        'E_EXPR_TYPE',
        `.${name}() is a method of ${kinds.join(' and ')}, but the value is ${describeType(r)}`,
        site.at,
      );
    }
    if (Array.isArray(r)) r = checkedArray(r, at);
    checkArity(spec, count, site);
    return spec.call(r as never, args(s, f, c) as unknown[], site, c);
  };
}
