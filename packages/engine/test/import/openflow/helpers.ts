import assert from 'node:assert/strict';
import { evaluateTemplate, parseExpression, printTemplate } from '../../../src/expr/index.ts';
import {
  importOpenFlow,
  type ImportOpenFlowOptions,
  type ImportOpenFlowResult,
} from '../../../src/import/index.ts';
import type { Diagnostic } from '../../../src/model/diagnostic.ts';
import type { FlowDefinition, FlowNode } from '../../../src/model/flow.ts';
import { validateFlow } from '../../../src/model/validate-flow.ts';

export type Json = Record<string, unknown>;

/**
 * The template the importer writes for an expression source. Built with the engine's own
 * printer, so tests state the expression and not the printer's choice of parentheses.
 */
export function tpl(source: string): string {
  const { ast, errors } = parseExpression(source);
  assert.deepEqual(errors, [], `test expression ${source} must parse`);
  return printTemplate([{ kind: 'expression', ast }]);
}

/** A rawscript module (deno) with javascript/static transforms. */
export function script(id: string | undefined, inputs: Json = {}, extra: Json = {}): Json {
  return {
    ...(id === undefined ? {} : { id }),
    value: {
      type: 'rawscript',
      language: 'deno',
      content: `export function main() { return '${id ?? ''}'; }`,
      input_transforms: inputs,
    },
    ...extra,
  };
}

export function js(expr: string): Json {
  return { type: 'javascript', expr };
}

export function stat(value: unknown): Json {
  return { type: 'static', value };
}

export function documentOf(modules: unknown[], value: Json = {}, doc: Json = {}): Json {
  return { summary: 'Test flow', value: { modules, ...value }, ...doc };
}

/** Imports a document made of `modules`. */
export function importModules(
  modules: unknown[],
  value: Json = {},
  options: ImportOpenFlowOptions = {},
): ImportOpenFlowResult {
  return importOpenFlow(documentOf(modules, value), options);
}

/** Every node of a flow, nested ones included, by id. */
export function allNodes(flow: FlowDefinition): Map<string, FlowNode & Json> {
  const out = new Map<string, FlowNode & Json>();
  const walk = (nodes: readonly FlowNode[] | undefined): void => {
    for (const node of nodes ?? []) {
      out.set(node.id, node as FlowNode & Json);
      const n = node as unknown as Json;
      walk(n['nodes'] as FlowNode[] | undefined);
      for (const region of ['catch', 'finally'] as const)
        walk((n[region] as { nodes?: FlowNode[] } | undefined)?.nodes);
    }
  };
  walk(flow.nodes);
  walk(flow.onFailure?.nodes);
  return out;
}

export function nodeOf(flow: FlowDefinition, id: string): FlowNode & Json {
  const node = allNodes(flow).get(id);
  assert.ok(node, `node ${id} exists (have ${[...allNodes(flow).keys()].join(', ')})`);
  return node;
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

/** The host actions the importer's placeholders use, for validation. */
export const PLACEHOLDER_CATALOG = [
  { type: 'windmill.script', title: 'Windmill script' },
  { type: 'windmill.rawscript', title: 'Windmill script' },
  { type: 'windmill.aiagent', title: 'Windmill AI agent' },
];

/** Asserts that the imported flow passes validateFlow without errors. */
export function assertValid(flow: FlowDefinition): void {
  const errors = validateFlow(flow, { catalog: PLACEHOLDER_CATALOG }).filter(
    (d) => d.severity === 'error',
  );
  assert.deepEqual(errors, [], 'the imported flow validates');
}

/** Evaluates a template the importer produced against a scope. */
export function evaluate(template: unknown, scope: Json): unknown {
  assert.equal(typeof template, 'string');
  return evaluateTemplate(template as string, scope);
}

/** Evaluates every template in an input mapping (what the runtime does before a node runs). */
export function evaluateInput(input: unknown, scope: Json): unknown {
  if (typeof input === 'string') return evaluate(input, scope);
  if (Array.isArray(input)) return input.map((v) => evaluateInput(v, scope));
  if (input && typeof input === 'object') {
    return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, evaluateInput(v, scope)]));
  }
  return input;
}
