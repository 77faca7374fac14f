import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createMemoryStore,
  createWebhookDedupe,
  signWebhook,
  verifyWebhook,
  type WebhookTrigger,
} from '@millrace/engine';

const trigger: WebhookTrigger = {
  id: 'hook',
  kind: 'webhook',
  path: 'expense',
  secret: '$<secrets.HOOK_SECRET>',
};
const secrets = { HOOK_SECRET: 'whsec_test_123' };
const NOW = Date.UTC(2026, 0, 1, 12);
const t = Math.floor(NOW / 1000);
const body = JSON.stringify({ amount: 2500, note: 'café' });

async function delivery(
  overrides: { body?: string; timestamp?: number; secret?: string; key?: string } = {},
) {
  const timestamp = overrides.timestamp ?? t;
  const signed = overrides.body ?? body;
  return {
    body: signed,
    headers: {
      'x-millrace-timestamp': String(timestamp),
      'x-millrace-signature': await signWebhook(
        overrides.secret ?? secrets.HOOK_SECRET,
        signed,
        timestamp,
      ),
      ...(overrides.key ? { 'x-millrace-idempotency-key': overrides.key } : {}),
    },
  };
}

const codeOf = (r: Awaited<ReturnType<typeof verifyWebhook>>) => (r.ok ? 'ok' : r.error.code);

test('a delivery signed with the secret over timestamp.body is accepted', async () => {
  const result = await verifyWebhook(trigger, await delivery({ key: 'evt_1' }), {
    secrets,
    now: NOW,
  });
  assert.deepEqual(result, { ok: true, timestamp: t * 1000, idempotencyKey: 'evt_1' });
});

test('the signing scheme is HMAC-SHA256 hex of "timestamp.body" (a known vector)', async () => {
  // printf '1767268800.{"a":1}' | openssl dgst -sha256 -hmac secret
  const expected = 'v1=74202c07965d1b2482dfa68a9aada406bf539d8a99a02132b61f15c19ef518da';
  assert.equal(await signWebhook('secret', '{"a":1}', 1767268800), expected);
  assert.equal(
    await signWebhook('secret', new TextEncoder().encode('{"a":1}'), 1767268800),
    expected,
  );
});

test('a changed body, another secret, or a missing signature is E_WEBHOOK_SIGNATURE', async () => {
  const good = await delivery();
  assert.equal(
    codeOf(await verifyWebhook(trigger, { ...good, body: body + ' ' }, { secrets, now: NOW })),
    'E_WEBHOOK_SIGNATURE',
  );
  assert.equal(
    codeOf(
      await verifyWebhook(trigger, await delivery({ secret: 'other' }), { secrets, now: NOW }),
    ),
    'E_WEBHOOK_SIGNATURE',
  );
  const { ['x-millrace-signature']: _, ...unsigned } = good.headers;
  assert.equal(
    codeOf(await verifyWebhook(trigger, { body, headers: unsigned }, { secrets, now: NOW })),
    'E_WEBHOOK_SIGNATURE',
  );
  // A signature for another timestamp does not carry over (the timestamp is signed).
  const moved = { body, headers: { ...good.headers, 'x-millrace-timestamp': String(t + 1) } };
  assert.equal(
    codeOf(await verifyWebhook(trigger, moved, { secrets, now: NOW })),
    'E_WEBHOOK_SIGNATURE',
  );
  assert.equal(
    codeOf(
      await verifyWebhook(
        trigger,
        { body, headers: { ...good.headers, 'x-millrace-signature': 'v1=zz' } },
        { secrets, now: NOW },
      ),
    ),
    'E_WEBHOOK_SIGNATURE',
  );
});

test('during a secret rotation any of several v1 signatures may match', async () => {
  const good = await delivery();
  const old = await signWebhook('old-secret', body, t);
  const headers = {
    ...good.headers,
    'x-millrace-signature': `${old}, ${good.headers['x-millrace-signature']}`,
  };
  assert.equal(
    codeOf(await verifyWebhook(trigger, { body, headers }, { secrets, now: NOW })),
    'ok',
  );
});

test('a timestamp outside the tolerance, or none, is E_WEBHOOK_STALE', async () => {
  const old = await delivery({ timestamp: t - 301 });
  assert.equal(codeOf(await verifyWebhook(trigger, old, { secrets, now: NOW })), 'E_WEBHOOK_STALE');
  const future = await delivery({ timestamp: t + 301 });
  assert.equal(
    codeOf(await verifyWebhook(trigger, future, { secrets, now: NOW })),
    'E_WEBHOOK_STALE',
  );
  const edge = await delivery({ timestamp: t - 300 });
  assert.equal(codeOf(await verifyWebhook(trigger, edge, { secrets, now: NOW })), 'ok');
  assert.equal(
    codeOf(await verifyWebhook(trigger, old, { secrets, now: NOW, toleranceMs: 10 * 60_000 })),
    'ok',
  );
  const { ['x-millrace-timestamp']: _, ...noTime } = (await delivery()).headers;
  assert.equal(
    codeOf(await verifyWebhook(trigger, { body, headers: noTime }, { secrets, now: NOW })),
    'E_WEBHOOK_STALE',
  );
});

