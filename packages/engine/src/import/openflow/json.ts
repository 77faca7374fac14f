import type { JsonValue } from '../../model/flow.ts';

/**
 * Tolerant readers for untrusted JSON. The importer never assumes a shape: it asks for a
 * field of a type and gets `undefined` when the document has something else, so malformed
 * input degrades into diagnostics instead of exceptions.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number (NaN and infinities are not JSON). */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** Own enumerable entries of an object, safe against getters that throw. */
export function entriesOf(value: JsonObject): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const key of Object.keys(value)) {
    let v: unknown;
    try {
      v = value[key];
    } catch {
      v = undefined;
    }
    out.push([key, v]);
  }
  return out;
}

/** Reads a field without letting a throwing getter (a hostile Proxy) escape. */
export function field(holder: JsonObject | undefined, key: string): unknown {
  if (holder === undefined) return undefined;
  try {
    return Object.prototype.hasOwnProperty.call(holder, key) ? holder[key] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sets an own property even when the key is `__proto__`: documents come from JSON.parse, which
 * makes such keys own data properties, and plain assignment would change the prototype instead.
 */
export function setKey<T>(target: { [key: string]: T }, key: string, value: T): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

const MAX_DEPTH = 200;

/**
 * A deep copy that is plain JSON: `undefined` members are dropped, non-finite numbers and
 * functions become null, cycles and excessive depth are cut (null). `map` rewrites strings
 * (the importer escapes `$<` in literal values).
 */
export function toJsonValue(
  value: unknown,
  map: (text: string) => string = (text) => text,
  seen: Set<object> = new Set(),
  depth = 0,
): JsonValue {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return map(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      return null;
  }
  if (seen.has(value) || depth >= MAX_DEPTH) return null;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const out: JsonValue[] = [];
      for (let i = 0; i < value.length; i++) {
        let item: unknown;
        try {
          item = value[i];
        } catch {
          item = null;
        }
        out.push(item === undefined ? null : toJsonValue(item, map, seen, depth + 1));
      }
      return out;
    }
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of entriesOf(value as JsonObject)) {
      if (item === undefined || typeof item === 'function') continue;
      setKey(out, key, toJsonValue(item, map, seen, depth + 1));
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
