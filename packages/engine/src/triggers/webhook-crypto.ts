import { MillraceError } from '../errors/millrace-error.ts';
import { platform } from '../platform/globals.ts';

// Web Crypto's HMAC, typed here because the engine compiles without the DOM and Node libraries.
// `crypto.subtle` is in Node 20+, every modern browser and Worker (secure contexts).
interface SubtleLike {
  importKey(
    format: 'raw',
    key: Uint8Array,
    algorithm: { name: 'HMAC'; hash: 'SHA-256' },
    extractable: false,
    usages: readonly ['sign'],
  ): Promise<unknown>;
  sign(algorithm: 'HMAC', key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}

function subtle(): SubtleLike {
  const s = (globalThis as unknown as { crypto?: { subtle?: SubtleLike } }).crypto?.subtle;
  if (!s) {
    throw new MillraceError(
      'E_NOT_SUPPORTED',
      'Web Crypto (crypto.subtle) is not available here; webhooks are verified with it (Node 20+ and browsers have it on secure origins).',
    );
  }
  return s;
}

const encoder = /* @__PURE__ */ (() => new platform.TextEncoder())();

/** UTF-8 bytes of a string; bytes pass through. */
export function bytesOf(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? encoder.encode(value) : value;
}

/** HMAC-SHA256 of `data` with `secret`. */
export async function hmacSha256(secret: string, data: Uint8Array): Promise<Uint8Array> {
  const key = await subtle().importKey(
    'raw',
    bytesOf(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await subtle().sign('HMAC', key, data));
}

/** `timestamp + "." + body` as bytes: the signed content (the body's bytes are not decoded). */
export function signedContent(timestamp: string, body: string | Uint8Array): Uint8Array {
  const head = bytesOf(`${timestamp}.`);
  const tail = bytesOf(body);
  const out = new Uint8Array(head.length + tail.length);
  out.set(head, 0);
  out.set(tail, head.length);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Bytes of a lowercase or uppercase hex string, or undefined when it is not hex. */
export function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Compares two byte strings in time that depends only on their length (public: a SHA-256 MAC
 * is 32 bytes), never on where they first differ, so a sender cannot find a valid signature
 * byte by byte from response times.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
