import type { CGraph } from '../compile-flow.ts';
import type { NodeError } from '../events.ts';
import { Frame, type Bindings } from '../frame.ts';
import { engineError } from '../node-errors.ts';
import type { RunContext } from './run-context.ts';
import { clearTimersOf } from './timers.ts';

// Frames: starting one (its roots become ready), finishing one, failing one (aborting what is
// in flight or parked inside it).

/** A frame inside `parent` (a loop iteration, a try body, a catch or finally region...). */
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

/** Starts a frame: its roots are ready; an empty graph is done at once. */
export function startFrame(ctx: RunContext, frame: Frame): void {
  if (frame.graph.nodes.length === 0) {
    ctx.push(() => frameDone(frame));
    return;
  }
  for (const root of frame.graph.roots) ctx.pushReady(frame, root);
  if (frame.graph.roots.length === 0) {
    // Validation rejects cycles; a cyclic graph would otherwise never finish.
    ctx.push(() =>
      frameFailed(ctx, frame, engineError('E_FLOW_INVALID', 'The graph has no root (a cycle).')),
    );
  }
}

/** Every node of the frame is resolved: its owner continues. */
export function frameDone(frame: Frame): void {
  if (frame.failed || frame.finished) return;
  frame.detach();
  frame.callbacks.done(frame);
}

/** A failure reached the frame: what runs inside is aborted, then its owner decides. */
export function frameFailed(ctx: RunContext, frame: Frame, error: NodeError): void {
  if (frame.failed || frame.finished) return;
  frame.failed = true;
  abortFrame(ctx, frame, 'E_NODE_ABORTED');
  frame.detach();
  frame.callbacks.failed(frame, error);
}

/** Aborts what is in flight or parked in a frame and its sub-frames (recording it). */
export function abortFrame(
  ctx: RunContext,
  frame: Frame,
  code: 'E_NODE_ABORTED' | 'E_RUN_CANCELLED',
): void {
  const frames: Frame[] = [];
  const collect = (f: Frame) => {
    frames.push(f);
    for (const c of f.children) collect(c);
  };
  collect(frame);
  const set = new Set(frames);
  for (const f of frames) if (f !== frame) f.failed = true;
  // A cancelled run records RunCancelled only; an aborted scope records each node it stopped.
  const record = code === 'E_NODE_ABORTED';
  for (const [path, flight] of ctx.inflight) {
    const owner = flight.frame;
    if (!owner || !set.has(owner) || flight.settled) continue;
    flight.settled = true;
    if (flight.timeout) ctx.services.clock.clearTimer(flight.timeout);
    flight.controller.abort(code);
    ctx.inflight.delete(path);
    ctx.services.slots.release();
    if (record) {
      ctx.emit(
        {
          type: 'NodeFailed',
          path,
          attempt: flight.attempt,
          aborted: true,
          error: engineError('E_NODE_ABORTED', `Aborted because another node in its scope failed.`),
        },
        owner,
      );
    }
  }
  for (const [token, w] of ctx.waiters) {
    if (!set.has(w.frame)) continue;
    ctx.waiters.delete(token);
    clearTimersOf(ctx, w.path);
    if (record) {
      ctx.emit(
        {
          type: 'NodeFailed',
          path: w.path,
          attempt: w.attempt,
          aborted: true,
          error: engineError(
            'E_NODE_ABORTED',
            `Stopped waiting because another node in its scope failed.`,
          ),
        },
        w.frame,
      );
    }
  }
  for (const [path, f] of ctx.retryFrames) {
    if (!set.has(f)) continue;
    ctx.retryFrames.delete(path);
    clearTimersOf(ctx, path);
  }
}
