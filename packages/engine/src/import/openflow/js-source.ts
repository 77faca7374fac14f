/**
 * Source-level preparation of Windmill's JavaScript expressions before they are parsed with
 * the Millrace expression parser, which has no template literals and no comments:
 *
 * - comments and a trailing `;` are removed;
 * - a template literal `` `a${x}b` `` becomes `("a" + string(x) + "b")` — `string()` is the
 *   engine's text conversion, the same one a `$<...>` inside text uses;
 * - a source that is exactly one template literal is also returned as its parts, so an input
 *   value can become a Millrace template (`"Hello $<flow.input.name>"`).
 *
 * Regular-expression literals are not recognised; such sources fail to parse later and take
 * the code-node fallback.
 */

export interface TemplateLiteralParts {
  /** Cooked text between the substitutions (one more than `expressions`). */
  readonly quasis: readonly string[];
  /** Prepared sources of the substitutions. */
  readonly expressions: readonly string[];
}

export interface PreparedSource {
  readonly ok: boolean;
  /** The source with templates and comments rewritten. */
  readonly text: string;
  /** Set when the whole source is one template literal. */
  readonly template?: TemplateLiteralParts;
}

export function prepareJsSource(source: string): PreparedSource {
  const scanner = new Scanner(source);
  const text = scanner.run(0, source.length, false);
  if (!scanner.ok) return { ok: false, text: source };
  const trimmed = text
    .trim()
    .replace(/;+\s*$/, '')
    .trim();
  const whole = wholeTemplate(source);
  return whole === undefined
    ? { ok: true, text: trimmed }
    : { ok: true, text: trimmed, template: whole };
}

/**
 * The source as JavaScript for a generated code node: comments removed (a trailing `//` would
 * swallow the closing parenthesis around it) and trailing semicolons dropped.
 */
export function jsForCode(source: string): string {
  return new Scanner(source)
    .stripComments()
    .trim()
    .replace(/;+\s*$/, '')
    .trim();
}

/** The parts of `source` when it is exactly one template literal (comments aside). */
function wholeTemplate(source: string): TemplateLiteralParts | undefined {
  const scanner = new Scanner(source);
  const stripped = scanner
    .stripComments()
    .trim()
    .replace(/;+\s*$/, '')
    .trim();
  if (!stripped.startsWith('`')) return undefined;
  const inner = new Scanner(stripped);
  const parsed = inner.template(0);
  if (!inner.ok || parsed === undefined || parsed.end !== stripped.length) return undefined;
  return { quasis: parsed.quasis, expressions: parsed.expressions };
}

class Scanner {
  ok = true;

  constructor(private readonly src: string) {}

  /** Copies `src[from, to)` with templates converted; stops at an unbalanced `}` when `inBraces`. */
  run(from: number, to: number, inBraces: boolean): string {
    let out = '';
    let i = from;
    let depth = 0;
    while (i < to && this.ok) {
      const c = this.src[i] as string;
      if (c === "'" || c === '"') {
        const end = this.skipString(i);
        out += this.src.slice(i, end);
        i = end;
      } else if (c === '`') {
        const t = this.template(i);
        if (t === undefined) return out;
        out += templateToConcat(t.quasis, t.expressions);
        i = t.end;
      } else if (c === '/' && this.src[i + 1] === '/') {
        while (i < to && this.src[i] !== '\n') i++;
      } else if (c === '/' && this.src[i + 1] === '*') {
        const close = this.src.indexOf('*/', i + 2);
        if (close < 0) {
          this.ok = false;
          return out;
        }
        out += ' ';
        i = close + 2;
      } else {
        if (inBraces && c === '{') depth++;
        if (inBraces && c === '}') {
          if (depth === 0) return out;
          depth--;
        }
        out += c;
        i++;
      }
    }
    return out;
  }

