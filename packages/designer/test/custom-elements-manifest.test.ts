// The Custom Elements Manifest, generated afresh from the sources (the analyzer and the
// package's config, as `npm run build` does), checked against what the sources actually have:
// the tag, the attributes of its properties, the events dispatched on the element, the parts in
// its templates and the custom properties in its styles. A part, event or property added to the
// code without its JSDoc on FlowDesignerBase (or documented and gone) fails here.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const pkg = new URL('..', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(pkg, path), 'utf8');
const sources = (dir: string): string[] =>
  readdirSync(join(pkg, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );

interface Named {
  readonly name: string;
  readonly description?: string;
  readonly default?: string;
  readonly type?: { readonly text: string };
}
interface Declaration extends Named {
  readonly kind: string;
  readonly customElement?: boolean;
  readonly tagName?: string;
  readonly attributes?: readonly (Named & { readonly fieldName?: string })[];
  readonly events?: readonly Named[];
  readonly cssParts?: readonly Named[];
  readonly cssProperties?: readonly Named[];
  readonly slots?: readonly Named[];
}
interface Manifest {
  readonly modules: readonly {
    readonly path: string;
    readonly declarations?: readonly Declaration[];
    readonly exports?: readonly {
      readonly kind: string;
      readonly name: string;
      readonly declaration: { readonly name: string; readonly module?: string };
    }[];
  }[];
}

let manifest: Manifest;
let designer: Declaration;

before(async () => {
  // No type declarations ship with the analyzer's CLI module: a specifier tsc does not follow.
  const cliModule: string = '@custom-elements-manifest/analyzer/cli.js';
  const { cli } = (await import(cliModule)) as {
    cli(options: { argv: string[]; cwd: string; noWrite: boolean }): Promise<Manifest>;
  };
  manifest = await cli({
    argv: ['analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet'],
    cwd: pkg,
    noWrite: true,
  });
  const elements = manifest.modules.flatMap((m) =>
    (m.declarations ?? []).filter((d) => d.customElement),
  );
  assert.equal(elements.length, 1, 'the manifest describes one custom element');
  designer = elements[0]!;
});

const names = (items: readonly Named[] | undefined) => (items ?? []).map((i) => i.name).sort();

test('names the tag, its class and the module that defines it (no bogus definition)', () => {
  assert.equal(designer.name, 'FlowDesignerBase');
  assert.equal(designer.tagName, 'flow-designer');
  const definitions = manifest.modules.flatMap((m) =>
    (m.exports ?? []).filter((e) => e.kind === 'custom-element-definition'),
  );
  assert.deepEqual(definitions, [
    {
      kind: 'custom-element-definition',
      name: 'flow-designer',
      declaration: { name: 'FlowDesignerBase', module: 'dist/elements/flow-designer.js' },
    },
  ]);
  // Paths name the built modules a consumer imports.
  for (const m of manifest.modules) assert.match(m.path, /^dist\/.*\.js$/);
});

test('lists an attribute for every property that has one, with its name', () => {
  const text = read('src/elements/flow-designer.ts');
  const expected: string[] = [];
  for (const m of text.matchAll(/@property\(([^)]*)\)\s+(?:override\s+)?(\w+)/g)) {
    const [, options = '', field = ''] = m;
    if (/attribute:\s*false/.test(options)) continue;
    expected.push(/attribute:\s*'([^']+)'/.exec(options)?.[1] ?? field.toLowerCase());
  }
  assert.ok(expected.length >= 5, `found the attributes in the source: ${expected.join(', ')}`);
  assert.deepEqual(names(designer.attributes), expected.sort());
});

/**
 * Events dispatched on the designer: by its own class (`this.dispatchEvent`) and by its
 * controllers (`host.element.dispatchEvent`). The internal elements (palette, panel, field)
 * dispatch on themselves, and their events are handled inside the designer.
 */
