import { isIdentifierName, type ArrowNode, type AstNode, type Expression } from './ast.ts';
import { forEachChild } from './ast.ts';
import { FUNCTIONS } from './functions.ts';
import { parseExpressionRange } from './parser.ts';
import { ROOTS, ROOT_DESCRIPTIONS, isRoot, type RootName } from './roots.ts';
import { scanTemplate, type ExpressionSegment } from './template-scanner.ts';
import { KEYWORDS, type Token } from './tokenizer.ts';
import {
  FLOW_FIELDS,
  NODE_FIELDS,
  childShape,
  fieldsShape,
  shapeFields,
  shapeMethods,
  valueShape,
  type JsonSchema,
  type Shape,
} from './value-shape.ts';
import { quoteString } from './printer.ts';

/** What the editor knows at the place of the template being edited. */
export interface CompletionScope {
  /** Roots allowed here (default: all). */
  readonly roots?: readonly string[];
  /** Nodes that `nodes.` may name here (upstream nodes), with what is known of their output. */
  readonly nodes?: Readonly<
    Record<
      string,
      { readonly title?: string; readonly outputSchema?: JsonSchema; readonly sample?: unknown }
    >
  >;
  /** Sample values of roots (`flow`, `vars`, `item`...), e.g. from the last run. */
  readonly samples?: Readonly<Partial<Record<RootName, unknown>>>;
}

export type CompletionKind = 'root' | 'node' | 'field' | 'method' | 'function' | 'keyword';

export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** The range of the template that the label replaces. */
  readonly from: number;
  readonly to: number;
}

const KIND_ORDER: Readonly<Record<CompletionKind, number>> = {
  node: 0,
  field: 1,
  root: 2,
  method: 3,
  function: 4,
  keyword: 5,
};

/**
 * Completions at `offset` of a template, on incomplete input: `$<nodes.ex` proposes node ids,
 * `$<nodes.extract.output.` the output's fields (from its schema or sample) and, for arrays
 * and strings, their methods; a bare position proposes roots, parameters, functions and
 * keywords. Never throws.
 *
 * @example
 * completeAt('$<nodes.ex', 10, { nodes: { extract: {} } }) // [{ label: 'extract', kind: 'node', from: 8, to: 10 }]
 */
export function completeAt(
  template: string,
  offset: number,
  scope: CompletionScope = {},
): Completion[] {
  try {
    const seg = scanTemplate(template).find(
      (s): s is ExpressionSegment =>
        s.kind === 'expression' && s.exprStart <= offset && offset <= s.exprEnd,
    );
    return seg === undefined ? [] : complete(template, seg, offset, scope);
  } catch {
    return [];
  }
}

/** Everything one completion request works from; the recovering parse is done once. */
interface Request {
  readonly template: string;
  readonly seg: ExpressionSegment;
  readonly ast: Expression;
  readonly scope: CompletionScope;
  readonly offset: number;
}

