import type { Expression, IdentifierNode, IndexNode, MemberNode, Span } from './ast.ts';
import type { EvalContext, Evaluator, Frame, ScopeRecord } from './eval-context.ts';
import { ExpressionError } from './expression-error.ts';
import { printExpression } from './printer.ts';
import {
  FORBIDDEN_KEYS,
  forbiddenKeyError,
  indexFromKey,
  readComputed,
  readIndex,
  readKey,
} from './property-access.ts';
import { isRoot, missingRootMessage, type RootName } from './roots.ts';

/**
 * Compiling reads: roots, parameters, member access and optional chains. The hot shape of
 * every flow — a root followed by fixed keys, `nodes.extract.output.records[0].id` — becomes
 * ONE closure that walks a precomputed key array, instead of one closure per link.
 */

/** Returned by a link of an optional chain that short-circuited; `Chain` turns it into undefined. */
export const SHORT: unknown = Object.freeze({ short: true });

const getOwnDescriptor = Object.getOwnPropertyDescriptor;

/** Reads a root from the scope: an own data property, or E_EXPR_REFERENCE when absent. */
export function compileRoot(name: RootName, at: Span): Evaluator {
  return (scope) => {
    const desc = getOwnDescriptor(scope, name);
    if (desc === undefined)
      throw new ExpressionError('E_EXPR_REFERENCE', missingRootMessage(name), at);
    if (!('value' in desc)) {
      throw new ExpressionError(
        'E_EXPR_FORBIDDEN',
        `The scope's '${name}' is an accessor; scopes must hold plain data`,
        at,
      );
    }
    return desc.value;
  };
}

/** Reads arrow-function parameter `index` from the frame `depth` levels up. */
export function compileParam(depth: number, index: number): Evaluator {
  if (depth === 0) return (_s, f) => (f as unknown[])[index];
  if (depth === 1) return (_s, f) => ((f as unknown[])[0] as unknown[])[index];
  return (_s, f) => {
    let frame = f as unknown[];
    for (let d = 0; d < depth; d++) frame = frame[0] as unknown[];
    return frame[index];
  };
}

/** A key known at compile time: array indexes as numbers, names as strings. */
export type StaticKey = string | number;

/** The key of `.name` or `[literal]`, or undefined when it is computed at run time. */
export function staticKeyOf(node: MemberNode | IndexNode): StaticKey | undefined {
  if (node.type === 'Member') return checkStaticKey(node.property, node);
  const index = node.index;
  if (index.type !== 'Literal') return undefined;
  if (typeof index.value === 'number') {
    return Number.isInteger(index.value) && index.value >= 0
      ? index.value
      : checkStaticKey(String(index.value), index);
  }
  return typeof index.value === 'string' ? checkStaticKey(index.value, index) : undefined;
}

function checkStaticKey(key: string, at: Span): StaticKey {
  if (FORBIDDEN_KEYS.has(key)) throw forbiddenKeyError(key, at);
  const index = indexFromKey(key);
  return index >= 0 ? index : key;
}

