import { BUILTIN_ACTIONS } from '../model/builtin-actions.ts';
import { platform, type FetchResponseLike } from '../platform/globals.ts';
import type { ActionDefinition } from './action.ts';
import { ActionError } from './action.ts';

/** The platform `fetch` signature the http action needs (inject one in tests or to add auth). */
export type FetchLike = (url: string, init: Record<string, unknown>) => Promise<FetchResponseLike>;

interface HttpInput {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, unknown>;
  readonly body?: unknown;
  readonly responseType?: 'json' | 'text' | 'auto';
}

const descriptor = BUILTIN_ACTIONS.find((a) => a.type === 'http')!;

function buildUrl(url: string, query: Record<string, unknown> | undefined): string {
  if (!query) return url;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values)
      parts.push(
        `${encodeURIComponent(key)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`,
      );
  }
  if (parts.length === 0) return url;
  return url + (url.includes('?') ? '&' : '?') + parts.join('&');
}

/**
 * The `http` action: calls a URL through the platform's fetch. Objects are sent as JSON,
 * strings as text. The output is `{ status, headers, body }`; the body is parsed as JSON when
 * the response says it is JSON (or `responseType: 'json'`). A non-2xx status throws
 * `E_HTTP_STATUS` (with status and body in details), so `retry.retryOn` can match it; a
 * network failure throws `E_HTTP_NETWORK`.
 */
export function createHttpAction(fetchImpl?: FetchLike): ActionDefinition {
  return {
    ...descriptor,
    async run(raw, ctx) {
      const input = raw as HttpInput;
      const doFetch = fetchImpl ?? (platform.fetch as FetchLike | undefined);
      if (!doFetch)
        throw new ActionError(
          'E_HTTP_NETWORK',
          'This platform has no fetch; pass one to createEngine({ fetch }).',
        );
      const method = (input.method ?? 'GET').toUpperCase();
      const headers: Record<string, string> = { ...(input.headers ?? {}) };
      let body: string | undefined;
      if (input.body !== undefined && method !== 'GET' && method !== 'HEAD') {
        if (typeof input.body === 'string') body = input.body;
        else {
          body = JSON.stringify(input.body);
          if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
            headers['content-type'] = 'application/json';
        }
      }
      const url = buildUrl(input.url, input.query);
      let response: FetchResponseLike;
      try {
        response = await doFetch(url, {
          method,
          headers,
          ...(body === undefined ? {} : { body }),
          signal: ctx.signal,
        });
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        throw new ActionError(
          'E_HTTP_NETWORK',
          `${method} ${url} failed: ${(err as Error)?.message ?? String(err)}`,
          { url, method },
        );
      }
      const outHeaders: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        outHeaders[key] = value;
      });
      const text = await response.text();
      const type = input.responseType ?? 'auto';
      const looksJson = (response.headers.get('content-type') ?? '').includes('json');
      let parsed: unknown = text;
      if (type === 'json' || (type === 'auto' && looksJson && text !== '')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          if (type === 'json')
            throw new ActionError(
              'E_HTTP_STATUS',
              `${method} ${url} answered with a body that is not JSON.`,
              { status: response.status },
            );
        }
      }
      if (response.status < 200 || response.status > 299) {
        throw new ActionError('E_HTTP_STATUS', `${method} ${url} answered ${response.status}.`, {
          status: response.status,
          body: parsed,
          url,
          method,
        });
      }
      return { status: response.status, headers: outHeaders, body: parsed };
    },
  };
}
