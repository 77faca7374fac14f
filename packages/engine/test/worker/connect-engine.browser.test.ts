import { expect } from '@open-wc/testing';
import { MillraceError, type RunEvent } from '@millrace/engine';
import { connectEngine } from '@millrace/engine/worker';

describe('connectEngine: the engine in a Web Worker', () => {
  const worker = new Worker(new URL('./engine-test-worker.ts', import.meta.url), {
    type: 'module',
  });
  const engine = connectEngine(worker);
  after(() => worker.terminate());

  it('deploys, runs, streams events and answers results across the boundary', async () => {
    await engine.deploy({
      format: 'millrace.flow/v1',
      id: 'hello',
      nodes: [
        { id: 'ask', type: 'approval', input: { approvers: ['dana'] } },
        { id: 'say', type: 'shout', input: { text: 'hello $<flow.input.name>' } },
      ],
      edges: [{ from: 'ask', port: 'approved', to: 'say' }],
    });
    const run = await engine.start('hello', { name: 'dana' });
    const seen: string[] = [];
    const unsubscribe = engine.subscribe(run.id, (e: RunEvent) => seen.push(e.type));
    const [waiting] = await engine.listWaiting();
    expect(waiting?.runId).to.equal(run.id);
    await engine.signal(waiting!.token, { approved: true, by: 'dana' });
    expect(await run.result()).to.deep.equal({ text: 'HELLO DANA' });
    expect((await engine.getRun(run.id))?.status).to.equal('succeeded');
    expect(seen).to.include('RunSucceeded');
    unsubscribe();
  });

  it('rebuilds errors with their codes', async () => {
    let error: unknown;
    try {
      await engine.deploy({
        format: 'millrace.flow/v1',
        id: 'bad',
        nodes: [{ id: 'x', type: 'nope' }],
      });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(MillraceError);
    expect((error as MillraceError).code).to.equal('E_FLOW_INVALID');
    let missing: unknown;
    try {
      await engine.start('ghost');
    } catch (err) {
      missing = err;
    }
    expect((missing as MillraceError).code).to.equal('E_FLOW_NOT_FOUND');
  });

  it('runs the lifecycle and aliases across the boundary', async () => {
    const def = (v: number) => ({
      format: 'millrace.flow/v1' as const,
      id: 'life',
      input: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
      triggers: [{ id: 'e', kind: 'event' as const, event: 'life.ping' }],
      nodes: [{ id: 'a', type: 'transform', input: { v } }],
    });
    await engine.deploy(def(1), { activate: false });
    await engine.deploy(def(2));
    expect((await engine.listFlows({ status: 'active' })).map((f) => f.id)).to.include('life');
    await engine.deactivate('life');
    expect((await engine.emit('life.ping', {})).started).to.deep.equal([]);
    await engine.activate('life');
    await engine.setAlias('life', 'production', { version: 1 });
    const [started] = (await engine.emit('life.ping', {})).started;
    const view = await engine.getRun(started!);
    expect([view?.flowVersion, view?.alias]).to.deep.equal([1, 'production']);
    const run = await engine.start('life', { n: 1 }, { alias: 'production' });
    expect(await run.result()).to.deep.equal({ v: 1 });
    let invalid: unknown;
    try {
      await engine.start('life', { n: 'one' });
    } catch (err) {
      invalid = err;
    }
    expect((invalid as MillraceError).code).to.equal('E_INPUT_INVALID');
    expect((invalid as MillraceError).details?.['errors']).to.deep.equal([
      { pointer: '/n', message: 'Instance type "string" is invalid. Expected "number".' },
    ]);
    await engine.removeAlias('life', 'production');
    await engine.deleteFlow('life');
    expect((await engine.getRun(run.id))?.status).to.equal('succeeded');
    let deleted: unknown;
    try {
      await engine.start('life', { n: 1 });
    } catch (err) {
      deleted = err;
    }
    expect((deleted as MillraceError).code).to.equal('E_FLOW_DELETED');
  });
});
