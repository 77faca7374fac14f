import type { ActionContext } from '../actions/action.ts';
import { newAbortController } from '../platform/globals.ts';
import type { CNode } from './compile-flow.ts';
import type { NodeError } from './events.ts';
import { Frame, type Bindings } from './frame.ts';
import { engineError, toNodeError } from './node-errors.ts';
import { redact } from './redact.ts';
import type { NodeRecord } from './run-state.ts';
import type { RunExecutor } from './executor.ts';
import { normalizeJson, structuredCloneJson } from './executor-support.ts';
import { bodyOutput } from './containers.ts';
import { scope, secretValues } from './run-scope.ts';
import { clearTimersOf } from './timers.ts';

// The end of a run: its output, or compensation in reverse order and onFailure.

export function mainDone(ex: RunExecutor, frame: Frame): void {
  if (ex.ended || ex.failing) return;
  let output: unknown;
  if (ex.state.returned) output = ex.state.returned.value;
  else if (ex.flow.output) {
    try {
      output = ex.flow.output.value.evaluate(scope(ex, frame, ex.flow.output));
    } catch (err) {
      failRun(ex, toNodeError(err));
      return;
    }
  } else
    output =
      bodyOutput(ex, frame, undefined as unknown as CNode, ex.flow.main, undefined)?.value ?? null;
  const checked = ex.checkOutput(output);
  if ('error' in checked) {
    failRun(ex, checked.error);
    return;
  }
  clearTimersOf(ex, '');
  ex.emit({ type: 'RunSucceeded', output: checked.value });
  ex.end();
}

/** The run failed: compensate succeeded nodes in reverse order, run onFailure, record it. */
export function failRun(ex: RunExecutor, error: NodeError): void {
  if (ex.ended || ex.failing) return;
  ex.failing = error;
  if (ex.main && !ex.main.finished) {
    ex.main.failed = true;
    ex.abortFrame(ex.main, 'E_NODE_ABORTED');
    ex.main.detach();
  }
  clearTimersOf(ex, '');
  const compensations = [...ex.state.nodes.values()]
    .filter(
      (r) =>
        r.status === 'succeeded' &&
        !r.path.endsWith('#compensate') &&
        nodeOfPath(ex, r.path)?.def.compensate,
    )
    .sort((a, b) => (b.finishedSeq ?? 0) - (a.finishedSeq ?? 0));
  const next = (i: number): void => {
    if (i >= compensations.length) {
      runOnFailure(ex, error);
      return;
    }
    compensate(ex, compensations[i]!, () => ex.push(() => next(i + 1)));
  };
  next(0);
}

export function nodeOfPath(ex: RunExecutor, path: string): CNode | undefined {
  const last = path.slice(path.lastIndexOf('/') + 1);
  return ex.flow.nodes.get(last);
}

export function compensate(ex: RunExecutor, rec: NodeRecord, then: () => void): void {
  const node = nodeOfPath(ex, rec.path)!;
  const spec = node.def.compensate!;
  const path = `${rec.path}#compensate`;
  const existing = ex.state.nodes.get(path);
  if (existing && (existing.status === 'succeeded' || existing.status === 'failed')) {
    then();
    return;
  }
  const action = ex.services.action(spec.type);
  const frame = frameForPath(ex, rec.path);
  const fail = (error: NodeError) => {
    ex.emit({ type: 'NodeFailed', path, attempt: 1, error });
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
    input = node.compensateInput!.value.evaluate(scope(ex, frame, node.compensateInput, undefined));
  } catch (err) {
    fail(toNodeError(err));
    return;
  }
  const secrets = secretValues(ex, node.compensateInput);
  if (!existing)
    ex.emit({
      type: 'NodeStarted',
      path,
      attempt: 1,
      input: redact(input, secrets),
      idempotencyKey: `${ex.runId}/${path}/1`,
    });
  ex.busy++;
  ex.effects.push(() => {
    const controller = newAbortController();
    const ctx: ActionContext = {
      signal: controller.signal,
      attempt: 1,
      idempotencyKey: `${ex.runId}/${path}/1`,
      runId: ex.runId,
      flowId: ex.state.flowId,
      nodeId: node.id,
      nodePath: path,
      now: () => ex.services.clock.now(),
      log: () => undefined,
    };
    Promise.resolve()
      .then(() => action.run(structuredCloneJson(input), ctx))
      .then(
        (output) =>
          ex.enqueue(() => {
            ex.busy--;
            const normal = normalizeJson(output);
            ex.emit({
              type: 'NodeSucceeded',
              path,
              attempt: 1,
              output: redact(normal && 'value' in normal ? normal.value : null, secrets),
            });
            then();
          }),
        (err) =>
          ex.enqueue(() => {
            ex.busy--;
            fail(redact(toNodeError(err), secrets));
          }),
      );
  });
}

/** A frame that resolves `nodes.x` and `item`/`index` as seen from a recorded path. */
export function frameForPath(ex: RunExecutor, path: string): Frame {
  const segments = path.split('/').slice(0, -1);
  let bindings: Bindings = {};
  const last = segments[segments.length - 1];
  const m = last ? /^(.*)\[(\d+)\]$/.exec(last) : null;
  if (m) {
    const loopPath = [...segments.slice(0, -1), m[1]!].join('/');
    const index = Number(m[2]);
    const items = (ex.state.nodes.get(loopPath)?.input as { items?: unknown[] } | undefined)?.items;
    bindings = items ? { item: items[index], index } : { index };
  }
  return new Frame(
    ex.flow.main,
    segments,
    bindings,
    undefined,
    { done: () => {}, failed: () => {} },
    undefined,
  );
}

export function runOnFailure(ex: RunExecutor, error: NodeError): void {
  const graph = ex.flow.onFailure;
  const finish = (output?: unknown, extra?: NodeError) => {
    const recorded: NodeError = extra
      ? { ...error, details: { ...(error.details ?? {}), onFailureError: extra } }
      : error;
    ex.emit({
      type: 'RunFailed',
      error: recorded,
      ...(output === undefined ? {} : { output }),
    });
    ex.end();
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
            ? graph.output.value.evaluate(scope(ex, f, graph.output))
            : (bodyOutput(ex, f, undefined as unknown as CNode, graph, undefined)?.value ?? null);
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
  ex.startFrame(frame);
}
