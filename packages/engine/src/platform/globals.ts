/**
 * The few web-platform globals the engine uses, typed here because the engine compiles
 * without the DOM and Node libraries. Node 20+ and every modern browser and Worker have them.
 */

export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
  throwIfAborted(): void;
}

export interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

interface PlatformGlobals {
  AbortController: new () => AbortControllerLike;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  crypto: { getRandomValues<T extends Uint8Array | Uint32Array>(array: T): T };
  queueMicrotask(fn: () => void): void;
  fetch?: (input: string, init?: Record<string, unknown>) => Promise<FetchResponseLike>;
  TextEncoder: new () => { encode(text: string): Uint8Array };
}

export interface FetchResponseLike {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: {
    forEach(fn: (value: string, key: string) => void): void;
    get(name: string): string | null;
  };
  text(): Promise<string>;
}

/** The platform globals, typed. */
export const platform = globalThis as unknown as PlatformGlobals;

/** A new AbortController. */
export function newAbortController(): AbortControllerLike {
  return new platform.AbortController();
}

let encoder: { encode(text: string): Uint8Array } | undefined;

/** UTF-8 byte length of a string. */
export function utf8Length(text: string): number {
  // Pure-ASCII fast path: most outputs are; the encoder allocates.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text.length;
  encoder ??= new platform.TextEncoder();
  return encoder.encode(text).length;
}
