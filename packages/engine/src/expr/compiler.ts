import {
  forEachChild,
  type ArrayNode,
  type ArrowNode,
  type AstNode,
  type Expression,
  type IdentifierNode,
  type ObjectNode,
  type Span,
  type UnaryNode,
} from './ast.ts';
import { compileCall } from './compile-call.ts';
import {
  SHORT,
  compileChainEnd,
  compileLink,
  compileParam,
  compilePath,
  compileRoot,
  staticPathOf,
} from './compile-access.ts';
import { compileBinary } from './compile-operators.ts';
import type { CompiledArrow, Evaluator } from './eval-context.ts';
import { ExpressionError } from './expression-error.ts';
import { FUNCTIONS, toNumber } from './functions.ts';
import type { ExpressionLimits } from './limits.ts';
import {
  FORBIDDEN_KEYS,
  checkedArray,
  describeType,
  forbiddenKeyError,
  ownEntries,
} from './property-access.ts';
import { ROOTS, isRoot, suggest, type RootName } from './roots.ts';
import { arrayLimitError, truthy } from './values.ts';

/** The result of compiling one expression. */
export interface CompiledExpression {
  readonly evaluate: Evaluator;
  /** True when the expression calls arrow functions and so needs a fresh step budget. */
  readonly usesSteps: boolean;
}

/**
 * Compiles an AST into closures. Names are resolved here, once: roots, arrow parameters and
 * functions; unknown names, forbidden keys and misplaced arrows fail now (not at run time).
 */
export function compileExpression(ast: Expression, limits: ExpressionLimits): CompiledExpression {
  const compiler = new Compiler(limits);
  const evaluate = compiler.compile(ast);
  return { evaluate, usesSteps: compiler.usesSteps };
}

interface ParamScope {
  readonly names: readonly string[];
  readonly parent: ParamScope | null;
}

export class Compiler {
  usesSteps = false;
  private params: ParamScope | null = null;

  constructor(readonly limits: ExpressionLimits) {}

  compile(node: Expression): Evaluator {
    switch (node.type) {
      case 'Literal': {
        const value = node.value;
        return () => value;
      }
      case 'Identifier':
        return this.identifier(node.name, node);
      case 'Member':
      case 'Index': {
        const path = staticPathOf(node);
        if (path) return compilePath(this.pathRoot(path.root), path, SHORT);
        const index = node.type === 'Index' ? this.compile(node.index) : undefined;
        return compileLink(node, this.compile(node.object), index);
      }
      case 'Chain': {
        const path = staticPathOf(node.expression);
        // A chain that is one static path short-circuits straight to undefined.
        if (path) return compilePath(this.pathRoot(path.root), path, undefined);
        return compileChainEnd(this.compile(node.expression));
      }
      case 'Call':
        return compileCall(this, node);
      case 'Unary':
        return this.unary(node);
      case 'Binary':
        return compileBinary(node, this.compile(node.left), this.compile(node.right), this.limits);
      case 'Logical': {
        const left = this.compile(node.left);
        const right = this.compile(node.right);
        if (node.operator === '&&') return (s, f, c) => left(s, f, c) && right(s, f, c);
        if (node.operator === '||') return (s, f, c) => left(s, f, c) || right(s, f, c);
        return (s, f, c) => left(s, f, c) ?? right(s, f, c);
      }
      case 'Conditional':
        return this.conditional(node.test, node.consequent, node.alternate);
      case 'Array':
        return this.array(node);
      case 'Object':
        return this.object(node);
      case 'Arrow':
        throw new ExpressionError(
          'E_EXPR_TYPE',
          'An arrow function can only be passed to a method or function that takes a callback, e.g. items.map(x => x.id)',
          span(node),
        );
      case 'Error':
        throw new ExpressionError('E_EXPR_SYNTAX', node.message, span(node));
    }
  }

  /** Resolves a name: innermost arrow parameter first, then the roots. */
  identifier(name: string, at: Span): Evaluator {
    let depth = 0;
    for (let scope = this.params; scope !== null; scope = scope.parent, depth++) {
      const index = scope.names.indexOf(name);
      if (index !== -1) return compileParam(depth, index + 1);
    }
    if (isRoot(name)) return compileRoot(name, span(at));
    if (FUNCTIONS.has(name)) {
      throw new ExpressionError(
        'E_EXPR_REFERENCE',
        `'${name}' is a function; call it, e.g. ${name}(...)`,
        span(at),
      );
    }
    const near = suggest(name, ROOTS);
    throw new ExpressionError(
      'E_EXPR_REFERENCE',
      `Unknown name '${name}'${near ? ` (did you mean '${near}'?)` : ''}; expressions start from ${ROOTS.join(', ')}`,
      span(at),
    );
  }

  /** The start of a static path: a root name (read with a cache) or a compiled parameter. */
  private pathRoot(root: IdentifierNode): RootName | Evaluator {
    return isRoot(root.name) && !this.isParam(root.name)
      ? root.name
      : this.identifier(root.name, root);
  }

  /** True when `name` is an arrow parameter visible here. */
  isParam(name: string): boolean {
    for (let scope = this.params; scope !== null; scope = scope.parent)
      if (scope.names.includes(name)) return true;
    return false;
  }

  /** Compiles an arrow function passed as a callback; its body sees its parameters. */
  arrow(node: ArrowNode): CompiledArrow {
    this.usesSteps = true;
    this.params = { names: node.params.map((p) => p.name), parent: this.params };
    try {
      return { body: this.compile(node.body), cost: 1 + countNodes(node.body), at: span(node) };
    } finally {
      this.params = (this.params as ParamScope).parent;
    }
  }

