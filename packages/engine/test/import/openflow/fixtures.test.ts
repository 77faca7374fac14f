import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { importOpenFlow } from '../../../src/import/index.ts';
import { assertValid } from './helpers.ts';
import { simulate } from './simulate.ts';
import { FIXTURE_FILES as files, loadFixture, matches } from './fixture-files.ts';

describe('fixtures', () => {
  test('there is a fixture for every module type', () => {
    const types = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o['type'] === 'string') types.add(o['type']);
        Object.values(o).forEach(walk);
      }
    };
    for (const file of files) walk(loadFixture(file).document);
    for (const type of [
      'rawscript',
      'forloopflow',
      'whileloopflow',
      'branchone',
      'branchall',
      'identity',
    ])
      assert.ok(types.has(type), type);
  });

  for (const file of files) {
    test(`${file} imports into a valid flow`, () => {
      const fixture = loadFixture(file);
      assert.equal(typeof fixture.description, 'string');
      assert.ok('input' in fixture && 'expected' in fixture, 'has input and expected');
      const { flow, diagnostics } = importOpenFlow(fixture.document, {
        id: file.replace(/\.json$/, ''),
      });
      assert.deepEqual(
        diagnostics.filter((d) => d.severity === 'error'),
        [],
      );
      assertValid(flow);
    });
  }
});

describe('fixtures run by the reference interpreter give Windmill’s results', () => {
  for (const file of files) {
    test(file, () => {
      const fixture = loadFixture(file);
      const { flow } = importOpenFlow(fixture.document, { id: file.replace(/\.json$/, '') });
      const run = simulate(flow, fixture.input);
      assert.equal(run.status, fixture.expectedStatus ?? 'succeeded', JSON.stringify(run));
      assert.ok(
        matches(run.output, fixture.expected, fixture.compare === 'subset'),
        `got ${JSON.stringify(run.output)}, expected ${JSON.stringify(fixture.expected)}`,
      );
    });
  }
});
