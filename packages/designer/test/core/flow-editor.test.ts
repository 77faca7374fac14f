import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowDefinition } from '@millrace/engine';
import { createFlowEditor, type FlowChangeDetail } from '../../src/core/flow-editor.ts';
import { EditError } from '../../src/core/flow-edit.ts';
import { insertNode, removeNodes, setProperty } from '../../src/core/node-commands.ts';
import { editCommandOf } from '../../src/core/edit-keymap.ts';
import { filterPalette, paletteGroups } from '../../src/core/palette-items.ts';
import { createNode, freshId, idBase, initialInput } from '../../src/core/new-node.ts';

const flow: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'f',
  nodes: [
    { id: 'a', type: 'log', input: { message: 'a' } },
    { id: 'b', type: 'log', input: { message: 'b' } },
  ],
  edges: [{ from: 'a', to: 'b' }],
};

function setup(options: { readonly?: boolean; veto?: (d: FlowChangeDetail) => boolean } = {}) {
  const changes: FlowChangeDetail[] = [];
  const editor = createFlowEditor({
    readonly: () => options.readonly ?? false,
    beforeChange: (d) => options.veto?.(d) ?? true,
    changed: (d) => changes.push(d),
  });
  editor.reset(flow);
  return { editor, changes };
}

test('every edit is reported, undone and redone back to identical documents', () => {
  const { editor, changes } = setup();
  const added = editor.run((f) =>
    insertNode(f, { id: 'c', type: 'log' }, { kind: 'port', from: 'b' }),
  );
  assert.ok(!(added instanceof EditError));
  const afterAdd = editor.flow;
  editor.run((f) => removeNodes(f, ['a']));
  assert.equal(changes.length, 2);
  assert.ok(editor.canUndo);
  editor.undo();
  assert.deepEqual(editor.flow, afterAdd);
  editor.undo();
  assert.deepEqual(editor.flow, flow);
  assert.equal(editor.canUndo, false);
  assert.deepEqual(changes.at(-1)!.change, { kind: 'undo', of: added.change });
  editor.redo();
  assert.deepEqual(editor.flow, afterAdd);
  assert.equal(changes.at(-1)!.change.kind, 'redo');
  // A new edit drops what could be redone.
  editor.run((f) => setProperty(f, { kind: 'node', id: 'a' }, ['name'], 'A'));
  assert.equal(editor.canRedo, false);
});

test('a burst of typing in one field is one history entry until sealed', () => {
  const { editor } = setup();
  for (const text of ['h', 'he', 'hel', 'hell', 'hello']) {
    editor.run((f) => setProperty(f, { kind: 'node', id: 'a' }, ['input', 'message'], text), {
      coalesce: '/nodes/0/input/message',
    });
  }
  assert.equal(editor.history.size, 1);
  editor.seal();
  editor.run((f) => setProperty(f, { kind: 'node', id: 'a' }, ['input', 'message'], 'hello!'), {
    coalesce: '/nodes/0/input/message',
  });
  assert.equal(editor.history.size, 2);
  editor.undo();
  editor.undo();
  assert.deepEqual(editor.flow, flow);
});

test('the host can veto an edit and an undo; readonly refuses everything', () => {
  let allow = false;
  const { editor, changes } = setup({ veto: () => allow });
  const refused = editor.run((f) => removeNodes(f, ['a']));
  assert.ok(refused instanceof EditError && refused.code === 'E_EDIT_VETOED');
  assert.equal(editor.flow, flow);
  assert.equal(changes.length, 0);
  allow = true;
  editor.run((f) => removeNodes(f, ['a']));
  allow = false;
  const undo = editor.undo();
  assert.ok(undo instanceof EditError && undo.code === 'E_EDIT_VETOED');
  assert.ok(editor.canUndo, 'a vetoed undo keeps its entry');
  allow = true;
  editor.undo();
  assert.deepEqual(editor.flow, flow);

  const ro = setup({ readonly: true });
  const r = ro.editor.run((f) => removeNodes(f, ['a']));
  assert.ok(r instanceof EditError && r.code === 'E_EDIT_READONLY');
  assert.equal(ro.changes.length, 0);
});

