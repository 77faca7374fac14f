import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CodeRunRequest } from '@millrace/engine';
import { createCodeRunner } from '@millrace/engine/code';

// One runner for most tests: reusing it is the point (and the workers survive every failure).
// A generous default time limit, so a loaded machine (CI's two cores run test files in
// parallel) cannot turn an expected result into a timeout; the loops set a short one.
const runner = createCodeRunner({ timeoutMs: 5000, memoryLimitBytes: 32 * 1024 * 1024 });
const SHORT = { timeoutMs: 300 };
after(() => runner.close());

const never = new AbortController().signal;
type Extra = Partial<Omit<CodeRunRequest, 'code'>>;
const js = (code: string, input: unknown = {}, extra: Extra = {}) =>
  runner({ code, language: 'javascript', input, signal: never, ...extra });

describe('entry conventions', () => {
  test('export default async function (input, ctx) receives the input', async () => {
    assert.deepEqual(
      await js('export default async function (input, ctx) { return { sum: input.a + input.b } }', {
        a: 2,
        b: 3,
      }),
      { sum: 5 },
    );
  });

  test("Windmill's export function main(a, b) binds parameters by name", async () => {
    const code = `export async function main(greeting: string, name = "world", opts = { x: [1, 2] }) {
      return greeting + ", " + name + " " + opts.x.length;
    }`;
    assert.equal(
      await runner({
        code,
        language: 'typescript',
        input: { name: 'Ada', greeting: 'Hi' },
        signal: never,
      }),
      'Hi, Ada 2',
    );
    assert.equal(
      await runner({ code, language: 'typescript', input: { greeting: 'Hello' }, signal: never }),
      'Hello, world 2',
    );
  });

  test('code without either entry fails with E_CODE_ENTRY_MISSING', async () => {
    await assert.rejects(js('export const x = 1'), { code: 'E_CODE_ENTRY_MISSING' });
  });

  test('returning undefined gives undefined; values round-trip as JSON', async () => {
    assert.equal(await js('export default function () {}'), undefined);
    assert.deepEqual(await js('export default (i) => i', { a: [1, 'x', null, true] }), {
      a: [1, 'x', null, true],
    });
  });
});

describe('TypeScript', () => {
  test('types, interfaces, casts and satisfies are stripped', async () => {
    const code = `
      interface Item { price: number; qty: number }
      type Total = { total: number };
      export default function (input: { items: Item[] }): Total {
        const total = input.items.reduce((s, i) => s + i.price * (i.qty as number), 0);
        return { total } satisfies Total;
      }`;
    assert.deepEqual(
      await runner({
        code,
        language: 'typescript',
        input: { items: [{ price: 2, qty: 3 }] },
        signal: never,
      }),
      { total: 6 },
    );
  });

  test('a TypeScript syntax error is a typed E_CODE_ERROR', async () => {
    await assert.rejects(
      runner({
        code: 'export default function (: {',
        language: 'typescript',
        input: {},
        signal: never,
      }),
      (err: { code: string; details: { name: string } }) =>
        err.code === 'E_CODE_ERROR' && err.details.name === 'SyntaxError',
    );
  });
});

describe('isolation', () => {
  test('host globals are absent', async () => {
    assert.deepEqual(
      await js(`export default function () {
        return [typeof process, typeof require, typeof module, typeof fetch, typeof document,
          typeof window, typeof self, typeof postMessage, typeof WebAssembly, typeof setTimeout];
      }`),
      Array(10).fill('undefined'),
    );
  });

  test('globalThis is the guest realm, not the host', async () => {
    const keys = (await js(
      'export default () => Object.getOwnPropertyNames(globalThis)',
    )) as string[];
    for (const hostOnly of ['process', 'require', 'Buffer', 'fetch', 'navigator', 'postMessage']) {
      assert.ok(!keys.includes(hostOnly), hostOnly);
    }
  });

  test('constructor.constructor reaches only the guest', async () => {
    assert.equal(
      await js(`export default function () {
        const F = (() => {}).constructor.constructor;
        return F('return typeof process + typeof require + typeof globalThis.fetch')();
      }`),
      'undefinedundefinedundefined',
    );
  });

  test('import() and static imports fail', async () => {
    await assert.rejects(
      js('export default async function () { return await import("node:fs") }'),
      { code: 'E_CODE_ERROR' },
    );
    await assert.rejects(js('import fs from "fs"; export default () => fs'), {
      code: 'E_CODE_ERROR',
    });
  });

  test('a global set in one call is absent in the next', async () => {
    await js(
      'globalThis.secret = "s3cr3t"; export default () => { Object.prototype.polluted = 1 }',
    );
    assert.deepEqual(await js('export default () => [typeof secret, typeof ({}).polluted]'), [
      'undefined',
      'undefined',
    ]);
  });
});

