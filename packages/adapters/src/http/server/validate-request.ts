import { Validator, type Schema } from '@cfworker/json-schema';
import { MillraceError } from '@millrace/engine';
import type { QueryParam, RouteSpec } from '../api/route-table.ts';
import { SCHEMAS, type SchemaName } from '../api/schemas.ts';
import { querySchema } from '../api/openapi.ts';

// One validator per named schema, over the same components the OpenAPI document carries (so a
// body is checked against exactly what the document says). @cfworker/json-schema interprets
// schemas: no code generation, no eval.
const validators = new Map<string, Validator>();

/**
 * The validator of a schema, rooted beside the components so `#/components/schemas/X` refs
 * resolve; built once per schema (keyed by the schema's own text, not the components': that
 * key is made on every request).
 */
function validatorFor(schema: Readonly<Record<string, unknown>>): Validator {
  const key = JSON.stringify(schema);
  let v = validators.get(key);
  if (!v) {
    const root = { ...schema, components: { schemas: SCHEMAS } } as unknown as Schema;
    v = new Validator(root, '2020-12', false);
    validators.set(key, v);
  }
  return v;
}

/** The problems of `value` against a schema: `{ pointer, message }`, deepest first. */
export function schemaProblems(
  value: unknown,
  schema: Readonly<Record<string, unknown>>,
): { pointer: string; message: string }[] {
  const result = validatorFor(schema).validate(value);
  if (result.valid) return [];
  return result.errors
    .map((e) => ({ pointer: e.instanceLocation.replace(/^#/, ''), message: e.error }))
    .sort((a, b) => b.pointer.split('/').length - a.pointer.split('/').length);
}

/** Checks a request body against its named schema (E_INVALID_ARGUMENT at the first problem). */
export function checkBody(value: unknown, name: SchemaName): void {
  const problems = schemaProblems(value, { $ref: `#/components/schemas/${name}` });
  if (problems.length === 0) return;
  const first = problems[0]!;
  throw new MillraceError(
    'E_INVALID_ARGUMENT',
    `The request body does not match ${name}: at "${first.pointer || '/'}", ${first.message}`,
    { path: `/body${first.pointer}`, details: { errors: problems } },
  );
}

export type QueryValues = Record<string, string | number | string[] | undefined>;

/** Parses a route's query parameters (unknown ones are ignored), E_INVALID_ARGUMENT when one is malformed. */
export function parseQuery(route: RouteSpec, search: URLSearchParams): QueryValues {
  const values: QueryValues = {};
  for (const [name, param] of Object.entries(route.query ?? {}) as [string, QueryParam][]) {
    const raw = search.get(name);
    if (raw === null || raw === '') continue;
    const value =
      param.kind === 'integer' || param.kind === 'number'
        ? /^-?\d+(\.\d+)?$/.test(raw)
          ? Number(raw)
          : raw
        : param.kind === 'string-list'
          ? raw.split(',').map((s) => s.trim())
          : raw;
    const problems = schemaProblems(value, querySchema(param));
    if (problems.length > 0) {
      throw new MillraceError(
        'E_INVALID_ARGUMENT',
        `Query parameter "${name}" is ${JSON.stringify(raw)}: ${problems[0]!.message} (${param.description})`,
        { path: `/query/${name}` },
      );
    }
    values[name] = value;
  }
  return values;
}
