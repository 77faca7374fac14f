import type { BinaryNode, Span } from './ast.ts';
import type { Evaluator } from './eval-context.ts';
import { ExpressionError } from './expression-error.ts';
import type { ExpressionLimits } from './limits.ts';
import { FORBIDDEN_KEYS, describeType, indexFromKey } from './property-access.ts';
import { compareValues, looseEquals, stringLimitError } from './values.ts';

/**
 * Binary operators. Arithmetic is on numbers only; `+` also joins text when either side is a
 * string (and the other a string, number or boolean). Anything else — `[] + {}`, `null + 1` —
 * is `E_EXPR_TYPE` rather than JavaScript's silent coercion.
 */
function typeError(message: string, at: Span): ExpressionError {
  return new ExpressionError('E_EXPR_TYPE', message, { start: at.start, end: at.end });
}

function isTextual(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

export function add(a: unknown, b: unknown, limits: ExpressionLimits, at: Span): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if ((typeof a === 'string' || typeof b === 'string') && isTextual(a) && isTextual(b)) {
    const s = String(a) + String(b);
    if (s.length > limits.maxStringLength) throw stringLimitError(limits, at);
    return s;
  }
  throw typeError(
    `'+' adds two numbers or joins text, got ${describeType(a)} and ${describeType(b)}` +
      (a == null || b == null ? ' (use ?? to supply a default)' : ''),
    at,
  );
}

function arithmetic(op: string, a: unknown, b: unknown, at: Span): number {
  if (typeof a !== 'number' || typeof b !== 'number') {
    throw typeError(`'${op}' needs two numbers, got ${describeType(a)} and ${describeType(b)}`, at);
  }
  switch (op) {
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    default:
      return a ** b;
  }
}

function hasProperty(key: unknown, obj: unknown, at: Span): boolean {
  if (typeof obj !== 'object' || obj === null) {
    throw typeError(`'in' needs an object or array on its right, got ${describeType(obj)}`, at);
  }
  if (typeof key !== 'string' && typeof key !== 'number') {
    throw typeError(`'in' needs a string or number key on its left, got ${describeType(key)}`, at);
  }
  const k = String(key);
  if (FORBIDDEN_KEYS.has(k)) return false;
  if (Array.isArray(obj)) {
    const i = indexFromKey(k);
    return (
      (i >= 0 && i < obj.length && Object.prototype.hasOwnProperty.call(obj, i)) || k === 'length'
    );
  }
  return Object.prototype.hasOwnProperty.call(obj, k);
}

/** Compiles a binary operator over compiled operands. */
export function compileBinary(
  node: BinaryNode,
  left: Evaluator,
  right: Evaluator,
  limits: ExpressionLimits,
): Evaluator {
  const op = node.operator;
  switch (op) {
    case '+':
      return (s, f, c) => {
        const a = left(s, f, c);
        const b = right(s, f, c);
        return typeof a === 'number' && typeof b === 'number' ? a + b : add(a, b, limits, node);
      };
    case '-':
    case '*':
    case '/':
    case '%':
    case '**':
      return (s, f, c) => arithmetic(op, left(s, f, c), right(s, f, c), node);
    case '===':
      return (s, f, c) => left(s, f, c) === right(s, f, c);
    case '!==':
      return (s, f, c) => left(s, f, c) !== right(s, f, c);
    case '==':
      return (s, f, c) => looseEquals(left(s, f, c), right(s, f, c));
    case '!=':
      return (s, f, c) => !looseEquals(left(s, f, c), right(s, f, c));
    case '<':
      return (s, f, c) => {
        const a = left(s, f, c);
        const b = right(s, f, c);
        return typeof a === 'number' && typeof b === 'number'
          ? a < b
          : compareValues(a, b, op, node) < 0;
      };
    case '<=':
      return (s, f, c) => {
        const a = left(s, f, c);
        const b = right(s, f, c);
        return typeof a === 'number' && typeof b === 'number'
          ? a <= b
          : compareValues(a, b, op, node) <= 0;
      };
    case '>':
      return (s, f, c) => {
        const a = left(s, f, c);
        const b = right(s, f, c);
        return typeof a === 'number' && typeof b === 'number'
          ? a > b
          : compareValues(a, b, op, node) > 0;
      };
    case '>=':
      return (s, f, c) => {
        const a = left(s, f, c);
        const b = right(s, f, c);
        return typeof a === 'number' && typeof b === 'number'
          ? a >= b
          : compareValues(a, b, op, node) >= 0;
      };
    case 'in':
      return (s, f, c) => hasProperty(left(s, f, c), right(s, f, c), node);
  }
}
