import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { importOpenFlow } from '../../../src/import/index.ts';
import { runOnEngine } from './engine-run.ts';
import { simulate } from './simulate.ts';
import { runWindmill } from './windmill-reference.ts';

/**
 * Differential tests: random OpenFlow documents run by a model of Windmill
 * (windmill-reference.ts) and, imported, by the reference interpreter (simulate.ts) must end
 * the same way with the same result.
 */

type Json = Record<string, unknown>;

const MAX_WHILE = 20;

const SCRIPTS = {
  echo: 'export function main(x) { return x }',
  inc: 'export function main(x) { return typeof x === "number" ? x + 1 : 1 }',
  boom: 'export function main(x) { if (x === 2) throw new Error("two"); return x }',
  counter: 'export function main(i) { return i }',
};

const INPUT_EXPRS = [
  'previous_result',
  'flow_input.n',
  'flow_input.iter?.value ?? null',
  '[previous_result]',
  '`v${flow_input.n}`',
  '`${flow_input.n}`',
  'flow_input.iter?.index ?? 0',
];
const CONDITIONS = [
  'result === 2',
  'typeof result === "number" && result > 2',
  'Array.isArray(result) && result.length > 1',
  'flow_input.n === 2',
];

const js = (expr: string) => ({ type: 'javascript', expr });

const script = fc
  .tuple(fc.constantFrom('echo', 'inc', 'boom'), fc.constantFrom(...INPUT_EXPRS))
  .map(([kind, expr]) => ({
    type: 'rawscript',
    language: 'deno',
    content: SCRIPTS[kind as keyof typeof SCRIPTS],
    input_transforms: { x: js(kind === 'inc' ? 'previous_result' : expr) },
  }));

const stop = fc.record({
  expr: fc.constantFrom(...CONDITIONS),
  skip_if_stopped: fc.constant(false),
});

const counter = {
  id: 'count',
  value: {
    type: 'rawscript',
    language: 'deno',
    content: SCRIPTS.counter,
    input_transforms: { i: js('flow_input.iter?.index ?? -1') },
  },
};

const { modules: modulesArb } = fc.letrec<{ module: Json; modules: Json[] }>((tie) => ({
  modules: fc.array(tie('module'), { maxLength: 3 }) as fc.Arbitrary<Json[]>,
  module: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record(
      {
        value: fc.oneof(script, fc.constant({ type: 'identity' })),
        skip_if: fc.record({
          expr: fc.constantFrom('flow_input.skip === true', 'previous_result === 2'),
        }),
        stop_after_if: stop,
        mock: fc.record({ enabled: fc.boolean(), return_value: fc.integer({ min: 0, max: 3 }) }),
        continue_on_error: fc.boolean(),
      },
      { requiredKeys: ['value'] },
    ),
    fc.record(
      {
        value: fc.record({
          type: fc.constant('forloopflow'),
          iterator: fc.constantFrom(
            { type: 'static', value: [1, 2, 3] },
            js('flow_input.items'),
            js('[0, 1, 2]'),
          ),
          skip_failures: fc.boolean(),
          parallel: fc.boolean(),
          modules: tie('modules'),
        }),
        stop_after_if: stop,
        stop_after_all_iters_if: stop,
        mock: fc.record({ enabled: fc.boolean(), return_value: fc.integer({ min: 0, max: 3 }) }),
      },
      { requiredKeys: ['value'] },
    ),
    fc
      .record(
        {
          value: fc.record({
            type: fc.constant('whileloopflow'),
            skip_failures: fc.boolean(),
            modules: tie('modules'),
          }),
          stop_after_all_iters_if: stop,
        },
        { requiredKeys: ['value'] },
      )
      .map((m) => ({
        ...m,
        // The counter last, and a stop over it, keep the loop finite.
        value: {
          ...(m['value'] as Json),
          modules: [...((m['value'] as Json)['modules'] as Json[]), counter],
        },
        stop_after_if: { expr: 'typeof result === "number" && result >= 1' },
      })),
    fc.record(
      {
        value: fc.record({
          type: fc.constant('branchone'),
          branches: fc.array(
            fc.record({
              expr: fc.constantFrom('flow_input.n > 1', 'previous_result === 2', 'flow_input.skip'),
              modules: tie('modules'),
            }),
            { maxLength: 2 },
          ),
          default: tie('modules'),
        }),
        stop_after_if: stop,
        skip_if: fc.record({
          expr: fc.constantFrom('flow_input.skip === true', 'previous_result === 2'),
        }),
      },
      { requiredKeys: ['value'] },
    ),
    fc.record(
      {
        value: fc.record({
          type: fc.constant('branchall'),
          parallel: fc.boolean(),
          branches: fc.array(fc.record({ skip_failure: fc.boolean(), modules: tie('modules') }), {
            maxLength: 3,
          }),
        }),
        stop_after_all_iters_if: stop,
      },
      { requiredKeys: ['value'] },
    ),
  ) as fc.Arbitrary<Json>,
}));

