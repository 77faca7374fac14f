import type { Expression } from './ast.ts';
import { ExpressionError } from './expression-error.ts';
import { parseExpressionRange } from './parser.ts';
import { scanTemplate } from './template-scanner.ts';

// Parsing templates, apart from compiling them (template.ts): what only reads a template's
// structure (references, validation, the designer's editors) does not pull in the compiler.

/** Literal text of a template. */
export interface TemplateText {
  readonly kind: 'text';
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** One `$<...>`: `start`/`end` include the delimiters, `exprStart`/`exprEnd` do not. */
export interface TemplateExpression {
  readonly kind: 'expression';
  readonly ast: Expression;
  readonly source: string;
  readonly start: number;
  readonly end: number;
  readonly exprStart: number;
  readonly exprEnd: number;
}

export type TemplatePart = TemplateText | TemplateExpression;

export interface TemplateParseOptions {
  readonly recover?: boolean;
  readonly maxDepth?: number;
}

/**
 * Splits a template into text and parsed expressions. Without `recover` it throws the first
 * ExpressionError; with it, it returns every error and partial ASTs and never throws.
 */
export function parseTemplate(
  source: string,
  options: TemplateParseOptions = {},
): { parts: TemplatePart[]; errors: ExpressionError[] } {
  const parts: TemplatePart[] = [];
  const errors: ExpressionError[] = [];
  for (const seg of scanTemplate(source)) {
    if (seg.kind === 'text') {
      parts.push(seg);
      continue;
    }
    const parsed = parseExpressionRange(source, seg.exprStart, seg.exprEnd, options, seg.tokens);
    errors.push(...parsed.errors);
    if (!seg.closed) {
      const err = new ExpressionError(
        'E_EXPR_SYNTAX',
        `Expected '>' to close the expression opened at ${seg.start}, found end of template`,
        { start: seg.start, end: source.length },
      );
      if (options.recover !== true) throw err;
      errors.push(err);
    }
    parts.push({
      kind: 'expression',
      ast: parsed.ast,
      source: source.slice(seg.exprStart, seg.exprEnd),
      start: seg.start,
      end: seg.end,
      exprStart: seg.exprStart,
      exprEnd: seg.exprEnd,
    });
  }
  return { parts, errors };
}
