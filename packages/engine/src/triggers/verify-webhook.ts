import { MillraceError } from '../errors/millrace-error.ts';
import type { WebhookTrigger } from '../model/flow.ts';
import { fromHex, hmacSha256, signedContent, timingSafeEqual, toHex } from './webhook-crypto.ts';
import type { WebhookDedupe } from './webhook-dedupe.ts';

/** `v1=<hex HMAC-SHA256 of "timestamp.body">`; several comma-separated during a secret rotation. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-millrace-signature';
/** Unix time in seconds when the sender signed the delivery. */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-millrace-timestamp';
/** The sender's id of the delivery: the same for every retry of it. */
export const WEBHOOK_IDEMPOTENCY_HEADER = 'x-millrace-idempotency-key';

/** The parts of an HTTP request verifyWebhook reads. */
export interface WebhookRequest {
  /** The raw body, exactly as received (bytes, or the text they decode to). */
  readonly body: string | Uint8Array;
  /** A Fetch `Headers`, or a plain object as Node's `req.headers` (names lowercase). */
  readonly headers:
    | { get(name: string): string | null }
    | Readonly<Record<string, string | readonly string[] | undefined>>;
}

export interface VerifyWebhookOptions {
  /** Resolves `$<secrets.NAME>` in the trigger's secret: the same as createEngine's `secrets`. */
  readonly secrets?: Readonly<Record<string, string>> | ((name: string) => string | undefined);
  /** The receiver's clock, ms since the epoch (nothing here reads the time by itself). */
  readonly now: number;
  /** How far the timestamp may be from `now`, either way, in ms. Default 5 minutes. */
  readonly toleranceMs?: number;
  /**
   * De-duplicates accepted deliveries by idempotency key and by signature (a replay of the same
   * signed delivery, even with another key header): E_WEBHOOK_DUPLICATE the second time.
   */
  readonly dedupe?: WebhookDedupe;
  /** Prefix of the dedupe keys, e.g. the flow id; default the trigger's id. */
  readonly scope?: string;
}

/** The outcome of verifyWebhook: failures are data (an HTTP receiver answers 401 / 409). */
export type WebhookVerification =
  | {
      readonly ok: true;
      /** The signed time, ms since the epoch. */
      readonly timestamp: number;
      /** The idempotency-key header, for a host that de-duplicates by itself. */
      readonly idempotencyKey?: string;
    }
  | { readonly ok: false; readonly error: MillraceError };

const DEFAULT_TOLERANCE_MS = 5 * 60_000;
const SECRET_REF = /^\$<\s*secrets\.([A-Za-z_$][\w$]*)\s*>$/;

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const value =
    record[name] ??
    Object.entries(record).find(([k]) => k.toLowerCase() === name)?.[1] ??
    undefined;
  return Array.isArray(value) ? value.join(',') : (value as string | undefined);
}

function resolveSecret(
  trigger: WebhookTrigger,
  secrets: VerifyWebhookOptions['secrets'],
): string | MillraceError {
  const raw = trigger.secret;
  const missing = (why: string) =>
    new MillraceError('E_WEBHOOK_SECRET', `Webhook trigger "${trigger.id}": ${why}`, {
      details: { triggerId: trigger.id },
    });
  if (raw === undefined || raw === '') {
    return missing('it has no secret; set "secret": "$<secrets.NAME>" to verify deliveries.');
  }
  const ref = SECRET_REF.exec(raw);
  if (!ref) {
    if (raw.includes('$<')) {
      return missing('its secret must be exactly "$<secrets.NAME>" or a literal string.');
    }
    return raw; // a literal secret in the flow (allowed; a $<secrets.NAME> keeps it out of it)
  }
  const name = ref[1]!;
  const value =
    typeof secrets === 'function'
      ? secrets(name)
      : secrets && Object.prototype.hasOwnProperty.call(secrets, name)
        ? secrets[name]
        : undefined;
  if (typeof value !== 'string' || value === '') {
    return missing(`the host has no secret "${name}"; pass it in the secrets option.`);
  }
  return value;
}

