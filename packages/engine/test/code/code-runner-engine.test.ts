import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunError } from '@millrace/engine';
import { createEngine, importOpenFlow, type FlowDefinition, type RunView } from '@millrace/engine';
import { createCodeRunner } from '@millrace/engine/code';
import { FIXTURE_FILES, loadFixture, matches } from '../import/openflow/fixture-files.ts';

// One runner for every engine of this file: workers outlive engines and runs.
const codeRunner = createCodeRunner({ timeoutMs: 2000 });
after(() => codeRunner.close());

/** The run's view once it has ended (the code runs in a worker: real time passes). */
async function finished(
  engine: ReturnType<typeof createEngine>,
  run: { id: string; result(): Promise<unknown> },
): Promise<RunView> {
  await run.result().catch(() => undefined);
  // An early answer (Windmill's early_return) resolves the result before the run ends.
  for (let i = 0; i < 500; i++) {
    const view = await engine.getRun(run.id);
    if (view && ['succeeded', 'failed', 'cancelled'].includes(view.status)) return view;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`run ${run.id} did not finish`);
}

function flowOf(code: string, extra: Record<string, unknown> = {}): FlowDefinition {
  return {
    format: 'millrace.flow/v1',
    id: 'code-flow',
    nodes: [{ id: 'calc', type: 'code', code, input: { n: '$<flow.input.n>' }, ...extra }],
  } as FlowDefinition;
}

describe('code nodes on a real engine', () => {
  test('a code node computes its output from its input; logs land in the node', async () => {
    const engine = createEngine({ codeRunner });
    try {
      await engine.deploy(
        flowOf(
          'export default async function (input, ctx) { ctx.log("doubling", input.n); console.warn("careful"); return { doubled: input.n * 2 } }',
        ),
      );
      const run = await engine.start('code-flow', { n: 21 });
      assert.deepEqual(await run.result(), { doubled: 42 });
      const view = await finished(engine, run);
      const node = view.nodes.find((n) => n.nodeId === 'calc')!;
      assert.deepEqual(
        node.logs.map((l) => [l.level, l.message]),
        [
          ['info', 'doubling 21'],
          ['warn', 'careful'],
        ],
      );
    } finally {
      await engine.close();
    }
  });

  test('a TypeScript node with the main(a, b) convention', async () => {
    const engine = createEngine({ codeRunner });
    try {
      await engine.deploy(
        flowOf(
          'export function main(n: number, missing: string = "dflt"): string { return `${n}-${missing}` }',
          {
            language: 'typescript',
          },
        ),
      );
      const run = await engine.start('code-flow', { n: 7 });
      assert.equal(await run.result(), '7-dflt');
    } finally {
      await engine.close();
    }
  });

  test('a user error fails the node with E_CODE_ERROR, its message and guest stack', async () => {
    const engine = createEngine({ codeRunner });
    try {
      await engine.deploy(
        flowOf(
          'export default function (input) {\n  throw new RangeError("n too big: " + input.n)\n}',
        ),
      );
      const run = await engine.start('code-flow', { n: 99 });
      await assert.rejects(run.result(), (err: RunError) => err.code === 'E_CODE_ERROR');
      const view = await finished(engine, run);
      const error = view.nodes.find((n) => n.nodeId === 'calc')!.error!;
      assert.equal(error.code, 'E_CODE_ERROR');
      assert.equal(error.message, 'n too big: 99');
      assert.equal((error.details as { name: string }).name, 'RangeError');
      assert.match((error.details as { stack: string }).stack, /code\.js:2/);
    } finally {
      await engine.close();
    }
  });

  test('an endless node fails with E_CODE_TIMEOUT and the next run works', async () => {
    const short = createCodeRunner({ timeoutMs: 200, maxWorkers: 1 });
    const engine = createEngine({ codeRunner: short });
    try {
      await engine.deploy(
        flowOf('export default function (input) { if (input.n < 0) for (;;) {} return input.n }'),
      );
      const stuck = await engine.start('code-flow', { n: -1 });
      await assert.rejects(stuck.result(), (err: RunError) => err.code === 'E_CODE_TIMEOUT');
      const ok = await engine.start('code-flow', { n: 5 });
      assert.equal(await ok.result(), 5);
    } finally {
      await engine.close();
      await short.close();
    }
  });
});

describe('imported OpenFlow flows run unchanged on the sandboxed runner', () => {
  for (const file of FIXTURE_FILES) {
    const fixture = loadFixture(file);
    test(`${file}: ${fixture.description}`, async () => {
      const { flow } = importOpenFlow(fixture.document, { id: 'imported' });
      const engine = createEngine({ codeRunner });
      try {
        await engine.deploy(flow);
        const run = await engine.start(flow.id, fixture.input);
        const view = await finished(engine, run);
        assert.equal(
          view.status,
          fixture.expectedStatus ?? 'succeeded',
          JSON.stringify(view.error),
        );
        const output = view.status === 'succeeded' ? await run.result() : view.output;
        assert.ok(
          matches(output, fixture.expected, fixture.compare === 'subset'),
          `${JSON.stringify(output)} ≠ ${JSON.stringify(fixture.expected)}`,
        );
      } finally {
        await engine.close();
      }
    });
  }

  test('a TypeScript rawscript with typed parameters and defaults', async () => {
    const { flow, diagnostics } = importOpenFlow(
      {
        summary: 'Typed',
        value: {
          modules: [
            {
              id: 'a',
              value: {
                type: 'rawscript',
                language: 'bun',
                content:
                  'type Item = { price: number };\nexport async function main(items: Item[], rate: number = 0.2, label = "total") {\n  const net = items.reduce((s, i) => s + i.price, 0);\n  return { [label]: Math.round(net * (1 + rate) * 100) / 100 };\n}\n',
                input_transforms: {
                  items: { type: 'javascript', expr: 'flow_input.items' },
                },
              },
            },
          ],
        },
      },
      { id: 'typed' },
    );
    assert.ok(!diagnostics.some((d) => d.severity === 'error'), JSON.stringify(diagnostics));
    const engine = createEngine({ codeRunner });
    try {
      await engine.deploy(flow);
      const run = await engine.start('typed', { items: [{ price: 10 }, { price: 5 }] });
      assert.deepEqual(await run.result(), { total: 18 });
    } finally {
      await engine.close();
    }
  });
});
