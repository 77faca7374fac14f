import { MillraceError } from '../../errors/millrace-error.ts';
import type { JsonSchema } from '../../model/flow.ts';
import { schemaValidator } from '../schema-validator.ts';

/** One field of a start's input that breaks the flow's input schema. */
export interface InputProblem {
  /** JSON pointer into the input (`/customer/email`; `` for the input itself). */
  readonly pointer: string;
  readonly message: string;
}

// Keywords that only say "something below failed": their children carry the real reasons.
const WRAPPERS = new Set([
  'properties',
  'items',
  'prefixItems',
  'additionalProperties',
  'patternProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'allOf',
  '$ref',
  'dependentSchemas',
  'contains',
  'if',
  'then',
  'else',
]);

/**
 * The problems of `input` against a flow's `input` JSON Schema (@cfworker/json-schema, draft
 * 2020-12), one per field: a missing required property is reported at its own pointer
 * (`/amount`), and the wrapper errors the validator adds above a failing field are dropped.
 */
export function inputProblems(schema: JsonSchema, input: unknown): InputProblem[] {
  const result = schemaValidator(schema as object).validate(input);
  if (result.valid) return [];
  const out: InputProblem[] = [];
  const seen = new Set<string>();
  for (const e of result.errors) {
    if (WRAPPERS.has(e.keyword)) continue;
    let pointer = e.instanceLocation.replace(/^#/, '');
    if (e.keyword === 'required') {
      const missing = /"([^"]*)"/.exec(e.error)?.[1];
      if (missing !== undefined) pointer += `/${missing.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    }
    if (seen.has(pointer)) continue;
    seen.add(pointer);
    out.push({ pointer, message: e.error });
  }
  // Only wrapper errors (an odd schema): report the first one rather than nothing.
  if (out.length === 0 && result.errors[0]) {
    out.push({
      pointer: result.errors[0].instanceLocation.replace(/^#/, ''),
      message: result.errors[0].error,
    });
  }
  return out;
}

/** E_INPUT_INVALID for a start of `flowId` whose input breaks the flow's input schema. */
export function checkStartInput(flowId: string, schema: JsonSchema, input: unknown): void {
  const errors = inputProblems(schema, input);
  if (errors.length === 0) return;
  const first = errors[0]!;
  throw new MillraceError(
    'E_INPUT_INVALID',
    `The input does not match the input schema of flow "${flowId}": ${errors
      .slice(0, 3)
      .map((e) => `${e.pointer || '/'} ${e.message}`)
      .join('; ')}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}.`,
    { path: first.pointer, details: { flowId, errors } },
  );
}
