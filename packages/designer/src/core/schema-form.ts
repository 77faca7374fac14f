import { pointer, type Diagnostic, type JsonSchema, type JsonValue } from '@millrace/engine/model';
import {
  asObject,
  asRecord,
  deepEqual,
  fits,
  inferType,
  isConstOnly,
  isConstraintOnly,
  isExpression,
  isPlainObject,
  labelOfValue,
  mergeSchemas,
  numberOf,
  resolveSchema,
  stringList,
  stringOf,
  typesOf,
  variantsOf,
  type SchemaObject,
} from './schema-keywords.ts';

import { defaultValueOf } from './schema-defaults.ts';
import { setAt, type FieldPath } from './value-path.ts';

export { isExpression, resolveSchema } from './schema-keywords.ts';
export type { SchemaObject } from './schema-keywords.ts';
export { defaultValueOf } from './schema-defaults.ts';
export { removeAt, setAt, valueAt } from './value-path.ts';
export type { FieldPath } from './value-path.ts';

/**
 * The property panel's form model: a JSON Schema (the draft 2020-12 / 7 subset that action
 * catalogs use) and a current value in, a tree of field descriptors out. Pure and DOM-free, so
 * what a form shows for a schema is unit-tested here and the Lit panel only draws it.
 *
 * Values are never trusted to match their schema: a node's input may map data from earlier
 * steps, so any string holding `$<` is an expression whatever type is declared (the field keeps
 * its kind and says `expression: true`), and any other value of the wrong type is shown as
 * `json` (`mismatch: true`) rather than hidden or overwritten.
 */

export type FieldKind =
  'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'object' | 'array' | 'oneOf' | 'json';

interface FieldCommon {
  /** Path of the value relative to the node. */
  readonly path: FieldPath;
  /** The same as a JSON pointer (`/input/url`); diagnostics are matched on it. */
  readonly pointer: string;
  /** Property name, array index, or undefined for a form's root. */
  readonly key: string | number | undefined;
  /** The schema's `title`, else the property name (array items: the item or array title). */
  readonly label: string;
  readonly description: string | undefined;
  readonly required: boolean;
  /** The schema's `default` (undefined when none); drawn as a placeholder. */
  readonly default: unknown;
  /** The current value; undefined when absent. */
  readonly value: unknown;
  /** The value is a string holding `$<`: edit it as an expression, whatever the kind. */
  readonly expression: boolean;
  readonly schema: SchemaObject;
  readonly format: string | undefined;
  /** The schema's `readOnly`. */
  readonly readOnly: boolean;
  /** A key of an object that its `properties` do not declare. */
  readonly extra: boolean;
  /** A `const` property of a chosen oneOf variant: the variant picker sets it. */
  readonly discriminator: boolean;
}

export interface StringField extends FieldCommon {
  readonly kind: 'string';
  /** `format: "textarea" | "multiline" | "code"`, or `x-multiline: true`. */
  readonly multiline: boolean;
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
}

export interface NumberField extends FieldCommon {
  readonly kind: 'number' | 'integer';
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  readonly exclusiveMinimum: number | undefined;
  readonly exclusiveMaximum: number | undefined;
}

export interface BooleanField extends FieldCommon {
  readonly kind: 'boolean';
}

export interface EnumField extends FieldCommon {
  readonly kind: 'enum';
  readonly enumValues: readonly JsonValue[];
  /** One label per value: the `title` of a `oneOf: [{ const, title }]` entry, else the value. */
  readonly enumLabels: readonly string[];
  /** A single `const` (or `type: "null"`): nothing to choose. */
  readonly constant: boolean;
}

export interface ObjectField extends FieldCommon {
  readonly kind: 'object';
  /** Declared properties in schema order, then the value's other keys (`extra`). */
  readonly fields: readonly FormField[];
  /** Schema of keys the user may add (`additionalProperties`), or false when closed. */
  readonly additional: SchemaObject | false;
}

export interface ArrayField extends FieldCommon {
  readonly kind: 'array';
  readonly items: readonly FormField[];
  /** Schema of a new item (appended). */
  readonly itemSchema: JsonSchema;
  readonly minItems: number | undefined;
  readonly maxItems: number | undefined;
}

export interface FormVariant {
  /** The variant's `title`, else its discriminator value or type; undefined when it has none. */
  readonly title: string | undefined;
  /** The variant merged with the properties its parent declares beside `oneOf`. */
  readonly schema: SchemaObject;
}

