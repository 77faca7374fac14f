import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertValid,
  codes,
  evaluate,
  evaluateInput,
  importModules,
  js,
  nodeOf,
  stat,
  tpl,
} from './helpers.ts';

describe('script steps', () => {
  test('a deno rawscript becomes a code node with its parameters by name', () => {
    const content = 'export async function main(a: number, b: string) { return a + b.length; }';
    const { flow, diagnostics } = importModules([
      {
        id: 'add',
        summary: 'Add things',
        value: {
          type: 'rawscript',
          language: 'deno',
          content,
          input_transforms: { a: js('flow_input.a'), b: stat('xyz') },
        },
      },
    ]);
    assert.deepEqual(flow.nodes, [
      {
        id: 'add',
        type: 'code',
        name: 'Add things',
        language: 'typescript',
        code: content,
        input: { a: tpl('flow.input.a'), b: 'xyz' },
      },
    ]);
    assert.equal(flow.output, tpl('nodes.add.output'));
    assert.deepEqual(diagnostics, []);
    assertValid(flow);
  });

  test('bun and nativets are TypeScript too', () => {
    for (const language of ['bun', 'nativets']) {
      const { flow } = importModules([
        { id: 's', value: { type: 'rawscript', language, content: 'x', input_transforms: {} } },
      ]);
      assert.equal(nodeOf(flow, 's').type, 'code');
      assert.equal(nodeOf(flow, 's')['language'], 'typescript');
    }
  });

  test('other languages become a windmill.rawscript placeholder keeping the source', () => {
    const { flow, diagnostics } = importModules([
      {
        id: 'py',
        value: {
          type: 'rawscript',
          language: 'python3',
          content: 'def main(x): return x',
          input_transforms: { x: stat(1) },
        },
      },
    ]);
    assert.deepEqual(flow.nodes, [
      {
        id: 'py',
        type: 'windmill.rawscript',
        input: { language: 'python3', content: 'def main(x): return x', args: { x: 1 } },
      },
    ]);
    assert.deepEqual(codes(diagnostics), ['I_IMPORT_PLACEHOLDER']);
    assert.equal(diagnostics[0]?.path, '/value/modules/0/value');
    assert.equal(diagnostics[0]?.nodeId, 'py');
  });

  test('a script by path becomes a windmill.script placeholder', () => {
    const { flow, diagnostics } = importModules([
      {
        id: 's',
        value: {
          type: 'script',
          path: 'f/mail/send',
          hash: 'abc',
          input_transforms: { to: js('flow_input.email') },
        },
      },
    ]);
    assert.deepEqual(flow.nodes, [
      {
        id: 's',
        type: 'windmill.script',
        input: { path: 'f/mail/send', hash: 'abc', args: { to: tpl('flow.input.email') } },
      },
    ]);
    assert.deepEqual(codes(diagnostics), ['I_IMPORT_PLACEHOLDER']);
  });

  test('a flow by path becomes a subflow of the mapped flow id', () => {
    const { flow, diagnostics } = importModules([
      { id: 'sub', value: { type: 'flow', path: 'f/etl/load', input_transforms: { n: stat(3) } } },
    ]);
    assert.deepEqual(flow.nodes, [
      { id: 'sub', type: 'subflow', input: { flowId: 'f.etl.load', input: { n: 3 } } },
    ]);
    assert.deepEqual(codes(diagnostics), ['I_IMPORT_PLACEHOLDER']);
    assertValid(flow);
  });

  test('flowIdForPath chooses the sub-flow id', () => {
    const { flow } = importModules(
      [{ id: 'sub', value: { type: 'flow', path: 'f/etl/load', input_transforms: {} } }],
      {},
      { flowIdForPath: (p) => p.split('/').pop() ?? p },
    );
    assert.equal((nodeOf(flow, 'sub').input as { flowId: string }).flowId, 'load');
  });

  test('identity passes the previous result through', () => {
    const { flow } = importModules([
      {
        id: 'a',
        value: { type: 'rawscript', language: 'deno', content: 'x', input_transforms: {} },
      },
      { id: 'i', value: { type: 'identity' } },
    ]);
    assert.deepEqual(nodeOf(flow, 'i'), {
      id: 'i',
      type: 'transform',
      input: { value: tpl('nodes.a.output') },
    });
    assert.equal(flow.output, tpl('nodes.i.output?.value'));
    assert.deepEqual(
      evaluate(flow.output, {
        nodes: {
          i: { output: evaluateInput(nodeOf(flow, 'i').input, { nodes: { a: { output: 42 } } }) },
        },
      }),
      42,
    );
  });

  test('an aiagent step becomes a placeholder', () => {
    const { flow, diagnostics } = importModules([
      {
        id: 'ai',
        value: { type: 'aiagent', tools: [{ id: 't' }], input_transforms: { prompt: stat('hi') } },
      },
    ]);
    assert.deepEqual(flow.nodes, [
      {
        id: 'ai',
        type: 'windmill.aiagent',
        input: { tools: [{ id: 't' }], args: { prompt: 'hi' } },
      },
    ]);
    assert.deepEqual(codes(diagnostics), ['I_IMPORT_PLACEHOLDER']);
  });

  test('a mocked step becomes a transform returning the mock value', () => {
    const { flow, diagnostics } = importModules([
      {
        id: 'm',
        mock: { enabled: true, return_value: { ok: true, note: 'costs $<1' } },
        value: { type: 'script', path: 'f/x', input_transforms: {} },
      },
    ]);
    assert.deepEqual(flow.nodes, [
      { id: 'm', type: 'transform', input: { value: { ok: true, note: 'costs $$<1' } } },
    ]);
    assert.equal(flow.output, tpl('nodes.m.output?.value'));
    assert.deepEqual(codes(diagnostics), ['I_IMPORT_PLACEHOLDER']);
    assert.equal(diagnostics[0]?.path, '/value/modules/0/mock');
  });

  test('a disabled mock is ignored', () => {
    const { flow } = importModules([
      { id: 'm', mock: { enabled: false, return_value: 1 }, value: { type: 'identity' } },
    ]);
    assert.equal(nodeOf(flow, 'm').type, 'transform');
    assert.deepEqual(nodeOf(flow, 'm').input, { value: tpl('flow.input') });
  });

  test('an unknown or missing value type passes the input through with an error', () => {
    const { flow, diagnostics } = importModules([
      { id: 'x', value: { type: 'teleport' } },
      { id: 'y' },
    ]);
    assert.equal(nodeOf(flow, 'x').type, 'transform');
    assert.equal(nodeOf(flow, 'y').type, 'transform');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.path]),
      [
        ['E_VALUE', '/value/modules/0/value/type'],
        ['E_REQUIRED', '/value/modules/1/value'],
      ],
    );
  });
});

