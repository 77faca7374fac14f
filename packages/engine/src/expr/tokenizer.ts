/**
 * Turns expression source into tokens. It works on a window `[start, end)` of a larger string
 * (the template), so every offset it reports is already relative to the template, and it is
 * lazy so the template scanner can tokenize just far enough to find where `$<...>` ends.
 */
export type TokenType = 'number' | 'string' | 'name' | 'punct' | 'error' | 'eof';

export interface Token {
  readonly type: TokenType;
  /** The raw text for names and punctuation; the decoded text for strings. */
  readonly value: string;
  /** The numeric value of a number token. */
  readonly number: number;
  readonly start: number;
  readonly end: number;
  /** For error tokens: what is wrong, said for a human. */
  readonly message?: string;
}

/** Words that are literals or operators rather than names. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'true',
  'false',
  'null',
  'undefined',
  'typeof',
  'in',
]);

/**
 * JavaScript words that mean something the language deliberately lacks. The parser rejects
 * them with a message that says why, rather than "unknown name".
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'new',
  'this',
  'function',
  'class',
  'delete',
  'void',
  'instanceof',
  'var',
  'let',
  'const',
  'return',
  'yield',
  'await',
  'async',
  'import',
  'export',
  'super',
  'if',
  'else',
  'for',
  'while',
  'do',
  'switch',
  'case',
  'throw',
  'try',
  'catch',
  'with',
  'debugger',
]);

const PUNCTUATORS = [
  '...',
  '===',
  '!==',
  '**',
  '?.',
  '=>',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '??',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '?',
  '.',
  '+',
  '-',
  '*',
  '/',
  '%',
  '!',
  '<',
  '>',
];

const ASSIGNMENT = 'Assignment is not supported; expressions only compute values';

// Operators from JavaScript that the language leaves out, with the reason shown to the user.
const UNSUPPORTED: readonly (readonly [string, string])[] = [
  ['**=', ASSIGNMENT],
  ['??=', ASSIGNMENT],
  ['&&=', ASSIGNMENT],
  ['||=', ASSIGNMENT],
  ['++', 'Increment (++) is not supported; write x + 1'],
  ['--', 'Decrement (--) is not supported; write x - 1'],
  ['+=', ASSIGNMENT],
  ['-=', ASSIGNMENT],
  ['*=', ASSIGNMENT],
  ['/=', ASSIGNMENT],
  ['%=', ASSIGNMENT],
  ['<<', 'Bitwise operators are not supported'],
  ['&', 'Bitwise operators are not supported; did you mean &&?'],
  ['|', 'Bitwise operators are not supported; did you mean ||?'],
  ['^', 'Bitwise operators are not supported; use ** for powers'],
  ['~', 'Bitwise operators are not supported'],
  ['=', "Assignment is not supported; use '===' (or '==') to compare"],
  [';', 'An expression is a single expression; statements and ; are not supported'],
  ['`', "Template literals are not supported; use '+' or a template around the expression"],
  ['$', "'$' is not allowed in names (it starts a template expression: $<...>)"],
  ['\\', 'Backslash escapes are only allowed inside strings'],
  ['#', "'#' is not part of the expression language"],
  ['@', "'@' is not part of the expression language"],
];

const SINGLE: Uint8Array = new Uint8Array(128);
for (const ch of '()[]{},:') SINGLE[ch.charCodeAt(0)] = 1;

/** Length and up to three ASCII codes in one number (7 bits each). */
function packSymbol(length: number, c0: number, c1: number, c2: number): number {
  return (length << 21) | (length > 2 ? c2 << 14 : 0) | (length > 1 ? c1 << 7 : 0) | c0;
}

// Symbols keyed by their character codes packed into one number (ASCII only); an entry
// with a message is an unsupported operator.
const SYMBOLS: ReadonlyMap<number, { readonly text: string; readonly message?: string }> = (() => {
  const out = new Map<number, { text: string; message?: string }>();
  const pack = (text: string): number =>
    packSymbol(text.length, text.charCodeAt(0), text.charCodeAt(1) || 0, text.charCodeAt(2) || 0);
  for (const text of PUNCTUATORS) out.set(pack(text), { text });
  for (const [text, message] of UNSUPPORTED)
    if (!out.has(pack(text))) out.set(pack(text), { text, message });
  return out;
})();

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}\u200c\u200d]/u;
const WHITESPACE = /\s/u;

