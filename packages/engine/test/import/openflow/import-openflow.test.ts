import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { importOpenFlow } from '../../../src/import/index.ts';
import {
  assertValid,
  codes,
  documentOf,
  evaluate,
  importModules,
  js,
  nodeOf,
  script,
  tpl,
} from './helpers.ts';

describe('the flow', () => {
  test('summary, description and schema become name, description and input', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { n: { type: 'number' } },
      required: [],
    };
    const { flow, diagnostics } = importOpenFlow({
      summary: 'Nightly Sync',
      description: 'Copies rows.',
      schema,
      value: { modules: [script('a')] },
    });
    assert.deepEqual(flow, {
      format: 'millrace.flow/v1',
      id: 'nightly-sync',
      name: 'Nightly Sync',
      description: 'Copies rows.',
      input: schema,
      nodes: [
        {
          id: 'a',
          type: 'code',
          language: 'typescript',
          code: "export function main() { return 'a'; }",
          input: {},
        },
      ],
      output: tpl('nodes.a.output'),
    });
    assert.deepEqual(diagnostics, []);
  });

  test('the id comes from the option, else the summary, else imported-flow', () => {
    assert.equal(importOpenFlow(documentOf([]), { id: 'mine' }).flow.id, 'mine');
    assert.equal(importOpenFlow({ value: { modules: [] } }).flow.id, 'imported-flow');
    const bad = importOpenFlow(documentOf([]), { id: 'my flow' });
    assert.equal(bad.flow.id, 'my_flow');
    assert.deepEqual(codes(bad.diagnostics), ['W_IMPORT_LOSSY']);
  });

  test('the result is the last top-level step’s; an empty flow returns its input', () => {
    assert.equal(importModules([script('a'), script('b')]).flow.output, tpl('nodes.b.output'));
    const empty = importModules([]).flow;
    assert.deepEqual(empty.nodes, []);
    assert.equal(empty.output, tpl('flow.input'));
  });

  test('steps are chained in order', () => {
    const { flow } = importModules([script('a'), script('b'), script('c')]);
    assert.deepEqual(flow.edges, [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
    ]);
  });

  test('a bare flow value and a JSON string are accepted', () => {
    assert.deepEqual(
      importOpenFlow({ modules: [script('a')] }).flow.nodes.map((n) => n.id),
      ['a'],
    );
    assert.deepEqual(
      importOpenFlow(JSON.stringify(documentOf([script('a')]))).flow.nodes.map((n) => n.id),
      ['a'],
    );
  });

  test('failure_module becomes onFailure; previous_result there is { error }', () => {
    const { flow, diagnostics } = importModules([script('a')], {
      failure_module: {
        id: 'failure',
        value: {
          type: 'rawscript',
          language: 'deno',
          content: 'export function main(message, name, all) { return { message, name, all } }',
          input_transforms: {
            message: js('previous_result.error.message'),
            name: js('error.name'),
            all: js('previous_result'),
          },
        },
      },
    });
    assert.deepEqual(flow.onFailure, {
      nodes: [
        {
          id: 'failure',
          type: 'code',
          language: 'typescript',
          code: 'export function main(message, name, all) { return { message, name, all } }',
          input: {
            message: tpl('error.message'),
            name: tpl('error.name'),
            all: tpl('{ error: error }'),
          },
        },
      ],
      output: tpl('nodes.failure.output'),
    });
    assert.deepEqual(diagnostics, []);
    assertValid(flow);
  });

  test('a failure module without id is called failure', () => {
    const { flow } = importModules([script('a')], {
      failure_module: { value: { type: 'identity' } },
    });
    assert.deepEqual(
      flow.onFailure?.nodes.map((n) => n.id),
      ['failure'],
    );
    assert.equal(flow.onFailure?.output, tpl('nodes.failure.output?.value'));
  });

  test('skip_expr: an if before the first step returns "stopped early"', () => {
    const { flow, diagnostics } = importModules([script('a')], {
      skip_expr: 'flow_input.dry == true',
    });
    assert.deepEqual(
      flow.nodes.map((n) => [n.id, n.type]),
      [
        ['flow__skip', 'if'],
        ['flow__skipped', 'return'],
        ['a', 'code'],
      ],
    );
    assert.deepEqual(nodeOf(flow, 'flow__skip').input, {
      condition: tpl('flow.input.dry == true'),
    });
    assert.deepEqual(nodeOf(flow, 'flow__skipped').input, { value: 'stopped early' });
    assert.deepEqual(flow.edges, [
      { from: 'flow__skip', port: 'true', to: 'flow__skipped' },
      { from: 'flow__skip', port: 'false', to: 'a' },
    ]);
    assert.deepEqual(codes(diagnostics), ['W_IMPORT_LOSSY']);
    assertValid(flow);
  });

  test('concurrent_limit becomes maxConcurrentRuns; a time window makes it approximate', () => {
    assert.equal(importModules([], { concurrent_limit: 2 }).flow.maxConcurrentRuns, 2);
    const windowed = importModules([], { concurrent_limit: 2, concurrency_time_window_s: 60 });
    assert.deepEqual(
      windowed.diagnostics.map((d) => d.path),
      ['/value/concurrent_limit'],
    );
  });

  test('flow settings without an equivalent are reported, notes are ignored', () => {
    const { diagnostics } = importModules([], {
      same_worker: true,
      priority: 1,
      debounce_delay_s: 3,
      cache_ttl: 10,
      flow_env: { A: 'b' },
      preprocessor_module: { value: { type: 'identity' } },
      notes: [{ id: 'n', text: 'hi' }],
    });
    assert.deepEqual(
      diagnostics.map((d) => d.path),
      [
        '/value/same_worker',
        '/value/debounce_delay_s',
        '/value/priority',
        '/value/cache_ttl',
        '/value/flow_env',
        '/value/preprocessor_module',
      ],
    );
  });

  test('a step referencing an unknown or later step is reported with its pointer', () => {
    const { diagnostics } = importModules([
      script('a', { x: js('results.nope'), y: js('results.b') }),
      script('b'),
    ]);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.path]),
      [
        ['W_IMPORT_LOSSY', '/value/modules/0/value/input_transforms/x/expr'],
        ['W_IMPORT_LOSSY', '/value/modules/0/value/input_transforms/y/expr'],
      ],
    );
  });
});

