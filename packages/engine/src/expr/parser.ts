import type {
  ArrowNode,
  BinaryOperator,
  Expression,
  LogicalOperator,
  ParameterNode,
  PropertyNode,
  SpreadNode,
} from './ast.ts';
import { ExpressionError, describeFound } from './expression-error.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { KEYWORDS, RESERVED_WORDS, tokenize, type Token } from './tokenizer.ts';

export interface ParseOptions {
  /** Collect every error and return a partial AST (with `Error` nodes) instead of throwing. */
  readonly recover?: boolean;
  /** Deepest nesting accepted before `E_EXPR_LIMIT` (default 200). */
  readonly maxDepth?: number;
}

export interface ParseResult {
  readonly ast: Expression;
  readonly errors: readonly ExpressionError[];
}

/**
 * Parses a bare expression (no `$<...>` around it).
 *
 * @example
 * parseExpression("nodes.extract.output.records.length > 0").ast.type // 'Binary'
 */
export function parseExpression(source: string, options: ParseOptions = {}): ParseResult {
  return parseExpressionRange(source, 0, source.length, options);
}

/** Parses `source[start, end)`; offsets in the AST and errors stay relative to `source`. */
export function parseExpressionRange(
  source: string,
  start: number,
  end: number,
  options: ParseOptions = {},
  tokens?: readonly Token[],
): ParseResult {
  const parser = new Parser(tokens ?? tokenize(source, start, end), end, options);
  return { ast: parser.parseAll(), errors: parser.errors };
}

// Binding power of binary operators (higher binds tighter), as in JavaScript.
const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '??': 1,
  '||': 2,
  '&&': 3,
  '==': 6,
  '!=': 6,
  '===': 6,
  '!==': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  in: 7,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
  '**': 11,
};

const CLOSERS = new Set([')', ']', '}', ',', ':']);

class Parser {
  readonly errors: ExpressionError[] = [];
  private readonly tokens: readonly Token[];
  private readonly recover: boolean;
  private readonly maxDepth: number;
  private readonly end: number;
  private i = 0;
  private depth = 0;
  private aborted = false;
  // Parenthesised nodes: `(a || b) ?? c` is allowed, `a || b ?? c` is not (as in JavaScript).
  private readonly parenthesized = new WeakSet<Expression>();

  constructor(tokens: readonly Token[], end: number, options: ParseOptions) {
    this.tokens = tokens;
    this.recover = options.recover === true;
    this.maxDepth = options.maxDepth ?? DEFAULT_LIMITS.maxDepth;
    this.end = end;
  }

  parseAll(): Expression {
    const expr = this.parseExpression();
    const next = this.peek();
    if (next.type !== 'eof' && !this.aborted) {
      // With recovery the partial tree is still worth returning: completion and highlighting
      // work on it while the user types.
      this.fail(next, `Unexpected ${describeFound(next.value)} after the end of the expression`);
    }
    return expr;
  }

