import { Tokenizer, type Token } from './tokenizer.ts';

/** A run of literal text in a template (`$$<` already turned into `$<`). */
export interface TextSegment {
  readonly kind: 'text';
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** Where one `$<...>` sits: `start` at `$`, the expression in `[exprStart, exprEnd)`. */
export interface ExpressionSegment {
  readonly kind: 'expression';
  readonly start: number;
  readonly exprStart: number;
  readonly exprEnd: number;
  /** After the closing `>`; equals `exprEnd` when the expression was never closed. */
  readonly end: number;
  readonly closed: boolean;
  /** The expression's tokens, ending with an `eof` token at `exprEnd` (handed to the parser). */
  readonly tokens: readonly Token[];
}

export type TemplateSegment = TextSegment | ExpressionSegment;

/**
 * Splits a template into text and `$<...>` expressions. Where an expression ends is decided
 * on tokens, not characters, because `>` is also the greater-than operator:
 *
 * - `>` inside a string, or inside `()`, `[]` or `{}`, never closes the expression;
 * - at nesting depth 0, a `>` is greater-than only when (1) it follows the end of an operand
 *   (a name, literal, `)`, `]` or `}`), (2) the next token can begin an operand, and (3) another
 *   `>` at depth 0 follows before anything that cannot be part of an expression (such as `$`);
 * - any other `>` at depth 0 closes the expression.
 *
 * So `$<a > b>` compares, `Loaded $<n> records` closes after `n` (no `>` follows "records"),
 * and two expressions never merge, because the `$` of the next `$<` stops the look-ahead.
 */
export function scanTemplate(source: string): TemplateSegment[] {
  const out: TemplateSegment[] = [];
  let text = '';
  let textStart = 0;
  let i = 0;
  while (i < source.length) {
    const at = source.indexOf('$<', i);
    if (at === -1) break;
    if (at > i && source.charCodeAt(at - 1) === 36) {
      // `$$<` is the escape for a literal `$<`.
      text += source.slice(i, at - 1) + '$<';
      i = at + 2;
      continue;
    }
    text += source.slice(i, at);
    if (at > textStart) out.push({ kind: 'text', value: text, start: textStart, end: at });
    text = '';
    const segment = scanExpression(source, at);
    out.push(segment);
    i = segment.end;
    textStart = i;
  }
  text += source.slice(i);
  if (source.length > textStart)
    out.push({ kind: 'text', value: text, start: textStart, end: source.length });
  return out;
}

function scanExpression(source: string, start: number): ExpressionSegment {
  const exprStart = start + 2;
  const tokenizer = new Tokenizer(source, exprStart);
  let depth = 0;
  let afterOperand = false;
  const tokens: Token[] = [];
  for (;;) {
    const token = tokenizer.next();
    if (token.type === 'eof') {
      tokens.push(token);
      return {
        kind: 'expression',
        start,
        exprStart,
        exprEnd: token.start,
        end: token.start,
        closed: false,
        tokens,
      };
    }
    tokens.push(token);
    if (token.type === 'punct') {
      const v = token.value;
      if (v === '(' || v === '[' || v === '{') {
        depth++;
        afterOperand = false;
        continue;
      }
      if (v === ')' || v === ']' || v === '}') {
        if (depth > 0) depth--;
        afterOperand = true;
        continue;
      }
      if (v === '>' && depth === 0) {
        if (afterOperand && isGreaterThan(source, token)) {
          afterOperand = false;
          continue;
        }
        tokens[tokens.length - 1] = {
          type: 'eof',
          value: '',
          number: 0,
          start: token.start,
          end: token.start,
        };
        return {
          kind: 'expression',
          start,
          exprStart,
          exprEnd: token.start,
          end: token.end,
          closed: true,
          tokens,
        };
      }
    }
    afterOperand = endsOperand(token);
  }
}

function isGreaterThan(source: string, gt: Token): boolean {
  const ahead = new Tokenizer(source, gt.end);
  if (!beginsOperand(ahead.next())) return false;
  let depth = 0;
  for (;;) {
    const token = ahead.next();
    if (token.type === 'eof' || token.type === 'error') return false;
    if (token.type !== 'punct') continue;
    const v = token.value;
    if (v === '(' || v === '[' || v === '{') depth++;
    else if (v === ')' || v === ']' || v === '}') {
      if (depth === 0) return false;
      depth--;
    } else if (v === '>' && depth === 0) return true;
  }
}

function endsOperand(token: Token): boolean {
  if (token.type === 'number' || token.type === 'string') return true;
  return token.type === 'name' && token.value !== 'typeof' && token.value !== 'in';
}

function beginsOperand(token: Token): boolean {
  switch (token.type) {
    case 'number':
    case 'string':
      return true;
    case 'name':
      return token.value !== 'in';
    case 'punct':
      return ['(', '[', '{', '!', '-', '+'].includes(token.value);
    default:
      return false;
  }
}