function complete(
  template: string,
  seg: ExpressionSegment,
  offset: number,
  scope: CompletionScope,
): Completion[] {
  const { ast } = parseExpressionRange(
    template,
    seg.exprStart,
    seg.exprEnd,
    { recover: true },
    seg.tokens,
  );
  const req: Request = { template, seg, ast, scope, offset };
  const tokens = seg.tokens.filter((t) => t.type !== 'eof' && t.start < offset);
  let last = tokens[tokens.length - 1];
  let prefix = '';
  let from = offset;
  let to = offset;
  if (last !== undefined && last.type === 'name' && last.end >= offset) {
    prefix = template.slice(last.start, offset);
    from = last.start;
    to = last.end;
    tokens.pop();
    last = tokens[tokens.length - 1];
  } else if (last !== undefined && last.type !== 'punct' && last.end >= offset) return []; // in a string or number
  const matches = (label: string): boolean => label.toLowerCase().startsWith(prefix.toLowerCase());
  let out: Completion[];
  if (last !== undefined && last.type === 'punct' && (last.value === '.' || last.value === '?.')) {
    const shape = chainShape(req, tokens.slice(0, -1));
    out = memberCompletions(shape, last, from, to).filter((c) =>
      matches(c.label.replace(/^\[['"]?/, '')),
    );
  } else {
    if (last !== undefined && endsOperand(last) && prefix === '') return [];
    out = nameCompletions(req, from, to).filter((c) => matches(c.label));
  }
  return out.sort(
    (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.label.localeCompare(b.label),
  );
}

function endsOperand(token: Token): boolean {
  if (token.type === 'punct')
    return token.value === ')' || token.value === ']' || token.value === '}';
  return (
    token.type !== 'error' &&
    !(token.type === 'name' && (token.value === 'typeof' || token.value === 'in'))
  );
}

function memberCompletions(
  shape: Shape | undefined,
  dot: Token,
  from: number,
  to: number,
): Completion[] {
  const out: Completion[] = [];
  for (const field of shapeFields(shape)) {
    const plain = isIdentifierName(field.name);
    // A key that is not a name is proposed as ['key'], replacing the dot as well.
    const label = plain
      ? field.name
      : `${dot.value === '?.' ? '?.' : ''}[${quoteString(field.name)}]`;
    out.push({
      label,
      kind: field.kind,
      ...(field.detail === undefined ? {} : { detail: field.detail }),
      from: plain ? from : dot.start,
      to,
    });
  }
  for (const method of shapeMethods(shape))
    out.push({ label: method.name, kind: 'method', detail: method.detail, from, to });
  return out;
}

function nameCompletions(req: Request, from: number, to: number): Completion[] {
  const { scope } = req;
  const out: Completion[] = [];
  const params = arrowsAt(req).flatMap((a) => a.params.map((p) => p.name));
  for (const name of new Set(params))
    out.push({ label: name, kind: 'root', detail: 'parameter', from, to });
  for (const root of scope.roots ?? ROOTS) {
    if (params.includes(root)) continue;
    const detail = isRoot(root) ? ROOT_DESCRIPTIONS[root] : undefined;
    out.push({ label: root, kind: 'root', ...(detail === undefined ? {} : { detail }), from, to });
  }
  for (const fn of FUNCTIONS.values())
    out.push({
      label: fn.name,
      kind: 'function',
      detail: `${fn.name}${fn.params}: ${fn.summary}`,
      from,
      to,
    });
  for (const word of KEYWORDS)
    if (word !== 'in') out.push({ label: word, kind: 'keyword', from, to });
  return out;
}

/** Arrow functions whose body contains `offset`, innermost last (from a recovering parse). */
function arrowsAt(req: Request): ArrowNode[] {
  const { ast, offset } = req;
  const out: ArrowNode[] = [];
  const visit = (node: AstNode): void => {
    if (
      node.type === 'Arrow' &&
      node.start <= offset &&
      offset <= Math.max(node.end, node.body.end)
    )
      out.push(node);
    forEachChild(node, visit);
  };
  visit(ast);
  return out;
}

/** The shape of the static chain that the tokens end with: `nodes.x.output.items[0]`. */
function chainShape(req: Request, tokens: readonly Token[]): Shape | undefined {
  const keys: (string | number)[] = [];
  let i = tokens.length - 1;
  for (;;) {
    const t = tokens[i];
    if (t === undefined) return undefined;
    if (t.type === 'punct' && t.value === ']') {
      const key = tokens[i - 1];
      if (
        key === undefined ||
        !(key.type === 'number' || key.type === 'string') ||
        tokens[i - 2]?.value !== '['
      )
        return undefined;
      keys.unshift(key.type === 'number' ? key.number : key.value);
      i -= 3;
      if (tokens[i]?.type === 'punct' && tokens[i]?.value === '?.') i--;
      continue;
    }
    if (t.type !== 'name') return undefined;
    const before = tokens[i - 1];
    if (
      before !== undefined &&
      before.type === 'punct' &&
      (before.value === '.' || before.value === '?.')
    ) {
      keys.unshift(t.value);
      i -= 2;
      continue;
    }
    let shape = rootShape(req, t.value, t.start);
    for (const key of keys) shape = childShape(shape, key);
    return shape;
  }
}

function rootShape(req: Request, name: string, at: number): Shape | undefined {
  const { scope } = req;
  const arrow = arrowsAt({ ...req, offset: at })
    .reverse()
    .find((a) => a.params.some((p) => p.name === name));
  if (arrow !== undefined) return paramShape(req, arrow, name);
  const samples = scope.samples ?? {};
  const hasSample = isRoot(name) && Object.prototype.hasOwnProperty.call(samples, name);
  const sample = hasSample ? samples[name as RootName] : undefined;
  if (name === 'nodes') {
    return {
      kind: 'fields',
      fields: Object.entries(scope.nodes ?? {}).map(([id, info]) => ({
        name: id,
        kind: 'node' as const,
        ...(info.title === undefined ? {} : { detail: info.title }),
        shape: fieldsShape(NODE_FIELDS, {
          output: valueShape(info.outputSchema, info.sample, info.sample !== undefined),
          status: valueShape({ type: 'string' }, undefined, false),
          attempts: valueShape({ type: 'number' }, undefined, false),
        }),
      })),
    };
  }
  if (name === 'flow') {
    const flow =
      hasSample && typeof sample === 'object' && sample !== null
        ? (sample as Record<string, unknown>)
        : {};
    return fieldsShape(FLOW_FIELDS, {
      input: valueShape(undefined, flow['input'], 'input' in flow),
      id: valueShape({ type: 'string' }, undefined, false),
      runId: valueShape({ type: 'string' }, undefined, false),
    });
  }
  return hasSample ? valueShape(undefined, sample, true) : undefined;
}

/** A callback parameter: the element of the array whose method received the arrow. */
function paramShape(req: Request, arrow: ArrowNode, name: string): Shape | undefined {
  if (arrow.params[0]?.name !== name) return undefined;
  let receiver: Expression | undefined;
  const visit = (node: AstNode): void => {
    if (node.type === 'Call' && node.args.includes(arrow) && node.callee.type === 'Member')
      receiver = node.callee.object;
    forEachChild(node, visit);
  };
  visit(req.ast);
  const r = receiver;
  if (r === undefined) return undefined;
  const tokens = req.seg.tokens.filter(
    (t) => t.type !== 'eof' && t.end <= r.end && t.start >= r.start,
  );
  return childShape(chainShape(req, tokens), 0);
}
