import { BUILTIN_ACTIONS } from './builtin-actions.ts';
import { catalogMap, type ActionCatalog } from './catalog.ts';
import type { Diagnostic } from './diagnostic.ts';
import { indexFlow } from './graph.ts';
import { checkExpressions } from './validate/check-expressions.ts';
import { checkGraphs } from './validate/check-graph.ts';
import { checkInputs } from './validate/check-inputs.ts';
import { checkSchedules } from './validate/check-schedules.ts';
import { checkStructure } from './validate/check-structure.ts';
import { createContext, isObject } from './validate/context.ts';

export interface ValidateOptions {
  /** Host actions (connectors) in addition to the built-in ones. */
  readonly catalog?: ActionCatalog;
}

/**
 * Checks a flow definition and reports every problem at once, each with a stable code, a
 * severity, a JSON pointer and a message that names the fix. Never throws, whatever the input.
 *
 * @example
 * const problems = validateFlow(json, { catalog: [{ type: 'slack.post', title: 'Post to Slack' }] });
 * if (problems.some((d) => d.severity === 'error')) showProblems(problems);
 */
export function validateFlow(flow: unknown, options: ValidateOptions = {}): Diagnostic[] {
  const catalog = catalogMap(BUILTIN_ACTIONS);
  for (const [type, descriptor] of catalogMap(options.catalog)) catalog.set(type, descriptor);
  const ctx = createContext(catalog);
  const shaped = checkStructure(ctx, flow);
  if (!shaped || !isObject(flow)) return ctx.diagnostics;
  checkSchedules(ctx, flow['triggers']);
  const indexed = { ...ctx, index: indexFlow(flow) };
  checkGraphs(indexed);
  checkInputs(indexed);
  checkExpressions(indexed, flow);
  return ctx.diagnostics;
}
