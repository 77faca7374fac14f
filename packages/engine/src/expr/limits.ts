/**
 * The budgets every expression runs under. They exist because flow definitions come from end
 * users of an embedding product: one expression must never hang the engine, blow the stack or
 * allocate gigabytes, whatever it is asked to do.
 */
export interface ExpressionLimits {
  /**
   * Work budget per evaluation. Every arrow-function call charges the size of its body, so
   * `items.map(...)` over a huge array or nested callbacks stop with `E_EXPR_LIMIT`.
   */
  readonly maxSteps: number;
  /** Maximum nesting of the expression source (parentheses, operators, member chains). */
  readonly maxDepth: number;
  /** Longest string an expression may produce (UTF-16 code units). */
  readonly maxStringLength: number;
  /** Longest array an expression may produce. */
  readonly maxArrayLength: number;
  /** Deepest data an expression may walk recursively (`json`, `equals`, `flat`). */
  readonly maxDataDepth: number;
}

export const DEFAULT_LIMITS: ExpressionLimits = Object.freeze({
  maxSteps: 100_000,
  maxDepth: 200,
  maxStringLength: 1_000_000,
  maxArrayLength: 100_000,
  maxDataDepth: 200,
});

/** Fills in defaults and rejects nonsense such as negative or NaN budgets. */
export function resolveLimits(limits: Partial<ExpressionLimits> | undefined): ExpressionLimits {
  if (limits === undefined) return DEFAULT_LIMITS;
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ExpressionLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 1)) {
      throw new RangeError(`Expression limit ${key} must be a number >= 1, got ${String(value)}`);
    }
    out[key] = value;
  }
  return Object.freeze(out) as unknown as ExpressionLimits;
}