function dispatchedOnDesigner(): Set<string> {
  const found = new Set<string>();
  const ownElements = /\bclass \w+ extends LitElement\b/;
  for (const file of sources('src')) {
    const text = read(file);
    const designerFile = file === join('src', 'elements', 'flow-designer.ts');
    for (const m of text.matchAll(
      /([\w.]+)\.dispatchEvent\(\s*new CustomEvent(?:<[^>]*>)?\(\s*('[\w-]+'|[\w.]+)/g,
    )) {
      const [, target = '', name = ''] = m;
      if (target === 'this' && !designerFile) {
        assert.match(text, ownElements, `${file} dispatches on \`this\`, which is no element`);
        continue;
      }
      assert.ok(
        target === 'this' || /(^|\.)host\.element$/.test(target),
        `${file}: unknown dispatcher \`${target}\`: teach this test whose events these are`,
      );
      assert.match(name, /^'[a-z-]+'$/, `${file}: an event of the designer has a literal name`);
      found.add(name.slice(1, -1));
    }
  }
  return found;
}

test('documents every event dispatched on the element, with its detail type, and no other', () => {
  const dispatched = [...dispatchedOnDesigner()].sort();
  assert.ok(dispatched.includes('flow-change') && dispatched.includes('node-open'));
  assert.deepEqual(names(designer.events), dispatched);
  for (const event of designer.events ?? []) {
    assert.match(event.type?.text ?? '', /^CustomEvent<\w+>$/, `${event.name} has a type`);
    assert.ok((event.description ?? '').length > 10, `${event.name} is described`);
  }
});

test('the typed event map (FlowDesignerEventMap) has the same events and detail types', () => {
  const text = read('src/elements/flow-designer-events.ts');
  const body = /interface FlowDesignerEventMap \{([^}]*)\}/.exec(text)?.[1] ?? '';
  const map = new Map(
    [...body.matchAll(/'([a-z-]+)': (CustomEvent<\w+>);/g)].map((m) => [m[1]!, m[2]!]),
  );
  assert.deepEqual([...map.keys()].sort(), names(designer.events));
  for (const event of designer.events ?? []) assert.equal(event.type?.text, map.get(event.name));
});

/**
 * CSS part names in the templates drawn into the designer's shadow root (the elements folder,
 * without the palette, which has a shadow root of its own). A part made from an expression
 * (`node-${n.type}`) is the pattern `node-{}`; names inside an expression (`${x ? ' a' : ''}`)
 * count as written.
 */
function partsInTemplates(): Set<string> {
  const found = new Set<string>();
  const ownRoot = /\bclass \w+ extends LitElement\b/;
  for (const file of sources('src/elements')) {
    const text = read(file);
    if (ownRoot.test(text) && !file.endsWith('flow-designer.ts')) continue;
    const values = [
      ...[...text.matchAll(/\bpart="([^"]*)"/g)].map((m) => m[1]!),
      // `part=${parts}` with `const parts = \`...\``
      ...[...text.matchAll(/\bparts = `([^`]*)`/g)].map((m) => m[1]!),
    ];
    for (const value of values) {
      for (const expr of value.matchAll(/\$\{([^}]*)\}/g)) {
        for (const literal of expr[1]!.matchAll(/'\s*([a-z][a-z-]*)\s*'/g)) found.add(literal[1]!);
      }
      const pattern = value.replace(/\$\{[^}]*\}/g, '{}').replace(/(\{\})+/g, '{}');
      for (const token of pattern.split(/\s+/)) if (token && token !== '{}') found.add(token);
    }
  }
  return found;
}

test('documents every CSS part of the templates, and no other', () => {
  const inTemplates = [...partsInTemplates()].sort();
  assert.ok(inTemplates.includes('node') && inTemplates.includes('node-{}'));
  // Two documented patterns may share a shape (`timeline-bar-{kind}`, `timeline-bar-{outcome}`).
  const documented = [
    ...new Set(names(designer.cssParts).map((n) => n.replace(/\{\w+\}/g, '{}'))),
  ].sort();
  assert.deepEqual(documented, inTemplates);
  for (const part of designer.cssParts ?? []) assert.ok(part.description, `${part.name} described`);
});

test('documents every --flow-designer-* custom property of the styles, with true defaults', () => {
  const all = sources('src').map(read).join('\n');
  const used = [
    ...new Set([...all.matchAll(/var\((--flow-designer-[a-z0-9-]+)/g)].map((m) => m[1]!)),
  ];
  assert.deepEqual(names(designer.cssProperties), used.sort());
  for (const prop of designer.cssProperties ?? []) {
    assert.ok(prop.description, `${prop.name} is described`);
    if (prop.default === undefined) continue;
    // The documented default is the fallback the styles give (the light theme's, for colours).
    const escaped = `${prop.name}, ${prop.default}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(
      all,
      new RegExp(`var\\(${escaped}[),]`),
      `${prop.name} defaults to ${prop.default}`,
    );
  }
});

test('documents the slot of host editors under its real name', () => {
  assert.deepEqual(names(designer.slots), ['editor-{type}']);
  assert.match(read('src/elements/property-panel-host.ts'), /`editor-\$\{/);
});
