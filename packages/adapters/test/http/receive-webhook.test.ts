import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, createMemoryStore, type Engine, type MemoryStore } from '@millrace/engine';
import { createHttpHandler, type HttpHandlerOptions } from '@millrace/adapters/http/server';
import { CHAIN, SECRET } from './http-fixture.ts';
import { signedDelivery } from './mount-suite.ts';

// Two handlers (as two server processes would be) in front of one store: where accepted
// webhook deliveries are remembered decides whether a delivery sent to both starts one run.

async function receiver(
  store: MemoryStore,
  extra: Partial<HttpHandlerOptions>,
): Promise<{ url: string; server: Server; engine: Engine; close(): Promise<void> }> {
  const engine = createEngine({
    store,
    secrets: { HOOK: SECRET },
    actions: [{ type: 'double', title: 'Double', run: (i) => ({ n: (i as { n: number }).n * 2 }) }],
  });
  const server = createServer(
    createHttpHandler(engine, {
      auth: () => true,
      webhooks: { secrets: () => ({ HOOK: SECRET }) },
      ...extra,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    engine,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
    },
  };
}

async function deliverToBoth(urls: string[], key: string): Promise<number[]> {
  const { body, headers } = await signedDelivery(`{"n":1,"delivery":"${key}"}`, key);
  const copies = urls.flatMap((url) => [url, url]);
  const statuses = await Promise.all(
    copies.map(async (url) => {
      const res = await fetch(`${url}/hooks/default/orders`, { method: 'POST', headers, body });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  return statuses.sort();
}

test('with store, handlers on one store accept a delivery once, also copies sent at the same instant', async () => {
  const store = createMemoryStore();
  const a = await receiver(store, { store: () => store });
  const b = await receiver(store, { store: () => store });
  try {
    await a.engine.deploy(CHAIN, { activate: true });
    for (let i = 0; i < 20; i++) {
      assert.deepEqual(await deliverToBoth([a.url, b.url], `d-${i}`), [202, 409, 409, 409]);
    }
    assert.equal((await store.listRuns({ limit: 100 })).length, 20);
    const claimed = await store.getCache('webhook/chain/hook/key/d-0', Date.now());
    assert.equal(claimed?.value, true, 'the claim is in the store');
  } finally {
    await a.close();
    await b.close();
  }
});

test('without store, each handler remembers deliveries in its own memory only', async () => {
  const store = createMemoryStore();
  const a = await receiver(store, {});
  const b = await receiver(store, {});
  try {
    await a.engine.deploy(CHAIN, { activate: true });
    assert.deepEqual(await deliverToBoth([a.url, b.url], 'd-0'), [202, 202, 409, 409]);
  } finally {
    await a.close();
    await b.close();
  }
});
