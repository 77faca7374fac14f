import { isIdentifierName, type AstNode, type Expression } from './ast.ts';
import { ExpressionError } from './expression-error.ts';
import { scanTemplate } from './template-scanner.ts';

/**
 * Prints an AST back to source. The output re-parses to the same AST (positions aside):
 * parentheses are added exactly where precedence needs them, strings use single quotes with
 * escapes. The importer uses it to rewrite expressions; errors use it to name paths.
 *
 * @example
 * printExpression(parseExpression('(a+b)*c').ast) // '(a + b) * c'
 */
export function printExpression(node: Expression): string {
  return print(node, 0);
}

/** One part of a template to print: literal text or an expression AST. */
export type PrintablePart =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'expression'; readonly ast: Expression };

/**
 * Prints template parts: text with `$<` escaped as `$$<`, expressions as `$<...>`, wrapped in
 * parentheses when a `>` inside would otherwise end them early.
 */
export function printTemplate(parts: readonly PrintablePart[]): string {
  let out = '';
  let quoteNextText = false;
  parts.forEach((part, i) => {
    const next = parts[i + 1];
    if (part.kind === 'text') {
      let text = escapeText(part.value);
      if (quoteNextText) text = `$<${quoteString(part.value)}>`;
      // A text ending in '$' before an expression would read as the escape '$$<'.
      else if (text.endsWith('$') && next?.kind === 'expression')
        text = text.slice(0, -1) + "$<'$'>";
      quoteNextText = false;
      out += text;
      return;
    }
    const source = printExpression(part.ast);
    const plain = closesAt(`$<${source}>`, '') ? `$<${source}>` : `$<(${source})>`;
    // Text that follows could be read as more of the expression ("$<n> items > 5" reads
    // `n > items` as a comparison): such text is written as a string expression instead.
    quoteNextText = next?.kind === 'text' && !closesAt(plain, escapeText(next.value));
    out += plain;
  });
  return out;
}

function escapeText(text: string): string {
  return text.split('$<').join('$$<');
}

/** True when `expression` (a whole `$<...>`) still ends where it should with `after` following. */
function closesAt(expression: string, after: string): boolean {
  const first = scanTemplate(expression + after)[0];
  return first?.kind === 'expression' && first.end === expression.length;
}

const PRECEDENCE: Readonly<Record<string, number>> = {
  '??': 2,
  '||': 3,
  '&&': 4,
  '==': 7,
  '!=': 7,
  '===': 7,
  '!==': 7,
  '<': 8,
  '<=': 8,
  '>': 8,
  '>=': 8,
  in: 8,
  '+': 10,
  '-': 10,
  '*': 11,
  '/': 11,
  '%': 11,
  '**': 12,
};
const UNARY = 13;
const POSTFIX = 15;
const PRIMARY = 16;
const ASSIGNMENT = 1;

function wrap(text: string, precedence: number, min: number): string {
  return precedence < min ? `(${text})` : text;
}

/** Single-quoted string literal with escapes for quotes, backslashes and control characters. */
export function quoteString(value: string): string {
  let out = "'";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    const code = value.charCodeAt(i);
    if (ch === "'" || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else if (code === 0x2028 || code === 0x2029) out += '\\u' + code.toString(16);
    else out += ch;
  }
  return out + "'";
}

function printLiteral(value: unknown, min: number): string {
  if (typeof value === 'string') return quoteString(value);
  if (typeof value !== 'number') return String(value);
  if (Number.isNaN(value)) return wrap('0 / 0', PRECEDENCE['/'] as number, min);
  if (value === Infinity) return '1e999';
  if (value < 0 || Object.is(value, -0)) return wrap('-' + printLiteral(-value, UNARY), UNARY, min);
  return String(value);
}

function printKey(key: Expression): string {
  if (key.type === 'Literal' && typeof key.value === 'string') {
    return isIdentifierName(key.value) ? key.value : quoteString(key.value);
  }
  return printLiteral(key.type === 'Literal' ? key.value : undefined, PRIMARY);
}