export interface OneOfField extends FieldCommon {
  readonly kind: 'oneOf';
  readonly variants: readonly FormVariant[];
  /** Index of the variant the value matches; -1 when none does (or the value is absent). */
  readonly selected: number;
  /**
   * The selected variant's form at the same path; when no variant matches but a value is
   * present, a `json` field showing it; undefined when the value is absent or an expression.
   */
  readonly field: FormField | undefined;
}

export interface JsonField extends FieldCommon {
  readonly kind: 'json';
  /** JSON types the schema asks for (empty: anything). */
  readonly expected: readonly string[];
  /** The value is present but of another type than the schema declares. */
  readonly mismatch: boolean;
}

export type FormField =
  | StringField
  | NumberField
  | BooleanField
  | EnumField
  | ObjectField
  | ArrayField
  | OneOfField
  | JsonField;

export interface FormOptions {
  /** Path of the value inside the node (`['input']`); [] by default. */
  readonly path?: FieldPath;
  /** The root's label (else the schema's title, else ''). */
  readonly label?: string;
  readonly required?: boolean;
  /** Document `$ref`s resolve against; the schema itself by default. */
  readonly root?: JsonSchema;
  /** Deeper schemas render as `json` (guards against huge or recursive schemas). */
  readonly maxDepth?: number;
  /**
   * The root schema describes only some keys of the value (a section over the whole node):
   * leave its other keys out instead of listing them as `extra` fields.
   */
  readonly partial?: boolean;
}

/**
 * The form tree for `schema` showing `value`.
 *
 * @example
 * const form = formFieldsOf(descriptor.inputSchema, node.input, { path: ['input'] });
 * // form.kind === 'object'; form.fields[0].pointer === '/input/url'
 */
export function formFieldsOf(
  schema: JsonSchema | undefined,
  value: unknown,
  options: FormOptions = {},
): FormField {
  const root = options.root ?? schema ?? true;
  const path = options.path ?? [];
  const ctx: BuildContext = {
    root,
    maxDepth: options.maxDepth ?? 16,
    refs: [],
    partialAt: options.partial === true ? path : undefined,
  };
  const resolved = resolveSchema(schema ?? true, root);
  return build(ctx, resolved.schema, resolved.refs, value, {
    path,
    key: path.length === 0 ? undefined : path[path.length - 1],
    label: options.label ?? stringOf(resolved.schema['title']) ?? '',
    required: options.required ?? false,
    extra: false,
    discriminator: false,
    depth: 0,
  });
}

// ---------------------------------------------------------------------------------------------
// Building the tree

interface BuildContext {
  readonly root: JsonSchema;
  readonly maxDepth: number;
  /** `$ref`s being expanded on the way down (recursion guard). */
  readonly refs: readonly string[];
  /** The path of a partial root (its undeclared keys are left out). */
  readonly partialAt: FieldPath | undefined;
}

interface Place {
  readonly path: FieldPath;
  readonly key: string | number | undefined;
  readonly label: string;
  readonly required: boolean;
  readonly extra: boolean;
  readonly discriminator: boolean;
  readonly depth: number;
}

