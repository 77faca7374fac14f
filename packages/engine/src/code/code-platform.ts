/**
 * The platform as the code runner sees it: the few web and Node globals it needs, typed here
 * because the engine compiles without the DOM and Node libraries, and the detection of where
 * it runs. Node built-ins are only ever reached through `loadNodeModule` (a dynamic import),
 * so browser bundles never see them.
 */

declare global {
  // DOM and @types/node declare it the same way; the engine compiles with neither.
  interface ImportMeta {
    url: string;
  }
}

export interface UrlLike {
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
}

export interface WebWorkerLike {
  postMessage(message: unknown): void;
  addEventListener(
    type: string,
    listener: (event: { data?: unknown; message?: string }) => void,
  ): void;
  terminate(): void;
}

interface CodeGlobals {
  URL: new (url: string | UrlLike, base?: string) => UrlLike;
  Worker?: new (url: UrlLike | string, options: { type: 'module'; name?: string }) => WebWorkerLike;
  WorkerGlobalScope?: unknown;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  postMessage?: (message: unknown) => void;
  addEventListener?: (type: 'message', listener: (event: { data: unknown }) => void) => void;
  process?: { versions?: { node?: string } };
}

export const codeGlobals = globalThis as unknown as CodeGlobals;

/** True in a Web Worker (browsers, Deno): `self` is a WorkerGlobalScope. */
export function inWebWorker(): boolean {
  return typeof codeGlobals.WorkerGlobalScope === 'function';
}

/** True in Node (and only there): the runner then uses worker_threads. */
export function inNode(): boolean {
  return typeof codeGlobals.process?.versions?.node === 'string';
}

/**
 * Imports a Node built-in at run time. The specifier is not a literal, so bundlers for the
 * browser leave it alone; it is only called after `inNode()`.
 */
export function loadNodeModule<T>(name: 'worker_threads'): Promise<T> {
  const specifier = `node:${name}`;
  return import(/* @vite-ignore */ specifier) as Promise<T>;
}
