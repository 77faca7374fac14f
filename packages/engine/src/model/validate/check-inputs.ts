import { Validator, type Schema } from '@cfworker/json-schema';
import type { ActionDescriptor } from '../catalog.ts';
import { BUILTIN_ACTIONS } from '../builtin-actions.ts';
import { pointerSegment } from '../diagnostic.ts';
import { isObject, quote, type IndexedContext } from './context.ts';

// One compiled validator per property schema: @cfworker/json-schema interprets schemas (no
// code generation), so it is safe under a strict CSP, and caching keeps repeated checks cheap.
const validators = new WeakMap<object, Validator>();

function validatorFor(schema: object): Validator {
  let v = validators.get(schema);
  if (!v) {
    v = new Validator(schema as Schema, '2020-12', false);
    validators.set(schema, v);
  }
  return v;
}

/** True when the value holds a `$<` anywhere (its final value is only known at run time). */
export function isDynamic(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('$<');
  if (Array.isArray(value)) return value.some(isDynamic);
  if (isObject(value)) return Object.values(value).some(isDynamic);
  return false;
}

const builtinByType = new Map(BUILTIN_ACTIONS.map((a) => [a.type, a]));

/**
 * Checks each action node's `input` against its descriptor's input JSON Schema: required
 * parameters must be present; parameters whose value is fully literal are validated against
 * their property schema (expression values are checked at run time, after evaluation).
 */
export function checkInputs(ctx: IndexedContext): void {
  for (const info of ctx.index.nodes.values()) {
    checkOne(
      ctx,
      info.node.type,
      (info.node as { input?: unknown }).input,
      `${info.pointer}/input`,
      `"${info.id}"`,
      info.id,
    );
    const comp = (info.node as { compensate?: unknown }).compensate;
    if (isObject(comp) && typeof comp['type'] === 'string') {
      checkOne(
        ctx,
        comp['type'],
        comp['input'],
        `${info.pointer}/compensate/input`,
        `The compensate action of "${info.id}"`,
        info.id,
      );
    }
  }
  for (const dup of ctx.index.duplicates) {
    checkOne(
      ctx,
      dup.node.type,
      (dup.node as { input?: unknown }).input,
      `${dup.pointer}/input`,
      `"${dup.id}"`,
      dup.id,
    );
  }
}

function checkOne(
  ctx: IndexedContext,
  type: unknown,
  input: unknown,
  path: string,
  what: string,
  nodeId: string,
): void {
  if (typeof type !== 'string') return;
  const descriptor: ActionDescriptor | undefined = ctx.catalog.get(type) ?? builtinByType.get(type);
  const schema = descriptor?.inputSchema;
  if (!isObject(schema)) return;
  if (input !== undefined && !isObject(input)) return; // reported as E_TYPE by the structure check
  const values = input ?? {};
  const required = Array.isArray(schema['required']) ? schema['required'] : [];
  for (const name of required) {
    if (typeof name === 'string' && values[name] === undefined) {
      ctx.report(
        'E_MISSING_INPUT',
        path,
        `${what} (${descriptor?.title ?? type}) needs the input "${name}"${describeProperty(schema, name)}.`,
        { nodeId },
      );
    }
  }
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  for (const [name, value] of Object.entries(values)) {
    const propertySchema = properties[name];
    if (isDynamic(value)) continue;
    if (propertySchema === undefined) {
      if (schema['additionalProperties'] === false) {
        ctx.report(
          'E_INPUT_INVALID',
          `${path}/${pointerSegment(name)}`,
          `${what} (${descriptor?.title ?? type}) has no input "${name}".`,
          {
            nodeId,
          },
        );
      }
      continue;
    }
    if (propertySchema === true || (!isObject(propertySchema) && propertySchema !== false))
      continue;
    const result = validatorFor(propertySchema === false ? { not: {} } : propertySchema).validate(
      value,
    );
    if (!result.valid) {
      const detail = result.errors[result.errors.length - 1]?.error ?? 'does not match its schema';
      ctx.report(
        'E_INPUT_INVALID',
        `${path}/${pointerSegment(name)}`,
        `${what}: the input "${name}" is ${quote(value)}, which is invalid (${detail}).`,
        { nodeId },
      );
    }
  }
}

function describeProperty(schema: Record<string, unknown>, name: string): string {
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const prop = properties[name];
  if (!isObject(prop)) return '';
  if (typeof prop['description'] === 'string') return ` (${prop['description']})`;
  if (typeof prop['type'] === 'string') return ` (${prop['type']})`;
  return '';
}