describe('limits', () => {
  test('an infinite loop at the top level is stopped (E_CODE_TIMEOUT)', async () => {
    await assert.rejects(js('for (;;) {}', {}, SHORT), { code: 'E_CODE_TIMEOUT' });
  });

  test('an infinite loop in a function, even inside try/catch, is stopped', async () => {
    await assert.rejects(
      js('export default function () { for (;;) { try { for (;;) {} } catch (e) {} } }', {}, SHORT),
      { code: 'E_CODE_TIMEOUT' },
    );
  });

  test('an infinite await loop is stopped', async () => {
    await assert.rejects(
      js('export default async function () { for (;;) { await null } }', {}, SHORT),
      { code: 'E_CODE_TIMEOUT' },
    );
  });

  test('a loop of costly builtins that overshoots the deadline is hard-stopped', async () => {
    await assert.rejects(
      js(
        'export default function () { const a = []; for (;;) { a.push("y".repeat(1e6)); a.length = 0 } }',
        {},
        { timeoutMs: 100 },
      ),
      (err: { code: string; details: { hardStop: boolean } }) =>
        err.code === 'E_CODE_TIMEOUT' && err.details.hardStop === true,
    );
  });

  test('the runner still works after timeouts', async () => {
    assert.equal(await js('export default () => 42'), 42);
  });

  test('a memory bomb of large buffers fails with E_CODE_MEMORY', async () => {
    await assert.rejects(
      js('export default function () { const a = []; for (;;) a.push(new Uint8Array(1e6)) }'),
      { code: 'E_CODE_MEMORY' },
    );
    assert.equal(await js('export default () => "recovered"'), 'recovered');
  });

  test('a memory bomb of small objects fails with E_CODE_MEMORY', async () => {
    await assert.rejects(
      js(
        'export default function () { const a = []; for (;;) a.push({ n: a.length }) }',
        {},
        {
          timeoutMs: 5000,
        },
      ),
      { code: 'E_CODE_MEMORY' },
    );
    assert.equal(await js('export default () => "recovered"'), 'recovered');
  });

  test('deep recursion is a typed E_CODE_STACK_OVERFLOW', async () => {
    await assert.rejects(
      js('export default function () { const f = (n) => f(n + 1) + 1; return f(0) }'),
      { code: 'E_CODE_STACK_OVERFLOW' },
    );
    await assert.rejects(js('export default () => JSON.parse("[".repeat(100000))'), {
      code: 'E_CODE_STACK_OVERFLOW',
    });
    assert.equal(await js('export default () => "recovered"'), 'recovered');
  });

  test('an output above maxOutputBytes fails with E_CODE_OUTPUT_TOO_LARGE', async () => {
    const small = createCodeRunner({ maxOutputBytes: 1000, maxWorkers: 1 });
    try {
      await assert.rejects(
        small({
          code: 'export default () => "x".repeat(2000)',
          language: 'javascript',
          input: {},
          signal: never,
        }),
        { code: 'E_CODE_OUTPUT_TOO_LARGE' },
      );
      // Multi-byte characters count as UTF-8 bytes.
      await assert.rejects(
        small({
          code: 'export default () => "é".repeat(600)',
          language: 'javascript',
          input: {},
          signal: never,
        }),
        { code: 'E_CODE_OUTPUT_TOO_LARGE' },
      );
      assert.equal(
        (await small({
          code: 'export default () => "x".repeat(900)',
          language: 'javascript',
          input: {},
          signal: never,
        })) as string,
        'x'.repeat(900),
      );
    } finally {
      await small.close();
    }
  });

  test('aborting the signal stops a running guest', async () => {
    const controller = new AbortController();
    const running = js('for (;;) {}', {}, { signal: controller.signal, timeoutMs: 60_000 });
    setTimeout(() => controller.abort(new Error('cancelled by test')), 50);
    await assert.rejects(running, /cancelled by test/);
    assert.equal(await js('export default () => "after abort"'), 'after abort');
  });
});

