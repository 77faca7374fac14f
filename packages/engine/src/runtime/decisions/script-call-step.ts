import type { NodeError } from '../events.ts';
import { engineError } from '../node-errors.ts';
import type { ScriptCallRecord } from '../run-state.ts';

/** What a flow script's call does, given what the log recorded at its index. */
export type ScriptCallStep =
  /** No record: perform it (recording it first). */
  | { readonly kind: 'perform' }
  /** Recorded and finished: answer with the recorded output, perform nothing. */
  | { readonly kind: 'replay'; readonly output: unknown }
  /** Recorded and failed: throw the recorded error again. */
  | { readonly kind: 'replay-error'; readonly error: NodeError }
  /** Recorded, not finished (a crash during the call): perform it again, same key / child run. */
  | { readonly kind: 'resume'; readonly childRunId: string | undefined }
  /** Another call than the recorded one at this index: E_NONDETERMINISM. */
  | { readonly kind: 'mismatch'; readonly error: NodeError };

/**
 * Decides a flow-script call from the record at its index (of the same attempt), comparing
 * kind, name (action type or flow id) and input (as stored: JSON, secrets redacted).
 *
 * @example
 * scriptCallStep(undefined, 0, 'action', 'slack.post', { text: 'hi' }); // { kind: 'perform' }
 */
export function scriptCallStep(
  record: ScriptCallRecord | undefined,
  index: number,
  kind: 'action' | 'subflow',
  name: string,
  input: unknown,
): ScriptCallStep {
  if (!record) return { kind: 'perform' };
  if (record.kind !== kind || record.name !== name || !sameJson(record.input, input)) {
    const expected = `${record.kind} "${record.name}" with ${preview(record.input)}`;
    const got = `${kind} "${name}" with ${preview(input)}`;
    return {
      kind: 'mismatch',
      error: engineError(
        'E_NONDETERMINISM',
        `Flow script call #${index} changed after a restart: the recorded run called ${expected}, this run calls ${got}. A code node's ctx.action/ctx.subflow calls must be the same, in the same order, when it runs again; take time, random values and other changing data from the node's input.`,
        {
          index,
          expected: { kind: record.kind, name: record.name, input: record.input },
          got: { kind, name, input },
        },
      ),
    };
  }
  if (record.status === 'succeeded') return { kind: 'replay', output: record.output };
  if (record.status === 'failed') return { kind: 'replay-error', error: record.error! };
  return { kind: 'resume', childRunId: record.childRunId };
}

/** Structural equality of JSON values (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => sameJson(v, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const bo = b as Record<string, unknown>;
  return ka.every(
    (k) =>
      Object.prototype.hasOwnProperty.call(bo, k) &&
      sameJson((a as Record<string, unknown>)[k], bo[k]),
  );
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
