import type { ActionContext, ActionDefinition } from '../../actions/action.ts';
import { MillraceError } from '../../errors/millrace-error.ts';
import { newAbortController } from '../../platform/globals.ts';
import type { CNode } from '../compile-flow.ts';
import type { Frame } from '../frame.ts';
import { engineError, toNodeError } from '../node-errors.ts';
import { redact } from '../redact.ts';
import { schemaValidator } from '../schema-validator.ts';
import { normalizeJson, structuredCloneJson, type InFlight } from './executor-support.ts';
import type { RunContext } from './run-context.ts';
import { evaluateAt, failAttempt, failNode, succeedNode } from './node-outcomes.ts';
import { secretValues } from './run-scope.ts';
import { createScriptCalls } from './script-calls.ts';

// Actions (http, code, host connectors): input validation, the step cache, slots,
// timeouts, and the call itself with its context.

/**
 * Starts an action node's attempt: finds the action (E_ACTION_UNKNOWN), evaluates and checks
 * its input against the action's schema (E_INPUT_INVALID), answers from the step cache when
 * the node has one, else waits for a slot and invokes it. `restarted`: the attempt's
 * NodeStarted is recorded already (a reload), so it is not recorded twice.
 */
export function startAction(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  restarted: boolean,
): void {
  const action = ctx.services.action(node.type, node);
  if (!action) {
    failNode(
      ctx,
      frame,
      node,
      path,
      attempt,
      engineError(
        'E_ACTION_UNKNOWN',
        `No action is registered for type "${node.type}"; pass it to createEngine({ actions }).`,
      ),
    );
    return;
  }
  const r = evaluateAt(ctx, frame, node, node.input, path, attempt);
  if (!r) return;
  // JSON-normalised first: what the schema checks is exactly what the action receives
  // (a property whose value is undefined is absent, as it would be after storage).
  const input = structuredCloneJson(r.value);
  const schema = action.inputSchema;
  if (typeof schema === 'object' && schema !== null) {
    const result = schemaValidator(schema).validate(input);
    if (!result.valid) {
      const first = result.errors[result.errors.length - 1];
      failNode(
        ctx,
        frame,
        node,
        path,
        attempt,
        engineError(
          'E_INPUT_INVALID',
          `The input of "${node.id}" does not match the ${action.title} input schema: ${first ? `${first.instanceLocation} ${first.error}` : 'invalid'}.`,
          {
            errors: result.errors.map((e) => ({ at: e.instanceLocation, error: e.error })),
          },
        ),
      );
      return;
    }
  }
  const secrets = secretValues(ctx, node.input);
  const cacheKey = node.cacheKey
    ? evaluateAt(ctx, frame, node, node.cacheKey, path, attempt)
    : undefined;
  if (node.cacheKey && !cacheKey) return;
  const key = cacheKey
    ? `${ctx.state.flowId}/${node.id}/${JSON.stringify(cacheKey.value)}`
    : undefined;
  const begin = () => {
    if (!restarted) {
      ctx.emit(
        {
          type: 'NodeStarted',
          path,
          attempt,
          input: redact(input, secrets),
          idempotencyKey: `${ctx.runId}/${path}/${attempt}`,
        },
        frame,
      );
    }
    ctx.effects.push(() => invoke(ctx, frame, node, path, attempt, action, input, secrets, key));
  };
  if (key === undefined || restarted) {
    whenSlot(ctx, frame, path, attempt, begin);
    return;
  }
  ctx.busy++;
  ctx.effects.push(() => {
    ctx.services.store.getCache(key, ctx.services.clock.now()).then(
      (hit) =>
        ctx.enqueue(() => {
          ctx.busy--;
          if (hit)
            succeedNode(ctx, frame, node, path, attempt, hit.value, {
              cached: true,
              input: redact(input, secrets),
            });
          else whenSlot(ctx, frame, path, attempt, begin);
        }),
      () =>
        ctx.enqueue(() => {
          ctx.busy--;
          whenSlot(ctx, frame, path, attempt, begin);
        }),
    );
  });
}