function describeKey(key: StaticKey | unknown): string {
  if (typeof key === 'number') return `[${key}]`;
  if (typeof key === 'string' && /^[\p{ID_Start}_][\p{ID_Continue}]*$/u.test(key)) return `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

/** "nodes.extract.output.records[0] is undefined, cannot read .id" */
export function nullishError(
  object: Expression,
  value: unknown,
  action: string,
  at: Span,
): ExpressionError {
  let path: string;
  try {
    path = printExpression(object);
  } catch {
    path = 'the value';
  }
  return new ExpressionError(
    'E_EXPR_REFERENCE',
    `${path} is ${value === null ? 'null' : 'undefined'}, cannot ${action}`,
    { start: at.start, end: at.end },
  );
}

export function readAction(key: StaticKey | unknown): string {
  return `read ${describeKey(key)}`;
}

/** A run of links from a root: `root.a[0]?.b` as keys, optional flags and link nodes. */
export interface StaticPath {
  readonly root: IdentifierNode;
  readonly links: readonly (MemberNode | IndexNode)[];
  readonly keys: readonly StaticKey[];
}

/** Recognises `root` followed only by static member/index links (through no calls). */
export function staticPathOf(node: Expression): StaticPath | undefined {
  const links: (MemberNode | IndexNode)[] = [];
  const keys: StaticKey[] = [];
  let cur: Expression = node;
  while (cur.type === 'Member' || cur.type === 'Index') {
    const key = staticKeyOf(cur);
    if (key === undefined) return undefined;
    links.push(cur);
    keys.push(key);
    cur = cur.object;
  }
  if (cur.type !== 'Identifier' || links.length === 0) return undefined;
  return { root: cur, links: links.reverse(), keys: keys.reverse() };
}

const hasOwn = Object.prototype.hasOwnProperty;

/** The careful read of one static key: strings, arrays, accessors, functions, primitives. */
function readStatic(o: unknown, k: StaticKey, at: Span): unknown {
  return typeof k === 'number' ? readIndex(o, k, at) : readKey(o, k, at);
}

/**
 * One closure for a whole static path, with a one-entry identity cache per link.
 *
 * Why: the careful read (getOwnPropertyDescriptor, to never invoke a getter) costs ~20 ns a
 * key, which would make the hottest expressions of every flow 3x slower. Each link instead
 * remembers the last object it read carefully; when the same object comes again (the same
 * scope evaluated by many expressions, or one template over many items of the same run), a
 * `hasOwnProperty` check and a plain read suffice: the property was a data property then.
 * The straight-line code (one statement per position, not a loop) keeps every property
 * access site monomorphic for the template that runs hot.
 *
 * The price, documented: a property turned into an accessor AFTER an expression has read its
 * object would be read through the getter; and each link holds its last object alive until
 * the next evaluation (drop the compiled template, or clear its cache, to release it).
 *
 * `shortValue` is what a short-circuiting `?.` returns: undefined when the path is the entire
 * chain, SHORT when the chain goes on (into a call).
 */
export function compilePath(
  root: RootName | Evaluator,
  path: StaticPath,
  shortValue: unknown,
): Evaluator {
  const readRoot = typeof root === 'string' ? compileRoot(root, path.root) : root;
  // A parameter root has no name to cache under: '' never matches an own property read.
  const rootName = typeof root === 'string' ? root : '';
  const make = PATHS[path.keys.length - 1];
  return make === undefined
    ? compileLongPath(readRoot, path, shortValue)
    : make(readRoot, rootName, path, shortValue);
}

// One function per length, each a separate piece of code with its own inline caches.
function path1(
  readRoot: Evaluator,
  rootName: string,
  path: StaticPath,
  shortValue: unknown,
): Evaluator {
  const [k0] = path.keys as [StaticKey];
  const [a0] = path.links as readonly Span[] as [Span];
  let c0: unknown;
  let cs: unknown;
  return (s, f, c) => {
    let o: unknown;
    if (s === cs && hasOwn.call(s, rootName)) o = (s as Record<string, unknown>)[rootName];
    else {
      o = readRoot(s, f, c);
      if (rootName !== '') cs = s;
    }
    if (o == null) return missAt(path, 0, o, shortValue);
    if (o !== c0) {
      readStatic(o, k0, a0);
      if (typeof o === 'object') c0 = o;
    }
    o = hasOwn.call(o, k0) ? (o as Record<StaticKey, unknown>)[k0] : undefined;
    return o;
  };
}

// One function per length, each a separate piece of code with its own inline caches.
function path2(
  readRoot: Evaluator,
  rootName: string,
  path: StaticPath,
  shortValue: unknown,
): Evaluator {
  const [k0, k1] = path.keys as [StaticKey, StaticKey];
  const [a0, a1] = path.links as readonly Span[] as [Span, Span];
  let c0: unknown, c1: unknown;
  let cs: unknown;
  return (s, f, c) => {
    let o: unknown;
    if (s === cs && hasOwn.call(s, rootName)) o = (s as Record<string, unknown>)[rootName];
    else {
      o = readRoot(s, f, c);
      if (rootName !== '') cs = s;
    }
    if (o == null) return missAt(path, 0, o, shortValue);
    if (o !== c0) {
      readStatic(o, k0, a0);
      if (typeof o === 'object') c0 = o;
    }
    o = hasOwn.call(o, k0) ? (o as Record<StaticKey, unknown>)[k0] : undefined;
    if (o == null) return missAt(path, 1, o, shortValue);
    if (o !== c1) {
      readStatic(o, k1, a1);
      if (typeof o === 'object') c1 = o;
    }
    o = hasOwn.call(o, k1) ? (o as Record<StaticKey, unknown>)[k1] : undefined;
    return o;
  };
}

// One function per length, each a separate piece of code with its own inline caches.
function path3(
  readRoot: Evaluator,
  rootName: string,
  path: StaticPath,
  shortValue: unknown,
): Evaluator {
  const [k0, k1, k2] = path.keys as [StaticKey, StaticKey, StaticKey];
  const [a0, a1, a2] = path.links as readonly Span[] as [Span, Span, Span];
  let c0: unknown, c1: unknown, c2: unknown;
  let cs: unknown;
  return (s, f, c) => {
    let o: unknown;
    if (s === cs && hasOwn.call(s, rootName)) o = (s as Record<string, unknown>)[rootName];
    else {
      o = readRoot(s, f, c);
      if (rootName !== '') cs = s;
    }
    if (o == null) return missAt(path, 0, o, shortValue);
    if (o !== c0) {
      readStatic(o, k0, a0);
      if (typeof o === 'object') c0 = o;
    }
    o = hasOwn.call(o, k0) ? (o as Record<StaticKey, unknown>)[k0] : undefined;
    if (o == null) return missAt(path, 1, o, shortValue);
    if (o !== c1) {
      readStatic(o, k1, a1);
      if (typeof o === 'object') c1 = o;
    }
    o = hasOwn.call(o, k1) ? (o as Record<StaticKey, unknown>)[k1] : undefined;
    if (o == null) return missAt(path, 2, o, shortValue);
    if (o !== c2) {
      readStatic(o, k2, a2);
      if (typeof o === 'object') c2 = o;
    }
    o = hasOwn.call(o, k2) ? (o as Record<StaticKey, unknown>)[k2] : undefined;
    return o;
  };
}

// One function per length, each a separate piece of code with its own inline caches.
function path4(
  readRoot: Evaluator,
  rootName: string,
  path: StaticPath,
  shortValue: unknown,
): Evaluator {
  const [k0, k1, k2, k3] = path.keys as [StaticKey, StaticKey, StaticKey, StaticKey];
  const [a0, a1, a2, a3] = path.links as readonly Span[] as [Span, Span, Span, Span];
  let c0: unknown, c1: unknown, c2: unknown, c3: unknown;
  let cs: unknown;
  return (s, f, c) => {
    let o: unknown;
    if (s === cs && hasOwn.call(s, rootName)) o = (s as Record<string, unknown>)[rootName];
    else {
      o = readRoot(s, f, c);
      if (rootName !== '') cs = s;
    }
    if (o == null) return missAt(path, 0, o, shortValue);
    if (o !== c0) {
      readStatic(o, k0, a0);
      if (typeof o === 'object') c0 = o;
    }
    o = hasOwn.call(o, k0) ? (o as Record<StaticKey, unknown>)[k0] : undefined;
    if (o == null) return missAt(path, 1, o, shortValue);
    if (o !== c1) {
      readStatic(o, k1, a1);
      if (typeof o === 'object') c1 = o;
    }
    o = hasOwn.call(o, k1) ? (o as Record<StaticKey, unknown>)[k1] : undefined;
    if (o == null) return missAt(path, 2, o, shortValue);
    if (o !== c2) {
      readStatic(o, k2, a2);
      if (typeof o === 'object') c2 = o;
    }
    o = hasOwn.call(o, k2) ? (o as Record<StaticKey, unknown>)[k2] : undefined;
    if (o == null) return missAt(path, 3, o, shortValue);
    if (o !== c3) {
      readStatic(o, k3, a3);
      if (typeof o === 'object') c3 = o;
    }
    o = hasOwn.call(o, k3) ? (o as Record<StaticKey, unknown>)[k3] : undefined;
    return o;
  };
}

// One function per length, each a separate piece of code with its own inline caches.
function path5(
  readRoot: Evaluator,
  rootName: string,
  path: StaticPath,
  shortValue: unknown,
): Evaluator {
  const [k0, k1, k2, k3, k4] = path.keys as [StaticKey, StaticKey, StaticKey, StaticKey, StaticKey];
  const [a0, a1, a2, a3, a4] = path.links as readonly Span[] as [Span, Span, Span, Span, Span];
  let c0: unknown, c1: unknown, c2: unknown, c3: unknown, c4: unknown;
  let cs: unknown;
  return (s, f, c) => {
    let o: unknown;
    if (s === cs && hasOwn.call(s, rootName)) o = (s as Record<string, unknown>)[rootName];
    else {
      o = readRoot(s, f, c);
      if (rootName !== '') cs = s;
    }
    if (o == null) return missAt(path, 0, o, shortValue);
    if (o !== c0) {
      readStatic(o, k0, a0);
      if (typeof o === 'object') c0 = o;
    }
    o = hasOwn.call(o, k0) ? (o as Record<StaticKey, unknown>)[k0] : undefined;
    if (o == null) return missAt(path, 1, o, shortValue);
    if (o !== c1) {
      readStatic(o, k1, a1);
      if (typeof o === 'object') c1 = o;
    }
    o = hasOwn.call(o, k1) ? (o as Record<StaticKey, unknown>)[k1] : undefined;
    if (o == null) return missAt(path, 2, o, shortValue);
    if (o !== c2) {
      readStatic(o, k2, a2);
      if (typeof o === 'object') c2 = o;
    }
    o = hasOwn.call(o, k2) ? (o as Record<StaticKey, unknown>)[k2] : undefined;
    if (o == null) return missAt(path, 3, o, shortValue);
    if (o !== c3) {
      readStatic(o, k3, a3);
      if (typeof o === 'object') c3 = o;
    }
    o = hasOwn.call(o, k3) ? (o as Record<StaticKey, unknown>)[k3] : undefined;
    if (o == null) return missAt(path, 4, o, shortValue);
    if (o !== c4) {
      readStatic(o, k4, a4);
      if (typeof o === 'object') c4 = o;
    }
    o = hasOwn.call(o, k4) ? (o as Record<StaticKey, unknown>)[k4] : undefined;
    return o;
  };
}

// One function per length, each a separate piece of code with its own inline caches.
function path6(
  readRoot: Evaluator,
  rootName: string,
  path: StaticPath,
  shortValue: unknown,
): Evaluator {
  const [k0, k1, k2, k3, k4, k5] = path.keys as [
    StaticKey,
    StaticKey,
    StaticKey,
    StaticKey,
    StaticKey,
    StaticKey,
  ];
  const [a0, a1, a2, a3, a4, a5] = path.links as readonly Span[] as [
    Span,
    Span,
    Span,
    Span,
    Span,
    Span,
  ];
  let c0: unknown, c1: unknown, c2: unknown, c3: unknown, c4: unknown, c5: unknown;
  let cs: unknown;
  return (s, f, c) => {
    let o: unknown;
    if (s === cs && hasOwn.call(s, rootName)) o = (s as Record<string, unknown>)[rootName];
    else {
      o = readRoot(s, f, c);
      if (rootName !== '') cs = s;
    }
    if (o == null) return missAt(path, 0, o, shortValue);
    if (o !== c0) {
      readStatic(o, k0, a0);
      if (typeof o === 'object') c0 = o;
    }
    o = hasOwn.call(o, k0) ? (o as Record<StaticKey, unknown>)[k0] : undefined;
    if (o == null) return missAt(path, 1, o, shortValue);
    if (o !== c1) {
      readStatic(o, k1, a1);
      if (typeof o === 'object') c1 = o;
    }
    o = hasOwn.call(o, k1) ? (o as Record<StaticKey, unknown>)[k1] : undefined;
    if (o == null) return missAt(path, 2, o, shortValue);
    if (o !== c2) {
      readStatic(o, k2, a2);
      if (typeof o === 'object') c2 = o;
    }
    o = hasOwn.call(o, k2) ? (o as Record<StaticKey, unknown>)[k2] : undefined;
    if (o == null) return missAt(path, 3, o, shortValue);
    if (o !== c3) {
      readStatic(o, k3, a3);
      if (typeof o === 'object') c3 = o;
    }
    o = hasOwn.call(o, k3) ? (o as Record<StaticKey, unknown>)[k3] : undefined;
    if (o == null) return missAt(path, 4, o, shortValue);
    if (o !== c4) {
      readStatic(o, k4, a4);
      if (typeof o === 'object') c4 = o;
    }
    o = hasOwn.call(o, k4) ? (o as Record<StaticKey, unknown>)[k4] : undefined;
    if (o == null) return missAt(path, 5, o, shortValue);
    if (o !== c5) {
      readStatic(o, k5, a5);
      if (typeof o === 'object') c5 = o;
    }
    o = hasOwn.call(o, k5) ? (o as Record<StaticKey, unknown>)[k5] : undefined;
    return o;
  };
}

// One function per length, each a separate piece of code with its own inline caches.
function path7(
  readRoot: Evaluator,
  rootName: string,
  path: StaticPath,
  shortValue: unknown,
): Evaluator {
  const [k0, k1, k2, k3, k4, k5, k6] = path.keys as [
    StaticKey,
    StaticKey,
    StaticKey,
    StaticKey,
    StaticKey,
    StaticKey,
    StaticKey,
  ];
  const [a0, a1, a2, a3, a4, a5, a6] = path.links as readonly Span[] as [
    Span,
    Span,
    Span,
    Span,
    Span,
    Span,
    Span,
  ];
  let c0: unknown, c1: unknown, c2: unknown, c3: unknown, c4: unknown, c5: unknown, c6: unknown;
  let cs: unknown;
  return (s, f, c) => {
    let o: unknown;
    if (s === cs && hasOwn.call(s, rootName)) o = (s as Record<string, unknown>)[rootName];
    else {
      o = readRoot(s, f, c);
      if (rootName !== '') cs = s;
    }
    if (o == null) return missAt(path, 0, o, shortValue);
    if (o !== c0) {
      readStatic(o, k0, a0);
      if (typeof o === 'object') c0 = o;
    }
    o = hasOwn.call(o, k0) ? (o as Record<StaticKey, unknown>)[k0] : undefined;
    if (o == null) return missAt(path, 1, o, shortValue);
    if (o !== c1) {
      readStatic(o, k1, a1);
      if (typeof o === 'object') c1 = o;
    }
    o = hasOwn.call(o, k1) ? (o as Record<StaticKey, unknown>)[k1] : undefined;
    if (o == null) return missAt(path, 2, o, shortValue);
    if (o !== c2) {
      readStatic(o, k2, a2);
      if (typeof o === 'object') c2 = o;
    }
    o = hasOwn.call(o, k2) ? (o as Record<StaticKey, unknown>)[k2] : undefined;
    if (o == null) return missAt(path, 3, o, shortValue);
    if (o !== c3) {
      readStatic(o, k3, a3);
      if (typeof o === 'object') c3 = o;
    }
    o = hasOwn.call(o, k3) ? (o as Record<StaticKey, unknown>)[k3] : undefined;
    if (o == null) return missAt(path, 4, o, shortValue);
    if (o !== c4) {
      readStatic(o, k4, a4);
      if (typeof o === 'object') c4 = o;
    }
    o = hasOwn.call(o, k4) ? (o as Record<StaticKey, unknown>)[k4] : undefined;
    if (o == null) return missAt(path, 5, o, shortValue);
    if (o !== c5) {
      readStatic(o, k5, a5);
      if (typeof o === 'object') c5 = o;
    }
    o = hasOwn.call(o, k5) ? (o as Record<StaticKey, unknown>)[k5] : undefined;
    if (o == null) return missAt(path, 6, o, shortValue);
    if (o !== c6) {
      readStatic(o, k6, a6);
      if (typeof o === 'object') c6 = o;
    }
    o = hasOwn.call(o, k6) ? (o as Record<StaticKey, unknown>)[k6] : undefined;
    return o;
  };
}

// One function per length, each a separate piece of code with its own inline caches.
function path8(
  readRoot: Evaluator,
  rootName: string,
  path: StaticPath,
  shortValue: unknown,
): Evaluator {
  const [k0, k1, k2, k3, k4, k5, k6, k7] = path.keys as [
    StaticKey,
    StaticKey,
    StaticKey,
    StaticKey,
    StaticKey,
    StaticKey,
    StaticKey,
    StaticKey,
  ];
  const [a0, a1, a2, a3, a4, a5, a6, a7] = path.links as readonly Span[] as [
    Span,
    Span,
    Span,
    Span,
    Span,
    Span,
    Span,
    Span,
  ];
  let c0: unknown,
    c1: unknown,
    c2: unknown,
    c3: unknown,
    c4: unknown,
    c5: unknown,
    c6: unknown,
    c7: unknown;
  let cs: unknown;
  return (s, f, c) => {
    let o: unknown;
    if (s === cs && hasOwn.call(s, rootName)) o = (s as Record<string, unknown>)[rootName];
    else {
      o = readRoot(s, f, c);
      if (rootName !== '') cs = s;
    }
    if (o == null) return missAt(path, 0, o, shortValue);
    if (o !== c0) {
      readStatic(o, k0, a0);
      if (typeof o === 'object') c0 = o;
    }
    o = hasOwn.call(o, k0) ? (o as Record<StaticKey, unknown>)[k0] : undefined;
    if (o == null) return missAt(path, 1, o, shortValue);
    if (o !== c1) {
      readStatic(o, k1, a1);
      if (typeof o === 'object') c1 = o;
    }
    o = hasOwn.call(o, k1) ? (o as Record<StaticKey, unknown>)[k1] : undefined;
    if (o == null) return missAt(path, 2, o, shortValue);
    if (o !== c2) {
      readStatic(o, k2, a2);
      if (typeof o === 'object') c2 = o;
    }
    o = hasOwn.call(o, k2) ? (o as Record<StaticKey, unknown>)[k2] : undefined;
    if (o == null) return missAt(path, 3, o, shortValue);
    if (o !== c3) {
      readStatic(o, k3, a3);
      if (typeof o === 'object') c3 = o;
    }
    o = hasOwn.call(o, k3) ? (o as Record<StaticKey, unknown>)[k3] : undefined;
    if (o == null) return missAt(path, 4, o, shortValue);
    if (o !== c4) {
      readStatic(o, k4, a4);
      if (typeof o === 'object') c4 = o;
    }
    o = hasOwn.call(o, k4) ? (o as Record<StaticKey, unknown>)[k4] : undefined;
    if (o == null) return missAt(path, 5, o, shortValue);
    if (o !== c5) {
      readStatic(o, k5, a5);
      if (typeof o === 'object') c5 = o;
    }
    o = hasOwn.call(o, k5) ? (o as Record<StaticKey, unknown>)[k5] : undefined;
    if (o == null) return missAt(path, 6, o, shortValue);
    if (o !== c6) {
      readStatic(o, k6, a6);
      if (typeof o === 'object') c6 = o;
    }
    o = hasOwn.call(o, k6) ? (o as Record<StaticKey, unknown>)[k6] : undefined;
    if (o == null) return missAt(path, 7, o, shortValue);
    if (o !== c7) {
      readStatic(o, k7, a7);
      if (typeof o === 'object') c7 = o;
    }
    o = hasOwn.call(o, k7) ? (o as Record<StaticKey, unknown>)[k7] : undefined;
    return o;
  };
}

const PATHS = [path1, path2, path3, path4, path5, path6, path7, path8];

/** A nullish value at link `i`: short-circuit when that link is `?.`, else a reference error. */
function missAt(path: StaticPath, i: number, o: unknown, shortValue: unknown): unknown {
  const link = path.links[i] as MemberNode | IndexNode;
  if (link.optional) return shortValue;
  throw nullishError(link.object, o, readAction(path.keys[i]), link);
}

/** Paths longer than eight keys: the same reads in a loop, without the caches. */
function compileLongPath(
  root: RootName | Evaluator,
  path: StaticPath,
  shortValue: unknown,
): Evaluator {
  const readRoot = typeof root === 'string' ? compileRoot(root, path.root) : root;
  const { keys, links } = path;
  return (s: ScopeRecord, f: Frame, c: EvalContext) => {
    let o = readRoot(s, f, c);
    for (let i = 0; i < keys.length; i++) {
      const link = links[i] as MemberNode | IndexNode;
      if (o == null) {
        if (link.optional) return shortValue;
        throw nullishError(link.object, o, readAction(keys[i]), link);
      }
      o = readStatic(o, keys[i] as StaticKey, link);
    }
    return o;
  };
}

/** `object.key` / `object[key]` over an arbitrary object expression. */
export function compileLink(
  node: MemberNode | IndexNode,
  object: Evaluator,
  index: Evaluator | undefined,
): Evaluator {
  const optional = node.optional;
  const key = staticKeyOf(node);
  if (key !== undefined) {
    const numeric = typeof key === 'number';
    return (s, f, c) => {
      const o = object(s, f, c);
      if (o === SHORT) return SHORT;
      if (o == null) {
        if (optional) return SHORT;
        throw nullishError(node.object, o, readAction(key), node);
      }
      return numeric ? readIndex(o, key, node) : readKey(o, key, node);
    };
  }
  const indexNode = (node as IndexNode).index;
  const computeKey = index as Evaluator;
  return (s, f, c) => {
    const o = object(s, f, c);
    if (o === SHORT) return SHORT;
    if (o == null) {
      if (optional) return SHORT;
      throw nullishError(node.object, o, `read [${printExpression(indexNode)}]`, node);
    }
    return readComputed(o, computeKey(s, f, c), node, indexNode);
  };
}

/** Ends an optional chain: a short-circuit becomes undefined. */
export function compileChainEnd(inner: Evaluator): Evaluator {
  return (s, f, c) => {
    const v = inner(s, f, c);
    return v === SHORT ? undefined : v;
  };
}

export { isRoot };
