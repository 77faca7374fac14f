import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import type { HttpHandler } from '@millrace/adapters/http/server';
import { mountSuite, send, signedDelivery, tenants, type Mounted } from './mount-suite.ts';

/**
 * The recommended mounting: in a plugin under a prefix, the content-type parsers replaced by a
 * catch-all that reads nothing (the handler reads the body itself: raw bytes for webhooks, its
 * own limits and errors) and every route handed to the handler with `reply.hijack()`. Fastify
 * passes the full URL in `request.raw`, so the handler gets `basePath`.
 */
function mountMillrace(app: FastifyInstance, prefix: string, handler: HttpHandler): void {
  void app.register(
    async (api) => {
      api.removeAllContentTypeParsers();
      api.addContentTypeParser('*', (_request, _payload, done) => done(null));
      api.all('/*', async (request, reply) => {
        reply.hijack();
        await handler(request.raw, reply.raw);
      });
    },
    { prefix },
  );
}

async function listen(app: FastifyInstance): Promise<Mounted> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `${address}/api`,
    async close() {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

mountSuite('fastify', async (make) => {
  const app = Fastify();
  mountMillrace(app, '/api', make({ basePath: '/api' }));
  app.get('/health', async () => ({ ok: true })); // the app's own routes keep their parsers
  return listen(app);
});

test('fastify: the app outside the plugin keeps its own JSON parsing and 404', async () => {
  const t = tenants();
  const app = Fastify();
  mountMillrace(app, '/api', t.make({ basePath: '/api' }));
  app.post('/echo', async (request) => request.body);
  const server = await listen(app);
  try {
    const root = server.url.slice(0, -'/api'.length);
    assert.deepEqual((await send(`${root}/echo`, 'POST', { a: 1 })).body, { a: 1 });
    assert.equal((await send(`${root}/elsewhere`, 'GET')).body.error, 'Not Found');
    assert.equal((await send(`${server.url}/elsewhere`, 'GET')).body.code, 'E_HTTP_NOT_FOUND');
  } finally {
    await server.close();
    await t.close();
  }
});

test('fastify with its JSON parser left in place: the handler says the body was consumed (E_HTTP_BODY_CONSUMED)', async () => {
  const t = tenants();
  const app = Fastify();
  const handler = t.make({ basePath: '/api' });
  app.all('/api/*', async (request, reply) => {
    reply.hijack();
    await handler(request.raw, reply.raw);
  });
  const server = await listen(app);
  try {
    const delivery = await signedDelivery('{"n":1}', 'consumed-1');
    const answer = await send(
      `${server.url}/hooks/acme/orders`,
      'POST',
      delivery.body,
      delivery.headers,
      false,
    );
    assert.equal(answer.status, 500);
    assert.equal(answer.body.code, 'E_HTTP_BODY_CONSUMED');
  } finally {
    await server.close();
    await t.close();
  }
});
