import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FetchLike, FlowNode } from '@millrace/engine';
import { advance, chain, execute, flow, flush, harness, node, ofType, track } from './helpers.ts';

interface Request {
  readonly url: string;
  readonly init: Record<string, unknown>;
}

/** A fake fetch: answers from `respond`, recording each request. */
function fakeFetch(
  respond: (req: Request, call: number) => Response | Promise<Response>,
): FetchLike & { requests: Request[] } {
  const requests: Request[] = [];
  const fn = async (url: string, init: Record<string, unknown>) => {
    const req = { url, init };
    requests.push(req);
    return respond(req, requests.length);
  };
  return Object.assign(fn, { requests });
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

const httpNode = (input: Record<string, unknown>, extra: Partial<FlowNode> = {}): FlowNode =>
  ({ id: 'call', type: 'http', input, ...extra }) as FlowNode;

test('http GET sends method, headers and query, and outputs status, headers and the parsed JSON body', async () => {
  const fetch = fakeFetch(() => json({ records: [1, 2] }, 200, { 'x-total': '2' }));
  const h = harness({ fetch });
  const r = await execute(
    h,
    flow([
      httpNode({
        url: 'https://api.example.com/items',
        method: 'GET',
        headers: { accept: 'application/json' },
        query: { page: 2, q: 'a b&c', tags: ['x', 'y'], skip: null },
      }),
    ]),
  );
  const [req] = fetch.requests;
  assert.equal(req!.url, 'https://api.example.com/items?page=2&q=a%20b%26c&tags=x&tags=y');
  assert.equal(req!.init['method'], 'GET');
  assert.deepEqual(req!.init['headers'], { accept: 'application/json' });
  assert.equal(req!.init['body'], undefined);
  assert.ok(req!.init['signal'], 'the attempt signal is passed to fetch');
  assert.deepEqual(r.outcome.value, {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-total': '2' },
    body: { records: [1, 2] },
  });
});

test('http defaults to GET and appends the query to a URL that already has one', async () => {
  const fetch = fakeFetch(() => json({}));
  const h = harness({ fetch });
  await execute(h, flow([httpNode({ url: 'https://x.test/a?fixed=1', query: { more: 'yes' } })]));
  assert.equal(fetch.requests[0]!.init['method'], 'GET');
  assert.equal(fetch.requests[0]!.url, 'https://x.test/a?fixed=1&more=yes');
});

test('http sends an object body as JSON with a JSON content type', async () => {
  const fetch = fakeFetch(() => json({ id: 9 }, 201));
  const h = harness({ fetch });
  const r = await execute(
    h,
    flow([
      httpNode({
        url: 'https://x.test/items',
        method: 'POST',
        body: { name: '$<flow.input.name>', n: 1 },
      }),
    ]),
    { name: 'Ada' },
  );
  const init = fetch.requests[0]!.init;
  assert.equal(init['method'], 'POST');
  assert.equal(init['body'], JSON.stringify({ name: 'Ada', n: 1 }));
  assert.equal((init['headers'] as Record<string, string>)['content-type'], 'application/json');
  assert.deepEqual((r.outcome.value as { status: number; body: unknown }).body, { id: 9 });
  assert.equal((r.outcome.value as { status: number }).status, 201);
});

test('http keeps a content type the flow set itself', async () => {
  const fetch = fakeFetch(() => json({}));
  const h = harness({ fetch });
  await execute(
    h,
    flow([
      httpNode({
        url: 'https://x.test',
        method: 'PUT',
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: { a: 1 },
      }),
    ]),
  );
  assert.deepEqual(fetch.requests[0]!.init['headers'], {
    'Content-Type': 'application/merge-patch+json',
  });
});

test('http sends a string body as text without adding a content type', async () => {
  const fetch = fakeFetch(() => new Response('ok', { status: 200 }));
  const h = harness({ fetch });
  await execute(h, flow([httpNode({ url: 'https://x.test', method: 'POST', body: 'a=1&b=2' })]));
  assert.equal(fetch.requests[0]!.init['body'], 'a=1&b=2');
  assert.deepEqual(fetch.requests[0]!.init['headers'], {});
});

test('http outputs a text response body as a string', async () => {
  const fetch = fakeFetch(
    () => new Response('hello', { status: 200, headers: { 'content-type': 'text/plain' } }),
  );
  const h = harness({ fetch });
  const r = await execute(h, flow([httpNode({ url: 'https://x.test' })]));
  assert.equal((r.outcome.value as { body: unknown }).body, 'hello');
});

test('http responseType text keeps a JSON response as text', async () => {
  const fetch = fakeFetch(() => json({ a: 1 }));
  const h = harness({ fetch });
  const r = await execute(h, flow([httpNode({ url: 'https://x.test', responseType: 'text' })]));
  assert.equal((r.outcome.value as { body: unknown }).body, '{"a":1}');
});

test('a downstream node reads fields of the http response body', async () => {
  const fetch = fakeFetch(() => json({ user: { name: 'Lin' } }));
  const h = harness({ fetch });
  const r = await execute(
    h,
    flow(
      [
        httpNode({ url: 'https://x.test/me' }),
        { id: 'greet', type: 'transform', input: { hi: 'Hi $<nodes.call.output.body.user.name>' } },
      ],
      chain('call', 'greet'),
    ),
  );
  assert.deepEqual(r.outcome.value, { hi: 'Hi Lin' });
});

test('a non-2xx status fails the node with E_HTTP_STATUS, the status and the body', async () => {
  const fetch = fakeFetch(() => json({ message: 'nope' }, 403));
  const h = harness({ fetch });
  const r = await execute(h, flow([httpNode({ url: 'https://x.test/secret' })]));
  const error = node(r.view, 'call').error;
  assert.equal(error?.code, 'E_HTTP_STATUS');
  assert.equal(error?.details?.['status'], 403);
  assert.deepEqual(error?.details?.['body'], { message: 'nope' });
  assert.equal(r.view.status, 'failed');
});

test('retry sees a non-2xx status: a 503 is retried and the next 200 succeeds', async () => {
  const fetch = fakeFetch((_req, call) => (call === 1 ? json({}, 503) : json({ ok: true })));
  const h = harness({ fetch });
  const r = await execute(
    h,
    flow([
      httpNode(
        { url: 'https://x.test' },
        {
          retry: {
            maxAttempts: 3,
            delayMs: 1_000,
            retryOn: '$<error.code == "E_HTTP_STATUS" && error.details.status >= 500>',
          },
        },
      ),
    ]),
  );
  assert.equal(fetch.requests.length, 2);
  assert.deepEqual((r.outcome.value as { body: unknown }).body, { ok: true });
  const retry = ofType(r.events, 'NodeRetryScheduled')[0];
  assert.equal(retry?.error.details?.['status'], 503);
});

test('a 4xx excluded by retryOn is not retried', async () => {
  const fetch = fakeFetch(() => json({}, 404));
  const h = harness({ fetch });
  const r = await execute(
    h,
    flow([
      httpNode(
        { url: 'https://x.test' },
        { retry: { maxAttempts: 3, delayMs: 10, retryOn: '$<error.details.status >= 500>' } },
      ),
    ]),
  );
  assert.equal(fetch.requests.length, 1);
  assert.equal(node(r.view, 'call').error?.details?.['status'], 404);
});

test('a network failure fails the node with E_HTTP_NETWORK', async () => {
  const fetch = fakeFetch(() => {
    throw new TypeError('fetch failed: ECONNREFUSED');
  });
  const h = harness({ fetch });
  const r = await execute(h, flow([httpNode({ url: 'https://down.test' })]));
  assert.equal(node(r.view, 'call').error?.code, 'E_HTTP_NETWORK');
  assert.match(String(node(r.view, 'call').error?.message), /ECONNREFUSED/);
});

test('http timeoutMs aborts the request through its signal', async () => {
  let seen: AbortSignal | undefined;
  const fetch = fakeFetch(
    (req) =>
      new Promise<Response>((_resolve, reject) => {
        seen = req.init['signal'] as AbortSignal;
        seen.addEventListener('abort', () => reject(seen!.reason));
      }),
  );
  const h = harness({ fetch });
  await h.engine.deploy(flow([httpNode({ url: 'https://slow.test' }, { timeoutMs: 2_000 })]));
  const run = await h.engine.start('f');
  const result = track(run.result());
  await advance(h.clock, 1_999);
  assert.equal(seen?.aborted, false);
  await advance(h.clock, 1);
  assert.equal(seen?.aborted, true);
  assert.equal((result.error as { code?: string }).code, 'E_NODE_TIMEOUT');
});

test('a secret in an http header reaches fetch but is redacted from everything stored', async () => {
  const fetch = fakeFetch(() => json({ echoed: 'Bearer sk-live-123' }));
  const h = harness({ fetch, secrets: { API_TOKEN: 'sk-live-123' } });
  const r = await execute(
    h,
    flow([
      httpNode({
        url: 'https://x.test',
        headers: { authorization: 'Bearer $<secrets.API_TOKEN>' },
      }),
    ]),
  );
  assert.equal(
    (fetch.requests[0]!.init['headers'] as Record<string, string>)['authorization'],
    'Bearer sk-live-123',
  );
  const stored = JSON.stringify(r.events);
  assert.ok(!stored.includes('sk-live-123'), stored);
  assert.deepEqual((node(r.view, 'call').input as { headers: unknown }).headers, {
    authorization: 'Bearer [secret]',
  });
  assert.deepEqual((r.outcome.value as { body: unknown }).body, { echoed: 'Bearer [secret]' });
});

test('http requests of parallel branches are in flight together', async () => {
  const pending: (() => void)[] = [];
  const fetch = fakeFetch(
    () =>
      new Promise<Response>((resolve) => {
        pending.push(() => resolve(json({})));
      }),
  );
  const h = harness({ fetch });
  await h.engine.deploy(
    flow([
      { id: 'a', type: 'http', input: { url: 'https://a.test' } },
      { id: 'b', type: 'http', input: { url: 'https://b.test' } },
    ]),
  );
  const run = await h.engine.start('f');
  const result = track(run.result());
  await flush();
  assert.equal(fetch.requests.length, 2);
  pending.forEach((p) => p());
  await flush();
  assert.equal(result.ok, true);
});

test('a secret in the URL query stays out of the recorded errors and retries', async () => {
  const fetch = fakeFetch((_req, call) =>
    call === 1 ? json({ error: 'busy' }, 503) : json({}, 401),
  );
  const h = harness({ fetch, secrets: { KEY: 'qk-9876543210' } });
  const r = await execute(
    h,
    flow([
      httpNode(
        { url: 'https://x.test/data', query: { key: '$<secrets.KEY>' } },
        { retry: { maxAttempts: 2, delayMs: 10 } },
      ),
    ]),
  );
  assert.equal(fetch.requests[0]!.url, 'https://x.test/data?key=qk-9876543210');
  assert.equal(ofType(r.events, 'NodeRetryScheduled').length, 1);
  assert.equal(node(r.view, 'call').error?.details?.['status'], 401);
  assert.ok(!JSON.stringify(r.events).includes('qk-9876543210'));
  assert.ok(!String((r.outcome.error as Error).message).includes('qk-9876543210'));
});

test('a secret that needs URL-encoding stays out of the recorded error', async () => {
  const SECRET = 'Zm9v/YmFy+cXV4=';
  const fetch = fakeFetch(() => json({}, 403));
  const h = harness({ fetch, secrets: { KEY: SECRET } });
  const r = await execute(
    h,
    flow([httpNode({ url: 'https://x.test/data', query: { key: '$<secrets.KEY>' } })]),
  );
  const stored = JSON.stringify(r.events);
  assert.ok(!stored.includes(SECRET));
  assert.ok(!stored.includes(encodeURIComponent(SECRET)), stored);
});
