import { redact } from '../redact.ts';
import type { EngineLogger } from './engine-api.ts';

/**
 * The host's logger behind a redactor: every secret value the engine has resolved is replaced
 * with `[secret]` in the message and the data (deeply; an Error keeps its class, name, code
 * and stack, redacted), as in stored events. A listener, a store or an action that throws an
 * error quoting a secret does not put it into the host's logs.
 */
export function redactingLogger(
  logger: EngineLogger,
  known: () => readonly string[],
): EngineLogger {
  return {
    error(message, data) {
      const secrets = known();
      if (secrets.length === 0) {
        logger.error(message, data);
        return;
      }
      logger.error(redact(String(message), secrets), redactValue(data, secrets, 0));
    },
  };
}

function redactValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (value instanceof Error) return redactError(value, secrets, depth);
  if (typeof value === 'object' && value !== null && depth < 8) {
    // Errors nested in plain data (a cause, a list of failures) keep their form too.
    if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[redact(k, secrets)] = redactValue(v, secrets, depth + 1);
    return out;
  }
  return redact(value, secrets);
}

/** A copy of an error with the same prototype and every own property (message, stack...) redacted. */
function redactError(error: Error, secrets: readonly string[], depth: number): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const key of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, key)!;
    const value = 'value' in descriptor ? descriptor.value : undefined;
    Object.defineProperty(copy, key, {
      value: depth < 8 ? redactValue(value, secrets, depth + 1) : '[redacted]',
      enumerable: descriptor.enumerable ?? false,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
