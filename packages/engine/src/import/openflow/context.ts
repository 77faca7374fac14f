import type { Expression } from '../../expr/index.ts';
import {
  array,
  flowInput,
  ident,
  lit,
  member,
  nodeOutput,
  object,
  property,
  spread,
} from './ast-build.ts';
import type { ExprBindings } from './expressions.ts';
import type { Chain } from './graph.ts';
import { sanitizeId, type IdRegistry } from './ids.ts';
import { JsHelper } from './js-helper.ts';
import type { Reporter } from './reporter.ts';

/** What an empty branch yields; see ImportOpenFlowOptions.emptyBranchResult. */
export type EmptyBranchResult = 'windmill' | 'previous';

export interface ResolvedOptions {
  readonly flowIdForPath: (path: string) => string;
  readonly emptyBranchResult: EmptyBranchResult;
  readonly maxWhileIterations: number | undefined;
}

/** A loop the current module is nested in. */
export interface LoopFrame {
  /** The Millrace loop node. */
  readonly id: string;
  /** `flow_input.iter.value` in the loop's own body. */
  readonly item: Expression;
  /** `flow_input.iter.index` in the loop's own body. */
  readonly index: Expression;
  /**
   * Nested loops read this loop's `iter` through a transform at the start of its body (Millrace
   * `item` is the innermost loop's); created only when some expression needs it.
   */
  captureId?: string;
}

/** Where a module sits: what `flow_input` is, the enclosing loops, what an early stop does. */
export interface Scope {
  readonly flowInput: Expression;
  readonly loops: readonly LoopFrame[];
  /**
   * `flow`: an early stop ends the run; `loop`: it ends the iteration and breaks the loop;
   * `branch`: it ends a `branchall` branch, and the flow stops after the `branchall` with its
   * result (an array with one entry per branch), as Windmill's sub-flow branches do.
   */
  readonly stopMode: 'flow' | 'loop' | 'branch';
  /** Inside `failure_module` (`previous_result` is the error). */
  readonly failure: boolean;
  /** A top-level module of the flow (where `early_return` applies). */
  readonly topLevel: boolean;
}

/** An early stop inside a region: the node that runs when it fires, and the value it stops with. */
export interface StopRef {
  readonly handler: string;
  readonly result: Expression;
}

/** The approval that gated a step (Windmill's `resume`, `resumes`, `approvers`). */
export interface ResumeBindings {
  readonly resume: Expression;
  readonly resumes: Expression;
  readonly approvers: Expression;
}

interface RegisteredResult {
  readonly expr: Expression;
  /** Loops the step is nested in (its result is per iteration). */
  readonly loops: readonly string[];
}

export type SequenceCompiler = (
  ctx: ImportContext,
  modules: readonly unknown[],
  pointer: string,
  scope: Scope,
  chain: Chain,
  previous: Expression,
) => { result: Expression; stops: StopRef[] };

const PLACEHOLDER = '\u0000iter:';

/** State shared by one import. */
export class ImportContext {
  private readonly results = new Map<string, RegisteredResult>();
  private readonly frames = new Map<string, LoopFrame>();

  constructor(
    readonly ids: IdRegistry,
    readonly reporter: Reporter,
    readonly options: ResolvedOptions,
    readonly flowId: string,
    /** Windmill runs a flow's failure module in sub-flows too, which disables its loop shortcut. */
    readonly hasFailureModule: boolean,
    /** The top-level step whose result answers early (`early_return`). */
    readonly earlyReturn: string | undefined,
    /** Compiles a list of modules (sequence.ts), passed in to keep the files acyclic. */
    readonly sequence: SequenceCompiler,
  ) {}

  /** Records the result of a step, for `results.<originalId>`. */
  registerResult(originalId: string | undefined, expr: Expression, scope: Scope): void {
    if (originalId === undefined || this.results.has(originalId)) return;
    this.results.set(originalId, { expr, loops: scope.loops.map((l) => l.id) });
  }

  /** `results.<originalId>` seen from a place in `scope`. */
  resultRef(originalId: string, scope: Scope, pointer: string): Expression {
    const found = this.results.get(originalId);
    if (found) {
      const here = scope.loops.map((l) => l.id);
      const outside = found.loops.find((loop) => !here.includes(loop));
      if (outside !== undefined) {
        this.reporter.lossy(
          pointer,
          `results.${originalId} reads a step inside the loop "${outside}" from outside it; Windmill gives the last iteration's result, Millrace only the loop's output (one entry per iteration).`,
        );
      }
      return found.expr;
    }
    const later = this.ids.resolve(originalId);
    this.reporter.lossy(
      pointer,
      later === undefined
        ? `results.${originalId} names no step of this flow.`
        : `results.${originalId} reads a step that has not run at this point.`,
    );
    return nodeOutput(later ?? sanitizeId(originalId));
  }

  /** The results visible from `scope`, for generated code nodes. */
  visibleResults(scope: Scope): [string, Expression][] {
    const here = scope.loops.map((l) => l.id);
    return [...this.results]
      .filter(([, r]) => r.loops.every((l) => here.includes(l)))
      .map(([id, r]) => [id, r.expr]);
  }

