import { forEachChild, type AstNode, type Expression } from './ast.ts';
import type { ExpressionError } from './expression-error.ts';
import { parseTemplate } from './template-parse.ts';

/**
 * What an expression reads: each access chain that starts at a free name, with the longest
 * prefix of static keys. `nodes.extract.output.records[0].id` is root `nodes`, path
 * `['extract', 'output', 'records', 0, 'id']`. The path stops at a computed key or a call
 * (`items.map(...)` reads `items`, not `items.map`). The flow validator checks these: that
 * `nodes.x` is upstream, that `item` is only used in loops, that the root exists at all.
 */
export interface Reference {
  readonly root: string;
  readonly path: readonly (string | number)[];
  /** Offsets of the whole static prefix in the template string. */
  readonly start: number;
  readonly end: number;
}

/** All references of an AST, in source order. Arrow parameters are not references. */
export function collectReferences(ast: Expression): Reference[] {
  const collector = new ReferenceCollector();
  collector.visit(ast);
  return collector.out;
}

// A class rather than nested closures: this runs for every expression of a flow on deploy.
class ReferenceCollector {
  readonly out: Reference[] = [];
  private readonly params: string[][] = [];

  private isParam(name: string): boolean {
    for (const names of this.params) if (names.includes(name)) return true;
    return false;
  }

  visit(node: AstNode): void {
    switch (node.type) {
      case 'Identifier':
        if (!this.isParam(node.name))
          this.out.push({ root: node.name, path: [], start: node.start, end: node.end });
        return;
      case 'Arrow':
        this.params.push(node.params.map((p) => p.name));
        this.visit(node.body);
        this.params.pop();
        return;
      case 'Member':
      case 'Index':
      case 'Call':
      case 'Chain':
        this.visitChain(node);
        return;
      default:
        forEachChild(node, (child) => this.visit(child));
    }
  }

  private visitChain(node: Expression): void {
    const links: Expression[] = [];
    let base: Expression = node;
    for (;;) {
      if (base.type === 'Chain') base = base.expression;
      else if (base.type === 'Member' || base.type === 'Index') {
        links.push(base);
        base = base.object;
      } else if (base.type === 'Call') {
        links.push(base);
        base = base.callee;
      } else break;
    }
    links.reverse();
    const first = links[0];
    const isFunctionCall = first?.type === 'Call' && base.type === 'Identifier';
    if (base.type === 'Identifier' && !isFunctionCall && !this.isParam(base.name)) {
      const path: (string | number)[] = [];
      let end = base.end;
      for (let i = 0; i < links.length; i++) {
        const link = links[i] as Expression;
        const next = links[i + 1];
        const key = staticKey(link);
        // A method name is not data: `items.map(...)` reads `items`.
        if (key === undefined || (next?.type === 'Call' && unwrap(next.callee) === link)) break;
        path.push(key);
        end = link.end;
      }
      this.out.push({ root: base.name, path, start: base.start, end });
    } else if (!isFunctionCall) this.visit(base);
    for (const link of links) {
      if (link.type === 'Index') this.visit(link.index);
      else if (link.type === 'Call') for (const arg of link.args) this.visit(arg);
    }
  }
}

function unwrap(node: Expression): Expression {
  return node.type === 'Chain' ? node.expression : node;
}

function staticKey(link: Expression): string | number | undefined {
  if (link.type === 'Member') return link.property === '' ? undefined : link.property;
  if (link.type !== 'Index' || link.index.type !== 'Literal') return undefined;
  const v = link.index.value;
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

/**
 * References and syntax errors of a template, recovering from errors (never throws): the
 * validator reports every problem of a flow at once, and the designer calls this while the
 * user types.
 */
export function templateReferences(source: string): {
  references: Reference[];
  errors: ExpressionError[];
} {
  const { parts, errors } = parseTemplate(source, { recover: true });
  const references: Reference[] = [];
  for (const part of parts)
    if (part.kind === 'expression') references.push(...collectReferences(part.ast));
  return { references, errors: [...errors] };
}
