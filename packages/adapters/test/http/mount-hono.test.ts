import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { Hono } from 'hono';
import { serve, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { HttpHandler } from '@millrace/adapters/http/server';
import { mountSuite, mountedAt, send, tenants, type Mounted } from './mount-suite.ts';

/**
 * The recommended mounting on @hono/node-server: the route hands Node's request and response
 * (`c.env.incoming`, `c.env.outgoing`) to the handler, which reads the body and writes the
 * answer itself, and returns RESPONSE_ALREADY_SENT. Hono passes the full URL, so the handler
 * gets `basePath`.
 */
function honoApp(handler: HttpHandler): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.all('/api/*', async (c) => {
    await handler(c.env.incoming, c.env.outgoing);
    return RESPONSE_ALREADY_SENT;
  });
  app.get('/health', (c) => c.json({ ok: true })); // the app's own routes
  return app;
}

async function listen(app: Hono<{ Bindings: HttpBindings }>): Promise<Mounted> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    );
  });
  return mountedAt(server);
}

mountSuite('hono', async (make) => listen(honoApp(make({ basePath: '/api' }))));

test("hono: the app's own routes answer beside the API; a path outside basePath is the handler's 404", async () => {
  const t = tenants();
  const server = await listen(honoApp(t.make({ basePath: '/api' })));
  const root = server.url.slice(0, -'/api'.length);
  try {
    assert.deepEqual((await send(`${root}/health`, 'GET')).body, { ok: true });
    assert.equal((await send(`${root}/elsewhere`, 'GET')).status, 404);
    // The handler under another prefix than its basePath: nothing matches, in its JSON form.
    const other = await listen(honoApp(t.make({ basePath: '/v2' })));
    try {
      const outside = await send(`${other.url}/flows`, 'GET');
      assert.equal(outside.status, 404);
      assert.equal(outside.body.code, 'E_HTTP_NOT_FOUND');
    } finally {
      await other.close();
    }
  } finally {
    await server.close();
    await t.close();
  }
});
