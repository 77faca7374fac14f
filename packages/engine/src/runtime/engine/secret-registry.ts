import type { EngineOptions } from './engine-api.ts';

/** The secrets of an engine (`$<secrets.NAME>`) and every value resolved so far. */
export interface SecretRegistry {
  secret(name: string): string | undefined;
  /** Values to redact from everything stored (with their percent-encoded forms). */
  known(): readonly string[];
}

/** A secret value and, when different, its percent-encoded form. */
function withEncoded(value: string): string[] {
  const encoded = encodeURIComponent(value);
  return encoded === value ? [value] : [value, encoded];
}

/**
 * Wraps the host's secrets (a record, or a provider function). The values of a record are
 * known up front; a provider's become known as they are resolved, and from then on are
 * redacted from every event of every run.
 */
export function createSecretRegistry(secrets: EngineOptions['secrets']): SecretRegistry {
  const values: string[] =
    secrets && typeof secrets === 'object'
      ? Object.values(secrets)
          .filter((v) => typeof v === 'string' && v !== '')
          .flatMap(withEncoded)
      : [];
  return {
    secret(name) {
      let value: string | undefined;
      if (typeof secrets === 'function') value = secrets(name);
      else if (secrets && Object.prototype.hasOwnProperty.call(secrets, name))
        value = secrets[name];
      if (typeof value === 'string' && value !== '' && !values.includes(value)) {
        // A secret that ends up in a URL is stored percent-encoded; redact that form too.
        values.push(...withEncoded(value));
      }
      return value;
    },
    known: () => values,
  };
}
