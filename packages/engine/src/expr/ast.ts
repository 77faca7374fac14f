/**
 * The typed AST of the expression language: a discriminated union on `type`. Offsets
 * (`start`, `end`) are relative to the whole template string the expression came from, so
 * diagnostics and editors never need to re-base them.
 *
 * Optional chaining follows ESTree: the links carry `optional`, and the whole chain they
 * short-circuit is wrapped in a `Chain` node, which is what makes `(a?.b).c` (throws when `a`
 * is nullish) differ from `a?.b.c` (yields undefined).
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type LiteralValue = string | number | boolean | null | undefined;

export interface LiteralNode extends Span {
  readonly type: 'Literal';
  readonly value: LiteralValue;
}

export interface IdentifierNode extends Span {
  readonly type: 'Identifier';
  readonly name: string;
}

export interface SpreadNode extends Span {
  readonly type: 'Spread';
  readonly argument: Expression;
}

export interface ArrayNode extends Span {
  readonly type: 'Array';
  readonly elements: readonly (Expression | SpreadNode)[];
}

/** `key: value`; a non-computed key is a string Literal (identifiers, strings and numbers). */
export interface PropertyNode extends Span {
  readonly type: 'Property';
  readonly key: Expression;
  readonly computed: boolean;
  /** `{ item }`: the value is the Identifier of the same name. */
  readonly shorthand: boolean;
  readonly value: Expression;
}

export interface ObjectNode extends Span {
  readonly type: 'Object';
  readonly properties: readonly (PropertyNode | SpreadNode)[];
}

/** `object.property` or `object?.property`. */
export interface MemberNode extends Span {
  readonly type: 'Member';
  readonly object: Expression;
  readonly property: string;
  readonly optional: boolean;
}

/** `object[index]` or `object?.[index]`. */
export interface IndexNode extends Span {
  readonly type: 'Index';
  readonly object: Expression;
  readonly index: Expression;
  readonly optional: boolean;
}

/** `callee(args)` or `callee?.(args)`. Arrow functions appear only among `args`. */
export interface CallNode extends Span {
  readonly type: 'Call';
  readonly callee: Expression;
  readonly args: readonly Expression[];
  readonly optional: boolean;
}

/** The extent of an optional chain: a `?.` inside short-circuits up to here. */
export interface ChainNode extends Span {
  readonly type: 'Chain';
  readonly expression: MemberNode | IndexNode | CallNode;
}

export type UnaryOperator = '!' | '-' | '+' | 'typeof';

export interface UnaryNode extends Span {
  readonly type: 'Unary';
  readonly operator: UnaryOperator;
  readonly argument: Expression;
}

export type BinaryOperator =
  '+' | '-' | '*' | '/' | '%' | '**' | '==' | '!=' | '===' | '!==' | '<' | '<=' | '>' | '>=' | 'in';

export interface BinaryNode extends Span {
  readonly type: 'Binary';
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
}

export type LogicalOperator = '&&' | '||' | '??';

export interface LogicalNode extends Span {
  readonly type: 'Logical';
  readonly operator: LogicalOperator;
  readonly left: Expression;
  readonly right: Expression;
}

export interface ConditionalNode extends Span {
  readonly type: 'Conditional';
  readonly test: Expression;
  readonly consequent: Expression;
  readonly alternate: Expression;
}

export interface ParameterNode extends Span {
  readonly name: string;
}

/** `x => body` or `(a, b) => body`: only valid as an argument of a call. */
export interface ArrowNode extends Span {
  readonly type: 'Arrow';
  readonly params: readonly ParameterNode[];
  readonly body: Expression;
}

/** A place where the recovering parser found no valid expression. Never compiled. */
export interface ErrorNode extends Span {
  readonly type: 'Error';
  readonly message: string;
}

export type Expression =
  | LiteralNode
  | IdentifierNode
  | ArrayNode
  | ObjectNode
  | MemberNode
  | IndexNode
  | CallNode
  | ChainNode
  | UnaryNode
  | BinaryNode
  | LogicalNode
  | ConditionalNode
  | ArrowNode
  | ErrorNode;

/** Any node of the tree, including the parts that are not expressions on their own. */
export type AstNode = Expression | SpreadNode | PropertyNode;

const IDENTIFIER_NAME = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;

/** True when `name` can be written bare after `.` or as an object key. */
export function isIdentifierName(name: string): boolean {
  return IDENTIFIER_NAME.test(name);
}

/** Calls `visit` for every direct child of `node`, in source order. */
export function forEachChild(node: AstNode, visit: (child: AstNode) => void): void {
  switch (node.type) {
    case 'Array':
      node.elements.forEach(visit);
      return;
    case 'Object':
      node.properties.forEach(visit);
      return;
    case 'Property':
      visit(node.key);
      visit(node.value);
      return;
    case 'Spread':
      visit(node.argument);
      return;
    case 'Member':
      visit(node.object);
      return;
    case 'Index':
      visit(node.object);
      visit(node.index);
      return;
    case 'Call':
      visit(node.callee);
      node.args.forEach(visit);
      return;
    case 'Chain':
      visit(node.expression);
      return;
    case 'Unary':
      visit(node.argument);
      return;
    case 'Binary':
    case 'Logical':
      visit(node.left);
      visit(node.right);
      return;
    case 'Conditional':
      visit(node.test);
      visit(node.consequent);
      visit(node.alternate);
      return;
    case 'Arrow':
      visit(node.body);
      return;
    case 'Literal':
    case 'Identifier':
    case 'Error':
      return;
  }
}
