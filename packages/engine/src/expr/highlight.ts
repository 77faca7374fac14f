import { isRoot } from './roots.ts';
import { scanTemplate } from './template-scanner.ts';
import { KEYWORDS, RESERVED_WORDS, type Token } from './tokenizer.ts';

export type HighlightKind =
  | 'text'
  | 'delimiter'
  | 'identifier'
  | 'property'
  | 'root'
  | 'number'
  | 'string'
  | 'operator'
  | 'punctuation'
  | 'keyword'
  | 'function'
  | 'error';

export interface HighlightToken {
  readonly from: number;
  readonly to: number;
  readonly kind: HighlightKind;
}

const OPERATORS: ReadonlySet<string> = new Set([
  '+',
  '-',
  '*',
  '/',
  '%',
  '**',
  '==',
  '!=',
  '===',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  '&&',
  '||',
  '??',
  '!',
  '?',
  ':',
  '=>',
  '...',
]);

/**
 * Tokens of a template for syntax highlighting, in order, covering text, `$<`/`>` delimiters
 * and every expression token. Works on incomplete and invalid input and never throws: the
 * designer calls it on every keystroke.
 */
export function tokensForHighlighting(template: string): HighlightToken[] {
  const out: HighlightToken[] = [];
  try {
    for (const seg of scanTemplate(template)) {
      if (seg.kind === 'text') {
        out.push({ from: seg.start, to: seg.end, kind: 'text' });
        continue;
      }
      out.push({ from: seg.start, to: seg.exprStart, kind: 'delimiter' });
      const tokens = seg.tokens.filter((t) => t.type !== 'eof');
      tokens.forEach((token, i) => {
        out.push({
          from: token.start,
          to: token.end,
          kind: classify(token, tokens[i - 1], tokens[i + 1]),
        });
      });
      if (seg.closed) out.push({ from: seg.exprEnd, to: seg.end, kind: 'delimiter' });
    }
  } catch {
    // Highlighting is best effort: whatever was produced so far is still useful.
  }
  return out;
}

function isPunct(token: Token | undefined, ...values: string[]): boolean {
  return token !== undefined && token.type === 'punct' && values.includes(token.value);
}

function classify(
  token: Token,
  previous: Token | undefined,
  next: Token | undefined,
): HighlightKind {
  switch (token.type) {
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'error':
    case 'eof':
      return 'error';
    case 'punct':
      return OPERATORS.has(token.value) ? 'operator' : 'punctuation';
    case 'name':
      break;
  }
  const afterDot = isPunct(previous, '.', '?.');
  const called = isPunct(next, '(', '?.') && (next?.value === '(' || false);
  if (afterDot) return called ? 'function' : 'property';
  if (KEYWORDS.has(token.value)) return 'keyword';
  if (RESERVED_WORDS.has(token.value)) return 'error';
  if (called) return 'function';
  return isRoot(token.value) ? 'root' : 'identifier';
}