test('a refused command changes nothing and reports its reason', () => {
  const { editor, changes } = setup();
  const r = editor.run((f) =>
    insertNode(f, { id: 'a', type: 'log' }, { kind: 'graph', graph: '' }),
  );
  assert.ok(r instanceof EditError && r.code === 'E_EDIT_DUPLICATE_ID');
  assert.equal(changes.length, 0);
  assert.equal(editor.canUndo, false);
});

test('reset keeps the history for the document the editor produced, clears it for another', () => {
  const { editor } = setup();
  editor.run((f) => removeNodes(f, ['b']));
  editor.reset(editor.flow);
  assert.ok(editor.canUndo);
  editor.reset({ ...flow, id: 'other' });
  assert.equal(editor.canUndo, false);
});

test('editing keys map to commands', () => {
  const k = (
    key: string,
    mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {},
  ) =>
    editCommandOf({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  assert.equal(k('Delete'), 'delete');
  assert.equal(k('Backspace'), 'delete');
  assert.equal(k('z', { ctrlKey: true }), 'undo');
  assert.equal(k('z', { metaKey: true }), 'undo');
  assert.equal(k('Z', { ctrlKey: true, shiftKey: true }), 'redo');
  assert.equal(k('y', { ctrlKey: true }), 'redo');
  assert.equal(k('c', { metaKey: true }), 'copy');
  assert.equal(k('x', { ctrlKey: true }), 'cut');
  assert.equal(k('v', { ctrlKey: true }), 'paste');
  assert.equal(k('d', { ctrlKey: true }), 'duplicate');
  assert.equal(k('Enter'), 'open');
  assert.equal(k('F2'), 'rename');
  assert.equal(k('Escape'), 'close');
  assert.equal(k('a'), 'add');
  assert.equal(k('q'), undefined);
  assert.equal(k('z', { altKey: true, ctrlKey: true }), undefined);
});

test('the palette lists triggers, control flow, built-ins and catalog groups, and filters', () => {
  const groups = paletteGroups([
    {
      type: 'slack.post',
      title: 'Post to Slack',
      category: 'Slack',
      description: 'Sends a message',
    },
    { type: 'http', title: 'Call an API', category: 'Core' },
  ]);
  assert.deepEqual(
    groups.slice(0, 2).map((g) => g.title),
    ['Triggers', 'Control flow'],
  );
  const slack = groups.find((g) => g.title === 'Slack');
  assert.deepEqual(
    slack?.items.map((i) => i.type),
    ['slack.post'],
  );
  assert.equal(groups.flatMap((g) => g.items).find((i) => i.type === 'http')?.title, 'Call an API');
  assert.deepEqual(
    filterPalette(groups, 'slack message').flatMap((g) => g.items.map((i) => i.type)),
    ['slack.post'],
  );
  assert.deepEqual(
    filterPalette(groups, 'each').flatMap((g) => g.items.map((i) => i.type)),
    ['forEach'],
  );
  assert.equal(filterPalette(groups, 'zzz').length, 0);
});

test('new nodes get readable fresh ids and their required inputs', () => {
  assert.equal(idBase('slack.post'), 'slack_post');
  assert.equal(idBase('Send mail!'), 'send_mail');
  assert.equal(freshId('log', new Set(['log', 'log_2'])), 'log_3');
  assert.deepEqual(
    initialInput({
      type: 'object',
      required: ['url', 'n'],
      properties: { url: { type: 'string' }, n: { type: 'integer', default: 3 } },
    }),
    { url: '', n: 3 },
  );
  const http = createNode('http', new Set(['http']));
  assert.deepEqual(http, { id: 'http_2', type: 'http', input: { url: '' } });
  const loop = createNode('forEach', new Set());
  assert.deepEqual(loop, {
    id: 'forEach',
    type: 'forEach',
    input: { items: '' },
    nodes: [],
    edges: [],
  });
});
