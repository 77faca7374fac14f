import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { importOpenFlow } from '../../../src/import/index.ts';
import { validateFlow } from '../../../src/model/validate-flow.ts';
import { PLACEHOLDER_CATALOG } from './helpers.ts';

type Json = Record<string, unknown>;

/** Expressions valid wherever a step's inputs are evaluated (no `result`). */
const INPUT_EXPRS = [
  'flow_input.n',
  'previous_result',
  'flow_input.items ?? []',
  '`n=${flow_input.n}`',
  'JSON.stringify(flow_input)',
  'resume',
];
/** Expressions valid where Windmill binds `result`. */
const RESULT_EXPRS = [
  'result == null',
  'result?.done === true',
  'Array.isArray(result)',
  'flow_input.n > 2',
];

const transform = fc.oneof(
  fc.record({ type: fc.constant('static'), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ type: fc.constant('javascript'), expr: fc.constantFrom(...INPUT_EXPRS) }),
);
const inputs = fc.dictionary(fc.constantFrom('a', 'b', 'x', 'data'), transform, { maxKeys: 3 });
const stop = fc.record(
  { expr: fc.constantFrom(...RESULT_EXPRS), skip_if_stopped: fc.boolean() },
  { requiredKeys: ['expr'] },
);

const options = fc.record(
  {
    summary: fc.string({ maxLength: 8 }),
    stop_after_if: stop,
    stop_after_all_iters_if: stop,
    skip_if: fc.record({ expr: fc.constantFrom(...RESULT_EXPRS) }),
    sleep: fc.oneof(
      fc.record({ type: fc.constant('static'), value: fc.integer({ min: 0, max: 5 }) }),
      fc.constant({ type: 'javascript', expr: 'result.n' }),
    ),
    suspend: fc.record({
      required_events: fc.constant(1),
      timeout: fc.integer({ min: 1, max: 99 }),
      continue_on_disapprove_timeout: fc.boolean(),
    }),
    retry: fc.oneof(
      fc.record({
        constant: fc.record({
          attempts: fc.integer({ min: 0, max: 4 }),
          seconds: fc.integer({ min: 0, max: 9 }),
        }),
      }),
      fc.record({
        exponential: fc.record({
          attempts: fc.integer({ min: 0, max: 4 }),
          multiplier: fc.integer({ min: 1, max: 3 }),
          seconds: fc.integer({ min: 1, max: 4 }),
          random_factor: fc.integer({ min: 0, max: 50 }),
        }),
      }),
    ),
    continue_on_error: fc.boolean(),
    cache_ttl: fc.integer({ min: 1, max: 100 }),
    timeout: fc.integer({ min: 1, max: 100 }),
    mock: fc.record({ enabled: fc.boolean(), return_value: fc.jsonValue({ maxDepth: 1 }) }),
  },
  { requiredKeys: [] },
);

const { module: moduleArb } = fc.letrec<{ module: Json; modules: Json[] }>((tie) => ({
  modules: fc.array(tie('module'), { maxLength: 3 }) as fc.Arbitrary<Json[]>,
  module: fc
    .tuple(
      fc.option(fc.constantFrom('a', 'b', 'c', 'step one', 'd-2'), { nil: undefined }),
      fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({
          type: fc.constant('rawscript'),
          language: fc.constantFrom('deno', 'bun', 'python3', 'bash'),
          content: fc.constant('export function main(a) { return a }'),
          input_transforms: inputs,
        }),
        fc.record({
          type: fc.constant('script'),
          path: fc.constant('f/x/y'),
          input_transforms: inputs,
        }),
        fc.record({
          type: fc.constant('flow'),
          path: fc.constant('f/x/sub'),
          input_transforms: inputs,
        }),
        fc.record({ type: fc.constant('identity') }),
        fc.record({
          type: fc.constant('forloopflow'),
          iterator: fc.oneof(
            fc.constant({ type: 'javascript', expr: 'flow_input.items ?? []' }),
            fc.constant({ type: 'static', value: [1, 2] }),
            fc.constant({ type: 'javascript', expr: 'Object.keys(flow_input)' }),
          ),
          skip_failures: fc.boolean(),
          parallel: fc.boolean(),
          modules: tie('modules'),
        }),
        fc.record({
          type: fc.constant('whileloopflow'),
          skip_failures: fc.boolean(),
          modules: tie('modules'),
        }),
        fc.record({
          type: fc.constant('branchone'),
          branches: fc.array(
            fc.record({
              expr: fc.constantFrom(
                'flow_input.n > 1',
                'previous_result == null',
                'new Date().getDay() == 1',
              ),
              modules: tie('modules'),
            }),
            { maxLength: 2 },
          ),
          default: tie('modules'),
        }),
        fc.record({
          type: fc.constant('branchall'),
          parallel: fc.boolean(),
          branches: fc.array(fc.record({ skip_failure: fc.boolean(), modules: tie('modules') }), {
            maxLength: 3,
          }),
        }),
      ),
      options,
    )
    .map(([id, value, opts]) => ({
      ...(id === undefined ? {} : { id }),
      value,
      ...opts,
    })) as fc.Arbitrary<Json>,
}));

