import { codeGlobals, type UrlLike } from './code-platform.ts';

/**
 * Whether a URL may be fetched under an allow-list of origins (`https://api.example.com`) and
 * URL prefixes (`https://api.example.com/v1/`). An origin entry admits any path on exactly that
 * scheme, host and port; a prefix admits URLs that start with it at a path boundary
 * (`https://x/v1` admits `https://x/v1/a` and `https://x/v1?q`, not `https://x/v1evil`).
 * Only http(s), never URLs with credentials.
 *
 * @example
 * isFetchAllowed('https://api.example.com/v1/items', ['https://api.example.com/v1/']) // true
 */
export function isFetchAllowed(url: string, allow: readonly string[]): boolean {
  let target: UrlLike;
  try {
    target = new codeGlobals.URL(url);
  } catch {
    return false;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return false;
  if (target.username !== '' || target.password !== '') return false;
  const href = target.href;
  for (const entry of allow) {
    let base: UrlLike;
    try {
      base = new codeGlobals.URL(entry);
    } catch {
      continue;
    }
    if (base.origin !== target.origin) continue;
    const isOrigin = /^[a-z]+:\/\/[^/]+\/?$/i.test(entry.trim());
    if (isOrigin) return true;
    const prefix = base.href;
    if (href === prefix) return true;
    if (!href.startsWith(prefix)) continue;
    if (prefix.endsWith('/') || /[/?#]/.test(href.charAt(prefix.length))) return true;
  }
  return false;
}