/**
 * Verifies a webhook delivery for a `webhook` trigger (README "Webhooks"): the
 * `x-millrace-signature` header holds `v1=` + hex HMAC-SHA256, keyed with the trigger's secret,
 * of `x-millrace-timestamp + "." + raw body`; the timestamp (Unix seconds) must be within
 * `toleranceMs` of `now`; with `dedupe`, a repeated idempotency key or signature is refused.
 * Pure: Web Crypto only, no clock, no I/O but the dedupe passed in.
 *
 * @example
 * const checked = await verifyWebhook(trigger, { body: rawBody, headers: req.headers }, { secrets, now: Date.now(), dedupe });
 * if (!checked.ok) return reply(checked.error.code === 'E_WEBHOOK_DUPLICATE' ? 200 : 401);
 */
export async function verifyWebhook(
  trigger: WebhookTrigger,
  request: WebhookRequest,
  options: VerifyWebhookOptions,
): Promise<WebhookVerification> {
  if (trigger?.kind !== 'webhook') {
    throw new MillraceError(
      'E_INVALID_ARGUMENT',
      `verifyWebhook needs a webhook trigger (got kind ${JSON.stringify(trigger?.kind)}).`,
    );
  }
  const fail = (error: MillraceError): WebhookVerification => ({ ok: false, error });
  const secret = resolveSecret(trigger, options.secrets);
  if (secret instanceof MillraceError) return fail(secret);

  const stamp = header(request.headers, WEBHOOK_TIMESTAMP_HEADER)?.trim();
  if (stamp === undefined || !/^\d{1,15}$/.test(stamp)) {
    return fail(
      new MillraceError(
        'E_WEBHOOK_STALE',
        `The delivery has ${stamp === undefined ? 'no' : 'a malformed'} ${WEBHOOK_TIMESTAMP_HEADER} header; send the Unix time in seconds.`,
      ),
    );
  }
  const given = (header(request.headers, WEBHOOK_SIGNATURE_HEADER) ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => fromHex(part.slice(3)));
  const expected = await hmacSha256(secret, signedContent(stamp, request.body));
  // Every candidate is compared (no early exit on a match), each in constant time.
  let valid = false;
  for (const candidate of given)
    if (candidate && timingSafeEqual(candidate, expected)) valid = true;
  if (!valid) {
    return fail(
      new MillraceError(
        'E_WEBHOOK_SIGNATURE',
        given.length === 0
          ? `The delivery has no ${WEBHOOK_SIGNATURE_HEADER} header with a v1= signature.`
          : `No v1= signature of ${WEBHOOK_SIGNATURE_HEADER} matches HMAC-SHA256(secret, timestamp + "." + body); check the secret and that the body is signed byte for byte as sent.`,
      ),
    );
  }

  const timestamp = Number(stamp) * 1000;
  const tolerance = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  if (Math.abs(options.now - timestamp) > tolerance) {
    return fail(
      new MillraceError(
        'E_WEBHOOK_STALE',
        `The delivery was signed ${Math.round((options.now - timestamp) / 1000)} s from now, outside the tolerance of ${tolerance / 1000} s (a replay, or a sender clock that is off).`,
        { details: { timestamp, now: options.now, toleranceMs: tolerance } },
      ),
    );
  }

  const key = header(request.headers, WEBHOOK_IDEMPOTENCY_HEADER)?.trim() || undefined;
  if (options.dedupe) {
    const scope = options.scope ?? trigger.id;
    const fresh =
      (await options.dedupe.claim(`${scope}/sig/${toHex(expected)}`, options.now)) &&
      (key === undefined || (await options.dedupe.claim(`${scope}/key/${key}`, options.now)));
    if (!fresh) {
      return fail(
        new MillraceError(
          'E_WEBHOOK_DUPLICATE',
          key === undefined
            ? 'This signed delivery was accepted before (a replay).'
            : `A delivery with idempotency key "${key}" was accepted before.`,
          { details: key === undefined ? {} : { idempotencyKey: key } },
        ),
      );
    }
  }
  return { ok: true, timestamp, ...(key === undefined ? {} : { idempotencyKey: key }) };
}

/**
 * The `x-millrace-signature` value a sender puts on a delivery (and tests use): `v1=` + hex
 * HMAC-SHA256(secret, timestamp + "." + body), `timestamp` in Unix seconds.
 */
export async function signWebhook(
  secret: string,
  body: string | Uint8Array,
  timestamp: number,
): Promise<string> {
  return `v1=${toHex(await hmacSha256(secret, signedContent(String(Math.floor(timestamp)), body)))}`;
}
