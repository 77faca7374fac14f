import type { CNode } from '../compile-flow.ts';
import type { NodeError } from '../events.ts';
import type { Frame } from '../frame.ts';
import { bodyOutput, regionOutput } from './container-output.ts';
import { startForEach, startWhile } from './loops.ts';
import type { RunContext } from './run-context.ts';
import { failAttempt, succeedNode } from './node-outcomes.ts';
import { childFrame, startFrame } from './run-frames.ts';

// Containers: forEach, while (loops.ts), try (catch, finally) and group, each running
// sub-frames whose outcome becomes the container's.

/** Starts a container, or continues one that was running (`recorded`: its recorded input). */
export function startContainer(
  ctx: RunContext,
  frame: Frame,
  node: CNode,
  path: string,
  attempt: number,
  recorded: unknown,
): void {
  switch (node.type) {
    case 'forEach':
      startForEach(ctx, frame, node, path, attempt, recorded);
      return;
    case 'while':
      if (recorded === undefined) ctx.emit({ type: 'NodeStarted', path, attempt }, frame);
      startWhile(ctx, frame, node, path, attempt);
      return;
    default: {
      if (recorded === undefined) ctx.emit({ type: 'NodeStarted', path, attempt }, frame);
      if (node.type === 'try') startTry(ctx, frame, node, path, attempt);
      else startGroup(ctx, frame, node, path, attempt);
    }
  }
}

/** A group runs its body in the same scope; the body's output is its output. */
function startGroup(
  ctx: RunContext,
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
      const out = bodyOutput(ctx, f, node, body, node.output);
      if (out) succeedNode(ctx, frame, node, path, attempt, out.value);
    },
    (_f, error) => failAttempt(ctx, frame, node, path, attempt, error),
  );
  startFrame(ctx, child);
}

/**
 * A try runs its body; a failure there runs the catch region (with `$<error>`), whose output
 * becomes the try's; the finally region runs after either, and a failure in it (or in a
 * catch, or without a catch) fails the try's attempt.
 */
function startTry(ctx: RunContext, frame: Frame, node: CNode, path: string, attempt: number): void {
  const body = node.body!;
  const finish = (outcome: { value: unknown } | { error: NodeError }, error?: NodeError): void => {
    const fin = node.finallyGraph;
    const conclude = () => {
      if ('error' in outcome) failAttempt(ctx, frame, node, path, attempt, outcome.error);
      else succeedNode(ctx, frame, node, path, attempt, outcome.value);
    };
    if (!fin) {
      conclude();
      return;
    }
    const bindings = error ? { ...frame.bindings, error } : frame.bindings;
    startFrame(
      ctx,
      childFrame(
        frame,
        fin,
        frame.segments,
        bindings,
        frame.iteration,
        () => conclude(),
        (_f, e) => failAttempt(ctx, frame, node, path, attempt, e),
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
      const out = bodyOutput(ctx, f, node, body, node.output);
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
          const out = regionOutput(ctx, cf, handler);
          if (out) finish(out, error);
        },
        (_cf, e2) => finish({ error: e2 }, e2),
      );
      startFrame(ctx, catchFrame);
    },
  );
  startFrame(ctx, child);
}
