import type { ForEachNode, WhileNode } from '../model/flow.ts';
import type { CGraph, CNode, Evaluable } from './compile-flow.ts';
import type { NodeError } from './events.ts';
import { Frame, type Bindings } from './frame.ts';
import { engineError, toNodeError } from './node-errors.ts';
import { redact } from './redact.ts';
import type { RunExecutor } from './executor.ts';
import { isTruthy, type LoopState } from './executor-support.ts';
import { evaluate, scope, secretValues } from './run-scope.ts';

// Containers: forEach, while, try (catch, finally) and group, each running sub-frames.

export function startContainer(
  ex: RunExecutor,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  recorded: unknown,
): void {
  switch (node.type) {
    case 'forEach':
      startForEach(ex, frame, node, path, attempt, recorded);
      return;
    case 'while':
      if (recorded === undefined) ex.emit({ type: 'NodeStarted', path, attempt }, frame);
      startWhile(ex, frame, node, path, attempt);
      return;
    default: {
      if (recorded === undefined) ex.emit({ type: 'NodeStarted', path, attempt }, frame);
      if (node.type === 'try') startTry(ex, frame, node, path, attempt);
      else startGroup(ex, frame, node, path, attempt);
    }
  }
}

export function childFrame(
  parent: Frame,
  graph: CGraph,
  segments: readonly string[],
  bindings: Bindings,
  iteration: number | undefined,
  done: (f: Frame) => void,
  failed: (f: Frame, e: NodeError) => void,
): Frame {
  return new Frame(graph, segments, bindings, parent, { done, failed }, iteration);
}

/** A body's output: the container's `output` expression, else its sinks' outputs. */
export function bodyOutput(
  ex: RunExecutor,
  frame: Frame,
  owner: CNode,
  graph: CGraph,
  expr: Evaluable | undefined,
): { value: unknown } | undefined {
  if (expr) {
    try {
      return { value: expr.value.evaluate(scope(ex, frame, expr)) };
    } catch (err) {
      ex.failNode(frame.parent!, owner, frame.parent!.pathOf(owner), 1, toNodeError(err));
      return undefined;
    }
  }
  const sinks = graph.sinks;
  if (sinks.length === 0) return { value: null };
  if (sinks.length === 1)
    return { value: ex.state.nodes.get(frame.pathOf(sinks[0]!))?.output ?? null };
  const out: Record<string, unknown> = {};
  for (const s of sinks) out[s.id] = ex.state.nodes.get(frame.pathOf(s))?.output ?? null;
  return { value: out };
}

/**
 * A loop iteration's output. With an `output` expression it is recorded once, under the
 * iteration's own path (`each[3]`), because the expression may read `vars` that later
 * iterations change: a replay must reuse the recorded value, not evaluate it again. Without
 * one, the output is the body's sink outputs, which are recorded already.
 */
export function iterationOutput(
  ex: RunExecutor,
  frame: Frame,
  owner: CNode,
  body: CGraph,
): { value: unknown } | undefined {
  if (!owner.output) return bodyOutput(ex, frame, owner, body, undefined);
  const path = frame.segments.join('/');
  const rec = ex.state.nodes.get(path);
  if (rec?.status === 'succeeded') return { value: rec.output };
  const out = bodyOutput(ex, frame, owner, body, owner.output);
  if (out) ex.emit({ type: 'NodeSucceeded', path, attempt: 1, output: out.value }, frame);
  return out;
}

export function startForEach(
  ex: RunExecutor,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  recorded: unknown,
): void {
  let items: unknown;
  if (recorded !== undefined) {
    items = (recorded as { items?: unknown }).items;
  } else {
    const r = evaluate(ex, frame, node, node.input, path, attempt);
    if (!r) return;
    items = (r.value as { items?: unknown }).items;
    if (!Array.isArray(items)) {
      ex.failNode(
        frame,
        node,
        path,
        attempt,
        engineError(
          'E_EXPR_TYPE',
          `forEach "${node.id}" needs input.items to be an array, not ${items === null ? 'null' : typeof items}.`,
        ),
      );
      return;
    }
    ex.emit(
      {
        type: 'NodeStarted',
        path,
        attempt,
        input: { items: redact(items, secretValues(ex, node.input)) },
      },
      frame,
    );
  }
  const list = items as unknown[];
  if (list.length === 0) {
    ex.succeed(frame, node, path, attempt, []);
    return;
  }
  const parallelism = Math.max(1, (node.def as ForEachNode).parallelism ?? 1);
  const loop: LoopState = {
    next: 0,
    running: 0,
    done: 0,
    outputs: new Array(list.length).fill(null),
    frames: new Set(),
  };
  const body = node.body!;
  const launch = (): void => {
    while (loop.running < parallelism && loop.next < list.length) {
      const i = loop.next++;
      loop.running++;
      const child = childFrame(
        frame,
        body,
        [...frame.segments, `${node.id}[${i}]`],
        { ...frame.bindings, item: list[i], index: i },
        i,
        (f) => {
          const out = iterationOutput(ex, f, node, body);
          if (!out) return;
          loop.outputs[i] = out.value;
          loop.running--;
          loop.done++;
          loop.frames.delete(f);
          if (loop.done === list.length) {
            ex.succeed(frame, node, path, attempt, loop.outputs);
          } else launch();
        },
        (_f, error) => {
          for (const other of loop.frames) if (!other.finished) abortAndDetach(ex, other);
          ex.attemptFailed(frame, node, path, attempt, error);
        },
      );
      loop.frames.add(child);
      ex.startFrame(child);
    }
  };
  launch();
}

