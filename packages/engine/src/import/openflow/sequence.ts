import type { Expression } from '../../expr/index.ts';
import type { ResumeBindings, SequenceCompiler, StopRef } from './context.ts';
import { compileModule } from './modules.ts';
import { at } from './reporter.ts';

/**
 * Compiles a list of modules as a chain: each step runs after the previous one and sees its
 * result as `previous_result`; a suspended step's approval feeds the next step's `resume`.
 * The result of the list is its last step's result (`previous` when it is empty).
 */
export const compileSequence: SequenceCompiler = (
  ctx,
  modules,
  pointer,
  scope,
  chain,
  previous,
) => {
  let result: Expression = previous;
  let resume: ResumeBindings | undefined;
  const stops: StopRef[] = [];
  modules.forEach((module, k) => {
    const outcome = compileModule(ctx, module, at(pointer, k), scope, chain, result, resume);
    result = outcome.result;
    resume = outcome.resume;
    stops.push(...outcome.stops);
  });
  return { result, stops };
};
