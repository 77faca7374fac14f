import { MillraceError } from '@millrace/engine';
import { ROUTES, type HttpMethod, type RouteSpec } from '../api/route-table.ts';

interface CompiledRoute {
  readonly route: RouteSpec;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: RouteSpec; readonly params: Record<string, string> }
  | { readonly kind: 'method'; readonly allow: readonly HttpMethod[] }
  | { readonly kind: 'none' };

const COMPILED: readonly CompiledRoute[] = (ROUTES as readonly RouteSpec[]).map((route) => {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const m = /^\{(\w+)\}$/.exec(segment);
      if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}/?$`), names };
});

/** The route for a method and a URL path (params percent-decoded), or why there is none. */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const allow: HttpMethod[] = [];
  for (const { route, pattern, names } of COMPILED) {
    const m = pattern.exec(pathname);
    if (!m) continue;
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) {
      allow.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    try {
      names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
    } catch {
      return { kind: 'none' }; // a malformed percent-escape names nothing
    }
    return { kind: 'found', route, params };
  }
  return allow.length > 0 ? { kind: 'method', allow } : { kind: 'none' };
}

/**
 * `basePath` as the handler uses it: `''` (none) or `/segment[/segment…]` without a trailing
 * slash (one is dropped). E_INVALID_ARGUMENT for anything else: a base path is fixed config.
 */
export function checkBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === '' || basePath === '/') return '';
  const trimmed = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath;
  if (!/^(\/[^/?#\s]+)+$/.test(trimmed)) {
    throw new MillraceError(
      'E_INVALID_ARGUMENT',
      `basePath is ${JSON.stringify(basePath)}; give the path the API is mounted at, starting with "/" (e.g. "/api"), without a query or "//".`,
      { path: '/basePath' },
    );
  }
  return trimmed;
}

/** The route path of `pathname` under `basePath` (`/api/runs` → `/runs`), or undefined outside it. */
export function stripBasePath(pathname: string, basePath: string): string | undefined {
  if (basePath === '') return pathname;
  if (pathname === basePath) return '/';
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined;
}
