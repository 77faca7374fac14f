import type { IncomingMessage } from 'node:http';
import { httpError } from './http-error.ts';

/**
 * Reads a request body up to `limit` bytes (E_HTTP_BODY_TOO_LARGE past it, also when a
 * Content-Length announces more, before anything is read). The raw bytes are kept: webhooks
 * sign them byte for byte.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => bodyTooLarge(limit);
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > limit) {
    req.resume(); // drain, so the connection can answer
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** A body as the handler gets it: the raw bytes, or only the value a framework parsed. */
export type RequestBody =
  { readonly raw: Buffer } | { readonly raw?: undefined; readonly parsed: unknown };

/**
 * The request body, wherever it is. An unread stream is read here (`readBody`). A stream that a
 * framework's body parser mounted before the handler has read already leaves what it kept: raw
 * bytes in `req.rawBody` (e.g. `express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })`)
 * or as `req.body` (a Buffer or string: `express.raw()`, `express.text()`), else the parsed value
 * in `req.body` (`express.json()`). Raw bytes are what a webhook signature covers: `needRaw`
 * refuses a parsed value alone, as does a read stream with nothing kept (E_HTTP_BODY_CONSUMED,
 * 500: the host's mounting is wrong, not the request).
 */
export async function takeBody(
  req: IncomingMessage,
  limit: number,
  needRaw: boolean,
): Promise<RequestBody> {
  if (!req.readableDidRead && !req.readableEnded) return { raw: await readBody(req, limit) };
  const kept = req as IncomingMessage & { rawBody?: unknown; body?: unknown };
  const bytes = asBytes(kept.rawBody) ?? asBytes(kept.body);
  if (bytes) {
    if (bytes.length > limit) throw bodyTooLarge(limit);
    return { raw: bytes };
  }
  if (kept.body === undefined || needRaw) {
    throw httpError(
      'E_HTTP_BODY_CONSUMED',
      kept.body === undefined
        ? 'The request body was read before the Millrace handler (a body parser mounted ahead of it) and not kept; mount the handler before body parsers, or keep the raw bytes in req.rawBody.'
        : 'This route verifies a signature over the raw body, but a body parser mounted before the Millrace handler kept only the parsed value; mount the handler before body parsers, or keep the raw bytes in req.rawBody (e.g. express.json({ verify })).',
      '/body',
    );
  }
  // Only the parsed value: held to the same limit as the text it came from (about).
  if (Buffer.byteLength(JSON.stringify(kept.body) ?? '') > limit) throw bodyTooLarge(limit);
  return { parsed: kept.body };
}

function asBytes(value: unknown): Buffer | undefined {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.length);
  return undefined;
}

function bodyTooLarge(limit: number) {
  return httpError(
    'E_HTTP_BODY_TOO_LARGE',
    `The request body is larger than ${limit} bytes (limits.bodyBytes); send less, or raise the limit.`,
    '/body',
  );
}

/** True for `application/json` and `application/<x>+json`, any parameters. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const type = value.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type);
}

/** Parses JSON text; E_HTTP_MALFORMED_JSON with the parser's reason when it is not JSON. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw httpError(
      'E_HTTP_MALFORMED_JSON',
      `The request body is not valid JSON (${(error as Error).message}); send a JSON document with Content-Type: application/json.`,
      '/body',
    );
  }
}
