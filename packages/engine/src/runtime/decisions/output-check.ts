import { utf8Length } from '../../platform/globals.ts';
import type { NodeError } from '../events.ts';
import { engineError } from '../node-errors.ts';

/**
 * Checks that an output can be stored: JSON (undefined becomes null) of at most `maxBytes`
 * bytes in UTF-8. Returns the value to record, or the error the node (or run) fails with.
 *
 * @example
 * checkOutput({ a: 1 }, 1024); // { value: { a: 1 } }
 * checkOutput(10n, 1024);      // { error: { code: 'E_OUTPUT_NOT_JSON', ... } }
 */
export function checkOutput(
  output: unknown,
  maxBytes: number,
): { value: unknown } | { error: NodeError } {
  if (output === undefined) return { value: null };
  let json: string | undefined;
  try {
    json = JSON.stringify(output);
  } catch (err) {
    return {
      error: engineError(
        'E_OUTPUT_NOT_JSON',
        `The output cannot be stored as JSON: ${(err as Error).message}.`,
      ),
    };
  }
  if (json === undefined) return { value: null };
  // A UTF-8 character takes at most 4 bytes: below max / 4 characters, counting is needless.
  if (json.length > maxBytes / 4 && utf8Length(json) > maxBytes) {
    return {
      error: engineError(
        'E_OUTPUT_TOO_LARGE',
        `The output is ${utf8Length(json)} bytes, more than the limit of ${maxBytes} bytes; return less data (or raise limits.maxOutputBytes).`,
        { bytes: utf8Length(json), limit: maxBytes },
      ),
    };
  }
  return { value: output };
}