const documentArb = fc.record(
  {
    summary: fc.string({ maxLength: 10 }),
    value: fc.record(
      {
        modules: fc.array(moduleArb, { maxLength: 4 }),
        failure_module: fc.constant({ value: { type: 'identity' } }),
        skip_expr: fc.constant('flow_input.skip == true'),
        early_return: fc.constantFrom('a', 'b'),
        concurrent_limit: fc.integer({ min: 1, max: 5 }),
      },
      { requiredKeys: ['modules'] },
    ),
  },
  { requiredKeys: ['value'] },
);

test('any JSON value imports without throwing', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const { flow, diagnostics } = importOpenFlow(value);
      assert.equal(flow.format, 'millrace.flow/v1');
      assert.ok(Array.isArray(flow.nodes));
      assert.ok(Array.isArray(diagnostics));
    }),
    { numRuns: 300 },
  );
});

test('any JavaScript value (cycles, undefined, functions, odd numbers) imports without throwing', () => {
  const cyclic: Json = { value: { modules: [] } };
  (cyclic['value'] as Json)['modules'] = [cyclic, { value: { type: 'identity', self: cyclic } }];
  const odd = {
    value: {
      modules: [
        {
          id: 'a',
          value: {
            type: 'rawscript',
            language: 'deno',
            content: 'x',
            input_transforms: {
              n: { type: 'static', value: NaN },
              f: { type: 'static', value: () => 1 },
              u: { type: 'static', value: undefined },
            },
          },
        },
      ],
    },
  };
  for (const value of [
    cyclic,
    odd,
    undefined,
    Symbol('x'),
    () => 1,
    new Map(),
    Object.create(null),
  ]) {
    const { flow } = importOpenFlow(value);
    assert.equal(flow.format, 'millrace.flow/v1');
  }
  fc.assert(
    fc.property(
      fc.anything({
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withObjectString: true,
        withBigInt: true,
      }),
      (value) => {
        importOpenFlow(value);
        importOpenFlow({ value: { modules: [value] } });
        importOpenFlow({ value: { modules: [{ id: 'a', value }] } });
      },
    ),
    { numRuns: 300 },
  );
});

test('a field replaced by random JSON anywhere in a valid document never throws', () => {
  fc.assert(
    fc.property(
      documentArb,
      fc.jsonValue({ maxDepth: 2 }),
      fc.nat(),
      (generated, garbage, pick) => {
        // fc.constant values are shared between runs: mutate a copy.
        const doc = structuredClone(generated);
        const holders: Json[] = [];
        const walk = (v: unknown): void => {
          if (Array.isArray(v)) v.forEach(walk);
          else if (v && typeof v === 'object') {
            holders.push(v as Json);
            Object.values(v).forEach(walk);
          }
        };
        walk(doc);
        const holder = holders[pick % holders.length] as Json;
        const keys = Object.keys(holder);
        if (keys.length > 0) holder[keys[pick % keys.length] as string] = garbage;
        const { flow } = importOpenFlow(doc);
        assert.equal(flow.format, 'millrace.flow/v1');
      },
    ),
    { numRuns: 300 },
  );
});

test('well-formed documents of every module type import into flows that validate', () => {
  fc.assert(
    fc.property(documentArb, (doc) => {
      const { flow, diagnostics } = importOpenFlow(doc);
      assert.deepEqual(
        diagnostics.filter((d) => d.severity === 'error'),
        [],
        'no import errors',
      );
      const problems = validateFlow(flow, { catalog: PLACEHOLDER_CATALOG }).filter(
        (d) => d.severity === 'error',
      );
      assert.deepEqual(problems, [], JSON.stringify(flow, null, 1));
    }),
    { numRuns: Number(process.env['FUZZ_RUNS'] ?? 200) },
  );
});

test('importing is deterministic', () => {
  fc.assert(
    fc.property(documentArb, (doc) => {
      assert.deepEqual(importOpenFlow(structuredClone(doc)), importOpenFlow(structuredClone(doc)));
    }),
    { numRuns: 50 },
  );
});
