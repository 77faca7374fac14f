import { platform } from './globals.ts';

/** Id and randomness source, injected so tests are exact. */
export interface IdSource {
  /** A new run id. */
  runId(): string;
  /** An unguessable token (signals, approvals): at least 128 bits of randomness. */
  token(): string;
  /** A float in [0, 1) for retry jitter. */
  random(): number;
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

function randomString(bytes: number): string {
  const buf = platform.crypto.getRandomValues(new Uint8Array(bytes));
  let out = '';
  for (const b of buf) out += ALPHABET[b % 36];
  return out;
}

/** Ids from the platform's cryptographic random source. */
export const cryptoIds: IdSource = {
  // Time-ordered prefix so ids sort roughly by creation; random suffix for uniqueness.
  runId: () => `run_${Date.now().toString(36)}${randomString(10)}`,
  token: () => `tok_${randomString(32)}`,
  random: () => platform.crypto.getRandomValues(new Uint32Array(1))[0]! / 0x1_0000_0000,
};

/**
 * Deterministic ids for tests: `run_1`, `run_2`, tokens from a seeded generator, and a
 * seeded random (mulberry32).
 */
export function sequentialIds(seed = 1): IdSource {
  let run = 0;
  let tok = 0;
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    runId: () => `run_${++run}`,
    token: () => `tok_${++tok}_${Math.floor(random() * 1e9).toString(36)}`,
    random,
  };
}
