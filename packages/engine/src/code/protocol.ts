/**
 * The messages between a code runner (host side) and its sandbox worker. Only strings,
 * numbers and plain objects cross: the guest's input and output travel as JSON text, never as
 * objects of either realm.
 */

/** Limits the worker applies to every call it runs. */
export interface WorkerLimits {
  /** Bytes of the QuickJS WebAssembly heap (a bounded `WebAssembly.Memory`). */
  readonly memoryBytes: number;
  /** QuickJS's stack budget (`setMaxStackSize`); 0 picks the platform's safe default. */
  readonly stackBytes: number;
}

export interface RunJob {
  readonly type: 'run';
  readonly id: number;
  /** JavaScript: types already stripped. */
  readonly code: string;
  /** The input as JSON text. */
  readonly input: string;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  readonly maxLogLines: number;
  /** Whether the guest gets `ctx.fetch` (the host checks every call against its allow-list). */
  readonly fetch: boolean;
  /** Whether the guest gets `ctx.action` / `ctx.subflow` (flow scripts: the engine runs them). */
  readonly calls?: boolean;
}

/** The host's answer to one `ctx.fetch`: the response, or an error the guest sees thrown. */
export interface FetchReply {
  readonly type: 'fetch-reply';
  readonly id: number;
  readonly callId: number;
  /** JSON of `GuestResponse`, or of `{ error: { code, message } }`. */
  readonly body: string;
}

/** The host's answer to one `ctx.action` / `ctx.subflow`: JSON of `{ value }` or `{ error }`. */
export interface CallReply {
  readonly type: 'call-reply';
  readonly id: number;
  readonly callId: number;
  readonly body: string;
}

export type HostMessage =
  { readonly type: 'init'; readonly limits: WorkerLimits } | RunJob | FetchReply | CallReply;

/** What a guest failure looks like once out of the sandbox. */
export interface GuestFailure {
  /** A code of the engine's table (E_CODE_*). */
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
  /** The module is no longer trustworthy (host stack overflow, a failed dispose...). */
  readonly discardModule?: boolean;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  | {
      readonly type: 'log';
      readonly id: number;
      readonly level: 'debug' | 'info' | 'warn' | 'error';
      readonly message: string;
    }
  | {
      readonly type: 'fetch';
      readonly id: number;
      readonly callId: number;
      readonly request: string;
    }
  | {
      readonly type: 'call';
      readonly id: number;
      readonly callId: number;
      /** JSON of `{ kind: 'action' | 'subflow', name, input }`. */
      readonly request: string;
    }
  | { readonly type: 'done'; readonly id: number; readonly output: string | undefined }
  | { readonly type: 'error'; readonly id: number; readonly failure: GuestFailure };
