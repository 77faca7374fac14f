import type { JsonSchema, JsonValue } from '@millrace/engine/model';
import {
  asRecord,
  inferType,
  isConstraintOnly,
  mergeSchemas,
  numberOf,
  resolveSchema,
  stringList,
  typesOf,
  variantsOf,
} from './schema-keywords.ts';

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
