import type { ActionDescriptor } from '../model/catalog.ts';
import type { AbortSignalLike } from '../platform/globals.ts';
import type { LogLevel } from '../runtime/events.ts';
import type { FlowScriptCalls } from './code.ts';

/** What an action's `run` receives besides its input. */
export interface ActionContext {
  /** Aborted when the attempt times out, its scope fails, or the run is cancelled. */
  readonly signal: AbortSignalLike;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** `runId/path/attempt`: the same when a crashed attempt is run again, so targets can dedupe. */
  readonly idempotencyKey: string;
  readonly runId: string;
  readonly flowId: string;
  readonly nodeId: string;
  /** The node's path, with loop iterations (`each[3]/enrich`). */
  readonly nodePath: string;
  /** Clock time (ms), from the engine's injected clock. */
  now(): number;
  /** Appends to the node's logs (stored with the run; secrets redacted). */
  log(level: LogLevel, message: string, data?: unknown): void;
  /** Code nodes only: the flow-script calls (`ctx.action`, `ctx.subflow`) of this attempt. */
  readonly script?: FlowScriptCalls;
}

/**
 * An action the engine can run: the catalog descriptor (title, icon, schemas, ports) plus `run`.
 * Its input is validated against `inputSchema` before `run`; a thrown error (or rejected
 * promise) fails the attempt, and its `code` (if any) is what `retry.retryOn` matches.
 *
 * @example
 * const slackPost: ActionDefinition = {
 *   type: 'slack.post', title: 'Post to Slack',
 *   inputSchema: { type: 'object', required: ['channel', 'text'] },
 *   async run({ channel, text }, ctx) { return postMessage(channel, text, { signal: ctx.signal }); },
 * };
 */
export interface ActionDefinition extends ActionDescriptor {
  run(input: unknown, ctx: ActionContext): unknown;
}

/** An error an action can throw to set its code and details. */
export class ActionError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = 'ActionError';
    this.code = code;
    this.details = details;
  }
}
