/** The text that replaces a secret in every stored record and log. */
export const REDACTED = '[secret]';

/**
 * Replaces every occurrence of the given secret values inside `value` (deeply, in strings and
 * keys) with `[secret]`. Returns `value` itself when nothing needed replacing.
 */
export function redact<T>(value: T, secrets: readonly string[]): T {
  const list = secrets.filter((s) => s.length > 0);
  if (list.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let out = v;
      for (const s of list) if (out.includes(s)) out = out.split(s).join(REDACTED);
      return out;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) {
        Object.defineProperty(out, walk(k) as string, {
          value: walk(inner),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
