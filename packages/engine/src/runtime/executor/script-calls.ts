import { ActionError, type ActionDefinition } from '../../actions/action.ts';
import type { FlowScriptCall, FlowScriptCalls } from '../../actions/code.ts';
import type { AbortSignalLike } from '../../platform/globals.ts';
import type { CNode } from '../compile-flow.ts';
import { checkOutput } from '../decisions/output-check.ts';
import { scriptCallStep } from '../decisions/script-call-step.ts';
import type { NodeError } from '../events.ts';
import type { Frame } from '../frame.ts';
import { engineError, toNodeError } from '../node-errors.ts';
import { redact } from '../redact.ts';
import type { ScriptCallRecord } from '../run-state.ts';
import { schemaValidator } from '../schema-validator.ts';
import { normalizeJson, structuredCloneJson } from './executor-support.ts';
import type { RunContext } from './run-context.ts';

// Flow scripts: a code node's `ctx.action(type, input)` and `ctx.subflow(flowId, input)`.
// Each call is recorded (ScriptCallStarted before it is performed, ScriptCallFinished after),
// and answered to the guest only once its outcome is stored. When the node runs again after a
// crash, its script's calls are answered from those records in order (scriptCallStep decides).

/** What the calls of one attempt need from the attempt that makes them. */
export interface ScriptAttempt {
  readonly frame: Frame;
  readonly node: CNode;
  readonly path: string;
  readonly attempt: number;
  readonly signal: AbortSignalLike;
  /** Secret values of the node's input (redacted from logs as the node's own are). */
  readonly secrets: readonly string[];
  /** False once the attempt has settled (its outcome is recorded): late calls are refused. */
  live(): boolean;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: unknown): void;
}

/** The flow-script calls of one attempt of a code node. */
export function createScriptCalls(ctx: RunContext, at: ScriptAttempt): FlowScriptCalls {
  // The records of this attempt as they were when it started: a re-run replays exactly those.
  const recorded: readonly ScriptCallRecord[] = (ctx.state.nodes.get(at.path)?.calls ?? []).filter(
    (c) => c.attempt === at.attempt,
  );
  let next = 0;
  let problem: Error | undefined;

  return {
    call(call) {
      const index = next++;
      if (problem) return Promise.reject(problem);
      const input = structuredCloneJson(call.input ?? null);
      // Recorded inputs are redacted; compare like with like.
      const stored = redact(input, ctx.services.knownSecrets());
      const step = scriptCallStep(recorded[index], index, call.kind, call.name, stored);
      switch (step.kind) {
        case 'mismatch':
          problem = toError(step.error);
          return Promise.reject(problem);
        case 'replay':
          return Promise.resolve(step.output);
        case 'replay-error':
          return Promise.reject(toError(step.error));
        case 'resume':
          return perform(ctx, at, index, call, input, step.childRunId, false);
        case 'perform':
          return perform(ctx, at, index, call, input, undefined, true);
      }
    },
    check(finished) {
      if (problem) return problem;
      if (finished && next < recorded.length) {
        // A script that makes fewer calls than it did before a crash is nondeterministic too.
        const missing = recorded[next]!;
        problem = toError(
          engineError(
            'E_NONDETERMINISM',
            `The flow script of "${at.node.id}" finished after ${next} call(s), but before the restart it made call #${missing.index} (${missing.kind} "${missing.name}"). Its ctx.action/ctx.subflow calls must be the same, in the same order, when it runs again; take time, random values and other changing data from the node's input.`,
            {
              index: missing.index,
              expected: { kind: missing.kind, name: missing.name, input: missing.input },
              got: null,
            },
          ),
        );
        return problem;
      }
      return undefined;
    },
  };
}

/** A recorded error as the guest sees it thrown (its code passes through the sandbox). */
function toError(error: NodeError): Error {
  return new ActionError(error.code, error.message, error.details);
}

/**
 * Performs one call: records ScriptCallStarted (`record`; a resumed call has it already),
 * runs the action or the child run once that is stored, records ScriptCallFinished and
 * answers the guest once that is stored.
 */
