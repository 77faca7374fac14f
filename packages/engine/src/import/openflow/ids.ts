/**
 * Stable, unique Millrace ids for imported steps.
 *
 * - Given OpenFlow ids are kept, sanitized to `^[A-Za-z0-9_.-]+$` (other characters become
 *   `_`); `results.<original>` references are rewritten through `resolve`.
 * - Missing ids are generated from the module's position: `m<i>` at the top level,
 *   `<parent>_<k>` in a loop body, `<parent>_b<j>_<k>` in branch `j`, `<parent>_default_<k>` in
 *   a branchone's default branch, `failure` and `preprocessor` for the special modules.
 * - Helper nodes the importer adds are `<owner>__<role>` (`a__stop`, `loop__items`).
 *
 * Given ids are all claimed before any id is generated, so a generated id never takes an id the
 * document uses; collisions get a `_2`, `_3`... suffix. The same document always yields the
 * same ids.
 */

const ID_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** Replaces characters an id may not contain with `_` (`my step!` -> `my_step_`). */
export function sanitizeId(raw: string): string {
  const cleaned = raw.replace(/[^A-Za-z0-9_.-]+/g, '_');
  return cleaned === '' ? 'step' : cleaned;
}

/**
 * The Millrace flow id for a Windmill flow path (`flow` modules): `/` becomes `.`, other
 * characters outside `[A-Za-z0-9_.-]` become `_`. `f/billing/send_invoice` ->
 * `f.billing.send_invoice`. Hosts deploy the referenced flows under these ids (or pass
 * `flowIdForPath`).
 */
export function openFlowPathToFlowId(path: string): string {
  const id = path
    .trim()
    .replace(/\/+/g, '.')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^\.+|\.+$/g, '');
  return id === '' ? 'flow' : id;
}

/** A lowercase slug for a flow id derived from a summary (`Daily Report!` -> `daily-report`). */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
}

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export interface ClaimResult {
  readonly id: string;
  /** The given id had characters an id may not contain. */
  readonly sanitized: boolean;
  /** The given id was already used by an earlier module. */
  readonly duplicate: boolean;
}

export class IdRegistry {
  private readonly used = new Set<string>();
  private readonly byOriginal = new Map<string, string>();
  private readonly byPointer = new Map<string, string>();

  /** Claims a module's own id; the first module with an original id owns `results.<original>`. */
  claimGiven(pointer: string, original: string): ClaimResult {
    const clean = sanitizeId(original);
    const duplicate = this.used.has(clean);
    const id = duplicate ? this.unique(clean) : clean;
    this.used.add(id);
    this.byPointer.set(pointer, id);
    if (!this.byOriginal.has(original)) this.byOriginal.set(original, id);
    return { id, sanitized: clean !== original, duplicate };
  }

  /** Claims a generated id for a module without one. */
  claimGenerated(pointer: string, base: string): string {
    const id = this.unique(sanitizeId(base));
    this.used.add(id);
    this.byPointer.set(pointer, id);
    return id;
  }

  /** The id claimed for the module at `pointer`. */
  idAt(pointer: string): string | undefined {
    return this.byPointer.get(pointer);
  }

  /** The Millrace id of the module whose OpenFlow id is `original`. */
  resolve(original: string): string | undefined {
    return this.byOriginal.get(original);
  }

  /** A helper node id `<owner>__<role>`, unique. */
  derived(owner: string, role: string): string {
    const id = this.unique(`${owner}__${sanitizeId(role)}`);
    this.used.add(id);
    return id;
  }

  /** True when `id` is taken. */
  has(id: string): boolean {
    return this.used.has(id);
  }

  private unique(base: string): string {
    if (!this.used.has(base)) return base;
    for (let n = 2; ; n++) {
      const candidate = `${base}_${n}`;
      if (!this.used.has(candidate)) return candidate;
    }
  }
}