  /** `flow_input` inside the body of `frames` (innermost last): the flow input plus `iter`. */
  loopFlowInput(frames: readonly LoopFrame[]): Expression {
    // Windmill renames an enclosing loop's `iter` to `iter_parent` (and that one's to
    // `iter_parent_parent`...) when it adds the inner loop's.
    const props = frames.map((frame, k) => {
      const depth = frames.length - 1 - k;
      const key = 'iter' + '_parent'.repeat(depth);
      if (depth === 0)
        return property(
          key,
          object([property('value', frame.item), property('index', frame.index)]),
        );
      this.frames.set(frame.id, frame);
      return property(key, ident(PLACEHOLDER + frame.id));
    });
    return object([spread(flowInput()), ...props]);
  }

  /** Replaces placeholders with reads of the capture nodes, creating them on first use. */
  readonly finalize = (ast: Expression): Expression =>
    replacePlaceholders(ast, (name) => this.capture(name));

  private capture(name: string): Expression | undefined {
    if (!name.startsWith(PLACEHOLDER)) return undefined;
    const frame = this.frames.get(name.slice(PLACEHOLDER.length));
    return frame ? this.iterOf(frame) : lit(null);
  }

  /** `nodes.<loop>__iter.output`: a loop's `{ value, index }` seen from loops nested in it. */
  private iterOf(frame: LoopFrame): Expression {
    frame.captureId ??= this.ids.derived(frame.id, 'iter');
    return nodeOutput(frame.captureId);
  }

  /**
   * Moves an expression built in the body of `outer` into a loop nested in it: there `item` and
   * `index` are the inner loop's, so the outer ones are read from the outer loop's capture node.
   */
  rebase(ast: Expression, outer: LoopFrame | undefined): Expression {
    if (outer === undefined) return ast;
    return replaceFree(ast, new Set(), (name) => {
      if (name !== 'item' && name !== 'index') return undefined;
      return member(this.iterOf(outer), name === 'item' ? 'value' : 'index');
    });
  }

  /** Expression variables at one place. */
  bindings(
    scope: Scope,
    pointer: string,
    previous: Expression,
    extra: {
      readonly result?: Expression;
      readonly resume?: ResumeBindings | undefined;
      /** The expressions are evaluated inside a loop nested in this one (a loop's own stop). */
      readonly insideLoopOf?: LoopFrame | undefined;
    } = {},
  ): ExprBindings {
    const resume = extra.resume;
    const relocate = (at: string): ExprBindings => this.bindings(scope, at, previous, extra);
    const inner = extra.insideLoopOf;
    const finalize =
      inner === undefined
        ? this.finalize
        : (ast: Expression) => this.finalize(this.rebase(ast, inner));
    return {
      flowInput: scope.flowInput,
      previous,
      ...(extra.result === undefined ? {} : { result: extra.result }),
      resume: resume?.resume ?? lit(null),
      resumes: resume?.resumes ?? array([]),
      approvers: resume?.approvers ?? array([]),
      ...(scope.failure ? { error: ident('error') } : {}),
      results: (id) => this.resultRef(id, scope, pointer),
      finalize,
      relocate,
    };
  }

  /** A code-node fallback for expressions at one place; `owner` names the helper node. */
  helper(owner: string, role: string, scope: Scope, bindings: ExprBindings): JsHelper {
    return new JsHelper(
      () => this.ids.derived(owner, role),
      owner,
      bindings,
      () => this.visibleResults(scope),
    );
  }
}

function replacePlaceholders(
  node: Expression,
  resolve: (name: string) => Expression | undefined,
): Expression {
  return replaceFree(node, new Set(), resolve);
}

/** Replaces identifiers not bound by an arrow function. */
function replaceFree(
  node: Expression,
  bound: ReadonlySet<string>,
  resolve: (name: string) => Expression | undefined,
): Expression {
  const r = (n: Expression): Expression => replaceFree(n, bound, resolve);
  switch (node.type) {
    case 'Identifier':
      return bound.has(node.name) ? node : (resolve(node.name) ?? node);
    case 'Member':
      return { ...node, object: r(node.object) };
    case 'Index':
      return { ...node, object: r(node.object), index: r(node.index) };
    case 'Call':
      return { ...node, callee: r(node.callee), args: node.args.map(r) };
    case 'Chain': {
      const inner = r(node.expression);
      return inner.type === 'Member' || inner.type === 'Index' || inner.type === 'Call'
        ? { ...node, expression: inner }
        : inner;
    }
    case 'Arrow':
      return {
        ...node,
        body: replaceFree(
          node.body,
          new Set([...bound, ...node.params.map((p) => p.name)]),
          resolve,
        ),
      };
    case 'Array':
      return {
        ...node,
        elements: node.elements.map((e) =>
          e.type === 'Spread' ? { ...e, argument: r(e.argument) } : r(e),
        ),
      };
    case 'Object':
      return {
        ...node,
        properties: node.properties.map((p) =>
          p.type === 'Spread'
            ? { ...p, argument: r(p.argument) }
            : { ...p, key: p.computed ? r(p.key) : p.key, value: r(p.value) },
        ),
      };
    case 'Unary':
      return { ...node, argument: r(node.argument) };
    case 'Binary':
    case 'Logical':
      return { ...node, left: r(node.left), right: r(node.right) };
    case 'Conditional':
      return {
        ...node,
        test: r(node.test),
        consequent: r(node.consequent),
        alternate: r(node.alternate),
      };
    default:
      return node;
  }
}
