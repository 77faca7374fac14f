import { compileExpression } from './compiler.ts';
import { NO_STEPS, createContext, type Evaluator, type ScopeRecord } from './eval-context.ts';
import { ExpressionError } from './expression-error.ts';
import { resolveLimits, type ExpressionLimits } from './limits.ts';
import { collectReferences, type Reference } from './references.ts';
import { toText } from './values.ts';
import { parseTemplate, type TemplatePart } from './template-parse.ts';

export {
  parseTemplate,
  type TemplateExpression,
  type TemplateParseOptions,
  type TemplatePart,
  type TemplateText,
} from './template-parse.ts';

/** A template compiled once, evaluated many times. */
export interface CompiledTemplate {
  readonly source: string;
  /** True when the template has no expressions: `evaluate` returns its text. */
  readonly isStatic: boolean;
  readonly references: readonly Reference[];
  /**
   * The value: the raw value when the template is exactly one `$<expr>`, else a string.
   * Throws ExpressionError (E_EXPR_REFERENCE, E_EXPR_TYPE, E_EXPR_LIMIT, E_EXPR_FORBIDDEN).
   */
  evaluate(scope: ScopeRecord): unknown;
}

export interface CompileOptions {
  readonly limits?: Partial<ExpressionLimits>;
}

/**
 * Parses and compiles a template. Throws ExpressionError: E_EXPR_SYNTAX for syntax errors,
 * E_EXPR_REFERENCE for unknown names or functions, E_EXPR_FORBIDDEN for forbidden keys and
 * methods, E_EXPR_TYPE for misplaced arrow functions, E_EXPR_LIMIT for too deep nesting.
 *
 * @example
 * compileTemplate('Hello $<flow.input.name>!').evaluate({ flow: { input: { name: 'Dana' } } })
 * // 'Hello Dana!'
 */
export function compileTemplate(source: string, options: CompileOptions = {}): CompiledTemplate {
  const limits = resolveLimits(options.limits);
  const { parts } = parseTemplate(source, { maxDepth: limits.maxDepth });
  const compiled: Compiled[] = [];
  let isStatic = true;
  for (const part of parts) {
    if (part.kind === 'text') compiled.push(part.value);
    else {
      isStatic = false;
      const { evaluate, usesSteps } = compileExpression(part.ast, limits);
      compiled.push({ evaluate, usesSteps, at: { start: part.start, end: part.end } });
    }
  }
  let evaluate: (scope: ScopeRecord) => unknown;
  const only = compiled[0];
  if (isStatic) {
    const text = (compiled as string[]).join('');
    evaluate = () => text;
  } else if (compiled.length === 1 && typeof only === 'object') {
    evaluate = single(only.evaluate, only.usesSteps, limits, only.at);
  } else evaluate = mixed(compiled, limits);
  return new Template(source, isStatic, parts, evaluate);
}

// References are computed on first use: the runtime compiles far more often than the
// validator, which asks for them.
class Template implements CompiledTemplate {
  private refs: readonly Reference[] | undefined;

  constructor(
    readonly source: string,
    readonly isStatic: boolean,
    private readonly parts: readonly TemplatePart[],
    readonly evaluate: (scope: ScopeRecord) => unknown,
  ) {}

  get references(): readonly Reference[] {
    if (this.refs === undefined) {
      const out: Reference[] = [];
      for (const part of this.parts)
        if (part.kind === 'expression') out.push(...collectReferences(part.ast));
      this.refs = out;
    }
    return this.refs;
  }
}

type Compiled =
  string | { evaluate: Evaluator; usesSteps: boolean; at: { start: number; end: number } };

function single(
  fn: Evaluator,
  usesSteps: boolean,
  limits: ExpressionLimits,
  at: { start: number; end: number },
) {
  if (usesSteps) {
    return (scope: ScopeRecord): unknown => {
      if (typeof scope !== 'object' || scope === null) throw scopeError(scope, at);
      try {
        return fn(scope, null, createContext(limits));
      } catch (err) {
        throw normalizeError(err, at);
      }
    };
  }
  // Without callbacks nothing counts steps: the shared context is never written.
  return (scope: ScopeRecord): unknown => {
    if (typeof scope !== 'object' || scope === null) throw scopeError(scope, at);
    try {
      return fn(scope, null, NO_STEPS);
    } catch (err) {
      throw normalizeError(err, at);
    }
  };
}

function mixed(parts: readonly Compiled[], limits: ExpressionLimits) {
  const usesSteps = parts.some((p) => typeof p !== 'string' && p.usesSteps);
  return (scope: ScopeRecord): unknown => {
    let out = '';
    const ctx = usesSteps ? createContext(limits) : NO_STEPS;
    for (const part of parts) {
      if (typeof part === 'string') out += part;
      else {
        if (typeof scope !== 'object' || scope === null) throw scopeError(scope, part.at);
        try {
          out += toText(part.evaluate(scope, null, ctx), limits, part.at);
        } catch (err) {
          throw normalizeError(err, part.at);
        }
      }
      if (out.length > limits.maxStringLength) {
        throw new ExpressionError(
          'E_EXPR_LIMIT',
          `The template result would be longer than ${limits.maxStringLength} characters`,
          {
            start: 0,
            end: 0,
          },
        );
      }
    }
    return out;
  };
}

function scopeError(scope: unknown, at: { start: number; end: number }): ExpressionError {
  return new ExpressionError(
    'E_EXPR_TYPE',
    `The scope must be an object with the roots, got ${scope === null ? 'null' : typeof scope}`,
    at,
  );
}

/**
 * Every failure leaves as an ExpressionError, even ones thrown by the JavaScript engine
 * (stack exhaustion, invalid string length) or by a host's Proxy in the scope data.
 */
function normalizeError(err: unknown, at: { start: number; end: number }): ExpressionError {
  if (err instanceof ExpressionError) return err;
  if (err instanceof RangeError) {
    return new ExpressionError(
      'E_EXPR_LIMIT',
      `The expression exceeded an engine limit: ${err.message}`,
      at,
      { cause: err },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ExpressionError('E_EXPR_TYPE', `The expression failed: ${message}`, at, {
    cause: err,
  });
}