/** Windmill's outcome of an early stop inside parallel branches depends on timing: left out. */
function stopInParallelBranches(v: unknown, inParallel = false): boolean {
  if (Array.isArray(v)) return v.some((x) => stopInParallelBranches(x, inParallel));
  if (!v || typeof v !== 'object') return false;
  const o = v as Json;
  if (
    inParallel &&
    (o['stop_after_if'] !== undefined || o['stop_after_all_iters_if'] !== undefined)
  )
    return true;
  const value = o['value'] as Json | undefined;
  const parallel = inParallel || (value?.['type'] === 'branchall' && value['parallel'] === true);
  return Object.entries(o).some(
    ([k, x]) =>
      k !== 'stop_after_if' &&
      k !== 'stop_after_all_iters_if' &&
      stopInParallelBranches(x, parallel),
  );
}

/** Error objects differ between Windmill and Millrace beyond their message. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const o = v as Json;
    const error = o['error'];
    if (
      Object.keys(o).length === 1 &&
      error &&
      typeof error === 'object' &&
      'message' in (error as Json)
    ) {
      const message = String((error as Json)['message']);
      // The test's while-loop cap: the engine's message names the loop.
      return {
        error: { message: message.includes('maxIterations') ? 'maxIterations reached' : message },
      };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, normalize(x)]));
  }
  return v;
}

test('imported flows end like the Windmill flows they come from', () => {
  fc.assert(
    fc.property(modulesArb, fc.boolean(), (modules, skip) => {
      fc.pre(!stopInParallelBranches(modules));
      const doc = { summary: 'Random', value: { modules } };
      const input = { n: 2, items: [1, 2, 3], skip };
      const expected = runWindmill(doc, input, MAX_WHILE);
      const { flow } = importOpenFlow(structuredClone(doc), { maxWhileIterations: MAX_WHILE });
      const actual = simulate(flow, input);
      assert.equal(actual.status, expected.status, `status of ${JSON.stringify(doc)}`);
      if (expected.status === 'succeeded') {
        assert.deepEqual(normalize(actual.output), normalize(expected.output), JSON.stringify(doc));
      }
    }),
    { numRuns: Number(process.env['FUZZ_RUNS'] ?? 300) },
  );
});

test('imported flows end on the engine like the Windmill flows they come from', async () => {
  await fc.assert(
    fc.asyncProperty(modulesArb, fc.boolean(), async (modules, skip) => {
      fc.pre(!stopInParallelBranches(modules));
      const doc = { summary: 'Random', value: { modules } };
      const input = { n: 2, items: [1, 2, 3], skip };
      const expected = runWindmill(doc, input, MAX_WHILE);
      const { flow } = importOpenFlow(structuredClone(doc), { maxWhileIterations: MAX_WHILE });
      const actual = await runOnEngine(flow, input);
      assert.equal(
        actual.status,
        expected.status,
        `status of ${JSON.stringify(doc)}: ${JSON.stringify(actual.view.error)}`,
      );
      if (expected.status === 'succeeded') {
        assert.deepEqual(normalize(actual.output), normalize(expected.output), JSON.stringify(doc));
      }
    }),
    { numRuns: Number(process.env['ENGINE_FUZZ_RUNS'] ?? 100) },
  );
});