describe('input transforms', () => {
  test('static strings are escaped so they stay text', () => {
    const { flow } = importModules([
      {
        id: 's',
        value: {
          type: 'rawscript',
          language: 'deno',
          content: '',
          input_transforms: { t: stat({ a: ['$<x>', 1] }) },
        },
      },
    ]);
    assert.deepEqual(nodeOf(flow, 's').input, { t: { a: ['$$<x>', 1] } });
    assert.deepEqual(evaluateInput(nodeOf(flow, 's').input, {}), { t: { a: ['$<x>', 1] } });
  });

  test('a javascript transform the language cannot express is computed by a code node before the step', () => {
    const { flow, diagnostics } = importModules([
      {
        id: 'a',
        value: { type: 'rawscript', language: 'deno', content: '', input_transforms: {} },
      },
      {
        id: 'b',
        value: {
          type: 'rawscript',
          language: 'deno',
          content: '',
          input_transforms: {
            when: js('new Date(flow_input.ts).toISOString() // iso'),
            n: js('results.a.count + 1'),
          },
        },
      },
    ]);
    const helper = nodeOf(flow, 'b__js');
    assert.equal(helper.type, 'code');
    assert.equal(helper['language'], 'javascript');
    assert.deepEqual(helper.input, { flow_input: tpl('flow.input') });
    assert.match(
      helper['code'] as string,
      /"when": \(\n\s+new Date\(flow_input\.ts\)\.toISOString\(\)\n\s+\)/,
    );
    assert.deepEqual(nodeOf(flow, 'b').input, {
      when: tpl('nodes.b__js.output.when'),
      n: tpl('nodes.a.output.count + 1'),
    });
    assert.deepEqual(flow.edges, [
      { from: 'a', to: 'b__js' },
      { from: 'b__js', to: 'b' },
    ]);
    assert.deepEqual(codes(diagnostics), ['I_IMPORT_PLACEHOLDER']);
    assert.equal(diagnostics[0]?.path, '/value/modules/1/value/input_transforms/when/expr');
    assertValid(flow);
  });

  test('the generated code node receives the results it reads', () => {
    const { flow } = importModules([
      { id: 'a', value: { type: 'identity' } },
      {
        id: 'b',
        value: {
          type: 'rawscript',
          language: 'deno',
          content: '',
          input_transforms: { x: js('JSON.stringify(results.a)') },
        },
      },
    ]);
    assert.deepEqual(nodeOf(flow, 'b__js').input, { results: { a: tpl('nodes.a.output?.value') } });
  });

  test('$var: reads a secret, $res: stays text; both are reported', () => {
    const { flow, diagnostics } = importModules([
      {
        id: 's',
        value: {
          type: 'rawscript',
          language: 'deno',
          content: '',
          input_transforms: { key: stat('$var:u/me/key'), db: stat('$res:u/me/db') },
        },
      },
    ]);
    assert.deepEqual(nodeOf(flow, 's').input, {
      key: tpl("secrets['u/me/key']"),
      db: '$res:u/me/db',
    });
    assert.deepEqual(codes(diagnostics), ['W_IMPORT_LOSSY', 'W_IMPORT_LOSSY']);
  });

  test('malformed transforms are reported and left out', () => {
    const { flow, diagnostics } = importModules([
      {
        id: 's',
        value: {
          type: 'rawscript',
          language: 'deno',
          content: '',
          input_transforms: { a: { type: 'ai' }, b: 'nope', c: { type: 'javascript' } },
        },
      },
    ]);
    assert.deepEqual(nodeOf(flow, 's').input, {});
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.path]),
      [
        ['W_IMPORT_LOSSY', '/value/modules/0/value/input_transforms/a'],
        ['W_IMPORT_LOSSY', '/value/modules/0/value/input_transforms/b'],
        ['E_TYPE', '/value/modules/0/value/input_transforms/c/expr'],
      ],
    );
  });
});
