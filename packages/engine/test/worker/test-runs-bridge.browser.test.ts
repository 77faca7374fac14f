import { expect } from '@open-wc/testing';
import { MillraceError } from '@millrace/engine';
import { connectEngine } from '@millrace/engine/worker';

// rerun, replay and metrics through the worker bridge (connectEngine / exposeEngine).
describe('connectEngine: rerun, replay and metrics across the Worker boundary', () => {
  const worker = new Worker(new URL('./engine-test-worker.ts', import.meta.url), {
    type: 'module',
  });
  const engine = connectEngine(worker);
  after(() => worker.terminate());

  it('a mocked start, a rerun that reuses the upstream output, replay and metrics', async () => {
    await engine.deploy({
      format: 'millrace.flow/v1',
      id: 'two-steps',
      nodes: [
        { id: 'first', type: 'shout', input: { text: '$<flow.input.name>' } },
        { id: 'second', type: 'shout', input: { text: 'hi $<nodes.first.output.text>' } },
      ],
      edges: [{ from: 'first', to: 'second' }],
    });
    const run = await engine.start(
      'two-steps',
      { name: 'dana' },
      { mocks: { first: { text: 'Mock' } } },
    );
    expect(await run.result()).to.deep.equal({ text: 'HI MOCK' });

    const again = await engine.rerun(run.id, { fromNode: 'second' });
    expect(again.flowId).to.equal('two-steps');
    expect(await again.result()).to.deep.equal({ text: 'HI MOCK' });
    const view = await engine.getRun(again.id);
    expect(view?.nodes.find((n) => n.nodeId === 'first')?.replaced).to.equal('reused');
    expect(view?.rerunOf).to.deep.equal({ runId: run.id, fromNode: 'second' });

    const start = await engine.replay(run.id, { untilSeq: 1 });
    expect(start.status).to.equal('running');
    expect(start.nodes).to.deep.equal([]);
    expect((await engine.replay(run.id)).status).to.equal('succeeded');

    const metrics = await engine.metrics('two-steps');
    expect(metrics.runs).to.equal(2);
    expect(metrics.byStatus.succeeded).to.equal(2);
    expect(metrics.successRate).to.equal(1);
  });

  it('errors keep their codes', async () => {
    let error: unknown;
    try {
      await engine.replay('ghost');
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(MillraceError);
    expect((error as MillraceError).code).to.equal('E_RUN_NOT_FOUND');
  });
});
