import type { ActionContext, ActionDefinition } from '../actions/action.ts';
import { MillraceError } from '../errors/millrace-error.ts';
import { newAbortController } from '../platform/globals.ts';
import type { CNode } from './compile-flow.ts';
import type { Frame } from './frame.ts';
import { engineError, toNodeError } from './node-errors.ts';
import { redact } from './redact.ts';
import type { RunExecutor } from './executor.ts';
import {
  normalizeJson,
  schemaValidator,
  structuredCloneJson,
  type InFlight,
} from './executor-support.ts';
import { evaluate, secretValues } from './run-scope.ts';

// Actions (http, code, host connectors): input validation, the step cache, slots,
// timeouts, and the call itself with its context.

export function startAction(
  ex: RunExecutor,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  restarted: boolean,
): void {
  const action = ex.services.action(node.type, node);
  if (!action) {
    ex.failNode(
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
  const r = evaluate(ex, frame, node, node.input, path, attempt);
  if (!r) return;
  // JSON-normalised first: what the schema checks is exactly what the action receives
  // (a property whose value is undefined is absent, as it would be after storage).
  const input = structuredCloneJson(r.value);
  const schema = action.inputSchema;
  if (typeof schema === 'object' && schema !== null) {
    const result = schemaValidator(schema).validate(input);
    if (!result.valid) {
      const first = result.errors[result.errors.length - 1];
      ex.failNode(
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
  const secrets = secretValues(ex, node.input);
  const cacheKey = node.cacheKey
    ? evaluate(ex, frame, node, node.cacheKey, path, attempt)
    : undefined;
  if (node.cacheKey && !cacheKey) return;
  const key = cacheKey
    ? `${ex.state.flowId}/${node.id}/${JSON.stringify(cacheKey.value)}`
    : undefined;
  const begin = () => {
    if (!restarted) {
      ex.emit(
        {
          type: 'NodeStarted',
          path,
          attempt,
          input: redact(input, secrets),
          idempotencyKey: `${ex.runId}/${path}/${attempt}`,
        },
        frame,
      );
    }
    ex.effects.push(() => invoke(ex, frame, node, path, attempt, action, input, secrets, key));
  };
  if (key === undefined || restarted) {
    whenSlot(ex, frame, path, attempt, begin);
    return;
  }
  ex.busy++;
  ex.effects.push(() => {
    ex.services.store.getCache(key, ex.services.clock.now()).then(
      (hit) =>
        ex.enqueue(() => {
          ex.busy--;
          if (hit)
            ex.succeed(frame, node, path, attempt, hit.value, {
              cached: true,
              input: redact(input, secrets),
            });
          else whenSlot(ex, frame, path, attempt, begin);
        }),
      () =>
        ex.enqueue(() => {
          ex.busy--;
          whenSlot(ex, frame, path, attempt, begin);
        }),
    );
  });
}

export function whenSlot(
  ex: RunExecutor,
  frame: Frame,
  path: string,
  attempt: number,
  begin: () => void,
): void {
  const started = ex.services.slots.acquire(() => {
    // An executor that ended or was unloaded meanwhile will never run the task: give the
    // slot back now, or it would leak and stall every other run.
    if (ex.dead || ex.ended) {
      ex.services.slots.release();
      return;
    }
    ex.enqueue(() => {
      ex.busy--;
      if (frame.failed || frame.finished || ex.ended) {
        ex.services.slots.release();
        return;
      }
      begin();
    });
  });
  if (started) {
    begin();
    return;
  }
  ex.busy++;
  ex.emit({ type: 'NodeScheduled', path, attempt }, frame);
}

export function releaseSlot(ex: RunExecutor): void {
  ex.services.slots.release();
}

export function invoke(
  ex: RunExecutor,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  action: ActionDefinition,
  input: unknown,
  secrets: readonly string[],
  cacheKey: string | undefined,
): void {
  if (frame.failed || frame.finished || ex.ended) {
    releaseSlot(ex);
    return;
  }
  const controller = newAbortController();
  const flight: InFlight = { frame, controller, node, attempt, settled: false };
  ex.inflight.set(path, flight);
  ex.busy++;
  const settle = (fn: () => void) => {
    if (flight.settled) return;
    flight.settled = true;
    if (flight.timeout) ex.services.clock.clearTimer(flight.timeout);
    ex.inflight.delete(path);
    ex.enqueue(() => {
      ex.busy--;
      fn();
      // Released only after the outcome is handled: a failure aborts its scope first, so a
      // node of that scope waiting for this slot does not start in between.
      releaseSlot(ex);
    });
  };
  const timeoutMs = node.def.timeoutMs;
  if (timeoutMs !== undefined) {
    flight.timeout = ex.services.clock.setTimer(timeoutMs, () => {
      const error = engineError(
        'E_NODE_TIMEOUT',
        `"${node.id}" took longer than its timeoutMs (${timeoutMs} ms); the attempt was aborted.`,
        { timeoutMs },
      );
      controller.abort(new MillraceError('E_NODE_TIMEOUT', error.message));
      settle(() => ex.attemptFailed(frame, node, path, attempt, error));
    });
  }
  const ctx: ActionContext = {
    signal: controller.signal,
    attempt,
    idempotencyKey: `${ex.runId}/${path}/${attempt}`,
    runId: ex.runId,
    flowId: ex.state.flowId,
    nodeId: node.id,
    nodePath: path,
    now: () => ex.services.clock.now(),
    log: (level, message, data) => {
      ex.enqueue(() => {
        if (ex.ended) return;
        const d = redact(data, secrets);
        ex.emit(
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
    },
  };
  let promise: Promise<unknown>;
  try {
    // Each action gets its own copy: mutating it must not change what other nodes see.
    promise = Promise.resolve(action.run(structuredCloneJson(input), ctx));
  } catch (err) {
    promise = Promise.reject(err);
  }
  promise.then(
    (output) =>
      settle(() => {
        const clean = redact(normalizeJson(output), secrets);
        if (clean && 'error' in clean) {
          ex.attemptFailed(frame, node, path, attempt, clean.error);
          return;
        }
        const value = clean?.value ?? null;
        if (cacheKey !== undefined && node.def.cache) {
          const entry = { value, expiresAt: ex.services.clock.now() + node.def.cache.ttlMs };
          ex.effects.push(
            () => void ex.services.store.putCache(cacheKey, entry).catch(() => undefined),
          );
        }
        ex.succeed(frame, node, path, attempt, value);
      }),
    (err) =>
      settle(() => ex.attemptFailed(frame, node, path, attempt, redact(toNodeError(err), secrets))),
  );
}
