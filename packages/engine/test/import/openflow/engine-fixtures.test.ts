import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { importOpenFlow } from '../../../src/import/index.ts';
import { runOnEngine } from './engine-run.ts';
import { FIXTURE_FILES, loadFixture, matches } from './fixture-files.ts';

/** The fixtures end to end on the real engine: imported, deployed, run, Windmill's result. */
describe('fixtures on the engine give Windmill’s results', () => {
  for (const file of FIXTURE_FILES) {
    test(file, async () => {
      const fixture = loadFixture(file);
      const { flow } = importOpenFlow(fixture.document, { id: file.replace(/\.json$/, '') });
      const run = await runOnEngine(flow, fixture.input);
      assert.equal(
        run.status,
        fixture.expectedStatus ?? 'succeeded',
        JSON.stringify(run.view.error),
      );
      assert.ok(
        matches(run.output, fixture.expected, fixture.compare === 'subset'),
        `got ${JSON.stringify(run.output)}, expected ${JSON.stringify(fixture.expected)}`,
      );
    });
  }
});
