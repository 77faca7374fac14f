import type {
  Expression,
  IndexNode,
  LiteralValue,
  MemberNode,
  PropertyNode,
  SpreadNode,
} from '../../expr/index.ts';

/**
 * Builders for expression ASTs the importer writes itself (`nodes.a.output`, `[r0, r1]`...).
 * Positions are zero: these trees are printed, never reported against a source.
 */

const span = { start: 0, end: 0 } as const;

/** Identifier names: ASCII-only here, since printed ids must re-parse everywhere. */
const SIMPLE_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const KEYWORDS = new Set(['true', 'false', 'null', 'undefined', 'typeof', 'in']);

export function ident(name: string): Expression {
  return { type: 'Identifier', name, ...span };
}

export function lit(value: LiteralValue): Expression {
  return { type: 'Literal', value, ...span };
}

/** `object.name`, or `object['name']` when `name` is not an identifier. */
export function member(object: Expression, name: string, optional = false): MemberNode | IndexNode {
  if (SIMPLE_NAME.test(name) && !KEYWORDS.has(name))
    return { type: 'Member', object, property: name, optional, ...span };
  return { type: 'Index', object, index: lit(name), optional, ...span };
}

export function index(object: Expression, i: Expression): Expression {
  return { type: 'Index', object, index: i, optional: false, ...span };
}

/** `nodes.<id>`. */
export function nodeRef(id: string): Expression {
  return member(ident('nodes'), id);
}

/** `nodes.<id>.output`. */
export function nodeOutput(id: string): Expression {
  return member(nodeRef(id), 'output');
}

/**
 * `nodes.<id>.output?.value`: the result of a transform-based step (identity, mock...). The
 * `?.` keeps containers' outputs from failing when the step did not run (an early stop skipped
 * the rest of a branch); a transform that ran always has an object output.
 */
export function outputValue(id: string): Expression {
  return { type: 'Chain', expression: member(nodeOutput(id), 'value', true), ...span };
}

/** `nodes.<id>?.status == 'succeeded'`: true when the node ran and succeeded. */
export function succeeded(id: string): Expression {
  const chain: Expression = {
    type: 'Chain',
    expression: member(nodeRef(id), 'status', true),
    ...span,
  };
  return binary('==', chain, lit('succeeded'));
}

/** `nodes.<id>.status == 'skipped'`. */
export function skipped(id: string): Expression {
  return binary('==', member(nodeRef(id), 'status'), lit('skipped'));
}

export function binary(
  operator: '==' | '!=' | '<' | '*' | '+' | '-' | '&&' | '||' | '??',
  left: Expression,
  right: Expression,
): Expression {
  if (operator === '&&' || operator === '||' || operator === '??') {
    return { type: 'Logical', operator, left, right, ...span };
  }
  return { type: 'Binary', operator, left, right, ...span };
}

export function not(argument: Expression): Expression {
  return { type: 'Unary', operator: '!', argument, ...span };
}

export function conditional(
  test: Expression,
  consequent: Expression,
  alternate: Expression,
): Expression {
  return { type: 'Conditional', test, consequent, alternate, ...span };
}

export function call(name: string, args: readonly Expression[]): Expression {
  return { type: 'Call', callee: ident(name), args, optional: false, ...span };
}

export function array(elements: readonly Expression[]): Expression {
  return { type: 'Array', elements, ...span };
}

export function property(key: string, value: Expression): PropertyNode {
  return { type: 'Property', key: lit(key), computed: false, shorthand: false, value, ...span };
}

export function spread(argument: Expression): SpreadNode {
  return { type: 'Spread', argument, ...span };
}

export function object(properties: readonly (PropertyNode | SpreadNode)[]): Expression {
  return { type: 'Object', properties, ...span };
}

/** Joins conditions with `||` (false when there are none). */
export function anyOf(conditions: readonly Expression[]): Expression {
  if (conditions.length === 0) return lit(false);
  return conditions.reduce((acc, c) => binary('||', acc, c));
}

/** `flow.input`. */
export function flowInput(): Expression {
  return member(ident('flow'), 'input');
}
