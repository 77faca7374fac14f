import { Validator, type Schema } from '@cfworker/json-schema';

const validators = new WeakMap<object, Validator>();

/**
 * A cached @cfworker/json-schema validator for `schema` (draft 2020-12). It interprets schemas
 * rather than generating code, so it works under a strict CSP (no `eval`, no `new Function`).
 */
export function schemaValidator(schema: object): Validator {
  let v = validators.get(schema);
  if (!v) {
    v = new Validator(schema as Schema, '2020-12', false);
    validators.set(schema, v);
  }
  return v;
}
