import { API_META_NAME } from '@millrace/adapters/http';

/** Where the remote engine is, when there is one. */
export interface RemoteApi {
  /** The API's base URL (absolute). */
  readonly baseUrl: string;
  /** Bearer token, from the page's `?token=` (for a `millrace serve --token T`). */
  readonly token?: string;
}

/**
 * The API this page should use, or undefined for the local engine. `millrace serve` injects
 * `<meta name="millrace-api" content="/">` into the pages it serves, so the demo it serves
 * talks to it without asking a question (no probe request, nothing to configure); the same
 * build under `vite preview` has no such tag and runs the engine in a worker.
 */
export function remoteApi(doc: Document, location: Location): RemoteApi | undefined {
  const base = doc.querySelector<HTMLMetaElement>(`meta[name="${API_META_NAME}"]`)?.content;
  if (base === undefined || base === '') return undefined;
  const token = new URLSearchParams(location.search).get('token');
  return {
    baseUrl: new URL(base, location.href).href.replace(/\/+$/, ''),
    ...(token ? { token } : {}),
  };
}