function build(
  ctx: BuildContext,
  schema: SchemaObject,
  refs: readonly string[],
  value: unknown,
  place: Place,
): FormField {
  const common = commonOf(schema, value, place);
  // A ref met again on the way down with nothing to show would expand forever.
  const recursive = refs.some((r) => ctx.refs.includes(r)) && value === undefined;
  if (place.depth > ctx.maxDepth || recursive) return jsonField(common, [], false);
  const inner: BuildContext = { ...ctx, refs: [...ctx.refs, ...refs] };

  if (Array.isArray(schema['enum'])) {
    const values = schema['enum'] as JsonValue[];
    return enumField(common, values, values.map(labelOfValue), false);
  }
  if ('const' in schema) {
    const c = schema['const'] as JsonValue;
    return enumField(common, [c], [labelOfValue(c)], true);
  }

  const alternatives = variantsOf(schema);
  if (alternatives !== undefined) {
    const resolved = alternatives.map((v) => resolveSchema(v, ctx.root).schema);
    if (resolved.length > 0 && resolved.every(isConstOnly)) {
      const values = resolved.map((v) => v['const'] as JsonValue);
      const labels = resolved.map((v, i) => stringOf(v['title']) ?? labelOfValue(values[i]!));
      return enumField(common, values, labels, false);
    }
    // `anyOf: [{ required: [a] }, { required: [b] }]` beside properties only constrains them.
    const constraintsOnly = resolved.every(isConstraintOnly);
    if (!constraintsOnly) {
      const { oneOf: _o, anyOf: _a, title: _t, description: _d, default: _df, ...base } = schema;
      const variants = resolved.map((v) => {
        const merged = mergeSchemas(base, v);
        return { title: variantTitle(merged), schema: merged };
      });
      return oneOfField(inner, common, variants, value, place);
    }
  }

  const types = typesOf(schema);
  const nonNull = types.filter((t) => t !== 'null');
  if (types.length > 0 && nonNull.length === 0) return enumField(common, [null], ['null'], true);
  if (nonNull.length > 1) {
    // `type: ["string", "number"]`: one variant per type.
    const variants = nonNull.map((t) => ({ title: t, schema: { ...schema, type: t } }));
    return oneOfField(inner, common, variants, value, place);
  }
  const type = nonNull[0] ?? inferType(schema);
  if (type === undefined) return jsonField(common, [], false);

  if (value !== undefined && value !== null && !common.expression && !fits(type, value)) {
    return jsonField(common, [type], true);
  }
  if (value === null && !common.expression && !types.includes('null')) {
    return jsonField(common, [type], true);
  }

  switch (type) {
    case 'string': {
      const format = common.format;
      return {
        ...common,
        kind: 'string',
        multiline:
          schema['x-multiline'] === true ||
          format === 'textarea' ||
          format === 'multiline' ||
          format === 'code',
        minLength: numberOf(schema['minLength']),
        maxLength: numberOf(schema['maxLength']),
      };
    }
    case 'number':
    case 'integer':
      return {
        ...common,
        kind: type,
        minimum: numberOf(schema['minimum']),
        maximum: numberOf(schema['maximum']),
        // Draft 4 wrote these as booleans next to minimum/maximum; only numbers count here.
        exclusiveMinimum: numberOf(schema['exclusiveMinimum']),
        exclusiveMaximum: numberOf(schema['exclusiveMaximum']),
      };
    case 'boolean':
      return { ...common, kind: 'boolean' };
    case 'object':
      return objectField(inner, common, schema, value, place);
    case 'array':
      return arrayField(inner, common, schema, value, place);
    default:
      return jsonField(common, [type], false);
  }
}

function commonOf(schema: SchemaObject, value: unknown, place: Place): FieldCommon {
  return {
    path: place.path,
    pointer: pointer(...place.path),
    key: place.key,
    label: place.label,
    description: stringOf(schema['description']),
    required: place.required,
    default: schema['default'],
    value,
    expression: isExpression(value),
    schema,
    format: stringOf(schema['format']),
    readOnly: schema['readOnly'] === true,
    extra: place.extra,
    discriminator: place.discriminator,
  };
}

function jsonField(common: FieldCommon, expected: readonly string[], mismatch: boolean): JsonField {
  return { ...common, kind: 'json', expected, mismatch };
}

function enumField(
  common: FieldCommon,
  enumValues: readonly JsonValue[],
  enumLabels: readonly string[],
  constant: boolean,
): EnumField {
  return { ...common, kind: 'enum', enumValues, enumLabels, constant };
}

function child(
  ctx: BuildContext,
  schema: JsonSchema,
  value: unknown,
  place: Omit<Place, 'label' | 'depth'> & { readonly label?: string },
  depth: number,
): FormField {
  const resolved = resolveSchema(schema, ctx.root);
  // An additional key's label is always its name: the schema's title names them all.
  const label = place.extra
    ? String(place.key)
    : (stringOf(resolved.schema['title']) ??
      place.label ??
      (place.key === undefined ? '' : String(place.key)));
  return build(ctx, resolved.schema, resolved.refs, value, { ...place, label, depth: depth + 1 });
}