export function abortAndDetach(ex: RunExecutor, frame: Frame): void {
  frame.failed = true;
  ex.abortFrame(frame, 'E_NODE_ABORTED');
  frame.detach();
}

export function startWhile(
  ex: RunExecutor,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
): void {
  const def = node.def as WhileNode;
  const max = def.maxIterations ?? ex.services.limits.defaultMaxIterations;
  const body = node.body!;
  const outputs: unknown[] = [];
  const iterate = (i: number): void => {
    if (frame.failed || frame.finished || ex.ended) return;
    const segments = [...frame.segments, `${node.id}[${i}]`];
    // An iteration that left records ran: its condition was true (and vars have moved on
    // since, so it must not be evaluated again).
    const ran = body.roots.some((r) => ex.state.nodes.has(segments.join('/') + '/' + r.id));
    if (!ran) {
      const previous = new Frame(
        body,
        [...frame.segments, `${node.id}[${i - 1}]`],
        { ...frame.bindings, index: i },
        undefined,
        { done: () => {}, failed: () => {} },
        i,
      );
      let go: unknown;
      try {
        go = node.condition!.value.evaluate(scope(ex, previous, node.condition));
      } catch (err) {
        ex.failNode(frame, node, path, attempt, toNodeError(err));
        return;
      }
      if (!isTruthy(go)) {
        ex.succeed(frame, node, path, attempt, outputs);
        return;
      }
      if (i >= max) {
        ex.failNode(
          frame,
          node,
          path,
          attempt,
          engineError(
            'E_LOOP_LIMIT',
            `The while loop "${node.id}" reached maxIterations (${max}) and its condition is still true.`,
            { maxIterations: max },
          ),
        );
        return;
      }
    }
    const child = childFrame(
      frame,
      body,
      segments,
      { ...frame.bindings, index: i },
      i,
      (f) => {
        const out = iterationOutput(ex, f, node, body);
        if (!out) return;
        outputs.push(out.value);
        // Iterations run one after another; queue the next to keep the stack flat.
        ex.push(() => iterate(i + 1));
      },
      (_f, error) => ex.attemptFailed(frame, node, path, attempt, error),
    );
    ex.startFrame(child);
  };
  iterate(0);
}

export function startGroup(
  ex: RunExecutor,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
): void {
  const body = node.body!;
  const child = childFrame(
    frame,
    body,
    frame.segments,
    frame.bindings,
    frame.iteration,
    (f) => {
      const out = bodyOutput(ex, f, node, body, node.output);
      if (out) ex.succeed(frame, node, path, attempt, out.value);
    },
    (_f, error) => ex.attemptFailed(frame, node, path, attempt, error),
  );
  ex.startFrame(child);
}

export function startTry(
  ex: RunExecutor,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
): void {
  const body = node.body!;
  const finish = (outcome: { value: unknown } | { error: NodeError }, error?: NodeError): void => {
    const fin = node.finallyGraph;
    const conclude = () => {
      if ('error' in outcome) ex.attemptFailed(frame, node, path, attempt, outcome.error);
      else ex.succeed(frame, node, path, attempt, outcome.value);
    };
    if (!fin) {
      conclude();
      return;
    }
    const bindings = error ? { ...frame.bindings, error } : frame.bindings;
    ex.startFrame(
      childFrame(
        frame,
        fin,
        frame.segments,
        bindings,
        frame.iteration,
        () => conclude(),
        (_f, e) => ex.attemptFailed(frame, node, path, attempt, e),
      ),
    );
  };
  const child = childFrame(
    frame,
    body,
    frame.segments,
    frame.bindings,
    frame.iteration,
    (f) => {
      const out = bodyOutput(ex, f, node, body, node.output);
      if (out) finish(out);
    },
    (_f, error) => {
      const handler = node.catchGraph;
      if (!handler) {
        finish({ error }, error);
        return;
      }
      const catchFrame = childFrame(
        frame,
        handler,
        frame.segments,
        { ...frame.bindings, error },
        frame.iteration,
        (cf) => {
          const out = regionOutput(ex, cf, handler);
          if (out) finish(out, error);
        },
        (_cf, e2) => finish({ error: e2 }, e2),
      );
      ex.startFrame(catchFrame);
    },
  );
  ex.startFrame(child);
}

export function regionOutput(
  ex: RunExecutor,
  frame: Frame,
  graph: CGraph,
): { value: unknown } | undefined {
  if (graph.output) {
    try {
      return { value: graph.output.value.evaluate(scope(ex, frame, graph.output)) };
    } catch (err) {
      ex.frameFailed(frame.parent ?? frame, toNodeError(err));
      return undefined;
    }
  }
  return bodyOutput(ex, frame, graph.owner!, graph, undefined);
}
