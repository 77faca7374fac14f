import type { ActionContext } from '../../actions/action.ts';
import { newAbortController } from '../../platform/globals.ts';
import { compensationOrder, nodeOfPath } from '../decisions/compensation-order.ts';
import { checkOutput } from '../decisions/output-check.ts';
import type { NodeError } from '../events.ts';
import { Frame, type Bindings } from '../frame.ts';
import { engineError, toNodeError } from '../node-errors.ts';
import { redact } from '../redact.ts';
import type { NodeRecord } from '../run-state.ts';
import { bodyOutput } from './container-output.ts';
import { normalizeJson, structuredCloneJson } from './executor-support.ts';
import type { RunContext } from './run-context.ts';
import { abortFrame, startFrame } from './run-frames.ts';
import { scope, secretValues } from './run-scope.ts';
import { clearTimersOf } from './timers.ts';

// The end of a run: its output, or compensation in reverse order and onFailure.

/** The main graph finished: the run succeeds with its output (a `return`'s, the flow's `output`, or its sinks'). */
export function mainDone(ctx: RunContext, frame: Frame): void {
  if (ctx.ended || ctx.failing) return;
  let output: unknown;
  if (ctx.state.returned) output = ctx.state.returned.value;
  else if (ctx.flow.output) {
    try {
      output = ctx.flow.output.value.evaluate(scope(ctx, frame, ctx.flow.output));
    } catch (err) {
      failRun(ctx, toNodeError(err));
      return;
    }
  } else output = bodyOutput(ctx, frame, undefined, ctx.flow.main, undefined)?.value ?? null;
  const checked = checkOutput(output, ctx.services.limits.maxOutputBytes);
  if ('error' in checked) {
    failRun(ctx, checked.error);
    return;
  }
  clearTimersOf(ctx, '');
  ctx.emit({ type: 'RunSucceeded', output: checked.value });
  ctx.end();
}

/** The run failed: compensate succeeded nodes in reverse order, run onFailure, record it. */
export function failRun(ctx: RunContext, error: NodeError): void {
  if (ctx.ended || ctx.failing) return;
  ctx.failing = error;
  if (ctx.main && !ctx.main.finished) {
    ctx.main.failed = true;
    abortFrame(ctx, ctx.main, 'E_NODE_ABORTED');
    ctx.main.detach();
  }
  clearTimersOf(ctx, '');
  const compensations = compensationOrder(ctx.flow, ctx.state.nodes.values());
  const next = (i: number): void => {
    if (i >= compensations.length) {
      runOnFailure(ctx, error);
      return;
    }
    compensate(ctx, compensations[i]!, () => ctx.push(() => next(i + 1)));
  };
  next(0);
}

/** Runs one node's `compensate` action once (recorded as `<path>#compensate`), then `then`. */
export function compensate(ctx: RunContext, rec: NodeRecord, then: () => void): void {
  const node = nodeOfPath(ctx.flow, rec.path)!;
  const spec = node.def.compensate!;
  const path = `${rec.path}#compensate`;
  const existing = ctx.state.nodes.get(path);
  if (existing && (existing.status === 'succeeded' || existing.status === 'failed')) {
    then();
    return;
  }
  const action = ctx.services.action(spec.type);
  const frame = frameForPath(ctx, rec.path);
  const fail = (error: NodeError) => {
    ctx.emit({ type: 'NodeFailed', path, attempt: 1, error });
    then();
  };
  if (!action) {
    fail(
      engineError(
        'E_ACTION_UNKNOWN',
        `No action is registered for the compensate type "${spec.type}".`,
      ),
    );
    return;
  }
  let input: unknown;
  try {
    input = node.compensateInput!.value.evaluate(
      scope(ctx, frame, node.compensateInput, undefined),
    );
  } catch (err) {
    fail(toNodeError(err));
    return;
  }
  const secrets = secretValues(ctx, node.compensateInput);
  if (!existing)
    ctx.emit({
      type: 'NodeStarted',
      path,
      attempt: 1,
      input: redact(input, secrets),
      idempotencyKey: `${ctx.runId}/${path}/1`,
    });
  ctx.busy++;
  ctx.effects.push(() => {
    const controller = newAbortController();
    const context: ActionContext = {
      signal: controller.signal,
      attempt: 1,
      idempotencyKey: `${ctx.runId}/${path}/1`,
      runId: ctx.runId,
      flowId: ctx.state.flowId,
      nodeId: node.id,
      nodePath: path,
      now: () => ctx.services.clock.now(),
      log: () => undefined,
    };
    Promise.resolve()
      .then(() => action.run(structuredCloneJson(input), context))
      .then(
        (output) =>
          ctx.enqueue(() => {
            ctx.busy--;
            const normal = normalizeJson(output);
            ctx.emit({
              type: 'NodeSucceeded',
              path,
              attempt: 1,
              output: redact(normal && 'value' in normal ? normal.value : null, secrets),
            });
            then();
          }),
        (err) =>
          ctx.enqueue(() => {
            ctx.busy--;
            fail(redact(toNodeError(err), secrets));
          }),
      );
  });
}

/** A frame that resolves `nodes.x` and `item`/`index` as seen from a recorded path. */
export function frameForPath(ctx: RunContext, path: string): Frame {
  const segments = path.split('/').slice(0, -1);
  let bindings: Bindings = {};
  const last = segments[segments.length - 1];
  const m = last ? /^(.*)\[(\d+)\]$/.exec(last) : null;
  if (m) {
    const loopPath = [...segments.slice(0, -1), m[1]!].join('/');
    const index = Number(m[2]);
    const items = (ctx.state.nodes.get(loopPath)?.input as { items?: unknown[] } | undefined)
      ?.items;
    bindings = items ? { item: items[index], index } : { index };
  }
  return new Frame(
    ctx.flow.main,
    segments,
    bindings,
    undefined,
    { done: () => {}, failed: () => {} },
    undefined,
  );
}

/** Runs the flow's onFailure region (with `$<error>`), then records RunFailed with its output. */
export function runOnFailure(ctx: RunContext, error: NodeError): void {
  const graph = ctx.flow.onFailure;
  const finish = (output?: unknown, extra?: NodeError) => {
    const recorded: NodeError = extra
      ? { ...error, details: { ...(error.details ?? {}), onFailureError: extra } }
      : error;
    ctx.emit({
      type: 'RunFailed',
      error: recorded,
      ...(output === undefined ? {} : { output }),
    });
    ctx.end();
  };
  if (!graph) {
    finish();
    return;
  }
  const frame = new Frame(
    graph,
    [],
    { error },
    undefined,
    {
      done: (f) => {
        let output: unknown;
        try {
          output = graph.output
            ? graph.output.value.evaluate(scope(ctx, f, graph.output))
            : (bodyOutput(ctx, f, undefined, graph, undefined)?.value ?? null);
        } catch (err) {
          finish(undefined, toNodeError(err));
          return;
        }
        finish(output);
      },
      failed: (_f, e2) => finish(undefined, e2),
    },
    undefined,
  );
  startFrame(ctx, frame);
}

/** The run's deadline (the flow's `timeoutMs`) passed: the run fails with E_RUN_TIMEOUT. */
export function runTimedOut(ctx: RunContext): void {
  if (ctx.ended) return;
  failRun(
    ctx,
    engineError(
      'E_RUN_TIMEOUT',
      `The run took longer than the flow's timeoutMs (${ctx.flow.def.timeoutMs ?? 0} ms).`,
    ),
  );
}
