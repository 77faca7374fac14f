// The public API of the expression language; src/index.ts re-exports these by name.
export type {
  ArrayNode,
  ArrowNode,
  AstNode,
  BinaryNode,
  BinaryOperator,
  CallNode,
  ChainNode,
  ConditionalNode,
  ErrorNode,
  Expression,
  IdentifierNode,
  IndexNode,
  LiteralNode,
  LiteralValue,
  LogicalNode,
  LogicalOperator,
  MemberNode,
  ObjectNode,
  ParameterNode,
  PropertyNode,
  Span,
  SpreadNode,
  UnaryNode,
  UnaryOperator,
} from './ast.ts';
export { ExpressionError, isExpressionError } from './expression-error.ts';
export type { ExpressionErrorCode } from './expression-error.ts';
export { DEFAULT_LIMITS } from './limits.ts';
export type { ExpressionLimits } from './limits.ts';
export { parseExpression } from './parser.ts';
export type { ParseOptions, ParseResult } from './parser.ts';
export { parseTemplate, compileTemplate } from './template.ts';
export type {
  CompileOptions,
  CompiledTemplate,
  TemplateExpression,
  TemplateParseOptions,
  TemplatePart,
  TemplateText,
} from './template.ts';
export { TemplateCache, createTemplateCache, evaluateTemplate } from './template-cache.ts';
export type { TemplateCacheOptions } from './template-cache.ts';
export { printExpression, printTemplate } from './printer.ts';
export type { PrintablePart } from './printer.ts';
export { collectReferences, templateReferences } from './references.ts';
export type { Reference } from './references.ts';
export { ROOTS } from './roots.ts';
export type { RootName } from './roots.ts';
export type { ScopeRecord as ExpressionScope } from './eval-context.ts';
export { completeAt } from './complete.ts';
export type { Completion, CompletionKind, CompletionScope } from './complete.ts';
export { tokensForHighlighting } from './highlight.ts';
export type { HighlightKind, HighlightToken } from './highlight.ts';
export { FUNCTIONS } from './functions.ts';
export { ARRAY_METHODS } from './array-methods.ts';
export { NUMBER_METHODS, STRING_METHODS } from './string-methods.ts';
export type { FunctionSpec, MethodSpec } from './callable.ts';