test('with a dedupe, a repeated idempotency key or a replayed delivery is E_WEBHOOK_DUPLICATE', async () => {
  const dedupe = createWebhookDedupe();
  const first = await delivery({ key: 'evt_1' });
  assert.equal(codeOf(await verifyWebhook(trigger, first, { secrets, now: NOW, dedupe })), 'ok');
  // The sender retries later: new timestamp and signature, same key.
  const retry = await delivery({ key: 'evt_1', timestamp: t + 30 });
  const dup = await verifyWebhook(trigger, retry, { secrets, now: NOW + 30_000, dedupe });
  assert.equal(codeOf(dup), 'E_WEBHOOK_DUPLICATE');
  assert.deepEqual(dup.ok ? undefined : dup.error.details, { idempotencyKey: 'evt_1' });
  // A captured delivery replayed with another key header: same signature, refused.
  const replay = {
    body: first.body,
    headers: { ...first.headers, 'x-millrace-idempotency-key': 'evt_2' },
  };
  assert.equal(
    codeOf(await verifyWebhook(trigger, replay, { secrets, now: NOW + 1000, dedupe })),
    'E_WEBHOOK_DUPLICATE',
  );
  // Another delivery passes; a forged one does not reserve its key.
  const forged = { ...(await delivery({ key: 'evt_3', secret: 'nope' })) };
  assert.equal(
    codeOf(await verifyWebhook(trigger, forged, { secrets, now: NOW, dedupe })),
    'E_WEBHOOK_SIGNATURE',
  );
  assert.equal(
    codeOf(
      await verifyWebhook(trigger, await delivery({ key: 'evt_3', body: '{"other":1}' }), {
        secrets,
        now: NOW,
        dedupe,
      }),
    ),
    'ok',
  );
});

test('a store-backed dedupe is shared by every receiver on the store, until the ttl', async () => {
  const store = createMemoryStore();
  const a = createWebhookDedupe({ store, ttlMs: 60_000 });
  const b = createWebhookDedupe({ store, ttlMs: 60_000 });
  assert.equal(await a.claim('k', NOW), true);
  assert.equal(await b.claim('k', NOW + 1), false);
  assert.equal(await b.claim('k', NOW + 60_000), true);
  const memory = createWebhookDedupe({ ttlMs: 10 });
  assert.equal(await memory.claim('x', 0), true);
  assert.equal(await memory.claim('x', 5), false);
  assert.equal(await memory.claim('x', 10), true);
});

test('the secret comes from the host secrets; a missing one is E_WEBHOOK_SECRET', async () => {
  const good = await delivery();
  assert.equal(
    codeOf(await verifyWebhook(trigger, good, { secrets: {}, now: NOW })),
    'E_WEBHOOK_SECRET',
  );
  assert.equal(
    codeOf(
      await verifyWebhook({ ...trigger, secret: undefined as unknown as string }, good, {
        now: NOW,
      }),
    ),
    'E_WEBHOOK_SECRET',
  );
  assert.equal(
    codeOf(
      await verifyWebhook(trigger, good, {
        secrets: (name) => (name === 'HOOK_SECRET' ? secrets.HOOK_SECRET : undefined),
        now: NOW,
      }),
    ),
    'ok',
  );
  assert.equal(
    codeOf(await verifyWebhook({ ...trigger, secret: secrets.HOOK_SECRET }, good, { now: NOW })),
    'ok',
  );
});

test('a Fetch Headers object and a raw byte body work too', async () => {
  const bytes = new TextEncoder().encode(body);
  const headers = new Headers({
    'X-Millrace-Timestamp': String(t),
    'X-Millrace-Signature': await signWebhook(secrets.HOOK_SECRET, bytes, t),
  });
  assert.equal(
    codeOf(await verifyWebhook(trigger, { body: bytes, headers }, { secrets, now: NOW })),
    'ok',
  );
});

test('a trigger that is not a webhook is a programming error (E_INVALID_ARGUMENT)', async () => {
  await assert.rejects(
    verifyWebhook(
      { id: 'm', kind: 'manual' } as unknown as WebhookTrigger,
      { body: '', headers: {} },
      { now: NOW },
    ),
    { code: 'E_INVALID_ARGUMENT' },
  );
});