// Escapes that stand for one fixed string; a backslash before a line break continues the line.
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '\n': '',
  '\r': '',
  '\u2028': '',
  '\u2029': '',
};

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** Reads tokens one at a time from `source[start, end)`. */
export class Tokenizer {
  private pos: number;

  constructor(
    readonly source: string,
    start = 0,
    readonly end: number = source.length,
  ) {
    this.pos = start;
  }

  /** The offset where the next token (or whitespace before it) begins. */
  get offset(): number {
    return this.pos;
  }

  next(): Token {
    const src = this.source;
    let pos = this.pos;
    while (pos < this.end) {
      const c = src.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else if (c > 127 && WHITESPACE.test(src[pos] as string)) pos++;
      else break;
    }
    this.pos = pos;
    if (pos >= this.end) return this.make('eof', '', pos, pos);
    const c = src.charCodeAt(pos);
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(pos + 1)) && pos + 1 < this.end)) {
      return this.readNumber(pos);
    }
    if (c === 39 || c === 34) return this.readString(pos, c);
    if (
      isAsciiIdStart(c) ||
      (c > 127 && ID_START.test(String.fromCodePoint(src.codePointAt(pos) ?? 0)))
    ) {
      return this.readName(pos);
    }
    // Fast path: punctuation that never starts a longer symbol (and '.' not followed by '.').
    if (c < 128 && (SINGLE[c] === 1 || (c === 46 && src.charCodeAt(pos + 1) !== 46))) {
      return this.make('punct', src[pos] as string, pos, pos + 1);
    }
    if (c < 128) {
      const symbol = this.readSymbol(pos, c);
      if (symbol !== undefined) return symbol;
    }
    const cp = src.codePointAt(pos) ?? 0;
    const ch = String.fromCodePoint(cp);
    return this.fail(pos, pos + ch.length, `Unexpected character '${ch}'`);
  }

  /** Punctuation by packed character codes (no substring allocation), longest match first. */
  private readSymbol(pos: number, c: number): Token | undefined {
    const src = this.source;
    const c1 = pos + 1 < this.end ? src.charCodeAt(pos + 1) : 0;
    const c2 = pos + 2 < this.end ? src.charCodeAt(pos + 2) : 0;
    for (let length = 3; length >= 1; length--) {
      if (pos + length > this.end || (length > 1 && c1 >= 128) || (length > 2 && c2 >= 128))
        continue;
      const key = packSymbol(length, c, c1, c2);
      const entry = SYMBOLS.get(key);
      if (entry === undefined) continue;
      // `a?.5:1` is a ternary with .5, as in JavaScript.
      if (entry.text === '?.' && isDigit(c2)) continue;
      if (entry.message !== undefined) return this.fail(pos, pos + length, entry.message);
      return this.make('punct', entry.text, pos, pos + length);
    }
    return undefined;
  }

  private make(type: TokenType, value: string, start: number, end: number, num = 0): Token {
    this.pos = end;
    return { type, value, number: num, start, end };
  }

  private fail(start: number, end: number, message: string): Token {
    this.pos = end;
    return { type: 'error', value: this.source.slice(start, end), number: 0, start, end, message };
  }

  private readName(start: number): Token {
    const src = this.source;
    let pos = start;
    while (pos < this.end) {
      const c = src.charCodeAt(pos);
      if (isAsciiIdStart(c) || isDigit(c)) pos++;
      else if (c > 127) {
        const ch = String.fromCodePoint(src.codePointAt(pos) ?? 0);
        if (!ID_CONTINUE.test(ch)) break;
        pos += ch.length;
      } else break;
    }
    if (src.charCodeAt(pos) === 92 && pos < this.end) {
      return this.fail(start, pos + 1, 'Unicode escapes are not allowed in names');
    }
    return this.make('name', src.slice(start, pos), start, pos);
  }

  private readNumber(start: number): Token {
    const src = this.source;
    let pos = start;
    const prefix = src.slice(pos, pos + 2).toLowerCase();
    let value: number;
    if (prefix === '0x' || prefix === '0b' || prefix === '0o') {
      const digits = prefix === '0x' ? /[0-9a-f]/i : prefix === '0b' ? /[01]/ : /[0-7]/;
      pos += 2;
      const from = pos;
      while (pos < this.end && digits.test(src[pos] as string)) pos++;
      if (pos === from) return this.fail(start, pos, `Expected digits after '${prefix}'`);
      value = Number(src.slice(start, pos));
    } else {
      while (pos < this.end && isDigit(src.charCodeAt(pos))) pos++;
      // A dot belongs to the number only when a digit follows, so `1.toFixed(2)` reads
      // as a method call on 1 (JavaScript would need `(1).toFixed(2)`).
      if (src.charCodeAt(pos) === 46 && isDigit(src.charCodeAt(pos + 1)) && pos + 1 < this.end) {
        pos++;
        while (pos < this.end && isDigit(src.charCodeAt(pos))) pos++;
      }
      const e = src.charCodeAt(pos);
      if ((e === 101 || e === 69) && pos < this.end) {
        let p = pos + 1;
        const sign = src.charCodeAt(p);
        if (sign === 43 || sign === 45) p++;
        if (p < this.end && isDigit(src.charCodeAt(p))) {
          while (p < this.end && isDigit(src.charCodeAt(p))) p++;
          pos = p;
        } else return this.fail(start, p, 'Expected digits in the exponent of the number');
      }
      value = Number(src.slice(start, pos));
    }
    const next = src.charCodeAt(pos);
    if (pos < this.end && (isAsciiIdStart(next) || isDigit(next))) {
      let p = pos;
      while (p < this.end && /[\w]/.test(src[p] as string)) p++;
      return this.fail(
        start,
        p,
        `A name cannot start right after a number ('${src.slice(start, p)}')`,
      );
    }
    return this.make('number', src.slice(start, pos), start, pos, value);
  }

  private readString(start: number, quote: number): Token {
    const src = this.source;
    let pos = start + 1;
    let out = '';
    let chunk = pos;
    let problem: string | undefined;
    while (pos < this.end) {
      const c = src.charCodeAt(pos);
      if (c === quote) {
        out += src.slice(chunk, pos);
        if (problem !== undefined) return this.fail(start, pos + 1, problem);
        return this.make('string', out, start, pos + 1);
      }
      if (c !== 92) {
        pos++;
        continue;
      }
      out += src.slice(chunk, pos);
      const escape = this.readEscape(pos + 1);
      if (escape.value !== undefined) out += escape.value;
      else problem ??= escape.problem;
      pos = escape.end;
      chunk = pos;
    }
    const q = String.fromCharCode(quote);
    return this.fail(start, this.end, `Unterminated string: expected a closing ${q}`);
  }

  /** Decodes the escape after a backslash at `pos - 1`; `end` is where the string goes on. */
  private readEscape(pos: number): { value?: string; problem?: string; end: number } {
    const src = this.source;
    const c = src[pos];
    const simple = c === undefined ? undefined : SIMPLE_ESCAPES[c];
    if (simple !== undefined && !(c === '0' && isDigit(src.charCodeAt(pos + 1)))) {
      // A backslash before CR LF continues the line over both characters.
      const end = c === '\r' && src[pos + 1] === '\n' ? pos + 2 : pos + 1;
      return { value: simple, end };
    }
    if (c === 'x') {
      const hex = src.slice(pos + 1, pos + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex))
        return { value: String.fromCharCode(parseInt(hex, 16)), end: pos + 3 };
      return { problem: 'Bad \\x escape: expected two hex digits', end: pos + 1 };
    }
    if (c === 'u' && src[pos + 1] === '{') {
      const close = src.indexOf('}', pos);
      const hex = close === -1 ? '' : src.slice(pos + 2, close);
      const cp = /^[0-9a-fA-F]{1,6}$/.test(hex) ? parseInt(hex, 16) : -1;
      if (cp >= 0 && cp <= 0x10ffff) return { value: String.fromCodePoint(cp), end: close + 1 };
      return { problem: 'Bad \\u{...} escape: expected a code point in hex', end: pos + 1 };
    }
    if (c === 'u') {
      const hex = src.slice(pos + 1, pos + 5);
      if (/^[0-9a-fA-F]{4}$/.test(hex))
        return { value: String.fromCharCode(parseInt(hex, 16)), end: pos + 5 };
      return { problem: 'Bad \\u escape: expected four hex digits', end: pos + 1 };
    }
    if (c === undefined || pos >= this.end) return { problem: 'Unterminated string', end: pos };
    return {
      problem: `Unknown escape '\\${c}' in a string; write '\\\\' for a backslash`,
      end: pos + 1,
    };
  }
}

/** All tokens of `source[start, end)`, ending with an `eof` token. */
export function tokenize(source: string, start = 0, end = source.length): Token[] {
  const tokenizer = new Tokenizer(source, start, end);
  const out: Token[] = [];
  for (;;) {
    const token = tokenizer.next();
    out.push(token);
    if (token.type === 'eof') return out;
  }
}
