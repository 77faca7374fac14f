import { ARRAY_METHODS } from './array-methods.ts';
import { FLOW_FIELDS, NODE_FIELDS } from './roots.ts';
import { NUMBER_METHODS, STRING_METHODS } from './string-methods.ts';

/**
 * What completion knows about a value: a JSON Schema (an action's output schema), sample
 * data (the last run), or a fixed set of fields (`nodes`, `nodes.x`, `flow`). Only ever read,
 * never evaluated: completion must work without running anything.
 */
export type Shape =
  | { readonly kind: 'fields'; readonly fields: readonly ShapeField[] }
  | {
      readonly kind: 'value';
      readonly schema?: JsonSchema;
      readonly sample?: unknown;
      readonly hasSample: boolean;
    };

export interface ShapeField {
  readonly name: string;
  readonly detail?: string;
  readonly kind: 'node' | 'field';
  readonly shape?: Shape;
}

/** The subset of JSON Schema that completion reads. */
export type JsonSchema = { readonly [key: string]: unknown };

export type ValueType = 'array' | 'string' | 'number' | 'boolean' | 'object' | 'null' | undefined;

export function valueShape(
  schema: JsonSchema | undefined,
  sample: unknown,
  hasSample: boolean,
): Shape | undefined {
  if (schema === undefined && !hasSample) return undefined;
  return { kind: 'value', ...(schema === undefined ? {} : { schema }), sample, hasSample };
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema with local `$ref`s resolved and allOf/anyOf/oneOf branches listed. */
function variants(schema: JsonSchema, root: JsonSchema, depth = 0): JsonSchema[] {
  if (depth > 10) return [];
  const ref = schema['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    let target: unknown = root;
    for (const part of ref.slice(2).split('/'))
      target = isSchema(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    return isSchema(target) ? variants(target, root, depth + 1) : [];
  }
  const out = [schema];
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[key];
    if (Array.isArray(list))
      for (const s of list) if (isSchema(s)) out.push(...variants(s, root, depth + 1));
  }
  return out;
}

function schemaTypes(schema: JsonSchema, root: JsonSchema): Set<string> {
  const types = new Set<string>();
  for (const v of variants(schema, root)) {
    const t = v['type'];
    if (typeof t === 'string') types.add(t);
    else if (Array.isArray(t)) {
      for (const x of t) if (typeof x === 'string') types.add(x);
    } else if (isSchema(v['properties'])) types.add('object');
    else if (v['items'] !== undefined) types.add('array');
  }
  return types;
}

function sampleType(value: unknown): ValueType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'object' ? t : undefined;
}

interface ValueShape {
  readonly schema?: JsonSchema;
  readonly sample?: unknown;
  readonly hasSample: boolean;
  readonly root?: JsonSchema;
}

/** The type of the value a shape describes, when it is known and unambiguous. */
export function shapeType(shape: Shape | undefined): ValueType {
  if (shape === undefined) return undefined;
  if (shape.kind === 'fields') return 'object';
  if (shape.hasSample) return sampleType(shape.sample);
  if (shape.schema === undefined) return undefined;
  const types = [...schemaTypes(shape.schema, rootOf(shape))].filter((t) => t !== 'null');
  if (types.length !== 1) return undefined;
  const t = types[0];
  return t === 'integer' ? 'number' : (t as ValueType);
}

function rootOf(shape: Shape & { kind: 'value' }): JsonSchema {
  return (shape as ValueShape).root ?? (shape.schema as JsonSchema);
}

function withRoot(
  schema: unknown,
  root: JsonSchema,
  sample: unknown,
  hasSample: boolean,
): Shape | undefined {
  const s = isSchema(schema) ? schema : undefined;
  if (s === undefined && !hasSample) return undefined;
  const shape: ValueShape = { ...(s === undefined ? {} : { schema: s }), sample, hasSample, root };
  return { kind: 'value', ...shape };
}

/** The shape of `shape[key]`. */
export function childShape(shape: Shape | undefined, key: string | number): Shape | undefined {
  if (shape === undefined) return undefined;
  if (shape.kind === 'fields') return shape.fields.find((f) => f.name === String(key))?.shape;
  const root = shape.schema === undefined ? {} : rootOf(shape);
  const sample =
    shape.hasSample && typeof shape.sample === 'object' && shape.sample !== null
      ? (shape.sample as Record<string, unknown>)
      : undefined;
  const hasSample = sample !== undefined && Object.prototype.hasOwnProperty.call(sample, key);
  const childSample = hasSample ? sample[key] : undefined;
  let childSchema: unknown;
  for (const v of shape.schema === undefined ? [] : variants(shape.schema, root)) {
    if (typeof key === 'number') {
      const prefix = v['prefixItems'];
      childSchema ??= Array.isArray(prefix) && key < prefix.length ? prefix[key] : v['items'];
    } else if (isSchema(v['properties'])) childSchema ??= v['properties'][key];
  }
  return withRoot(childSchema, root, childSample, hasSample);
}

/** The fields of an object shape, and for arrays and strings `length`. */
export function shapeFields(shape: Shape | undefined): ShapeField[] {
  if (shape === undefined) return [];
  if (shape.kind === 'fields') return [...shape.fields];
  const out = new Map<string, ShapeField>();
  const type = shapeType(shape);
  if (type === 'array' || type === 'string')
    out.set('length', { name: 'length', kind: 'field', detail: 'number' });
  if (type === 'array' || type === 'string') return [...out.values()];
  const root = shape.schema === undefined ? {} : rootOf(shape);
  for (const v of shape.schema === undefined ? [] : variants(shape.schema, root)) {
    const props = v['properties'];
    if (!isSchema(props)) continue;
    for (const [name, sub] of Object.entries(props)) {
      if (out.has(name)) continue;
      const child = childShape(shape, name);
      const described =
        isSchema(sub) && typeof sub['description'] === 'string' ? sub['description'] : undefined;
      const detail = described ?? shapeType(child);
      out.set(name, {
        name,
        kind: 'field',
        ...(detail === undefined ? {} : { detail }),
        ...(child ? { shape: child } : {}),
      });
    }
  }
  if (shape.hasSample && sampleType(shape.sample) === 'object') {
    for (const name of Object.keys(shape.sample as object)) {
      if (out.has(name)) continue;
      const child = childShape(shape, name);
      const detail = shapeType(child);
      out.set(name, {
        name,
        kind: 'field',
        ...(detail === undefined ? {} : { detail }),
        ...(child ? { shape: child } : {}),
      });
    }
  }
  return [...out.values()];
}

/** Methods callable on the shape's value, when its type is known. */
export function shapeMethods(shape: Shape | undefined): { name: string; detail: string }[] {
  const table =
    shapeType(shape) === 'array'
      ? ARRAY_METHODS
      : shapeType(shape) === 'string'
        ? STRING_METHODS
        : shapeType(shape) === 'number'
          ? NUMBER_METHODS
          : undefined;
  if (table === undefined) return [];
  return [...table.values()].map((m) => ({
    name: m.name,
    detail: `${m.name}${m.params}: ${m.summary}`,
  }));
}

/** Fixed fields, e.g. those of `flow` or `nodes.x`, with optional sample/schema children. */
export function fieldsShape(
  fields: Readonly<Record<string, string>>,
  children: Readonly<Record<string, Shape | undefined>> = {},
): Shape {
  return {
    kind: 'fields',
    fields: Object.entries(fields).map(([name, detail]) => {
      const shape = children[name];
      return { name, detail, kind: 'field' as const, ...(shape ? { shape } : {}) };
    }),
  };
}

export { FLOW_FIELDS, NODE_FIELDS };
