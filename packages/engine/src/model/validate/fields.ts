import { pointerSegment } from '../diagnostic.ts';
import { describeType, isObject, quote, type ValidationContext } from './context.ts';

/** What a field must hold. `json` is any JSON value; `expression` a string (checked later). */
export interface FieldSpec {
  readonly kind: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'json';
  readonly required?: boolean;
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  readonly oneOf?: readonly (string | number | boolean)[];
  readonly nonEmpty?: boolean;
}

export type FieldSpecs = { readonly [field: string]: FieldSpec };

function matches(kind: FieldSpec['kind'], value: unknown): boolean {
  switch (kind) {
    case 'json':
      return value !== undefined;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === kind;
  }
}

const ARTICLE: Record<FieldSpec['kind'], string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  json: 'a JSON value',
};

/**
 * Checks `obj`'s fields against `specs`: required fields, JSON types, ranges and enums, and
 * reports fields the format does not define. Returns false when a required field is missing or
 * mistyped, so callers can skip checks that depend on it.
 */
export function checkFields(
  ctx: ValidationContext,
  obj: Record<string, unknown>,
  specs: FieldSpecs,
  path: string,
  what: string,
  nodeId?: string,
): boolean {
  const extra = nodeId === undefined ? {} : { nodeId };
  let ok = true;
  for (const [field, spec] of Object.entries(specs)) {
    const value = obj[field];
    const at = `${path}/${pointerSegment(field)}`;
    if (value === undefined) {
      if (spec.required) {
        ok = false;
        ctx.report(
          'E_REQUIRED',
          at,
          `${what} needs a "${field}" field (${ARTICLE[spec.kind]}).`,
          extra,
        );
      }
      continue;
    }
    if (!matches(spec.kind, value)) {
      if (spec.required) ok = false;
      ctx.report(
        'E_TYPE',
        at,
        `${what}: "${field}" must be ${ARTICLE[spec.kind]}, not ${describeType(value)}.`,
        extra,
      );
      continue;
    }
    if (spec.oneOf && !spec.oneOf.includes(value as string)) {
      ctx.report(
        'E_VALUE',
        at,
        `${what}: "${field}" is ${quote(value)}; expected one of ${spec.oneOf.map((v) => `"${String(v)}"`).join(', ')}.`,
        extra,
      );
    }
    if (typeof value === 'number') {
      if (spec.min !== undefined && value < spec.min) {
        ctx.report(
          'E_VALUE',
          at,
          `${what}: "${field}" must be at least ${spec.min}, not ${value}.`,
          extra,
        );
      }
      if (spec.above !== undefined && value <= spec.above) {
        ctx.report(
          'E_VALUE',
          at,
          `${what}: "${field}" must be greater than ${spec.above}, not ${value}.`,
          extra,
        );
      }
    }
    if (spec.nonEmpty && typeof value === 'string' && value.trim() === '') {
      ctx.report('E_VALUE', at, `${what}: "${field}" must not be empty.`, extra);
    }
  }
  for (const field of Object.keys(obj)) {
    if (!Object.prototype.hasOwnProperty.call(specs, field)) {
      ctx.report(
        'E_UNKNOWN_FIELD',
        `${path}/${pointerSegment(field)}`,
        `${what} has a field "${field}" that the format does not define; remove it, or keep designer data under "ui".`,
        extra,
      );
    }
  }
  return ok;
}