function objectField(
  ctx: BuildContext,
  common: FieldCommon,
  schema: SchemaObject,
  value: unknown,
  place: Place,
): ObjectField {
  const properties = asRecord(schema['properties']);
  const required = new Set(stringList(schema['required']));
  const current = common.expression || !isPlainObject(value) ? undefined : value;
  // A partial root (a section over the node) is no place to add keys of the node.
  const partial = ctx.partialAt !== undefined && samePath(ctx.partialAt, place.path);
  const additional =
    schema['additionalProperties'] === false || partial
      ? false
      : asObject(schema['additionalProperties']);
  const fields: FormField[] = [];
  if (!common.expression) {
    for (const [key, propSchema] of Object.entries(properties)) {
      fields.push(
        child(
          ctx,
          propSchema as JsonSchema,
          current?.[key],
          {
            path: [...place.path, key],
            key,
            required: required.has(key),
            extra: false,
            discriminator: false,
          },
          place.depth,
        ),
      );
    }
    for (const [key, extraValue] of Object.entries(partial ? {} : (current ?? {}))) {
      if (Object.hasOwn(properties, key)) continue;
      fields.push(
        child(
          ctx,
          additional === false ? true : additional,
          extraValue,
          {
            path: [...place.path, key],
            key,
            required: false,
            extra: true,
            discriminator: false,
          },
          place.depth,
        ),
      );
    }
  }
  return { ...common, kind: 'object', fields, additional };
}

function arrayField(
  ctx: BuildContext,
  common: FieldCommon,
  schema: SchemaObject,
  value: unknown,
  place: Place,
): ArrayField {
  const prefix = Array.isArray(schema['prefixItems'])
    ? (schema['prefixItems'] as JsonSchema[])
    : Array.isArray(schema['items'])
      ? (schema['items'] as JsonSchema[]) // draft 7 tuples
      : [];
  const rest: JsonSchema = Array.isArray(schema['items'])
    ? ((schema['additionalItems'] as JsonSchema | undefined) ?? true)
    : ((schema['items'] as JsonSchema | undefined) ?? true);
  const itemSchemaAt = (i: number): JsonSchema => prefix[i] ?? rest;
  const current = Array.isArray(value) && !common.expression ? value : [];
  const items = current.map((item, i) =>
    child(
      ctx,
      itemSchemaAt(i),
      item,
      {
        path: [...place.path, i],
        key: i,
        label: common.label,
        required: false,
        extra: false,
        discriminator: false,
      },
      place.depth,
    ),
  );
  return {
    ...common,
    kind: 'array',
    items,
    itemSchema: itemSchemaAt(current.length),
    minItems: numberOf(schema['minItems']),
    maxItems: numberOf(schema['maxItems']),
  };
}

function oneOfField(
  ctx: BuildContext,
  common: FieldCommon,
  variants: readonly FormVariant[],
  value: unknown,
  place: Place,
): OneOfField {
  const selected = common.expression ? -1 : selectVariant(variants, value);
  let field: FormField | undefined;
  if (selected >= 0) {
    const variant = variants[selected]!;
    const built = build(ctx, variant.schema, [], value, {
      ...place,
      label: variant.title ?? common.label,
    });
    field = built.kind === 'object' ? markDiscriminators(built) : built;
  } else if (value !== undefined && !common.expression) {
    field = jsonField(common, [], true);
  }
  return { ...common, kind: 'oneOf', variants, selected, field };
}

/** Flags a variant's `const` properties: the variant picker, not the user, sets them. */
function markDiscriminators(field: ObjectField): ObjectField {
  return {
    ...field,
    fields: field.fields.map((f) =>
      f.kind === 'enum' && f.constant && !f.extra ? { ...f, discriminator: true } : f,
    ),
  };
}

/**
 * The variant `value` matches best: `const` discriminators (on the value or on a property)
 * must be equal, declared types must fit and `required` keys be present; among matches the
 * one with the most agreeing discriminators wins, then the first. -1 when none matches.
 */
