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
});
