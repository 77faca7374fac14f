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
  /**
   * Flow scripts: the guest's `ctx.action(type, input)` and `ctx.subflow(flowId, input)`.
   * The engine runs the action or child run, records it as an event of the node (replayed
   * after a crash) and resolves with its result, or rejects with a coded error. Absent: the
   * guest has no `ctx.action` / `ctx.subflow`.
   */
  readonly call?: (call: FlowScriptCall) => Promise<unknown>;
}

/** One `ctx.action` / `ctx.subflow` of a code node's script. */
export interface FlowScriptCall {
  readonly kind: 'action' | 'subflow';
  /** The action type, or the flow id. */
  readonly name: string;
  readonly input: unknown;
}

/**
 * The flow-script calls of one attempt of a code node (what the engine hands a code action in
 * `ActionContext.script`): each call recorded as an event of the node, replayed in order when
 * the node runs again after a crash.
 */
export interface FlowScriptCalls {
  call(call: FlowScriptCall): Promise<unknown>;
  /**
   * After the code returned or threw: an `E_NONDETERMINISM` error when its calls differed from
   * the recorded ones (another call at an index, or fewer calls than recorded), else undefined.
   */
  check(finished: boolean): Error | undefined;
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
      const script = ctx.script;
      let output: unknown;
      try {
        output = await runner({
          code: node.code,
          language: node.language ?? 'javascript',
          input,
          signal: ctx.signal,
          log: (level, message, data) => ctx.log(level, message, data),
          ...(node.timeoutMs === undefined ? {} : { timeoutMs: node.timeoutMs }),
          ...(script ? { call: (call: FlowScriptCall) => script.call(call) } : {}),
        });
      } catch (err) {
        // A changed call order fails the node as such, even if the script caught the error.
        throw script?.check(false) ?? err;
      }
      const problem = script?.check(true);
      if (problem) throw problem;
      return output;
    },
  };
}