  /** The source without comments (strings and templates kept verbatim). */
  stripComments(): string {
    let out = '';
    let i = 0;
    const n = this.src.length;
    while (i < n) {
      const c = this.src[i] as string;
      if (c === "'" || c === '"' || c === '`') {
        const end = c === '`' ? (this.template(i)?.end ?? n) : this.skipString(i);
        out += this.src.slice(i, end);
        i = end;
      } else if (c === '/' && this.src[i + 1] === '/') {
        while (i < n && this.src[i] !== '\n') i++;
      } else if (c === '/' && this.src[i + 1] === '*') {
        const close = this.src.indexOf('*/', i + 2);
        i = close < 0 ? n : close + 2;
        out += ' ';
      } else {
        out += c;
        i++;
      }
    }
    return out;
  }

  /** Index after the string literal starting at `start`. */
  private skipString(start: number): number {
    const quote = this.src[start];
    let i = start + 1;
    while (i < this.src.length) {
      const c = this.src[i];
      if (c === '\\') i += 2;
      else if (c === quote) return i + 1;
      else if (c === '\n') break;
      else i++;
    }
    this.ok = false;
    return this.src.length;
  }

  /** Parses the template literal at `start`. */
  template(start: number): { quasis: string[]; expressions: string[]; end: number } | undefined {
    const quasis: string[] = [];
    const expressions: string[] = [];
    let raw = '';
    let i = start + 1;
    while (i < this.src.length) {
      const c = this.src[i] as string;
      if (c === '\\') {
        raw += this.src.slice(i, i + 2);
        i += 2;
      } else if (c === '`') {
        quasis.push(cook(raw));
        return { quasis, expressions, end: i + 1 };
      } else if (c === '$' && this.src[i + 1] === '{') {
        quasis.push(cook(raw));
        raw = '';
        const close = this.matchBrace(i + 2);
        if (close < 0) break;
        const inner = new Scanner(this.src);
        const converted = inner.run(i + 2, close, true);
        if (!inner.ok) break;
        expressions.push(converted.trim());
        i = close + 1;
      } else {
        raw += c;
        i++;
      }
    }
    this.ok = false;
    return undefined;
  }

  /** Index of the `}` closing a `${` whose content starts at `from`, or -1. */
  private matchBrace(from: number): number {
    let depth = 0;
    let i = from;
    while (i < this.src.length) {
      const c = this.src[i];
      if (c === "'" || c === '"') {
        const probe = new Scanner(this.src);
        i = probe.skipString(i);
        if (!probe.ok) return -1;
      } else if (c === '`') {
        const probe = new Scanner(this.src);
        const t = probe.template(i);
        if (t === undefined) return -1;
        i = t.end;
      } else if (c === '{') {
        depth++;
        i++;
      } else if (c === '}') {
        if (depth === 0) return i;
        depth--;
        i++;
      } else i++;
    }
    return -1;
  }
}

function templateToConcat(quasis: readonly string[], expressions: readonly string[]): string {
  const parts: string[] = [];
  quasis.forEach((q, k) => {
    if (q !== '' || (k === 0 && expressions.length === 0)) parts.push(JSON.stringify(q));
    const e = expressions[k];
    if (e !== undefined) parts.push(`string(${e})`);
  });
  // `string(x)` alone is already text; a lone literal needs no parentheses.
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' + ')})`;
}

/** The cooked value of a template's raw text (its escape sequences resolved). */
function cook(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c !== '\\') {
      out += c === '\r' ? '' : c;
      continue;
    }
    const next = raw[++i];
    switch (next) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case '0':
        out += '\0';
        break;
      case '\n':
        break;
      case 'x': {
        out += String.fromCharCode(parseInt(raw.slice(i + 1, i + 3), 16) || 0);
        i += 2;
        break;
      }
      case 'u': {
        if (raw[i + 1] === '{') {
          const close = raw.indexOf('}', i);
          const code = parseInt(raw.slice(i + 2, close), 16);
          out += Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
          i = close < 0 ? raw.length : close;
        } else {
          out += String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16) || 0);
          i += 4;
        }
        break;
      }
      case undefined:
        break;
      default:
        out += next;
    }
  }
  return out;
}