/** Runs `begin` now if a `maxConcurrentNodes` slot is free, else records NodeScheduled and queues it. */
export function whenSlot(
  ctx: RunContext,
  frame: Frame,
  path: string,
  attempt: number,
  begin: () => void,
): void {
  const started = ctx.services.slots.acquire(() => {
    // An executor that ended or was unloaded meanwhile will never run the task: give the
    // slot back now, or it would leak and stall every other run.
    if (ctx.dead || ctx.ended) {
      ctx.services.slots.release();
      return;
    }
    ctx.enqueue(() => {
      ctx.busy--;
      if (frame.failed || frame.finished || ctx.ended) {
        ctx.services.slots.release();
        return;
      }
      begin();
    });
  });
  if (started) {
    begin();
    return;
  }
  ctx.busy++;
  ctx.emit({ type: 'NodeScheduled', path, attempt }, frame);
}

/**
 * Calls the action (an effect: after the outbox is stored) with its own copy of the input and
 * a context (abort signal, idempotency key, log); its timeout aborts the attempt. The outcome
 * comes back through the queue: success (cached if the node says so) or a failed attempt.
 */
export function invoke(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  action: ActionDefinition,
  input: unknown,
  secrets: readonly string[],
  cacheKey: string | undefined,
): void {
  if (frame.failed || frame.finished || ctx.ended) {
    ctx.services.slots.release();
    return;
  }
  const controller = newAbortController();
  const flight: InFlight = { frame, controller, node, attempt, settled: false };
  ctx.inflight.set(path, flight);
  ctx.busy++;
  const settle = (fn: () => void) => {
    if (flight.settled) return;
    flight.settled = true;
    if (flight.timeout) ctx.services.clock.clearTimer(flight.timeout);
    ctx.inflight.delete(path);
    ctx.enqueue(() => {
      ctx.busy--;
      fn();
      // Released only after the outcome is handled: a failure aborts its scope first, so a
      // node of that scope waiting for this slot does not start in between.
      ctx.services.slots.release();
    });
  };
  const timeoutMs = node.def.timeoutMs;
  if (timeoutMs !== undefined) {
    flight.timeout = ctx.services.clock.setTimer(timeoutMs, () => {
      const error = engineError(
        'E_NODE_TIMEOUT',
        `"${node.id}" took longer than its timeoutMs (${timeoutMs} ms); the attempt was aborted.`,
        { timeoutMs },
      );
      controller.abort(new MillraceError('E_NODE_TIMEOUT', error.message));
      settle(() => failAttempt(ctx, frame, node, path, attempt, error));
    });
  }
  const log: ActionContext['log'] = (level, message, data) => {
    ctx.enqueue(() => {
      if (ctx.ended) return;
      const d = redact(data, secrets);
      ctx.emit(
        {
          type: 'NodeLogged',
          path,
          level,
          message: redact(String(message), secrets),
          ...(d === undefined ? {} : { data: d }),
        },
        frame,
      );
    });
  };
  const context: ActionContext = {
    signal: controller.signal,
    attempt,
    idempotencyKey: `${ctx.runId}/${path}/${attempt}`,
    runId: ctx.runId,
    flowId: ctx.state.flowId,
    nodeId: node.id,
    nodePath: path,
    now: () => ctx.services.clock.now(),
    log,
    // Flow scripts: a code node's ctx.action / ctx.subflow, recorded and replayed.
    ...(node.type === 'code'
      ? {
          script: createScriptCalls(ctx, {
            frame,
            node,
            path,
            attempt,
            signal: controller.signal,
            secrets,
            live: () => !flight.settled && !ctx.ended,
            log,
          }),
        }
      : {}),
  };
  let promise: Promise<unknown>;
  try {
    // Each action gets its own copy: mutating it must not change what other nodes see.
    promise = Promise.resolve(action.run(structuredCloneJson(input), context));
  } catch (err) {
    promise = Promise.reject(err);
  }
  promise.then(
    (output) =>
      settle(() => {
        const clean = redact(normalizeJson(output), secrets);
        if (clean && 'error' in clean) {
          failAttempt(ctx, frame, node, path, attempt, clean.error);
          return;
        }
        const value = clean?.value ?? null;
        if (cacheKey !== undefined && node.def.cache) {
          const entry = { value, expiresAt: ctx.services.clock.now() + node.def.cache.ttlMs };
          ctx.effects.push(
            () => void ctx.services.store.putCache(cacheKey, entry).catch(() => undefined),
          );
        }
        succeedNode(ctx, frame, node, path, attempt, value);
      }),
    (err) =>
      settle(() => failAttempt(ctx, frame, node, path, attempt, redact(toNodeError(err), secrets))),
  );
}
