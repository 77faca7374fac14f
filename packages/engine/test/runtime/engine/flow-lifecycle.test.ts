import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowDefinition } from '@millrace/engine';
import { flow, harness, rejection } from '../helpers.ts';

const ticking = (id = 'f'): FlowDefinition =>
  flow([{ id: 'a', type: 'transform', input: { v: 1 } }], [], {
    id,
    triggers: [
      { id: 'tick', kind: 'schedule', cron: '*/5 * * * *' },
      { id: 'paid', kind: 'event', event: 'invoice.paid' },
    ],
  });

test('deploy activates by default: schedules fire and events start runs', async () => {
  const h = harness();
  await h.engine.deploy(ticking());
  await h.clock.advance(5 * 60_000);
  assert.equal((await h.engine.listRuns()).length, 1);
  assert.equal((await h.engine.emit('invoice.paid', {})).started.length, 1);
  assert.deepEqual(
    (await h.engine.listFlows()).map((f) => [f.id, f.status]),
    [['f', 'active']],
  );
  await h.engine.close();
});

test('deploy { activate: false } publishes a new flow inactive: no schedule, no event start', async () => {
  const h = harness();
  await h.engine.deploy(ticking(), { activate: false });
  await h.clock.advance(20 * 60_000);
  assert.deepEqual((await h.engine.emit('invoice.paid', {})).started, []);
  assert.equal((await h.engine.listRuns()).length, 0);
  assert.equal((await h.engine.listFlows())[0]?.status, 'inactive');
  // Manual starts work while inactive.
  const run = await h.engine.start('f');
  assert.deepEqual(await run.result(), { v: 1 });
  await h.engine.close();
});

test('deploy { activate: false } of a new version keeps an active flow active', async () => {
  const h = harness();
  await h.engine.deploy(ticking());
  await h.engine.deploy(ticking(), { activate: false });
  assert.equal((await h.engine.listFlows())[0]?.status, 'active');
  await h.engine.deactivate('f');
  await h.engine.deploy(ticking(), { activate: false });
  assert.equal((await h.engine.listFlows())[0]?.status, 'inactive');
  await h.engine.close();
});

test('deactivate disarms schedules and event triggers; activate arms them again', async () => {
  const h = harness();
  await h.engine.deploy(ticking());
  await h.engine.deactivate('f');
  await h.clock.advance(30 * 60_000);
  assert.deepEqual((await h.engine.emit('invoice.paid', {})).started, []);
  assert.equal((await h.engine.listRuns()).length, 0);
  await h.engine.activate('f');
  await h.clock.advance(5 * 60_000);
  assert.equal((await h.engine.emit('invoice.paid', {})).started.length, 1);
  assert.equal((await h.engine.listRuns()).length, 2);
  await h.engine.close();
});

test('the status survives a restart: a new engine on the store arms only active flows', async () => {
  const h = harness();
  await h.engine.deploy(ticking('on'));
  await h.engine.deploy(ticking('off'));
  await h.engine.deactivate('off');
  await h.engine.close();
  const next = harness({ store: h.store, clock: h.clock, seed: 2 });
  await next.engine.recover();
  await next.clock.advance(5 * 60_000);
  const started = await next.engine.emit('invoice.paid', {});
  const runs = await next.engine.listRuns();
  assert.deepEqual([...new Set(runs.map((r) => r.flowId))], ['on']);
  assert.equal(started.started.length, 1);
  await next.engine.close();
});

