import { expect } from '@open-wc/testing';
import { createCodeRunner } from '@millrace/engine/code';

describe('createCodeRunner in a browser Worker', () => {
  const runner = createCodeRunner({ timeoutMs: 300, maxWorkers: 1 });
  const signal = new AbortController().signal;
  after(() => runner.close());

  it('runs code in QuickJS inside a module Worker, with no page globals', async () => {
    const lines: string[] = [];
    const out = await runner({
      code: `export default async function (input, ctx) {
        ctx.log('hello from the guest');
        return { sum: input.a + input.b, seen: [typeof window, typeof document, typeof self, typeof fetch] };
      }`,
      language: 'javascript',
      input: { a: 2, b: 3 },
      signal,
      log: (level, message) => lines.push(`${level}: ${message}`),
    });
    expect(out).to.deep.equal({
      sum: 5,
      seen: ['undefined', 'undefined', 'undefined', 'undefined'],
    });
    expect(lines).to.deep.equal(['info: hello from the guest']);
  });

  it('stops an infinite loop with E_CODE_TIMEOUT and keeps working', async () => {
    let code = '';
    try {
      await runner({ code: 'for (;;) {}', language: 'javascript', input: {}, signal });
    } catch (err) {
      code = (err as { code: string }).code;
    }
    expect(code).to.equal('E_CODE_TIMEOUT');
    expect(
      await runner({
        code: 'export default () => "still here"',
        language: 'javascript',
        input: {},
        signal,
      }),
    ).to.equal('still here');
  });

  it('hard-stops a builtin-heavy loop that overshoots the deadline', async () => {
    let failure: { code?: string; details?: { hardStop?: boolean } } = {};
    try {
      await runner({
        code: 'export default () => { const a = []; for (;;) { a.push("y".repeat(1e6)); a.length = 0 } }',
        language: 'javascript',
        input: {},
        signal,
        timeoutMs: 100,
      });
    } catch (err) {
      failure = err as typeof failure;
    }
    expect(failure.code).to.equal('E_CODE_TIMEOUT');
    expect(
      await runner({ code: 'export default () => 1', language: 'javascript', input: {}, signal }),
    ).to.equal(1);
  });
});
