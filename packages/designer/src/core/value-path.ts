/**
 * Immutable edits of JSON values by path: copies along the path, never mutation. The panel's
 * edits are `(path, value)` pairs; these apply them (and the designer's commands may too).
 */

/** A path inside a value (`['input', 'headers', 'Accept']`, `['cases', 0, 'when']`). */
export type FieldPath = readonly (string | number)[];

/**
 * `value` with `newValue` at `path`, copying every object and array on the way (nothing is
 * mutated). Missing containers are created (an array for a number segment). `undefined`
 * removes: an object key is deleted, an array item spliced out.
 *
 * @example
 * setAt({ a: { b: 1 } }, ['a', 'c'], 2) // → { a: { b: 1, c: 2 } }
 */
export function setAt(value: unknown, path: FieldPath, newValue: unknown): unknown {
  if (newValue === undefined) return removeAt(value, path);
  if (path.length === 0) return newValue;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof head === 'number' && (Array.isArray(value) || !isPlainObject(value))) {
    const copy = Array.isArray(value) ? [...(value as unknown[])] : [];
    while (copy.length < head) copy.push(null); // no holes: JSON has none
    copy[head] = setAt(copy[head], rest, newValue);
    return copy;
  }
  const copy: Record<string, unknown> = isPlainObject(value) ? { ...value } : {};
  copy[String(head)] = setAt(copy[String(head)], rest, newValue);
  return copy;
}

/** `value` without what is at `path` (array items spliced out); `value` itself when absent. */
export function removeAt(value: unknown, path: FieldPath): unknown {
  if (path.length === 0) return undefined;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const index = typeof head === 'number' ? head : Number(head);
    if (!Number.isInteger(index) || index < 0 || index >= value.length) return value;
    const copy = [...(value as unknown[])];
    if (rest.length === 0) copy.splice(index, 1);
    else {
      const next = removeAt(copy[index], rest);
      if (next === copy[index]) return value;
      copy[index] = next;
    }
    return copy;
  }
  if (!isPlainObject(value) || !Object.hasOwn(value, String(head))) return value;
  const key = String(head);
  if (rest.length === 0) {
    const { [key]: _removed, ...others } = value;
    return others;
  }
  const next = removeAt(value[key], rest);
  return next === value[key] ? value : { ...value, [key]: next };
}

/** The value at `path`, or undefined. */
export function valueAt(value: unknown, path: FieldPath): unknown {
  let at = value;
  for (const segment of path) {
    if (Array.isArray(at)) at = at[Number(segment)];
    else if (isPlainObject(at)) at = at[String(segment)];
    else return undefined;
  }
  return at;
}

/** The field at `path` in a form tree (a oneOf resolves to its chosen variant's field). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