export function selectVariant(variants: readonly FormVariant[], value: unknown): number {
  if (value === undefined) return -1;
  let best = -1;
  let bestScore = -1;
  variants.forEach((variant, i) => {
    const score = variantScore(variant.schema, value);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

function variantScore(schema: SchemaObject, value: unknown): number {
  let score = 0;
  if ('const' in schema) {
    if (!deepEqual(schema['const'], value)) return -1;
    score += 10;
  }
  if (Array.isArray(schema['enum'])) {
    if (!(schema['enum'] as unknown[]).some((e) => deepEqual(e, value))) return -1;
    score += 5;
  }
  const types = typesOf(schema);
  const type = types.length > 0 ? undefined : inferType(schema);
  if (types.length > 0 && !types.some((t) => fits(t, value))) return -1;
  if (type !== undefined && !fits(type, value)) return -1;
  if (types.length > 0 || type !== undefined) score += 1;
  if (isPlainObject(value)) {
    for (const [key, prop] of Object.entries(asRecord(schema['properties']))) {
      const p = asObject(prop as JsonSchema);
      if ('const' in p) {
        if (!deepEqual(p['const'], value[key])) return -1;
        score += 10;
      }
    }
    for (const key of stringList(schema['required'])) {
      if (!Object.hasOwn(value, key)) return -1;
      score += 2;
    }
  }
  return score;
}

function variantTitle(schema: SchemaObject): string | undefined {
  const title = stringOf(schema['title']);
  if (title !== undefined) return title;
  if ('const' in schema) return labelOfValue(schema['const'] as JsonValue);
  for (const prop of Object.values(asRecord(schema['properties']))) {
    const p = asObject(prop as JsonSchema);
    if ('const' in p) return labelOfValue(p['const'] as JsonValue);
  }
  const types = typesOf(schema);
  if (types.length > 0) return types.join(' | ');
  return undefined;
}

export function fieldAt(root: FormField, path: FieldPath): FormField | undefined {
  if (!startsWith(path, root.path)) return undefined;
  let at: FormField | undefined = root;
  while (at !== undefined) {
    if (at.path.length === path.length) return at;
    const next: string | number = path[at.path.length]!;
    if (at.kind === 'object') at = at.fields.find((f) => f.key === next);
    else if (at.kind === 'array') at = at.items[Number(next)];
    else if (at.kind === 'oneOf') at = at.field;
    else return undefined;
  }
  return undefined;
}

/**
 * The edit to dispatch for setting `path` to `value` in the form `root`: when a container on
 * the way is absent (an optional `retry` object not set yet), the edit sets that container
 * instead, to its default (required properties filled) with the value inside, so the document
 * never holds a half-made object such as `{ delayMs: 500 }` without its `maxAttempts`.
 */
export function planEdit(
  root: FormField,
  path: FieldPath,
  value: unknown,
  /** The document the form's `$ref`s resolve against (the schema given to `formFieldsOf`). */
  schemaRoot?: JsonSchema,
): { readonly path: FieldPath; readonly value: unknown } {
  if (value === undefined || !startsWith(path, root.path)) return { path, value };
  let at: FormField | undefined = root;
  while (at !== undefined && at.path.length < path.length) {
    if (at.value === undefined && (at.kind === 'object' || at.kind === 'array')) {
      const start = at.kind === 'object' ? defaultValueOf(at.schema, schemaRoot) : [];
      return { path: at.path, value: setAt(start, path.slice(at.path.length), value) };
    }
    const next: string | number = path[at.path.length]!;
    if (at.kind === 'object') at = at.fields.find((f) => f.key === next);
    else if (at.kind === 'array') at = at.items[Number(next)];
    else if (at.kind === 'oneOf') at = at.field;
    else at = undefined;
  }
  return { path, value };
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

/** Every field pointer in a form tree (a oneOf and its variant share one). */
export function fieldPointers(root: FormField): string[] {
  const out: string[] = [];
  const walk = (f: FormField): void => {
    out.push(f.pointer);
    if (f.kind === 'object') f.fields.forEach(walk);
    else if (f.kind === 'array') f.items.forEach(walk);
    else if (f.kind === 'oneOf' && f.field !== undefined) walk(f.field);
  };
  walk(root);
  return [...new Set(out)];
}

/**
 * The diagnostics under `basePointer` (a node's pointer in the flow, `/nodes/3`), keyed by the
 * deepest of `fields` (pointers relative to the node, `/input/url`) that is a prefix of each
 * diagnostic's pointer, segment-wise. Diagnostics no field claims are keyed `''` (the node).
 *
 * @example
 * diagnosticsAt(all, '/nodes/0', ['/input', '/input/url']).get('/input/url')
 */
export function diagnosticsAt(
  diagnostics: readonly Diagnostic[],
  basePointer: string,
  fields: Iterable<string>,
): Map<string, Diagnostic[]> {
  const candidates = [...new Set(fields)]
    .filter((p) => p !== '')
    .sort((a, b) => b.length - a.length);
  const out = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    if (d.path !== basePointer && !d.path.startsWith(basePointer + '/')) continue;
    const rel = d.path.slice(basePointer.length);
    const key = candidates.find((p) => rel === p || rel.startsWith(p + '/')) ?? '';
    const list = out.get(key);
    if (list) list.push(d);
    else out.set(key, [d]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Paths

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
}

function samePath(a: FieldPath, b: FieldPath): boolean {
  return a.length === b.length && startsWith(a, b);
}
