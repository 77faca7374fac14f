import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The run-time's dependencies run one way (docs/decisions/0009-runtime-structure.md):
// engine.ts -> engine/ -> executor/ -> decisions/ -> state, events, compile-flow. A cycle,
// type imports included, means a part reaches back up; this test names it.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/runtime');

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) sources(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gs)) {
    const target = resolve(dirname(file), m[1]!);
    if (target.startsWith(root)) out.push(target);
  }
  return out;
}

test('no module of src/runtime imports itself through others (type imports included)', () => {
  const files = sources(root);
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') {
        cycles.push(
          [...stack.slice(stack.indexOf(d)), d].map((p) => relative(root, p)).join(' -> '),
        );
      } else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  assert.ok(files.length > 30, 'the run-time sources were found');
  assert.deepEqual(cycles, []);
});

test('the pure decisions import nothing from the executor or the engine parts', () => {
  for (const file of sources(join(root, 'decisions'))) {
    for (const target of importsOf(file)) {
      const rel = relative(root, target);
      assert.ok(
        !rel.startsWith('executor/') && !rel.startsWith('engine'),
        `${relative(root, file)} imports ${rel}`,
      );
    }
  }
});
