// A benchmark page for headless Chromium (the engine's and adapters' browser benchmarks):
// bundles the page's entry points with esbuild into a temp folder and serves it on 127.0.0.1
// (an ephemeral port): `/` is an HTML page that loads `/page.js`, every other path a file of
// the folder. One place for what those benchmarks each wrote again.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';

const TYPES = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.html': 'text/html',
};

/**
 * @param {Record<string, string>} entryPoints esbuild entry points (one named `page`).
 * @param {{ splitting?: boolean, conditions?: string[], pageCsp?: string,
 *   headersFor?: (path: string) => Record<string, string>, prefix?: string }} [options]
 * @returns {Promise<{ dir: string, url: string, close(): void }>}
 */
export async function servePage(entryPoints, options = {}) {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), options.prefix ?? 'millrace-bench-'));
  await build({
    entryPoints,
    bundle: true,
    format: 'esm',
    splitting: options.splitting ?? false,
    minify: true,
    outdir: dir,
    platform: 'browser',
    // Workspace packages from their sources (`source`), never a stale dist. esbuild drops its
    // default `module` condition once any are given: it is named again unless the caller chose.
    conditions: ['source', ...(options.conditions ?? ['module'])],
    logLevel: 'error',
  });
  const server = createServer((req, res) => {
    const path = req.url === '/' ? '/index.html' : (req.url ?? '/').split('?')[0];
    if (path === '/index.html') {
      res.writeHead(200, {
        'content-type': 'text/html',
        ...(options.pageCsp ? { 'content-security-policy': options.pageCsp } : {}),
      });
      res.end('<!doctype html><script type="module" src="/page.js"></script>');
      return;
    }
    try {
      const body = readFileSync(join(dir, path));
      res.writeHead(200, {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        ...(options.headersFor?.(path) ?? {}),
      });
      res.end(body);
    } catch {
      // A missing favicon is no error of the page's.
      res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { dir, url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}
