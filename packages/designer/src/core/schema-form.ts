import { pointer, type Diagnostic, type JsonSchema, type JsonValue } from '@millrace/engine';

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

/** A path inside the node (`['input', 'headers', 'Accept']`, `['cases', 0, 'when']`). */
export type FieldPath = readonly (string | number)[];

export type FieldKind =
  'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'object' | 'array' | 'oneOf' | 'json';

/** A schema object after `$ref` and `allOf` are resolved. */
export type SchemaObject = { readonly [keyword: string]: unknown };

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
}

/** True for a string holding an expression (`$<...>`). */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.includes('$<');
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
  const ctx: BuildContext = { root, maxDepth: options.maxDepth ?? 16, refs: [] };
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
// Schema resolution

interface Resolved {
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

function lookUp(root: JsonSchema, ref: string): JsonSchema | undefined {
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
function mergeSchemas(base: SchemaObject, extra: SchemaObject): SchemaObject {
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

// ---------------------------------------------------------------------------------------------
// Building the tree

interface BuildContext {
  readonly root: JsonSchema;
  readonly maxDepth: number;
  /** `$ref`s being expanded on the way down (recursion guard). */
  readonly refs: readonly string[];
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
  const additional =
    schema['additionalProperties'] === false ? false : asObject(schema['additionalProperties']);
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
    for (const [key, extraValue] of Object.entries(current ?? {})) {
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

function variantsOf(schema: SchemaObject): JsonSchema[] | undefined {
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

function isConstOnly(schema: SchemaObject): boolean {
  return 'const' in schema && Object.keys(schema).every((k) => k === 'const' || ANNOTATIONS.has(k));
}

function isConstraintOnly(schema: SchemaObject): boolean {
  return Object.keys(schema).every((k) => CONSTRAINTS.has(k) || ANNOTATIONS.has(k));
}

function typesOf(schema: SchemaObject): string[] {
  const t = schema['type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

function inferType(schema: SchemaObject): string | undefined {
  if (isPlainObject(schema['properties']) || 'additionalProperties' in schema) return 'object';
  if ('items' in schema || 'prefixItems' in schema) return 'array';
  if ('minimum' in schema || 'maximum' in schema) return 'number';
  if ('minLength' in schema || 'pattern' in schema) return 'string';
  return undefined;
}

function fits(type: string, value: unknown): boolean {
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
// Defaults

/**
 * A value to start from for `schema`: its `default`, else its `const`, else the first `enum`
 * value or variant, else an empty value of its type (objects get their required and `const`
 * properties). Used for new array items and when switching oneOf variants.
 */
export function defaultValueOf(schema: JsonSchema | undefined, root?: JsonSchema): JsonValue {
  return defaultOf(schema ?? true, root ?? schema ?? true, 0);
}

function defaultOf(schema: JsonSchema, root: JsonSchema, depth: number): JsonValue {
  const s = resolveSchema(schema, root).schema;
  if (s['default'] !== undefined) return structuredClone(s['default']) as JsonValue;
  if ('const' in s) return structuredClone(s['const']) as JsonValue;
  if (Array.isArray(s['enum']) && s['enum'].length > 0) return s['enum'][0] as JsonValue;
  if (depth > 16) return null;
  const alternatives = variantsOf(s);
  if (alternatives !== undefined && alternatives.length > 0) {
    const first = resolveSchema(alternatives[0], root).schema;
    if (!isConstraintOnly(first)) {
      const { oneOf: _o, anyOf: _a, ...base } = s;
      return defaultOf(mergeSchemas(base, first), root, depth + 1);
    }
  }
  const types = typesOf(s);
  const type = types.find((t) => t !== 'null') ?? (types.length > 0 ? 'null' : inferType(s));
  switch (type) {
    case 'string':
      return '';
    case 'number':
    case 'integer': {
      const min = numberOf(s['minimum']);
      const exclusive = numberOf(s['exclusiveMinimum']);
      if (min !== undefined && min > 0) return min;
      if (exclusive !== undefined && exclusive >= 0)
        return type === 'integer' ? Math.floor(exclusive) + 1 : exclusive + 1;
      return 0;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const min = numberOf(s['minItems']) ?? 0;
      const items = (s['items'] as JsonSchema | undefined) ?? true;
      return Array.from({ length: min }, () => defaultOf(items, root, depth + 1));
    }
    case 'object': {
      const out: Record<string, JsonValue> = {};
      const required = new Set(stringList(s['required']));
      for (const [key, prop] of Object.entries(asRecord(s['properties']))) {
        const p = resolveSchema(prop as JsonSchema, root).schema;
        if (required.has(key) || 'const' in p) out[key] = defaultOf(p, root, depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Immutable edits

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
): { readonly path: FieldPath; readonly value: unknown } {
  if (value === undefined || !startsWith(path, root.path)) return { path, value };
  let at: FormField | undefined = root;
  while (at !== undefined && at.path.length < path.length) {
    if (at.value === undefined && (at.kind === 'object' || at.kind === 'array')) {
      const start = at.kind === 'object' ? defaultValueOf(at.schema) : [];
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
// Text <-> value

/** The result of reading a field's text. */
export type TextValue =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: 'number' | 'json' };

/** The text an input shows for a value (strings as they are, the rest as JSON). */
export function textOf(value: unknown, pretty = false): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, pretty ? 2 : undefined) ?? '';
}

/** A number input's text: '' removes the value; anything else must be a (whole) number. */
export function parseNumberText(text: string, integer: boolean): TextValue {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const n = Number(t);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)))
    return { ok: false, error: 'number' };
  return { ok: true, value: n };
}

/** A JSON textarea's text: '' removes the value; else it must parse. */
export function parseJsonText(text: string): TextValue {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'json' };
  }
}

/**
 * What an expression field's text means for a field of `kind`: text holding `$<` is the
 * expression string; otherwise it is read as the kind's literal where it is one (`42` for a
 * number, `true` for a boolean, JSON for `json`), else kept as a string. Empty text removes an
 * optional value (a required string becomes '').
 */
export function expressionTextValue(
  field: Pick<FormField, 'kind' | 'required'>,
  text: string,
): unknown {
  if (text === '') return field.kind === 'string' && field.required ? '' : undefined;
  if (text.includes('$<') || field.kind === 'string') return text;
  switch (field.kind) {
    case 'number':
    case 'integer': {
      const parsed = parseNumberText(text, field.kind === 'integer');
      return parsed.ok ? parsed.value : text;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default: {
      const parsed = parseJsonText(text);
      return parsed.ok ? parsed.value : text;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asObject(schema: JsonSchema | undefined | unknown): SchemaObject {
  return isPlainObject(schema) ? schema : {};
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
}

function labelOfValue(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
}

function deepEqual(a: unknown, b: unknown): boolean {
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