/** The object part of a member access or call: postfix level, chains and numbers in parens. */
function printObject(node: Expression): string {
  if (node.type === 'Chain' || (node.type === 'Literal' && typeof node.value === 'number')) {
    return `(${print(node, 0)})`;
  }
  return print(node, POSTFIX);
}

function printArgument(node: AstNode): string {
  if (node.type === 'Spread') return '...' + print(node.argument, ASSIGNMENT);
  if (node.type === 'Property') {
    if (node.shorthand && node.value.type === 'Identifier') return node.value.name;
    const key = node.computed ? `[${print(node.key, ASSIGNMENT)}]` : printKey(node.key);
    return `${key}: ${print(node.value, ASSIGNMENT)}`;
  }
  return print(node, ASSIGNMENT);
}

// `??` may not sit unparenthesised next to `||` or `&&` (a syntax error in JavaScript too).
function logicalSide(operator: string, child: Expression, min: number): string {
  const mixes = child.type === 'Logical' && (child.operator === '??') !== (operator === '??');
  return mixes ? `(${print(child, 0)})` : print(child, min);
}

function print(node: Expression, min: number): string {
  switch (node.type) {
    case 'Literal':
      return printLiteral(node.value, min);
    case 'Identifier':
      return node.name;
    case 'Array':
      return `[${node.elements.map(printArgument).join(', ')}]`;
    case 'Object':
      return node.properties.length === 0
        ? '{}'
        : `{ ${node.properties.map(printArgument).join(', ')} }`;
    case 'Member':
      return `${printObject(node.object)}${node.optional ? '?.' : '.'}${node.property}`;
    case 'Index':
      return `${printObject(node.object)}${node.optional ? '?.' : ''}[${print(node.index, 0)}]`;
    case 'Call':
      return `${printObject(node.callee)}${node.optional ? '?.' : ''}(${node.args.map(printArgument).join(', ')})`;
    case 'Chain':
      return print(node.expression, min);
    case 'Unary': {
      let arg = print(node.argument, UNARY);
      if (node.operator === 'typeof') return wrap(`typeof ${arg}`, UNARY, min);
      // `- -a` must not print as `--a` (a decrement, which the tokenizer rejects).
      if ((node.operator === '-' || node.operator === '+') && arg.startsWith(node.operator))
        arg = `(${arg})`;
      return wrap(node.operator + arg, UNARY, min);
    }
    case 'Binary': {
      const p = PRECEDENCE[node.operator] as number;
      if (node.operator === '**') {
        const left =
          node.left.type === 'Unary' ? `(${print(node.left, 0)})` : print(node.left, p + 1);
        return wrap(`${left} ** ${print(node.right, p)}`, p, min);
      }
      return wrap(`${print(node.left, p)} ${node.operator} ${print(node.right, p + 1)}`, p, min);
    }
    case 'Logical': {
      const p = PRECEDENCE[node.operator] as number;
      const left = logicalSide(node.operator, node.left, p);
      return wrap(
        `${left} ${node.operator} ${logicalSide(node.operator, node.right, p + 1)}`,
        p,
        min,
      );
    }
    case 'Conditional':
      return wrap(
        `${print(node.test, 2)} ? ${print(node.consequent, ASSIGNMENT)} : ${print(node.alternate, ASSIGNMENT)}`,
        ASSIGNMENT,
        min,
      );
    case 'Arrow': {
      const params =
        node.params.length === 1
          ? (node.params[0]?.name as string)
          : `(${node.params.map((p) => p.name).join(', ')})`;
      // A body that starts with `{` would read as a block: parenthesise it.
      const printed = print(node.body, ASSIGNMENT);
      const body = printed.startsWith('{') ? `(${printed})` : printed;
      return wrap(`${params} => ${body}`, ASSIGNMENT, min);
    }
    case 'Error':
      throw new ExpressionError(
        'E_EXPR_SYNTAX',
        `Cannot print an expression with errors: ${node.message}`,
        node,
      );
  }
}
