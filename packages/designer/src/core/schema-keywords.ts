import type { JsonSchema, JsonValue } from '@millrace/engine/model';

/**
 * The JSON Schema keywords the form model reads: `$ref` / `allOf` resolution, `type`,
 * variant lists, and the small typed accessors over schema objects. Pure, DOM-free.
 */

/** A schema object after `$ref` and `allOf` are resolved. */
export type SchemaObject = { readonly [keyword: string]: unknown };

/** True for a string holding an expression (`$<...>`). */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.includes('$<');
}

// ---------------------------------------------------------------------------------------------
// Schema resolution

export interface Resolved {
  readonly schema: SchemaObject;
  /** The `$ref`s followed to get there. */
  readonly refs: readonly string[];
}

/** Resolves `$ref` (local `#/$defs/...`, `#/definitions/...`, any `#/...` pointer) and `allOf`. */
export function resolveSchema(
  schema: JsonSchema | undefined,
  root: JsonSchema = schema ?? true,
): Resolved {
  let current: SchemaObject = asObject(schema);
  const refs: string[] = [];
  // Bounded: a chain of refs pointing at each other resolves to an empty (json) schema.
  for (let hops = 0; typeof current['$ref'] === 'string' && hops < 32; hops++) {
    const ref = current['$ref'];
    refs.push(ref);
    const target = refs.indexOf(ref) < refs.length - 1 ? undefined : lookUp(root, ref);
    const { $ref: _ref, ...siblings } = current;
    current = target === undefined ? siblings : { ...asObject(target), ...siblings };
  }
  if (typeof current['$ref'] === 'string') {
    const { $ref: _ref, ...rest } = current;
    current = rest;
  }
  if (Array.isArray(current['allOf'])) {
    const { allOf, ...base } = current;
    current = (allOf as JsonSchema[]).reduce<SchemaObject>(
      (acc, part) => mergeSchemas(acc, resolveSchema(part, root).schema),
      base,
    );
  }
  return { schema: current, refs };
}

export function lookUp(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (!ref.startsWith('#')) return undefined; // remote refs are not fetched
  const tokens = ref === '#' ? [] : ref.slice(1).split('/').slice(1);
  let at: unknown = root;
  for (const raw of tokens) {
    const token = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, token)) return undefined;
    at = (at as Record<string, unknown>)[token];
  }
  return typeof at === 'boolean' || isPlainObject(at) ? (at as JsonSchema) : undefined;
}

/** `extra` on top of `base`: properties merged, required concatenated, other keywords replaced. */
export function mergeSchemas(base: SchemaObject, extra: SchemaObject): SchemaObject {
  const merged: Record<string, unknown> = { ...base, ...extra };
  if (isPlainObject(base['properties']) || isPlainObject(extra['properties'])) {
    merged['properties'] = {
      ...asRecord(base['properties']),
      ...asRecord(extra['properties']),
    };
  }
  const required = [...stringList(base['required']), ...stringList(extra['required'])];
  if (required.length > 0) merged['required'] = [...new Set(required)];
  return merged;
}

export function variantsOf(schema: SchemaObject): JsonSchema[] | undefined {
  if (Array.isArray(schema['oneOf'])) return schema['oneOf'] as JsonSchema[];
  if (Array.isArray(schema['anyOf'])) return schema['anyOf'] as JsonSchema[];
  return undefined;
}

const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'deprecated']);
const CONSTRAINTS = new Set([
  'required',
  'not',
  'minProperties',
  'maxProperties',
  'dependentRequired',
]);

export function isConstOnly(schema: SchemaObject): boolean {
  return 'const' in schema && Object.keys(schema).every((k) => k === 'const' || ANNOTATIONS.has(k));
}

export function isConstraintOnly(schema: SchemaObject): boolean {
  return Object.keys(schema).every((k) => CONSTRAINTS.has(k) || ANNOTATIONS.has(k));
}

export function typesOf(schema: SchemaObject): string[] {
  const t = schema['type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

export function inferType(schema: SchemaObject): string | undefined {
  if (isPlainObject(schema['properties']) || 'additionalProperties' in schema) return 'object';
  if ('items' in schema || 'prefixItems' in schema) return 'array';
  if ('minimum' in schema || 'maximum' in schema) return 'number';
  if ('minLength' in schema || 'pattern' in schema) return 'string';
  return undefined;
}

export function fits(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' || isExpression(value);
    case 'integer':
      return (typeof value === 'number' && Number.isInteger(value)) || isExpression(value);
    case 'boolean':
      return typeof value === 'boolean' || isExpression(value);
    case 'object':
      return isPlainObject(value) || isExpression(value);
    case 'array':
      return Array.isArray(value) || isExpression(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asObject(schema: JsonSchema | undefined | unknown): SchemaObject {
  return isPlainObject(schema) ? schema : {};
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
}

export function labelOfValue(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
