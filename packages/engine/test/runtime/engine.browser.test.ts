import { expect } from '@open-wc/testing';
import {
  ActionError,
  SimulatedClock,
  createEngine,
  createMemoryStore,
  isFinished,
  sequentialIds,
  type ActionDefinition,
  type FlowDefinition,
} from '@millrace/engine';

// The same engine source as the Node tests, unchanged, in Chromium: every node kind, a retry,
// a timeout and an approval, on a simulated clock.

const calls: string[] = [];
const actions: ActionDefinition[] = [
  {
    type: 'flaky',
    title: 'Fails once',
    run(_input, ctx) {
      calls.push(`flaky#${ctx.attempt}`);
      if (ctx.attempt === 1) throw new ActionError('E_TRANSIENT', 'try again');
      return { attempt: ctx.attempt };
    },
  },
  {
    type: 'slow',
    title: 'Never answers unless aborted',
    run(_input, ctx) {
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
    },
  },
];

const everything: FlowDefinition = {
  format: 'millrace.flow/v1',
  id: 'everything',
  vars: { n: 0 },
  nodes: [
    { id: 'start', type: 'transform', input: { items: '$<flow.input.items>' } },
    { id: 'check', type: 'if', input: { condition: '$<nodes.start.output.items.length > 2>' } },
    {
      id: 'route',
      type: 'switch',
      cases: [{ port: 'many', when: '$<nodes.start.output.items.length > 3>' }],
    },
    {
      id: 'each',
      type: 'forEach',
      input: { items: '$<nodes.start.output.items>' },
      parallelism: 2,
      nodes: [{ id: 'double', type: 'transform', input: { v: '$<item * 2>', i: '$<index>' } }],
    },
    {
      id: 'loop',
      type: 'while',
      input: { condition: '$<vars.n < 3>' },
      nodes: [{ id: 'inc', type: 'setVars', input: { n: '$<vars.n + 1>' } }],
    },
    {
      id: 'guard',
      type: 'try',
      nodes: [
        { id: 'retrying', type: 'flaky', retry: { maxAttempts: 2, delayMs: 100 } },
        { id: 'stuck', type: 'slow', timeoutMs: 1000 },
      ],
      edges: [{ from: 'retrying', to: 'stuck' }],
      catch: { nodes: [{ id: 'caught', type: 'transform', input: { code: '$<error.code>' } }] },
    },
    {
      id: 'stage',
      type: 'group',
      nodes: [
        {
          id: 'note',
          type: 'log',
          input: { message: 'loop ran $<nodes.loop.output.length> times' },
        },
      ],
    },
    { id: 'ask', type: 'approval', input: { approvers: ['dana'] } },
    {
      id: 'done',
      type: 'transform',
      input: {
        doubled: '$<nodes.each.output.map(o => o.v)>',
        n: '$<vars.n>',
        caught: '$<nodes.guard.output.code>',
        decision: '$<nodes.ask.output.decision>',
      },
    },
  ],
  edges: [
    { from: 'start', to: 'check' },
    { from: 'check', port: 'true', to: 'route' },
    { from: 'route', port: 'many', to: 'each' },
    { from: 'each', to: 'loop' },
    { from: 'loop', to: 'guard' },
    { from: 'guard', to: 'stage' },
    { from: 'stage', to: 'ask' },
    { from: 'ask', port: 'approved', to: 'done' },
  ],
  output: '$<nodes.done.output>',
};

describe('the engine in Chromium', () => {
  it('runs every node kind, a retry, a timeout and an approval', async () => {
    const clock = new SimulatedClock();
    const store = createMemoryStore();
    const engine = createEngine({ store, clock, ids: sequentialIds(), actions });
    await engine.deploy(everything);
    const run = await engine.start('everything', { items: [1, 2, 3, 4] });
    const result = run.result();
    for (let i = 0; i < 20; i++) {
      const waiting = await engine.listWaiting();
      for (const w of waiting) await engine.signal(w.token, { approved: true, by: 'dana' });
      const summary = await store.getSummary(run.id);
      if (summary && isFinished(summary.status)) break;
      await clock.advance(500);
    }
    expect(await result).to.deep.equal({
      doubled: [2, 4, 6, 8],
      n: 3,
      caught: 'E_NODE_TIMEOUT',
      decision: 'approved',
    });
    expect(calls).to.deep.equal(['flaky#1', 'flaky#2']);
    const view = await engine.getRun(run.id);
    expect(view?.status).to.equal('succeeded');
    expect(view?.nodes.find((n) => n.path === 'retrying')?.attempts).to.equal(2);
    expect(view?.nodes.find((n) => n.path === 'each[3]/double')?.output).to.deep.equal({
      v: 8,
      i: 3,
    });
    expect(view?.nodes.find((n) => n.path === 'note')?.logs[0]?.message).to.equal(
      'loop ran 3 times',
    );
  });
});
