import {
  newAbortController,
  platform,
  utf8Length,
  type FetchResponseLike,
} from '../platform/globals.ts';
import { isFetchAllowed } from './fetch-allow-list.ts';

/** The host's side of `ctx.fetch`. */
export interface CodeFetchOptions {
  /** Origins (`https://api.example.com`) and URL prefixes (`https://api.example.com/v1/`) the guest may fetch. */
  readonly allow: readonly string[];
  /** The fetch to use (default: the global one). Redirects are not followed (`redirect: 'manual'`). */
  readonly fetch?: (url: string, init: Record<string, unknown>) => Promise<FetchResponseLike>;
  /** UTF-8 bytes of a response body the guest may receive (default 5 MiB). */
  readonly maxResponseBytes?: number;
}

interface GuestRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

const reply = (value: unknown): string => JSON.stringify(value);
const refuse = (code: string, message: string): string => reply({ error: { code, message } });

/**
 * Performs one guest `ctx.fetch` in the host realm, after checking it against the allow-list.
 * Always resolves, with the JSON text the guest turns into a response or a thrown `FetchError`
 * (`E_CODE_FETCH_FORBIDDEN`, `E_CODE_FETCH_FAILED`). Redirects come back as they are, so a
 * redirect to a host outside the list is never followed behind the list's back.
 */
export async function performFetch(
  requestJson: string,
  options: CodeFetchOptions | undefined,
  onAbortable: (abort: () => void) => void,
): Promise<string> {
  let request: GuestRequest;
  try {
    request = JSON.parse(requestJson) as GuestRequest;
  } catch {
    return refuse('E_CODE_FETCH_FAILED', 'The fetch request could not be read.');
  }
  if (!options)
    return refuse('E_CODE_FETCH_FORBIDDEN', 'ctx.fetch is not enabled for this runner.');
  if (!isFetchAllowed(request.url, options.allow)) {
    return refuse(
      'E_CODE_FETCH_FORBIDDEN',
      `Fetching "${request.url}" is not allowed: it matches no entry of the runner's fetch allow-list.`,
    );
  }
  const doFetch = options.fetch ?? platform.fetch;
  if (!doFetch) return refuse('E_CODE_FETCH_FAILED', 'This platform has no fetch.');
  const controller = newAbortController();
  onAbortable(() => controller.abort());
  const max = options.maxResponseBytes ?? 5 * 1024 * 1024;
  try {
    const response = await doFetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
      signal: controller.signal,
    });
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > max) {
      controller.abort();
      return refuse(
        'E_CODE_FETCH_FAILED',
        `The response of "${request.url}" is ${length} bytes; the limit is ${max}.`,
      );
    }
    const body = await response.text();
    if (utf8Length(body) > max) {
      return refuse(
        'E_CODE_FETCH_FAILED',
        `The response of "${request.url}" is larger than ${max} bytes.`,
      );
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
    const r = response as FetchResponseLike & { statusText?: string; url?: string };
    return reply({
      status: response.status,
      statusText: r.statusText ?? '',
      url: r.url || request.url,
      headers,
      body,
    });
  } catch (err) {
    return refuse(
      'E_CODE_FETCH_FAILED',
      `Fetching "${request.url}" failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