describe('bad documents', () => {
  test('a non-object is an error and an empty flow', () => {
    for (const input of [null, 42, 'not json', [], true]) {
      const { flow, diagnostics } = importOpenFlow(input);
      assert.deepEqual(flow, { format: 'millrace.flow/v1', id: 'imported-flow', nodes: [] });
      assert.deepEqual(codes(diagnostics), ['E_NOT_OBJECT']);
      assert.equal(diagnostics[0]?.path, '');
    }
  });

  test('a document without value is reported at /value', () => {
    const { flow, diagnostics } = importOpenFlow({ summary: 'x' });
    assert.deepEqual(flow.nodes, []);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.path]),
      [['E_REQUIRED', '/value']],
    );
  });

  test('a step that is not an object passes its input through, with a pointer to it', () => {
    const { flow, diagnostics } = importModules([
      script('a'),
      'oops',
      script('c', { p: js('previous_result') }),
    ]);
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['a', 'invalid', 'c'],
    );
    assert.deepEqual(nodeOf(flow, 'c').input, { p: tpl('nodes.invalid.output?.value') });
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.path]),
      [['E_NOT_OBJECT', '/value/modules/1']],
    );
  });

  test('a malformed loop and branch still import, reported at their pointers', () => {
    const { flow, diagnostics } = importModules([
      { id: 'l', value: { type: 'forloopflow', modules: 'x' } },
      { id: 'b', value: { type: 'branchone', branches: [{ expr: 1, modules: [] }], default: {} } },
    ]);
    assert.deepEqual(
      flow.nodes.map((n) => n.id),
      ['l', 'b'],
    );
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.path]),
      [
        ['E_REQUIRED', '/value/modules/0/value/modules'],
        ['E_REQUIRED', '/value/modules/0/value/iterator'],
        ['E_TYPE', '/value/modules/1/value/default'],
        ['E_TYPE', '/value/modules/1/value/branches/0/expr'],
      ],
    );
  });

  test('evaluating the produced output works on a run’s scope', () => {
    const { flow } = importModules([script('a')]);
    assert.equal(evaluate(flow.output, { nodes: { a: { output: 5 } } }), 5);
  });
});
