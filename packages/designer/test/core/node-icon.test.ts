import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_ACTIONS, BUILTIN_NODE_TYPES } from '@millrace/engine';
import {
  TRIGGER_GLYPHS,
  TYPE_GLYPHS,
  iconImageUrl,
  monogramOf,
  nodeIconOf,
  type IconOrigin,
} from '../../src/core/node-icon.ts';
import { GLYPH_GRID, NODE_GLYPHS, isGlyphName } from '../../src/core/node-glyphs.ts';

const page: IconOrigin = { origin: 'https://app.example', baseUrl: 'https://app.example/flows/' };

test('every built-in node type has a glyph', () => {
  for (const type of BUILTIN_NODE_TYPES) {
    const icon = nodeIconOf({ kind: 'node', type });
    assert.equal(icon.kind, 'glyph', type);
  }
});

test("a built-in type's glyph is the icon its BUILTIN_ACTIONS entry names", () => {
  for (const action of BUILTIN_ACTIONS) {
    assert.ok(action.icon && isGlyphName(action.icon), `${action.type}: ${action.icon}`);
    assert.equal(TYPE_GLYPHS[action.type], action.icon, action.type);
    assert.deepEqual(nodeIconOf({ kind: 'node', type: action.type, descriptor: action }), {
      kind: 'glyph',
      name: action.icon,
    });
  }
});

test('every trigger kind has its own glyph', () => {
  const kinds = ['manual', 'schedule', 'webhook', 'event'] as const;
  const names = kinds.map((trigger) => nodeIconOf({ kind: 'trigger', trigger }));
  assert.deepEqual(
    names,
    kinds.map((k) => ({ kind: 'glyph', name: TRIGGER_GLYPHS[k] })),
  );
  assert.equal(new Set(names.map((n) => (n.kind === 'glyph' ? n.name : ''))).size, 4);
});

test('a catalog icon that names a glyph shows that glyph', () => {
  const icon = nodeIconOf({
    kind: 'node',
    type: 'crm.lookup',
    descriptor: { type: 'crm.lookup', title: 'Look up contact', icon: 'database' },
  });
  assert.deepEqual(icon, { kind: 'glyph', name: 'database' });
});

test('a catalog icon may name a built-in node type', () => {
  const icon = nodeIconOf({
    kind: 'node',
    type: 'fetch.json',
    descriptor: { type: 'fetch.json', title: 'Fetch JSON', icon: 'http' },
  });
  assert.deepEqual(icon, { kind: 'glyph', name: 'globe' });
});

test('a data: image URL is shown as an image', () => {
  const href = 'data:image/svg+xml;base64,PHN2Zy8+';
  const icon = nodeIconOf(
    { kind: 'node', type: 'x.y', descriptor: { type: 'x.y', title: 'X', icon: href } },
    page,
  );
  assert.deepEqual(icon, { kind: 'image', href });
});

test('same-origin URLs (absolute or relative) are shown as images, resolved', () => {
  assert.equal(iconImageUrl('/icons/slack.svg', page), 'https://app.example/icons/slack.svg');
  assert.equal(iconImageUrl('icons/slack.png', page), 'https://app.example/flows/icons/slack.png');
  assert.equal(iconImageUrl('https://app.example/i.svg', page), 'https://app.example/i.svg');
});

test('cross-origin URLs and other schemes are never loaded', () => {
  for (const icon of [
    'https://cdn.other.example/slack.svg',
    '//cdn.other.example/slack.svg',
    'javascript:alert(1)',
    'blob:https://app.example/123',
    'data:text/html,<script>alert(1)</script>',
    '<svg onload="alert(1)"></svg>',
    '/icons/a b.svg',
  ]) {
    assert.equal(iconImageUrl(icon, page), undefined, icon);
  }
});

test('without a known origin only data: URLs are images', () => {
  assert.equal(iconImageUrl('/icons/slack.svg', undefined), undefined);
  assert.equal(iconImageUrl('data:image/png;base64,AAAA', undefined), 'data:image/png;base64,AAAA');
});

test('an unknown icon name falls back to a monogram of the title', () => {
  const icon = nodeIconOf(
    {
      kind: 'node',
      type: 'slack.post',
      descriptor: { type: 'slack.post', title: 'Slack message', icon: 'slack' },
    },
    page,
  );
  assert.deepEqual(icon, { kind: 'monogram', text: 'SM' });
});

test('a cross-origin icon URL falls back to a monogram', () => {
  const icon = nodeIconOf(
    {
      kind: 'node',
      type: 'jira.create',
      descriptor: { type: 'jira.create', title: 'Jira', icon: 'https://cdn.other.example/j.svg' },
    },
    page,
  );
  assert.deepEqual(icon, { kind: 'monogram', text: 'J' });
});

test('an action not in the catalog gets a monogram of its type', () => {
  assert.deepEqual(nodeIconOf({ kind: 'node', type: 'slack.post' }), {
    kind: 'monogram',
    text: 'SP',
  });
  assert.deepEqual(nodeIconOf({ kind: 'node', type: 'sendEmail' }), {
    kind: 'monogram',
    text: 'SE',
  });
});

test('monograms take the first letters of two words, in upper case, any script', () => {
  assert.equal(monogramOf('Post to Slack'), 'PT');
  assert.equal(monogramOf('stripe'), 'S');
  assert.equal(monogramOf('  émettre   facture '), 'ÉF');
  assert.equal(monogramOf('日本 語'), '日語');
  assert.equal(monogramOf('--'), '?');
});

test('glyphs are lists of path data on the 16-unit grid', () => {
  for (const [name, paths] of Object.entries(NODE_GLYPHS)) {
    assert.ok(paths.length > 0, name);
    for (const d of paths) {
      assert.match(d, /^M[\d.\s,a-zA-Z-]+$/, name);
      assert.doesNotMatch(d, /[<>"']/, name);
      const numbers = d.match(/-?\d*\.?\d+/g)!.map(Number);
      assert.ok(
        numbers.every((v) => Math.abs(v) <= GLYPH_GRID),
        `${name}: coordinates stay on the grid`,
      );
    }
  }
});
