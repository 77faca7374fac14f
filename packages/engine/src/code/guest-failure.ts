import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import type { GuestFailure } from './protocol.ts';

/** A value the guest threw, read out as plain strings. */
export interface GuestErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
  /** A `code` property on the thrown object (e.g. set by ctx.fetch), if a string. */
  readonly code?: string;
  /** The thrown value was not an object (`throw "x"`, or `null` from QuickJS under memory pressure). */
  readonly primitive?: boolean;
}

const MAX_CHARS = 4096;

function clip(text: string): string {
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}… (truncated)` : text;
}

/**
 * Reads name, message, stack and code of a thrown guest value. Each read may run guest code
 * (getters, proxies); it runs under the call's interrupt deadline, and a read that throws
 * yields an empty string.
 */
export function describeGuestError(context: QuickJSContext, error: QuickJSHandle): GuestErrorInfo {
  const type = context.typeof(error);
  if (context.sameValue(error, context.null)) {
    return { name: 'Error', message: 'null', stack: '', primitive: true };
  }
  if (type !== 'object' && type !== 'function') {
    let text: string;
    try {
      text = type === 'string' ? context.getString(error) : String(context.dump(error));
    } catch {
      text = type;
    }
    return { name: 'Error', message: clip(text), stack: '', primitive: true };
  }
  const read = (key: string): string | undefined => {
    try {
      const handle = context.getProp(error, key);
      try {
        return context.typeof(handle) === 'string' ? context.getString(handle) : undefined;
      } finally {
        handle.dispose();
      }
    } catch {
      return undefined;
    }
  };
  const code = read('code');
  return {
    name: clip(read('name') ?? 'Error'),
    message: clip(read('message') ?? ''),
    stack: clip(read('stack') ?? ''),
    ...(code === undefined ? {} : { code }),
  };
}

/**
 * Maps a guest error to a typed failure: QuickJS's own `InternalError`s become the limit codes,
 * anything else is the user's error (`E_CODE_ERROR`) with its name, message and guest stack.
 */
export function failureOf(
  info: GuestErrorInfo,
  issuedCodes?: ReadonlySet<string>,
  heapFull = false,
): GuestFailure {
  if (info.name === 'InternalError') {
    if (info.message === 'interrupted') {
      return { code: 'E_CODE_TIMEOUT', message: 'The code was interrupted at its time limit.' };
    }
    if (/out of memory/i.test(info.message)) {
      return {
        code: 'E_CODE_MEMORY',
        message: 'The code ran out of memory (its sandbox heap reached memoryLimitBytes).',
        details: { name: info.name, message: info.message },
        // The heap never shrinks: a fresh instance gives the memory back.
        discardModule: true,
      };
    }
  }
  if (info.message === 'stack overflow') {
    // InternalError from recursion, SyntaxError from a deeply nested JSON.parse.
    return {
      code: 'E_CODE_STACK_OVERFLOW',
      message: 'The code recursed too deeply (stack overflow).',
      details: { name: info.name, message: info.message, stack: info.stack },
    };
  }
  if (heapFull && ((info.primitive && info.message === 'null') || info.message === '')) {
    // With the heap at its maximum, QuickJS throws null (or an error it could not fill in)
    // when an allocation fails where it cannot build an InternalError.
    return {
      code: 'E_CODE_MEMORY',
      message: 'The code ran out of memory (an allocation failed).',
      discardModule: true,
    };
  }
  if (info.name === 'EntryMissing') {
    return { code: 'E_CODE_ENTRY_MISSING', message: info.message };
  }
  const details = {
    name: info.name,
    message: info.message,
    stack: info.stack,
    ...(info.code === undefined ? {} : { code: info.code }),
  };
  // A code the host itself issued in this call (a refused ctx.fetch, a failed ctx.action)
  // passes through; a code the guest made up does not.
  if (info.code !== undefined && issuedCodes?.has(info.code)) {
    return { code: info.code, message: info.message, details };
  }
  // The guest's own message, as Windmill reports it (`error.message`); the name is in details.
  return { code: 'E_CODE_ERROR', message: info.message || info.name, details };
}