  private unary(node: UnaryNode): Evaluator {
    const at = span(node);
    if (node.operator === 'typeof') {
      const arg = node.argument;
      // `typeof item` asks whether a root exists here, so a missing root is 'undefined'.
      if (arg.type === 'Identifier' && isRoot(arg.name) && !this.isParam(arg.name)) {
        const name = arg.name;
        return (s) => {
          const desc = Object.getOwnPropertyDescriptor(s, name);
          return desc === undefined ? 'undefined' : typeof desc.value;
        };
      }
      const value = this.compile(arg);
      return (s, f, c) => typeof value(s, f, c);
    }
    const value = this.compile(node.argument);
    if (node.operator === '!') return (s, f, c) => !truthy(value(s, f, c));
    const site = { name: "unary '+'", at, limits: this.limits };
    if (node.operator === '+') return (s, f, c) => toNumber(value(s, f, c), site);
    return (s, f, c) => {
      const v = value(s, f, c);
      if (typeof v !== 'number') {
        throw new ExpressionError(
          'E_EXPR_TYPE',
          `Unary '-' needs a number, got ${describeType(v)}`,
          at,
        );
      }
      return -v;
    };
  }

  private conditional(testNode: Expression, yes: Expression, no: Expression): Evaluator {
    const test = this.compile(testNode);
    if (yes.type === 'Literal' && no.type === 'Literal') {
      const a = yes.value;
      const b = no.value;
      return (s, f, c) => (test(s, f, c) ? a : b);
    }
    const consequent = this.compile(yes);
    const alternate = this.compile(no);
    return (s, f, c) => (test(s, f, c) ? consequent(s, f, c) : alternate(s, f, c));
  }

  private array(node: ArrayNode): Evaluator {
    const parts = node.elements.map((el) =>
      el.type === 'Spread'
        ? { spread: true, at: span(el), value: this.compile(el.argument) }
        : { spread: false, at: span(el), value: this.compile(el) },
    );
    const limits = this.limits;
    const at = span(node);
    if (parts.every((p) => !p.spread)) {
      const values = parts.map((p) => p.value);
      return (s, f, c) => values.map((v) => v(s, f, c));
    }
    return (s, f, c) => {
      const out: unknown[] = [];
      for (const part of parts) {
        const v = part.value(s, f, c);
        if (!part.spread) out.push(v);
        else if (Array.isArray(v)) {
          if (out.length + v.length > limits.maxArrayLength) throw arrayLimitError(limits, at);
          for (const item of checkedArray(v, part.at)) out.push(item);
        } else if (v != null) {
          throw new ExpressionError(
            'E_EXPR_TYPE',
            `Only arrays can be spread into an array, got ${describeType(v)}`,
            part.at,
          );
        }
      }
      return out;
    };
  }

  private object(node: ObjectNode): Evaluator {
    type Part =
      | { kind: 'spread'; at: Span; value: Evaluator }
      | { kind: 'static'; key: string; value: Evaluator }
      | { kind: 'computed'; at: Span; key: Evaluator; value: Evaluator };
    const parts: Part[] = node.properties.map((p): Part => {
      if (p.type === 'Spread')
        return { kind: 'spread', at: span(p), value: this.compile(p.argument) };
      if (p.computed)
        return {
          kind: 'computed',
          at: span(p.key),
          key: this.compile(p.key),
          value: this.compile(p.value),
        };
      const key = String((p.key as { value?: unknown }).value);
      if (FORBIDDEN_KEYS.has(key)) throw forbiddenKeyError(key, p.key);
      return { kind: 'static', key, value: this.compile(p.value) };
    });
    // Objects are ordinary objects (so JSON, equality and hosts treat them normally); what
    // keeps them safe is that no part can ever write __proto__, constructor or prototype.
    return (s, f, c) => {
      const out: Record<string, unknown> = {};
      for (const part of parts) {
        if (part.kind === 'static') out[part.key] = part.value(s, f, c);
        else if (part.kind === 'computed')
          out[objectKey(part.key(s, f, c), part.at)] = part.value(s, f, c);
        else spreadInto(out, part.value(s, f, c), part.at);
      }
      return out;
    };
  }
}

function objectKey(key: unknown, at: Span): string {
  if (typeof key !== 'string' && typeof key !== 'number') {
    throw new ExpressionError(
      'E_EXPR_TYPE',
      `A computed key must be a string or number, got ${describeType(key)}`,
      at,
    );
  }
  const k = String(key);
  if (FORBIDDEN_KEYS.has(k)) throw forbiddenKeyError(k, at);
  return k;
}

function spreadInto(out: Record<string, unknown>, value: unknown, at: Span): void {
  if (value == null) return;
  if (typeof value !== 'object') {
    throw new ExpressionError(
      'E_EXPR_TYPE',
      `Only objects and arrays can be spread into an object, got ${describeType(value)}`,
      at,
    );
  }
  for (const [k, v] of ownEntries(value, at)) out[k] = v;
}

export function span(node: Span): Span {
  return { start: node.start, end: node.end };
}

/** Number of AST nodes: the step cost of evaluating an arrow body once. */
export function countNodes(node: AstNode): number {
  let n = 1;
  forEachChild(node, (child) => {
    n += countNodes(child);
  });
  return n;
}
