import { MillraceError } from '../../errors/millrace-error.ts';
import type { AliasWeight } from '../../store/flow-state.ts';

/** What setAlias takes: one version, or a traffic split whose percentages sum to 100. */
export type AliasTarget =
  { readonly version: number } | { readonly versions: readonly AliasWeight[] };

/** Alias names: the id alphabet (they appear in URLs and run records). */
const ALIAS_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Checks an alias target against the flow's versions and returns its stored form (a list of
 * weights). E_INVALID_ARGUMENT (with a path into the target) for a bad name, share or sum;
 * E_FLOW_VERSION_NOT_FOUND for a version the flow does not have.
 */
export function aliasWeights(
  flowId: string,
  name: string,
  target: AliasTarget,
  versions: readonly number[],
): AliasWeight[] {
  if (typeof name !== 'string' || !ALIAS_NAME.test(name)) {
    throw new MillraceError(
      'E_INVALID_ARGUMENT',
      `An alias name is letters, digits, "-", "_" and "." (got ${JSON.stringify(name)}).`,
    );
  }
  const list: AliasWeight[] =
    target && 'versions' in target && Array.isArray(target.versions)
      ? target.versions.map((w) => ({ version: w?.version, percent: w?.percent }))
      : [
          {
            version: (target as { version?: number } | undefined)?.version as number,
            percent: 100,
          },
        ];
  const single = !(target && 'versions' in target);
  if (list.length === 0) {
    throw new MillraceError(
      'E_INVALID_ARGUMENT',
      `Alias "${name}" of "${flowId}" needs at least one version.`,
      { path: '/versions' },
    );
  }
  const seen = new Set<number>();
  list.forEach((w, i) => {
    const at = single ? '/version' : `/versions/${i}`;
    if (!Number.isInteger(w.version) || w.version < 1) {
      throw new MillraceError(
        'E_INVALID_ARGUMENT',
        `Alias "${name}": a version is a whole number from 1 (got ${JSON.stringify(w.version)}).`,
        { path: single ? at : `${at}/version` },
      );
    }
    if (!versions.includes(w.version)) {
      throw new MillraceError(
        'E_FLOW_VERSION_NOT_FOUND',
        `Alias "${name}": flow "${flowId}" has no version ${w.version} (it has ${versions.join(', ') || 'none'}).`,
        { path: single ? at : `${at}/version`, details: { flowId, version: w.version } },
      );
    }
    if (seen.has(w.version)) {
      throw new MillraceError(
        'E_INVALID_ARGUMENT',
        `Alias "${name}": version ${w.version} is listed twice.`,
        { path: `${at}/version` },
      );
    }
    seen.add(w.version);
    if (typeof w.percent !== 'number' || !(w.percent >= 0 && w.percent <= 100)) {
      throw new MillraceError(
        'E_INVALID_ARGUMENT',
        `Alias "${name}": a percent is a number from 0 to 100 (got ${JSON.stringify(w.percent)}).`,
        { path: `${at}/percent` },
      );
    }
  });
  const sum = list.reduce((total, w) => total + w.percent, 0);
  // Shares are compared in hundredths of a percent, the resolution of the run-id buckets.
  if (Math.round(sum * 100) !== 10_000) {
    throw new MillraceError(
      'E_INVALID_ARGUMENT',
      `Alias "${name}": the percentages sum to ${sum}; they must sum to 100.`,
      { path: '/versions' },
    );
  }
  return list;
}

/**
 * The bucket of a run id, 0–9999: FNV-1a (32 bit) of its UTF-16 code units. Stable across
 * engines, processes and releases, so a run id always lands in the same bucket.
 */
export function runBucket(runId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    hash ^= runId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 10_000;
}

/**
 * The version a run takes through an alias: the weights in their stored order cover the
 * buckets 0–9999 by their share, and the run id's bucket picks one (deterministic per run id).
 *
 * @example
 * pickVersion([{ version: 1, percent: 90 }, { version: 2, percent: 10 }], 'run-42'); // 1 or 2, always the same
 */
export function pickVersion(weights: readonly AliasWeight[], runId: string): number {
  if (weights.length === 1) return weights[0]!.version;
  const bucket = runBucket(runId);
  let upTo = 0;
  for (const w of weights) {
    upTo += Math.round(w.percent * 100);
    if (bucket < upTo) return w.version;
  }
  // Rounding left the last buckets uncovered: they belong to the last version with a share.
  return [...weights].reverse().find((w) => w.percent > 0)!.version;
}