test('listFlows({ status }) tells drafts, active and inactive flows apart', async () => {
  const h = harness();
  await h.engine.saveDraft(flow([], [], { id: 'new', name: 'Only a draft' }));
  await h.engine.deploy(ticking('live'));
  await h.clock.advance(1);
  await h.engine.saveDraft({ ...ticking('live'), name: 'Edited' }); // newer than the deploy
  await h.engine.deploy(ticking('paused'), { activate: false });
  await h.engine.saveDraft(ticking('settled'));
  await h.clock.advance(1);
  await h.engine.deploy(ticking('settled')); // the draft is older than the deploy
  const ids = async (status?: 'draft' | 'active' | 'inactive') =>
    (await h.engine.listFlows(status ? { status } : {})).map((f) => f.id);
  assert.deepEqual(await ids('draft'), ['live', 'new']);
  assert.deepEqual(await ids('active'), ['live', 'settled']);
  assert.deepEqual(await ids('inactive'), ['paused']);
  assert.deepEqual(await ids(), ['live', 'new', 'paused', 'settled']);
  const listed = await h.engine.listFlows({ status: ['draft', 'inactive'] });
  const draftOnly = listed.find((f) => f.id === 'new');
  assert.deepEqual(
    { status: draftOnly?.status, latestVersion: draftOnly?.latestVersion, name: draftOnly?.name },
    { status: 'draft', latestVersion: 0, name: 'Only a draft' },
  );
  const live = listed.find((f) => f.id === 'live');
  assert.equal(live?.status, 'active');
  assert.equal(live?.draftPending, true);
  await h.engine.close();
});

test('deleteFlow keeps runs readable, drops the flow from listings and refuses starts', async () => {
  const h = harness();
  await h.engine.deploy(ticking());
  const run = await h.engine.start('f');
  await run.result();
  await h.engine.saveDraft(ticking());
  await h.engine.deleteFlow('f');
  assert.equal((await h.engine.getRun(run.id))?.status, 'succeeded');
  assert.deepEqual(
    (await h.engine.listRuns({ flowId: 'f' })).map((r) => r.runId),
    [run.id],
  );
  assert.deepEqual(await h.engine.listFlows(), []);
  assert.equal(await h.engine.getDraft('f'), undefined);
  const err = await rejection(h.engine.start('f'));
  assert.equal(err['code'], 'E_FLOW_DELETED');
  assert.equal((await rejection(h.engine.activate('f')))['code'], 'E_FLOW_DELETED');
  // Triggers are gone too.
  await h.clock.advance(10 * 60_000);
  assert.deepEqual((await h.engine.emit('invoice.paid', {})).started, []);
  assert.equal((await h.engine.listRuns()).length, 1);
  // Old versions stay readable (a past run's graph).
  assert.equal((await h.engine.getFlow('f', 1))?.version, 1);
  await h.engine.close();
});

test('a deploy after deleteFlow starts afresh with the next version', async () => {
  const h = harness();
  await h.engine.deploy(ticking());
  await h.engine.setAlias('f', 'production', { version: 1 });
  await h.engine.deleteFlow('f');
  const again = await h.engine.deploy(ticking());
  assert.equal(again.version, 2);
  const [listed] = await h.engine.listFlows();
  assert.deepEqual([listed?.status, listed?.aliases], ['active', {}]);
  assert.deepEqual(await (await h.engine.start('f')).result(), { v: 1 });
  await h.engine.close();
});

test('lifecycle calls on unknown flows fail with E_FLOW_NOT_FOUND', async () => {
  const h = harness();
  for (const call of [
    h.engine.activate('ghost'),
    h.engine.deactivate('ghost'),
    h.engine.deleteFlow('ghost'),
    h.engine.setAlias('ghost', 'production', { version: 1 }),
  ]) {
    assert.equal((await rejection(call))['code'], 'E_FLOW_NOT_FOUND');
  }
});

test('a deleted flow stays deleted for a new engine on the same store', async () => {
  const h = harness();
  await h.engine.deploy(ticking());
  await h.engine.deleteFlow('f');
  await h.engine.close();
  const next = harness({ store: h.store, clock: h.clock, seed: 2 });
  await next.engine.recover();
  assert.equal((await rejection(next.engine.start('f')))['code'], 'E_FLOW_DELETED');
  await next.clock.advance(10 * 60_000);
  assert.equal((await next.engine.listRuns()).length, 0);
  await next.engine.close();
});