describe('errors and logs', () => {
  test('a thrown error comes back with name, message and the guest stack', async () => {
    await assert.rejects(
      js(
        'function check(x) {\n  throw new TypeError("bad value " + x);\n}\nexport default () => check(7)',
      ),
      (err: {
        code: string;
        message: string;
        details: { name: string; message: string; stack: string };
      }) => {
        assert.equal(err.code, 'E_CODE_ERROR');
        assert.equal(err.message, 'bad value 7');
        assert.equal(err.details.name, 'TypeError');
        assert.equal(err.details.message, 'bad value 7');
        assert.match(err.details.stack, /at check \(code\.js:2/);
        return true;
      },
    );
  });

  test('a thrown non-error and a rejected promise are user errors too', async () => {
    await assert.rejects(js('export default () => { throw "plain" }'), {
      code: 'E_CODE_ERROR',
      message: 'plain',
    });
    await assert.rejects(js('export default async () => Promise.reject(new RangeError("r"))'), {
      code: 'E_CODE_ERROR',
      message: 'r',
    });
  });

  test('ctx.log and console.* reach the log callback with their levels', async () => {
    const lines: string[] = [];
    await js(
      `export default function (input, ctx) {
        ctx.log("hello", { a: 1 }, 2);
        console.log("log"); console.debug("debug"); console.warn("warn"); console.error(new Error("boom"));
      }`,
      {},
      { log: (level, message) => lines.push(`${level}: ${message}`) },
    );
    assert.deepEqual(lines, [
      'info: hello {"a":1} 2',
      'info: log',
      'debug: debug',
      'warn: warn',
      'error: Error: boom',
    ]);
  });

  test('log lines beyond maxLogLines are dropped with one warning', async () => {
    const chatty = createCodeRunner({ maxLogLines: 3, maxWorkers: 1 });
    const lines: string[] = [];
    try {
      await chatty({
        code: 'export default (i, ctx) => { for (let n = 0; n < 100; n++) ctx.log(n) }',
        language: 'javascript',
        input: {},
        signal: never,
        log: (_level, message) => lines.push(message),
      });
    } finally {
      await chatty.close();
    }
    assert.equal(lines.length, 4);
    assert.deepEqual(lines.slice(0, 3), ['0', '1', '2']);
    assert.match(lines[3]!, /dropped/);
  });
});

describe('concurrency', () => {
  test('several calls at once each get their own input and output', async () => {
    const outs = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        js(
          'globalThis.mine = globalThis.mine ?? []; export default async (i) => { mine.push(i.n); await null; return mine }',
          { n },
        ),
      ),
    );
    assert.deepEqual(
      outs,
      Array.from({ length: 8 }, (_, n) => [n]),
    );
  });

  test('a timeout in one call does not disturb calls running beside it', async () => {
    const [slow, fast] = await Promise.allSettled([
      js('for (;;) {}'),
      js('export default () => "fast"'),
    ]);
    assert.equal(slow.status, 'rejected');
    assert.deepEqual(fast, { status: 'fulfilled', value: 'fast' });
  });
});

describe('ctx.fetch', () => {
  let server: Server;
  let base = '';
  const seen: string[] = [];

  test('setup: a local server on 127.0.0.1', async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://example.invalid/' }).end();
        return;
      }
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-test': 'yes' });
        res.end(JSON.stringify({ path: req.url, method: req.method, body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server?.close());

  test('is absent without an allow-list', async () => {
    assert.equal(await js('export default (i, ctx) => typeof ctx.fetch'), 'undefined');
  });

  test('fetches allowed URLs through the host and returns a response-like object', async () => {
    const withFetch = createCodeRunner({ fetch: { allow: [`${base}/api/`] }, maxWorkers: 1 });
    try {
      const out = await withFetch({
        code: `export default async function (input, ctx) {
          const r = await ctx.fetch(input.url, { method: 'post', body: { q: 1 }, headers: { 'X-A': 'b' } });
          return { status: r.status, ok: r.ok, header: r.headers.get('X-Test'), json: await r.json() };
        }`,
        language: 'javascript',
        input: { url: `${base}/api/items?x=1` },
        signal: never,
      });
      assert.deepEqual(out, {
        status: 200,
        ok: true,
        header: 'yes',
        json: { path: '/api/items?x=1', method: 'POST', body: '{"q":1}' },
      });
    } finally {
      await withFetch.close();
    }
  });

  test('refuses URLs outside the allow-list with E_CODE_FETCH_FORBIDDEN, before any request', async () => {
    const withFetch = createCodeRunner({ fetch: { allow: [`${base}/api/`] }, maxWorkers: 1 });
    const before = seen.length;
    try {
      for (const url of [
        `${base}/private`,
        `${base}/apiary`,
        'http://localhost:1/api/',
        'file:///etc/passwd',
      ]) {
        await assert.rejects(
          withFetch({
            code: 'export default async (i, ctx) => (await ctx.fetch(i.url)).status',
            language: 'javascript',
            input: { url },
            signal: never,
          }),
          { code: 'E_CODE_FETCH_FORBIDDEN' },
          url,
        );
      }
      // The guest can catch the refusal and sees its code.
      assert.equal(
        await withFetch({
          code: `export default async (i, ctx) => { try { await ctx.fetch(i.url) } catch (e) { return e.code } }`,
          language: 'javascript',
          input: { url: `${base}/private` },
          signal: never,
        }),
        'E_CODE_FETCH_FORBIDDEN',
      );
      // Redirects are returned, not followed.
      assert.equal(
        await withFetch({
          code: 'export default async (i, ctx) => (await ctx.fetch(i.url)).status',
          language: 'javascript',
          input: { url: `${base}/api/../redirect` },
          signal: never,
        }).catch((e: { code: string }) => e.code),
        'E_CODE_FETCH_FORBIDDEN', // `..` is resolved first: /redirect is outside /api/
      );
    } finally {
      await withFetch.close();
    }
    assert.equal(seen.length, before);
  });

  test('a redirect comes back as a response; its target is not fetched', async () => {
    const withFetch = createCodeRunner({ fetch: { allow: [base] }, maxWorkers: 1 });
    try {
      const status = await withFetch({
        code: 'export default async (i, ctx) => { const r = await ctx.fetch(i.url); return [r.status, r.headers.get("location")] }',
        language: 'javascript',
        input: { url: `${base}/redirect` },
        signal: never,
      });
      assert.deepEqual(status, [302, 'http://example.invalid/']);
    } finally {
      await withFetch.close();
    }
  });
});