  // --- tokens -------------------------------------------------------------------------------

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)] as Token;
  }

  private advance(): Token {
    const token = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return token;
  }

  private isPunct(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'punct' && t.value === value;
  }

  private previousEnd(): number {
    return this.i === 0 ? this.peek().start : (this.tokens[this.i - 1] as Token).end;
  }

  /** Records (or, without recovery, throws) an error at `token`, preferring its own message. */
  private fail(
    token: Token,
    message: string,
    code: 'E_EXPR_SYNTAX' | 'E_EXPR_LIMIT' = 'E_EXPR_SYNTAX',
  ): ExpressionError {
    const text = token.type === 'error' && token.message !== undefined ? token.message : message;
    const err = new ExpressionError(code, text, { start: token.start, end: token.end });
    if (!this.recover) throw err;
    if (!this.aborted) this.errors.push(err);
    return err;
  }

  private errorNode(token: Token, message: string): Expression {
    const err = this.fail(token, message);
    return { type: 'Error', message: err.message, start: token.start, end: token.end };
  }

  private expect(value: string, what: string): boolean {
    if (this.isPunct(value)) {
      this.advance();
      return true;
    }
    const found = this.peek();
    this.fail(found, `Expected '${value}' ${what}, found ${describeFound(found.value)}`);
    return false;
  }

  private enter(token: Token): boolean {
    if (++this.depth <= this.maxDepth) return true;
    if (!this.aborted) {
      this.fail(
        token,
        `The expression is nested too deeply (more than ${this.maxDepth} levels)`,
        'E_EXPR_LIMIT',
      );
      this.aborted = true;
      this.i = this.tokens.length - 1; // skip the rest: nothing after this can be trusted
    }
    return false;
  }

  // --- grammar ------------------------------------------------------------------------------

  private parseExpression(): Expression {
    const first = this.peek();
    if (!this.enter(first))
      return { type: 'Error', message: 'too deep', start: first.start, end: this.end };
    const test = this.parseBinary(0);
    let result = test;
    if (this.isPunct('?')) {
      const question = this.advance();
      const consequent = this.parseExpression();
      if (!this.expect(':', `in the conditional started by '?' at ${question.start}`)) {
        this.depth--;
        return {
          type: 'Conditional',
          test,
          consequent,
          alternate: this.missing(),
          start: test.start,
          end: this.previousEnd(),
        };
      }
      const alternate = this.parseExpression();
      result = {
        type: 'Conditional',
        test,
        consequent,
        alternate,
        start: test.start,
        end: alternate.end,
      };
    }
    this.depth--;
    return result;
  }

  private missing(): Expression {
    const at = this.peek().start;
    return { type: 'Error', message: 'missing', start: at, end: at };
  }

  private parseBinary(minPrecedence: number): Expression {
    const depthBefore = this.depth;
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      const op =
        token.type === 'punct' || (token.type === 'name' && token.value === 'in')
          ? token.value
          : '';
      const precedence = BINARY_PRECEDENCE[op];
      if (precedence === undefined || precedence <= minPrecedence) break;
      if (op === '**' && left.type === 'Unary' && !this.parenthesized.has(left)) {
        this.fail(
          token,
          `Wrap the unary expression in parentheses before '**', e.g. (${left.operator === 'typeof' ? 'typeof ' : left.operator}x) ** 2`,
        );
      }
      this.advance();
      if (!this.enter(token)) break;
      // `**` is right-associative: its right side may hold another `**`.
      const right = this.parseBinary(op === '**' ? precedence - 1 : precedence);
      if (op === '??' || op === '||' || op === '&&') {
        this.checkNullishMix(op, left, right, token);
        left = {
          type: 'Logical',
          operator: op as LogicalOperator,
          left,
          right,
          start: left.start,
          end: right.end,
        };
      } else {
        left = {
          type: 'Binary',
          operator: op as BinaryOperator,
          left,
          right,
          start: left.start,
          end: right.end,
        };
      }
    }
    this.depth = depthBefore;
    return left;
  }

  private mixesNullish(op: string, side: Expression): boolean {
    return (
      side.type === 'Logical' &&
      !this.parenthesized.has(side) &&
      (op === '??') !== (side.operator === '??')
    );
  }

  private checkNullishMix(op: string, left: Expression, right: Expression, token: Token): void {
    if (this.mixesNullish(op, left) || this.mixesNullish(op, right)) {
      this.fail(
        token,
        "Cannot mix '??' with '&&' or '||' without parentheses; write (a ?? b) || c or a ?? (b || c)",
      );
    }
  }

  private parseUnary(): Expression {
    const token = this.peek();
    const op = token.value;
    if (
      (token.type === 'punct' && (op === '!' || op === '-' || op === '+')) ||
      (token.type === 'name' && op === 'typeof')
    ) {
      this.advance();
      if (!this.enter(token))
        return { type: 'Error', message: 'too deep', start: token.start, end: this.end };
      const argument = this.parseUnary();
      this.depth--;
      return {
        type: 'Unary',
        operator: op as '!' | '-' | '+' | 'typeof',
        argument,
        start: token.start,
        end: argument.end,
      };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(expr: Expression): Expression {
    const depthBefore = this.depth;
    let chained = false;
    let result = expr;
    for (;;) {
      const token = this.peek();
      if (token.type !== 'punct') break;
      const optional = token.value === '?.';
      if (token.value !== '.' && token.value !== '[' && token.value !== '(' && !optional) break;
      if (!this.enter(token)) break;
      this.advance();
      chained ||= optional;
      if (token.value === '(' || (optional && this.isPunct('('))) {
        if (optional) this.advance();
        const args = this.parseArguments(token);
        result = {
          type: 'Call',
          callee: result,
          args,
          optional,
          start: expr.start,
          end: this.previousEnd(),
        };
      } else if (token.value === '[' || (optional && this.isPunct('['))) {
        const open = optional ? this.advance() : token;
        const index = this.parseExpression();
        this.expect(']', `to close the index opened at ${open.start}`);
        result = {
          type: 'Index',
          object: result,
          index,
          optional,
          start: expr.start,
          end: this.previousEnd(),
        };
      } else {
        const name = this.peek();
        if (name.type !== 'name') {
          this.fail(
            name,
            `Expected a property name after '${token.value}', found ${describeFound(name.value)}`,
          );
          result = {
            type: 'Member',
            object: result,
            property: '',
            optional,
            start: expr.start,
            end: token.end,
          };
          break;
        }
        this.advance();
        result = {
          type: 'Member',
          object: result,
          property: name.value,
          optional,
          start: expr.start,
          end: name.end,
        };
      }
    }
    this.depth = depthBefore;
    if (
      chained &&
      (result.type === 'Member' || result.type === 'Index' || result.type === 'Call')
    ) {
      return { type: 'Chain', expression: result, start: result.start, end: result.end };
    }
    return result;
  }

  private parseArguments(open: Token): Expression[] {
    const args: Expression[] = [];
    while (!this.isPunct(')')) {
      if (this.peek().type === 'eof') break;
      if (this.isPunct('...')) {
        args.push(
          this.errorNode(this.advance(), 'Spread arguments (...) are not supported in calls'),
        );
      } else args.push(this.arrowAhead() ? this.parseArrow() : this.parseExpression());
      if (!this.isPunct(',')) break;
      this.advance();
    }
    this.expect(')', `to close the call opened at ${open.start}`);
    return args;
  }

  /** True when the tokens ahead are `x =>`, `() =>` or `(a, b) =>`. */
  private arrowAhead(): boolean {
    const t = this.peek();
    if (t.type === 'name') return this.isPunct('=>', 1);
    if (!this.isPunct('(')) return false;
    let k = 1;
    if (this.isPunct(')', k)) return this.isPunct('=>', k + 1);
    for (;;) {
      if (this.peek(k).type !== 'name') return false;
      k++;
      if (this.isPunct(')', k)) return this.isPunct('=>', k + 1);
      if (!this.isPunct(',', k)) return false;
      k++;
    }
  }

  private parseArrow(): ArrowNode {
    const first = this.peek();
    const params: ParameterNode[] = [];
    if (first.type === 'name') this.addParam(params, this.advance());
    else {
      this.advance(); // (
      while (this.peek().type === 'name') {
        this.addParam(params, this.advance());
        if (this.isPunct(',')) this.advance();
      }
      this.advance(); // ) — arrowAhead() has checked the shape
    }
    const arrow = this.advance(); // =>
    if (this.isPunct('{')) {
      this.fail(
        this.peek(),
        'Arrow functions cannot have a block body; to return an object write x => ({ key: value })',
      );
    }
    if (!this.enter(arrow))
      return { type: 'Arrow', params, body: this.missing(), start: first.start, end: this.end };
    const body = this.parseExpression();
    this.depth--;
    return { type: 'Arrow', params, body, start: first.start, end: body.end };
  }

  private addParam(params: ParameterNode[], token: Token): void {
    if (KEYWORDS.has(token.value) || RESERVED_WORDS.has(token.value)) {
      this.fail(token, `'${token.value}' cannot be used as a parameter name`);
    } else if (params.some((p) => p.name === token.value)) {
      this.fail(token, `Duplicate parameter name '${token.value}'`);
    }
    params.push({ name: token.value, start: token.start, end: token.end });
  }

  private parsePrimary(): Expression {
    const token = this.peek();
    switch (token.type) {
      case 'number':
        this.advance();
        return { type: 'Literal', value: token.number, start: token.start, end: token.end };
      case 'string':
        this.advance();
        return { type: 'Literal', value: token.value, start: token.start, end: token.end };
      case 'name':
        return this.parseName(token);
      case 'eof':
        return this.errorNode(token, `Expected an expression, found ${describeFound('')}`);
      case 'error':
        this.advance();
        return this.errorNode(token, token.message ?? 'Unexpected input');
      case 'punct':
        break;
    }
    if (token.value === '(') return this.parseGroup(token);
    if (token.value === '[') return this.parseArray(token);
    if (token.value === '{') return this.parseObject(token);
    // Leave closing punctuation for the construct that expects it, so recovery stays in step.
    if (!CLOSERS.has(token.value)) this.advance();
    return this.errorNode(token, `Expected an expression, found ${describeFound(token.value)}`);
  }

  private parseName(token: Token): Expression {
    this.advance();
    const { value, start, end } = token;
    if (value === 'true' || value === 'false')
      return { type: 'Literal', value: value === 'true', start, end };
    if (value === 'null') return { type: 'Literal', value: null, start, end };
    if (value === 'undefined') return { type: 'Literal', value: undefined, start, end };
    if (value === 'in') return this.errorNode(token, "Expected an expression, found 'in'");
    if (RESERVED_WORDS.has(value)) return this.errorNode(token, reservedMessage(value));
    if (this.isPunct('=>')) {
      return this.errorNode(
        token,
        'Arrow functions are only allowed as arguments of a call, e.g. items.map(x => x.id)',
      );
    }
    return { type: 'Identifier', name: value, start, end };
  }

  private parseGroup(open: Token): Expression {
    this.advance();
    if (this.arrowAheadAfterParen()) {
      return this.errorNode(
        open,
        'Arrow functions are only allowed as arguments of a call, e.g. items.map(x => x.id)',
      );
    }
    const inner = this.parseExpression();
    this.expect(')', `to close the parenthesis opened at ${open.start}`);
    this.parenthesized.add(inner);
    return inner;
  }

  private arrowAheadAfterParen(): boolean {
    this.i--;
    const arrow = this.arrowAhead();
    this.i++;
    return arrow;
  }

  private parseArray(open: Token): Expression {
    this.advance();
    const elements: (Expression | SpreadNode)[] = [];
    while (!this.isPunct(']') && this.peek().type !== 'eof') {
      if (this.isPunct(',')) {
        elements.push(
          this.errorNode(
            this.peek(),
            'Empty array elements are not supported; write null or undefined',
          ),
        );
        this.advance();
        continue;
      }
      elements.push(this.parseSpreadOr());
      if (!this.isPunct(',')) break;
      this.advance();
    }
    this.expect(']', `to close the array opened at ${open.start}`);
    return { type: 'Array', elements, start: open.start, end: this.previousEnd() };
  }

  private parseSpreadOr(): Expression | SpreadNode {
    if (!this.isPunct('...')) return this.parseExpression();
    const dots = this.advance();
    const argument = this.parseExpression();
    return { type: 'Spread', argument, start: dots.start, end: argument.end };
  }

  private parseObject(open: Token): Expression {
    this.advance();
    const properties: (PropertyNode | SpreadNode)[] = [];
    while (!this.isPunct('}') && this.peek().type !== 'eof') {
      if (this.isPunct('...')) properties.push(this.parseSpreadOr() as SpreadNode);
      else {
        const property = this.parseProperty();
        if (property === undefined) break;
        properties.push(property);
      }
      if (!this.isPunct(',')) break;
      this.advance();
    }
    this.expect('}', `to close the object opened at ${open.start}`);
    return { type: 'Object', properties, start: open.start, end: this.previousEnd() };
  }

  private parseProperty(): PropertyNode | undefined {
    const token = this.peek();
    let key: Expression;
    let computed = false;
    if (token.type === 'punct' && token.value === '[') {
      this.advance();
      key = this.parseExpression();
      this.expect(']', `to close the computed key opened at ${token.start}`);
      computed = true;
    } else if (token.type === 'name' || token.type === 'string' || token.type === 'number') {
      this.advance();
      const name = token.type === 'number' ? String(token.number) : token.value;
      key = { type: 'Literal', value: name, start: token.start, end: token.end };
      if (token.type === 'name' && (this.isPunct(',') || this.isPunct('}'))) {
        if (KEYWORDS.has(name) || RESERVED_WORDS.has(name)) {
          this.fail(
            token,
            `'${name}' cannot be used as a shorthand property; write ${name}: value`,
          );
        }
        const value: Expression = { type: 'Identifier', name, start: token.start, end: token.end };
        return {
          type: 'Property',
          key,
          computed,
          shorthand: true,
          value,
          start: token.start,
          end: token.end,
        };
      }
    } else {
      this.fail(token, `Expected a property name, found ${describeFound(token.value)}`);
      return undefined;
    }
    this.expect(':', 'after the property name');
    const value = this.parseExpression();
    return {
      type: 'Property',
      key,
      computed,
      shorthand: false,
      value,
      start: token.start,
      end: value.end,
    };
  }
}

function reservedMessage(word: string): string {
  switch (word) {
    case 'new':
      return "'new' is not supported: expressions cannot construct objects";
    case 'this':
      return "'this' is not available in expressions; start from a root such as nodes or flow";
    case 'function':
      return "'function' is not supported; pass an arrow function to a method, e.g. items.map(x => x.id)";
    default:
      return `'${word}' is not part of the expression language (expressions are not statements)`;
  }
}
