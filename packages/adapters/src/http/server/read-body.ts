import type { IncomingMessage } from 'node:http';
import { httpError } from './http-error.ts';

/**
 * Reads a request body up to `limit` bytes (E_HTTP_BODY_TOO_LARGE past it, also when a
 * Content-Length announces more, before anything is read). The raw bytes are kept: webhooks
 * sign them byte for byte.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    httpError(
      'E_HTTP_BODY_TOO_LARGE',
      `The request body is larger than ${limit} bytes (limits.bodyBytes); send less, or raise the limit.`,
      '/body',
    );
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
