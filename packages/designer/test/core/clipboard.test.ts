import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowDefinition } from '@millrace/engine';
import {
  FRAGMENT_FORMAT,
  copyNodes,
  duplicateNodes,
  fragmentText,
  parseClipboard,
  pasteFragment,
  withFreshIds,
} from '../../src/core/clipboard.ts';
import { applyFlowPatches, EditError } from '../../src/core/flow-edit.ts';
import { locate } from '../../src/core/flow-graphs.ts';
import { rewriteTemplate } from '../../src/core/rewrite-references.ts';

const flow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'f',
  nodes: [
    { id: 'fetch', type: 'http', input: { url: '$<flow.input.url>' } },
    { id: 'parse', type: 'transform', input: { rows: '$<nodes.fetch.output.body.rows>' } },
    { id: 'notify', type: 'log', input: { message: '$<nodes.parse.output.rows.length> rows' } },
    {
      id: 'loop',
      type: 'forEach',
      input: { items: '$<nodes.parse.output.rows>' },
      nodes: [
        { id: 'one', type: 'log', input: { message: '$<item>' } },
        { id: 'two', type: 'log', input: { message: '$<nodes.one.output>' } },
      ],
      edges: [{ from: 'one', to: 'two' }],
    },
  ],
  edges: [
    { from: 'fetch', to: 'parse' },
    { from: 'parse', to: 'notify' },
    { from: 'notify', to: 'loop' },
  ],
};

test('rewriteTemplate renames only references found by the parser', () => {
  const ids = new Map([['parse', 'parse_2']]);
  assert.equal(
    rewriteTemplate('$<nodes.parse.output> and nodes.parse', ids),
    '$<nodes.parse_2.output> and nodes.parse',
  );
  assert.equal(rewriteTemplate('$<nodes["parse"].output>', ids), '$<nodes["parse_2"].output>');
  assert.equal(rewriteTemplate('$<nodes.parsed.output>', ids), '$<nodes.parsed.output>');
  assert.equal(
    rewriteTemplate('$<nodes.a.x + nodes.a.y>', new Map([['a', 'my-node']])),
    '$<nodes["my-node"].x + nodes["my-node"].y>',
  );
});

test('copy holds the selected nodes and the edges between them', () => {
  const fragment = copyNodes(flow, ['parse', 'notify', 'one']);
  assert.equal(fragment.format, FRAGMENT_FORMAT);
  assert.deepEqual(
    fragment.nodes.map((n) => n.id),
    ['parse', 'notify', 'one'],
  );
  assert.deepEqual(fragment.edges, [{ from: 'parse', to: 'notify' }]);
  // A container brings its inside; its inner nodes are not copied twice.
  assert.deepEqual(
    copyNodes(flow, ['loop', 'one']).nodes.map((n) => n.id),
    ['loop'],
  );
});

test('pasted nodes get fresh ids and their references follow; outside references stay', () => {
  const fragment = parseClipboard(fragmentText(copyNodes(flow, ['parse', 'notify'])));
  const r = pasteFragment(flow, fragment, { kind: 'port', from: 'loop' });
  assert.deepEqual(r.change, {
    kind: 'pasted',
    ids: ['parse_2', 'notify_2'],
    at: { kind: 'port', from: 'loop' },
  });
  assert.equal(locate(r.flow, 'parse_2')!.node.input!['rows'], '$<nodes.fetch.output.body.rows>');
  assert.equal(
    locate(r.flow, 'notify_2')!.node.input!['message'],
    '$<nodes.parse_2.output.rows.length> rows',
  );
  assert.ok(r.flow.edges!.some((e) => e.from === 'loop' && e.to === 'parse_2'));
  assert.ok(r.flow.edges!.some((e) => e.from === 'parse_2' && e.to === 'notify_2'));
  assert.deepEqual(applyFlowPatches(r.flow, r.inversePatches), flow);
});

test('a pasted container renames its inside, inner edges and inner references', () => {
  const fresh = withFreshIds(copyNodes(flow, ['loop']), new Set(['loop', 'one', 'two']));
  const loop = fresh.nodes[0] as unknown as {
    id: string;
    nodes: { id: string; input: { message: string } }[];
    edges: unknown[];
  };
  assert.equal(loop.id, 'loop_2');
  assert.deepEqual(
    loop.nodes.map((n) => n.id),
    ['one_2', 'two_2'],
  );
  assert.deepEqual(loop.edges, [{ from: 'one_2', to: 'two_2' }]);
  assert.equal(loop.nodes[1]!.input.message, '$<nodes.one_2.output>');
});

test('pasting on an edge splices the fragment in between', () => {
  const fragment = copyNodes(flow, ['notify']);
  const r = pasteFragment(flow, fragment, { kind: 'edge', edge: { from: 'fetch', to: 'parse' } });
  assert.ok(r.flow.edges!.some((e) => e.from === 'fetch' && e.to === 'notify_2'));
  assert.ok(r.flow.edges!.some((e) => e.from === 'notify_2' && e.to === 'parse'));
});

test('clipboard text: a flow, a single step or a list of steps paste too; other text is refused', () => {
  assert.deepEqual(parseClipboard(JSON.stringify(flow)).nodes.length, 4);
  assert.deepEqual(
    parseClipboard('{"id":"x","type":"log"}').nodes.map((n) => n.id),
    ['x'],
  );
  assert.deepEqual(
    parseClipboard('[{"id":"x","type":"log"},{"id":"y","type":"log"}]').nodes.length,
    2,
  );
  for (const bad of ['hello', '{"format":"millrace.flow/v1","nodes":[]}', '{"a":1}', '42']) {
    assert.throws(
      () => parseClipboard(bad),
      (e: unknown) => e instanceof EditError && e.code === 'E_EDIT_BAD_CLIPBOARD',
    );
  }
});

test('duplicate inserts the copy right after the original', () => {
  const r = duplicateNodes(flow, ['parse']);
  assert.ok(r.flow.edges!.some((e) => e.from === 'parse' && e.to === 'parse_2'));
  assert.ok(r.flow.edges!.some((e) => e.from === 'parse_2' && e.to === 'notify'));
  const end = duplicateNodes(flow, ['two']);
  assert.ok(end.flow.edges!.length === 3);
  assert.equal(locate(end.flow, 'two_2')!.key, 'loop');
});
