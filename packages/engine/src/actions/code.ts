import { BUILTIN_ACTIONS } from '../model/builtin-actions.ts';
import type { ActionDefinition } from './action.ts';
import { ActionError } from './action.ts';
import type { AbortSignalLike } from '../platform/globals.ts';
import type { LogLevel } from '../runtime/events.ts';

/** One call of a code node's code, as the engine hands it to the code runner. */
export interface CodeRunRequest {
  readonly code: string;
  readonly language: 'javascript' | 'typescript';
  readonly input: unknown;
  readonly signal: AbortSignalLike;
  readonly timeoutMs?: number;
  /** Appends a line to the node's log (what the guest's `ctx.log` / `console.*` print). */
  readonly log?: (level: LogLevel, message: string, data?: unknown) => void;
}

/**
 * Runs user code in isolation (a Worker in browsers, a worker_threads worker in Node) with a
 * time limit; the engine itself never evaluates code. `@millrace/engine/code` has one:
 * `createCodeRunner()`.
 */
export type CodeRunner = (request: CodeRunRequest) => Promise<unknown>;

const descriptor = BUILTIN_ACTIONS.find((a) => a.type === 'code')!;

/** The `code` action of one code node: hands its code and input to the host's code runner. */
export function createCodeAction(
  runner: CodeRunner | undefined,
  node: {
    readonly code: string;
    readonly language?: 'javascript' | 'typescript';
    readonly timeoutMs?: number;
  },
): ActionDefinition {
  return {
    ...descriptor,
    async run(input, ctx) {
      if (!runner) {
        throw new ActionError(
          'E_CODE_RUNNER_MISSING',
          'This engine has no code runner; pass createEngine({ codeRunner }) to run code nodes.',
        );
      }
      return runner({
        code: node.code,
        language: node.language ?? 'javascript',
        input,
        signal: ctx.signal,
        log: (level, message, data) => ctx.log(level, message, data),
        ...(node.timeoutMs === undefined ? {} : { timeoutMs: node.timeoutMs }),
      });
    },
  };
}
