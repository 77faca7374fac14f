import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowDefinition, RunEvent } from '@millrace/engine';
import { aliasWeights, pickVersion, runBucket } from '../../../src/runtime/engine/aliases.ts';
import { flow, harness, rejection } from '../helpers.ts';

const versioned = (v: number): FlowDefinition =>
  flow([{ id: 'a', type: 'transform', input: { v } }], [], {
    triggers: [{ id: 'paid', kind: 'event', event: 'paid' }],
  });

async function deployThree() {
  const h = harness();
  for (const v of [1, 2, 3]) await h.engine.deploy(versioned(v));
  return h;
}

test('the bucket of a run id is stable and spreads ids over 0–9999', () => {
  assert.equal(runBucket('run-1'), runBucket('run-1'));
  const buckets = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    const b = runBucket(`run-${i}`);
    assert.ok(b >= 0 && b < 10_000);
    buckets.add(Math.floor(b / 1000));
  }
  assert.equal(buckets.size, 10); // every tenth of the range is hit
});

test('a split picks versions in proportion to their shares, the same one per run id', () => {
  const weights = [
    { version: 1, percent: 90 },
    { version: 2, percent: 10 },
  ];
  let canary = 0;
  for (let i = 0; i < 10_000; i++) {
    const v = pickVersion(weights, `run-${i}`);
    assert.equal(pickVersion(weights, `run-${i}`), v);
    if (v === 2) canary++;
  }
  assert.ok(canary > 800 && canary < 1200, `about 10% canary, got ${canary}`);
  assert.equal(pickVersion([{ version: 4, percent: 100 }], 'anything'), 4);
  assert.equal(
    pickVersion(
      [
        { version: 1, percent: 0 },
        { version: 2, percent: 100 },
      ],
      'x',
    ),
    2,
  );
});

test('alias targets are checked: versions exist, shares are 0–100 and sum to 100', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return [(err as { code: string }).code, (err as { path?: string }).path];
    }
    return undefined;
  };
  assert.deepEqual(aliasWeights('f', 'production', { version: 2 }, [1, 2]), [
    { version: 2, percent: 100 },
  ]);
  assert.deepEqual(
    code(() => aliasWeights('f', 'p', { version: 3 }, [1, 2])),
    ['E_FLOW_VERSION_NOT_FOUND', '/version'],
  );
  assert.deepEqual(
    code(() =>
      aliasWeights(
        'f',
        'canary',
        {
          versions: [
            { version: 1, percent: 90 },
            { version: 2, percent: 20 },
          ],
        },
        [1, 2],
      ),
    ),
    ['E_INVALID_ARGUMENT', '/versions'],
  );
  assert.deepEqual(
    code(() => aliasWeights('f', 'canary', { versions: [{ version: 1, percent: 110 }] }, [1])),
    ['E_INVALID_ARGUMENT', '/versions/0/percent'],
  );
  assert.deepEqual(
    code(() => aliasWeights('f', 'bad name', { version: 1 }, [1])),
    ['E_INVALID_ARGUMENT', undefined],
  );
});

test('start { version } runs an older version and records it', async () => {
  const h = await deployThree();
  const run = await h.engine.start('f', {}, { version: 1 });
  assert.deepEqual(await run.result(), { v: 1 });
  assert.equal(run.version, 1);
  assert.equal((await h.engine.getRun(run.id))?.flowVersion, 1);
  assert.equal(
    (await rejection(h.engine.start('f', {}, { version: 9 })))['code'],
    'E_FLOW_VERSION_NOT_FOUND',
  );
});

test('start { alias } runs the aliased version and records the alias in the run and its RunCreated', async () => {
  const h = await deployThree();
  await h.engine.setAlias('f', 'production', { version: 2 });
  const run = await h.engine.start('f', {}, { alias: 'production' });
  assert.deepEqual(await run.result(), { v: 2 });
  const view = await h.engine.getRun(run.id);
  assert.deepEqual([view?.flowVersion, view?.alias], [2, 'production']);
  const [summary] = await h.engine.listRuns();
  assert.deepEqual([summary?.flowVersion, summary?.alias], [2, 'production']);
  const [created] = (await h.store.load(run.id))!.events as RunEvent[];
  assert.deepEqual(created?.type === 'RunCreated' ? [created.flowVersion, created.alias] : [], [
    2,
    'production',
  ]);
  // A start without alias or version still takes the latest.
  assert.deepEqual(await (await h.engine.start('f')).result(), { v: 3 });
});

test('a canary split is deterministic per run id: the same id takes the same version', async () => {
  const h = await deployThree();
  await h.engine.setAlias('f', 'canary', {
    versions: [
      { version: 2, percent: 50 },
      { version: 3, percent: 50 },
    ],
  });
  const seen = new Set<number>();
  for (let i = 0; i < 40; i++) {
    const run = await h.engine.start('f', {}, { alias: 'canary', runId: `order-${i}` });
    const expected = pickVersion(
      [
        { version: 2, percent: 50 },
        { version: 3, percent: 50 },
      ],
      `order-${i}`,
    );
    assert.equal(run.version, expected);
    seen.add(run.version);
    // Starting the same id again answers with the same run, on the same version.
    assert.equal(
      (await h.engine.start('f', {}, { alias: 'canary', runId: `order-${i}` })).version,
      expected,
    );
  }
  assert.deepEqual([...seen].sort(), [2, 3]);
  const [listed] = await h.engine.listFlows();
  assert.deepEqual(
    listed?.aliases['canary']?.map((w) => w.version),
    [2, 3],
  );
});

test('triggers start the production alias when it is set, else the latest version', async () => {
  const h = await deployThree();
  const [first] = (await h.engine.emit('paid', {})).started;
  assert.equal((await h.engine.getRun(first!))?.flowVersion, 3);
  await h.engine.setAlias('f', 'production', { version: 1 });
  const [second] = (await h.engine.emit('paid', {})).started;
  const view = await h.engine.getRun(second!);
  assert.deepEqual([view?.flowVersion, view?.alias], [1, 'production']);
  await h.engine.removeAlias('f', 'production');
  const [third] = (await h.engine.emit('paid', {})).started;
  assert.equal((await h.engine.getRun(third!))?.flowVersion, 3);
});

test('an unknown alias, or a version together with an alias, is refused', async () => {
  const h = await deployThree();
  const missing = await rejection(h.engine.start('f', {}, { alias: 'nope' }));
  assert.equal(missing['code'], 'E_ALIAS_NOT_FOUND');
  const both = await rejection(h.engine.start('f', {}, { alias: 'nope', version: 1 }));
  assert.equal(both['code'], 'E_INVALID_ARGUMENT');
  assert.equal(
    (await rejection(h.engine.setAlias('f', 'production', { version: 7 })))['code'],
    'E_FLOW_VERSION_NOT_FOUND',
  );
  assert.equal((await h.engine.listRuns()).length, 0);
});

test('aliases survive a restart (they live in the store)', async () => {
  const h = await deployThree();
  await h.engine.setAlias('f', 'production', { version: 2 });
  const next = harness({ store: h.store, clock: h.clock, seed: 2 });
  const run = await next.engine.start('f', {}, { alias: 'production' });
  assert.equal(run.version, 2);
});
