import type { ActionDescriptor, JsonSchema } from '@millrace/engine/model';
import type { FieldPath } from './schema-form.ts';

/**
 * What the property panel's generated form edits for each node type, as form sections (a
 * schema at a path of the node). Actions edit their `input` with the catalog's `inputSchema`;
 * control nodes have no descriptor schema, so theirs are written here: `if` / `while` edit
 * `input.condition`, `forEach` `input.items` and `parallelism`, `switch` its `cases`, `code`
 * its input mapping, `code` and `language`, and containers their `output`.
 */

/** One part of the generated form: `schema` describes the node's value at `path`. */
export interface FormSection {
  readonly path: FieldPath;
  readonly schema: JsonSchema;
  /** A heading for the section (the "Input" of an action); none for node-level fields. */
  readonly label?: string;
}

/** Titles and help texts of the control nodes' fields (replaceable, for i18n). */
export interface ControlText {
  readonly input: string;
  readonly condition: string;
  readonly ifConditionHelp: string;
  readonly whileConditionHelp: string;
  readonly items: string;
  readonly itemsHelp: string;
  readonly parallelism: string;
  readonly parallelismHelp: string;
  readonly maxIterations: string;
  readonly maxIterationsHelp: string;
  readonly cases: string;
  readonly casesHelp: string;
  readonly case: string;
  readonly casePort: string;
  readonly casePortHelp: string;
  readonly caseWhen: string;
  readonly caseLabel: string;
  readonly output: string;
  readonly outputHelp: string;
  readonly code: string;
  readonly codeHelp: string;
  readonly language: string;
}

export const DEFAULT_CONTROL_TEXT: ControlText = {
  input: 'Input',
  condition: 'Condition',
  ifConditionHelp: 'Takes the true port when it is true, else the false port.',
  whileConditionHelp: 'Checked before each iteration; the loop ends when it is false.',
  items: 'Items',
  itemsHelp: 'The list to loop over; the body sees each as $<item> and its position as $<index>.',
  parallelism: 'Parallelism',
  parallelismHelp: 'Iterations running at once.',
  maxIterations: 'Max iterations',
  maxIterationsHelp: 'Fails the loop when it would run more often.',
  cases: 'Cases',
  casesHelp: 'The first case whose condition is true picks its port; else the port "default".',
  case: 'Case',
  casePort: 'Port',
  casePortHelp: 'The output port this case leaves by.',
  caseWhen: 'When',
  caseLabel: 'Label',
  output: 'Output',
  outputHelp: 'The container’s output; by default its body’s single last node’s output.',
  code: 'Code',
  codeHelp: 'A module whose main(input) (or default export) returns the output.',
  language: 'Language',
};

/** The form sections of a node of `type` (`descriptor` is its catalog entry, if any). */
export function nodeFormSections(
  type: string,
  descriptor: ActionDescriptor | undefined,
  text: Partial<ControlText> = {},
): FormSection[] {
  const t = { ...DEFAULT_CONTROL_TEXT, ...text };
  const output: FormSection = {
    path: [],
    schema: {
      type: 'object',
      properties: { output: { title: t.output, description: t.outputHelp, format: 'expression' } },
    },
  };
  const condition = (help: string): FormSection => ({
    path: ['input'],
    schema: {
      type: 'object',
      required: ['condition'],
      // No type: a condition may be a literal (true) as well as an expression.
      properties: { condition: { title: t.condition, description: help, format: 'expression' } },
    },
  });
  switch (type) {
    case 'if':
      return [condition(t.ifConditionHelp)];
    case 'while':
      return [
        condition(t.whileConditionHelp),
        {
          path: [],
          schema: {
            type: 'object',
            properties: {
              maxIterations: {
                type: 'integer',
                minimum: 1,
                title: t.maxIterations,
                description: t.maxIterationsHelp,
              },
            },
          },
        },
        output,
      ];
    case 'forEach':
      return [
        {
          path: ['input'],
          schema: {
            type: 'object',
            required: ['items'],
            properties: {
              items: { title: t.items, description: t.itemsHelp, format: 'expression' },
            },
          },
        },
        {
          path: [],
          schema: {
            type: 'object',
            properties: {
              parallelism: {
                type: 'integer',
                minimum: 1,
                default: 1,
                title: t.parallelism,
                description: t.parallelismHelp,
              },
            },
          },
        },
        output,
      ];
    case 'switch':
      return [
        {
          path: [],
          schema: {
            type: 'object',
            required: ['cases'],
            properties: {
              cases: {
                type: 'array',
                title: t.cases,
                description: t.casesHelp,
                items: {
                  type: 'object',
                  title: t.case,
                  required: ['port', 'when'],
                  properties: {
                    port: { type: 'string', title: t.casePort, description: t.casePortHelp },
                    when: { type: 'string', format: 'expression', title: t.caseWhen },
                    label: { type: 'string', title: t.caseLabel },
                  },
                },
              },
            },
          },
        },
      ];
    case 'try':
    case 'group':
      return [output];
    case 'code':
      return [
        { path: ['input'], schema: { type: 'object' }, label: t.input },
        {
          path: [],
          schema: {
            type: 'object',
            required: ['code'],
            properties: {
              code: { type: 'string', format: 'code', title: t.code, description: t.codeHelp },
              language: {
                title: t.language,
                default: 'javascript',
                oneOf: [
                  { const: 'javascript', title: 'JavaScript' },
                  { const: 'typescript', title: 'TypeScript' },
                ],
              },
            },
          },
        },
      ];
    default:
      return [
        {
          path: ['input'],
          schema: inputSchemaOrMapping(descriptor?.inputSchema),
          label: t.input,
        },
      ];
  }
}

/** An action's input schema; a free mapping (any keys) when it has none or allows anything. */
function inputSchemaOrMapping(schema: JsonSchema | undefined): JsonSchema {
  if (schema === undefined || schema === true) return { type: 'object' };
  if (typeof schema === 'object' && Object.keys(schema).length === 0) return { type: 'object' };
  return schema;
}
