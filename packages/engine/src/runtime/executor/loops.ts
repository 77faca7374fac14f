import type { ForEachNode, WhileNode } from '../../model/flow.ts';
import type { CNode } from '../compile-flow.ts';
import { Frame } from '../frame.ts';
import { engineError, toNodeError } from '../node-errors.ts';
import { redact } from '../redact.ts';
import { iterationOutput } from './container-output.ts';
import type { LoopState } from './executor-support.ts';
import type { RunContext } from './run-context.ts';
import { evaluateAt, failAttempt, failNode, succeedNode } from './node-outcomes.ts';
import { abortFrame, childFrame, startFrame } from './run-frames.ts';
import { scope, secretValues } from './run-scope.ts';

// Loops: forEach (items, in parallel up to `parallelism`) and while (one iteration after
// another while its condition holds). Each iteration is a frame with its own path segment.

/**
 * Starts (or, from `recorded` input, continues) a forEach: iterations run in parallel up to
 * `parallelism`; the output is the iterations' outputs in item order. A failed iteration
 * aborts the others and fails the attempt.
 */
export function startForEach(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  recorded: unknown,
): void {
  let items: unknown;
  if (recorded !== undefined) {
    // Continuing after a reload: the items are the recorded ones, not evaluated anew.
    items = (recorded as { items?: unknown }).items;
  } else {
    const r = evaluateAt(ctx, frame, node, node.input, path, attempt);
    if (!r) return;
    items = (r.value as { items?: unknown }).items;
    if (!Array.isArray(items)) {
      failNode(
        ctx,
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
    ctx.emit(
      {
        type: 'NodeStarted',
        path,
        attempt,
        input: { items: redact(items, secretValues(ctx, node.input)) },
      },
      frame,
    );
  }
  const list = items as unknown[];
  if (list.length === 0) {
    succeedNode(ctx, frame, node, path, attempt, []);
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
          const out = iterationOutput(ctx, f, node, body);
          if (!out) return;
          loop.outputs[i] = out.value;
          loop.running--;
          loop.done++;
          loop.frames.delete(f);
          if (loop.done === list.length) {
            succeedNode(ctx, frame, node, path, attempt, loop.outputs);
          } else launch();
        },
        (_f, error) => {
          for (const other of loop.frames) if (!other.finished) abortAndDetach(ctx, other);
          failAttempt(ctx, frame, node, path, attempt, error);
        },
      );
      loop.frames.add(child);
      startFrame(ctx, child);
    }
  };
  launch();
}

function abortAndDetach(ctx: RunContext, frame: Frame): void {
  frame.failed = true;
  abortFrame(ctx, frame, 'E_NODE_ABORTED');
  frame.detach();
}

/**
 * Starts (or continues) a while loop: before each iteration its condition is evaluated in the
 * scope of the previous one; past `maxIterations` with the condition still true it fails with
 * E_LOOP_LIMIT. The output is the iterations' outputs in order.
 */
export function startWhile(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
): void {
  const def = node.def as WhileNode;
  const max = def.maxIterations ?? ctx.services.limits.defaultMaxIterations;
  const body = node.body!;
  const outputs: unknown[] = [];
  const iterate = (i: number): void => {
    if (frame.failed || frame.finished || ctx.ended) return;
    const segments = [...frame.segments, `${node.id}[${i}]`];
    // An iteration that left records ran: its condition was true (and vars have moved on
    // since, so it must not be evaluated again).
    const ran = body.roots.some((r) => ctx.state.nodes.has(segments.join('/') + '/' + r.id));
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
        go = node.condition!.value.evaluate(scope(ctx, previous, node.condition));
      } catch (err) {
        failNode(ctx, frame, node, path, attempt, toNodeError(err));
        return;
      }
      if (!go) {
        succeedNode(ctx, frame, node, path, attempt, outputs);
        return;
      }
      if (i >= max) {
        failNode(
          ctx,
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
        const out = iterationOutput(ctx, f, node, body);
        if (!out) return;
        outputs.push(out.value);
        // Iterations run one after another; queue the next to keep the stack flat.
        ctx.push(() => iterate(i + 1));
      },
      (_f, error) => failAttempt(ctx, frame, node, path, attempt, error),
    );
    startFrame(ctx, child);
  };
  iterate(0);
}
