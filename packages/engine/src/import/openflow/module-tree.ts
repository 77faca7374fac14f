import type { IdRegistry } from './ids.ts';
import { asArray, asObject, asString, field, isObject, type JsonObject } from './json.ts';
import { at, type Reporter } from './reporter.ts';

/** A list of modules nested in a module value (a loop body, a branch). */
export interface ModuleList {
  readonly modules: readonly unknown[];
  /** Pointer of the array. */
  readonly pointer: string;
  /** Generated ids of its modules: `<prefix><index>`. */
  readonly prefix: (parentId: string) => string;
  readonly kind: 'loop' | 'branch';
}

/** The module lists directly inside a module (not deeper). */
export function childLists(module: JsonObject, pointer: string): ModuleList[] {
  const value = asObject(field(module, 'value'));
  if (!value) return [];
  const valueAt = at(pointer, 'value');
  const type = field(value, 'type');
  const lists: ModuleList[] = [];
  if (type === 'forloopflow' || type === 'whileloopflow') {
    const modules = asArray(field(value, 'modules'));
    if (modules)
      lists.push({
        modules,
        pointer: at(valueAt, 'modules'),
        prefix: (p) => `${p}_`,
        kind: 'loop',
      });
  } else if (type === 'branchone' || type === 'branchall') {
    (asArray(field(value, 'branches')) ?? []).forEach((branch, j) => {
      const modules = asArray(field(asObject(branch), 'modules'));
      if (modules) {
        lists.push({
          modules,
          pointer: at(valueAt, 'branches', j, 'modules'),
          prefix: (p) => `${p}_b${j}_`,
          kind: 'branch',
        });
      }
    });
    const fallback = type === 'branchone' ? asArray(field(value, 'default')) : undefined;
    if (fallback) {
      lists.push({
        modules: fallback,
        pointer: at(valueAt, 'default'),
        prefix: (p) => `${p}_default_`,
        kind: 'branch',
      });
    }
  }
  return lists;
}

interface Root {
  readonly modules: readonly unknown[];
  readonly pointerAt: (index: number) => string;
  readonly base: (index: number) => string;
}

/**
 * Claims an id for every module of the document: first every given id in document order,
 * then generated ids (pre-order, so a parent's id exists before its children's are derived).
 */
export function assignModuleIds(
  flowValue: JsonObject,
  valuePointer: string,
  ids: IdRegistry,
  reporter: Reporter,
): void {
  const roots: Root[] = [];
  const top = asArray(field(flowValue, 'modules'));
  if (top)
    roots.push({
      modules: top,
      pointerAt: (i) => at(valuePointer, 'modules', i),
      base: (i) => `m${i}`,
    });
  for (const special of ['failure_module', 'preprocessor_module'] as const) {
    const module = field(flowValue, special);
    if (isObject(module)) {
      const name = special === 'failure_module' ? 'failure' : 'preprocessor';
      roots.push({
        modules: [module],
        pointerAt: () => at(valuePointer, special),
        base: () => name,
      });
    }
  }
  // Pass 1: given ids.
  const claimGiven = (module: unknown, pointer: string): void => {
    const m = asObject(module);
    if (!m) return;
    const original = field(m, 'id');
    if (typeof original === 'string' && original !== '') {
      const claim = ids.claimGiven(pointer, original);
      if (claim.duplicate) {
        reporter.lossy(
          at(pointer, 'id'),
          `Two steps use the id "${original}"; this one became "${claim.id}" and results.${original} reads the first one.`,
          claim.id,
        );
      } else if (claim.sanitized) {
        reporter.lossy(
          at(pointer, 'id'),
          `The step id "${original}" has characters Millrace ids may not use; it became "${claim.id}" (references were rewritten).`,
          claim.id,
        );
      }
    } else if (original !== undefined && original !== '') {
      reporter.lossy(
        at(pointer, 'id'),
        `A step id must be a string, not ${JSON.stringify(original) ?? typeof original}; an id was generated.`,
      );
    }
    for (const list of childLists(m, pointer))
      list.modules.forEach((child, k) => claimGiven(child, at(list.pointer, k)));
  };
  for (const root of roots) root.modules.forEach((m, i) => claimGiven(m, root.pointerAt(i)));

  // Pass 2: generated ids, parents first.
  const claimMissing = (module: unknown, pointer: string, base: string): void => {
    const m = asObject(module);
    if (!m) return;
    const id = ids.idAt(pointer) ?? ids.claimGenerated(pointer, base);
    for (const list of childLists(m, pointer)) {
      list.modules.forEach((child, k) =>
        claimMissing(child, at(list.pointer, k), `${list.prefix(id)}${k}`),
      );
    }
  };
  for (const root of roots)
    root.modules.forEach((m, i) => claimMissing(m, root.pointerAt(i), root.base(i)));
}

/**
 * True when a module list (or any module nested in it, except inside nested loops) has an
 * early stop: such stops end the enclosing loop's iteration and break the loop.
 */
export function hasStops(modules: readonly unknown[], pointer: string): boolean {
  return modules.some((module, k) => {
    const m = asObject(module);
    if (!m) return false;
    // A mocked step runs as an identity: its stop_after_if is a plain early stop.
    const mocked = field(asObject(field(m, 'mock')), 'enabled') === true;
    const type = mocked ? 'identity' : field(asObject(field(m, 'value')), 'type');
    const isLoop = type === 'forloopflow' || type === 'whileloopflow';
    // A loop's own stop_after_if breaks that loop; only stop_after_all_iters_if stops around it.
    if (!isLoop && hasExpr(field(m, 'stop_after_if')) && type !== 'branchall') return true;
    if ((isLoop || type === 'branchall') && hasExpr(field(m, 'stop_after_all_iters_if')))
      return true;
    if (isLoop || mocked) return false;
    const here = at(pointer, k);
    return childLists(m, here).some((list) => hasStops(list.modules, list.pointer));
  });
}

function hasExpr(stop: unknown): boolean {
  const expr = asString(field(asObject(stop), 'expr'));
  return expr !== undefined && expr.trim() !== '';
}
