import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import express from 'express';
import {
  mountSuite,
  mountedAt,
  send,
  signedDelivery,
  tenants,
  type Mounted,
} from './mount-suite.ts';
import { CHAIN } from './http-fixture.ts';

/** Listens on 127.0.0.1, port 0; the API's url is under `/api`. */
async function listen(app: express.Express): Promise<Mounted> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return mountedAt(server);
}

// The recommended mounting: the handler before any body parser, so it reads the body itself
// (raw bytes for webhook signatures, its own limits and errors). Express strips `/api` from
// req.url, so no basePath.
mountSuite('express', async (make) => {
  const app = express();
  app.use('/api', make());
  app.use(express.json()); // the app's own routes parse JSON after the API
  app.get('/health', (_req, res) => void res.json({ ok: true }));
  return listen(app);
});

// Behind express.json(): the stream is read before the handler, which takes req.body instead;
// webhooks need the raw bytes, kept by the parser's `verify` as req.rawBody.
const behind = tenants();
const plain = express();
plain.use(express.json());
plain.use('/api', behind.make());
const keeping = express();
keeping.use(
  express.json({
    verify: (req, _res, buf) =>
      void ((req as IncomingMessage & { rawBody?: Buffer }).rawBody = buf),
  }),
);
keeping.use('/api', behind.make());
const servers = Promise.all([listen(plain), listen(keeping)]);
after(async () => {
  for (const s of await servers) await s.close();
  await behind.close();
});

test('express behind express.json(): JSON routes use the parsed req.body', async () => {
  const [{ url }] = await servers;
  const deployed = await send(`${url}/flows`, 'POST', { definition: CHAIN, activate: true });
  assert.equal(deployed.status, 201, JSON.stringify(deployed.body));
  const started = await send(`${url}/flows/chain/runs`, 'POST', { input: { n: 2 } });
  assert.equal(started.status, 201);
  assert.deepEqual(await (await behind.engineOf('acme').handle(started.body.runId)).result(), {
    result: 4,
  });
  const invalid = await send(`${url}/flows/chain/runs`, 'POST', { version: 'one' });
  assert.equal(invalid.status, 400, 'the schema still applies to a parsed body');
  assert.equal(invalid.body.code, 'E_INVALID_ARGUMENT');
});

test('express behind express.json(): a webhook needs the raw body — E_HTTP_BODY_CONSUMED (500) says how to mount', async () => {
  const [{ url }] = await servers;
  const delivery = await signedDelivery(`{ "n": 3 }`, 'behind-1');
  const refused = await send(
    `${url}/hooks/acme/orders`,
    'POST',
    delivery.body,
    delivery.headers,
    false,
  );
  assert.equal(refused.status, 500);
  assert.equal(refused.body.code, 'E_HTTP_BODY_CONSUMED');
  assert.match(refused.body.message, /mount the handler before body parsers/);
});

test('express behind express.json({ verify }) keeping req.rawBody: a signed webhook is accepted once', async () => {
  const [, { url }] = await servers;
  const delivery = await signedDelivery(`{ "n": 5,   "note": "naïve" }`, 'kept-1');
  const hook = `${url}/hooks/acme/orders`;
  const accepted = await send(hook, 'POST', delivery.body, delivery.headers, false);
  assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
  assert.deepEqual(await (await behind.engineOf('acme').handle(accepted.body.runId)).result(), {
    result: 10,
  });
  assert.equal((await send(hook, 'POST', delivery.body, delivery.headers, false)).status, 409);
});

test('express behind express.raw(): the Buffer in req.body is the raw body, held to limits.bodyBytes', async () => {
  const t = tenants();
  const app = express();
  app.use(express.raw({ type: 'application/json', limit: '1mb' }));
  app.use('/api', t.make());
  const server = await listen(app);
  try {
    const { url } = server;
    assert.equal(
      (await send(`${url}/flows`, 'POST', { definition: CHAIN, activate: true })).status,
      201,
    );
    const delivery = await signedDelivery(`{"n": 6}`, 'raw-1');
    const accepted = await send(
      `${url}/hooks/acme/orders`,
      'POST',
      delivery.body,
      delivery.headers,
      false,
    );
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const big = { input: { n: 1, pad: 'x'.repeat(70 * 1024) } }; // over the suite's 64 KiB
    const tooLarge = await send(`${url}/flows/chain/runs`, 'POST', big);
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.body.code, 'E_HTTP_BODY_TOO_LARGE');
  } finally {
    await server.close();
    await t.close();
  }
});