function perform(
  ctx: RunContext,
  at: ScriptAttempt,
  index: number,
  call: FlowScriptCall,
  input: unknown,
  recordedChild: string | undefined,
  record: boolean,
): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    ctx.enqueue(() => {
      if (!at.live() || ctx.ended || at.signal.aborted) {
        reject(new ActionError('E_NODE_ABORTED', 'The code node ended before this call ran.'));
        return;
      }
      const child =
        call.kind === 'subflow'
          ? // Like a subflow node's child (wait-plan.ts), plus the call's index.
            (recordedChild ??
            `${ctx.runId}.${at.path.replaceAll('/', '.')}.${at.attempt}.call-${index}`)
          : undefined;
      if (record) {
        ctx.emit(
          {
            type: 'ScriptCallStarted',
            path: at.path,
            attempt: at.attempt,
            index,
            kind: call.kind,
            name: call.name,
            input,
            ...(child === undefined ? {} : { childRunId: child }),
          },
          at.frame,
        );
      }
      ctx.effects.push(() => {
        const running =
          child === undefined
            ? runAction(ctx, at, index, call.name, input)
            : runSubflow(ctx, at, child, call.name, input);
        running.then((outcome) =>
          ctx.enqueue(() => {
            if (!at.live() || ctx.ended) {
              reject(new ActionError('E_NODE_ABORTED', 'The code node ended during this call.'));
              return;
            }
            ctx.emit(
              {
                type: 'ScriptCallFinished',
                path: at.path,
                attempt: at.attempt,
                index,
                ...('error' in outcome ? { error: outcome.error } : { output: outcome.value }),
              },
              at.frame,
            );
            // Answered once the outcome is stored: the guest never sees an unrecorded result.
            ctx.effects.push(() =>
              'error' in outcome ? reject(toError(outcome.error)) : resolve(outcome.value),
            );
          }),
        );
      });
    });
  });
}

type Outcome = { value: unknown } | { error: NodeError };

/** Runs a host action (or `http`) for the script: input schema, timeout-free, abortable. */
async function runAction(
  ctx: RunContext,
  at: ScriptAttempt,
  index: number,
  type: string,
  input: unknown,
): Promise<Outcome> {
  const action: ActionDefinition | undefined = ctx.services.action(type);
  if (!action || type === 'code') {
    return {
      error: engineError(
        'E_ACTION_UNKNOWN',
        `ctx.action("${type}"): no action is registered for that type; pass it to createEngine({ actions }).`,
      ),
    };
  }
  const schema = action.inputSchema;
  if (typeof schema === 'object' && schema !== null) {
    const result = schemaValidator(schema).validate(input);
    if (!result.valid) {
      const first = result.errors[result.errors.length - 1];
      return {
        error: engineError(
          'E_INPUT_INVALID',
          `ctx.action("${type}"): the input does not match the ${action.title} input schema: ${first ? `${first.instanceLocation} ${first.error}` : 'invalid'}.`,
          { errors: result.errors.map((e) => ({ at: e.instanceLocation, error: e.error })) },
        ),
      };
    }
  }
  try {
    const output = await action.run(structuredCloneJson(input), {
      signal: at.signal,
      attempt: at.attempt,
      // The same key when a crashed call is performed again: targets can deduplicate.
      idempotencyKey: `${ctx.runId}/${at.path}/${at.attempt}/call-${index}`,
      runId: ctx.runId,
      flowId: ctx.state.flowId,
      nodeId: at.node.id,
      nodePath: at.path,
      now: () => ctx.services.clock.now(),
      log: at.log,
    });
    const json = normalizeJson(output);
    if (json && 'error' in json) return json;
    const checked = checkOutput(json?.value ?? null, ctx.services.limits.maxOutputBytes);
    return 'error' in checked ? checked : { value: redact(checked.value, at.secrets) };
  } catch (err) {
    return { error: redact(toNodeError(err), at.secrets) };
  }
}

/** Runs (or, after a crash, finds) the child run of a subflow call and waits for its end. */
async function runSubflow(
  ctx: RunContext,
  at: ScriptAttempt,
  childRunId: string,
  flowId: string,
  input: unknown,
): Promise<Outcome> {
  try {
    const value = await ctx.services.callSubflow(
      {
        runId: childRunId,
        flowId,
        input,
        parent: { runId: ctx.runId, path: at.path, token: '', call: true },
      },
      at.signal,
    );
    return { value };
  } catch (err) {
    const e = toNodeError(err);
    if (e.code === 'E_FLOW_NOT_FOUND' || e.code === 'E_FLOW_VERSION_NOT_FOUND') return { error: e };
    return {
      error: engineError(
        'E_SUBFLOW_FAILED',
        `ctx.subflow("${flowId}"): child run ${childRunId} failed: ${e.message}`,
        { childRunId, error: e },
      ),
    };
  }
}
