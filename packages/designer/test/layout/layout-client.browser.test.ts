import { expect } from '@open-wc/testing';
import { createLayoutCache, serializeLayoutResult } from '../../src/core/layout-cache.ts';
import {
  createLayoutEngine,
  peekLayout,
  preloadLayout,
  preloadLayoutWhenIdle,
  type LayoutEngine,
} from '../../src/layout/layout-client.ts';
import { layoutKey } from '../../src/core/layout-key.ts';
import { recordLayout } from '../../src/core/recorded-layout.ts';
import { LayoutStaleError, isLayoutStale } from '../../src/layout/layout-errors.ts';
import { branchFlow, everyKindFlow } from './layout-fixtures.ts';
import { generateFlow } from '../../bench/layout-flows.ts';

async function outcome<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await p };
  } catch (error) {
    return { error };
  }
}

describe('layout engine (worker client)', () => {
  const engines: LayoutEngine[] = [];
  const make = (options: Parameters<typeof createLayoutEngine>[0] = {}): LayoutEngine => {
    const engine = createLayoutEngine({ cache: createLayoutCache(), ...options });
    engines.push(engine);
    return engine;
  };
  afterEach(() => {
    for (const e of engines.splice(0)) e.dispose();
  });

  it('lays out a flow in a real module worker', async () => {
    const engine = make();
    expect(engine.backend).to.equal('worker');
    await engine.warmUp();
    const result = await engine.layout(everyKindFlow());
    expect(engine.backend).to.equal('worker');
    expect(result.nodes.get('guard#catch')?.kind).to.equal('region');
    const trigger = result.nodes.get('trigger:hook')!;
    const start = result.nodes.get('start')!;
    expect(trigger.y + trigger.height).to.be.lessThan(start.y);
    expect(result.edges.every((e) => e.points.length >= 2)).to.equal(true);
  });

  it('gives the same coordinates in the worker and on the main thread', async () => {
    const inWorker = await make().layout(everyKindFlow());
    const onMain = await make({ mainThread: true }).layout(everyKindFlow());
    expect(serializeLayoutResult(inWorker)).to.deep.equal(serializeLayoutResult(onMain));
  });

  it('rejects superseded requests as stale and answers the newest', async () => {
    const engine = make();
    const first = outcome(engine.layout(branchFlow()));
    const second = outcome(engine.layout(everyKindFlow()));
    const third = outcome(engine.layout({ ...branchFlow(), triggers: [] }));
    const [a, b, c] = await Promise.all([first, second, third]);
    for (const stale of [a, b]) {
      expect(isLayoutStale(stale.error)).to.equal(true);
      expect(stale.error).to.be.instanceOf(LayoutStaleError);
      expect((stale.error as LayoutStaleError).reason).to.equal('superseded');
      expect((stale.error as LayoutStaleError).latest).to.equal(3);
    }
    expect(c.error).to.equal(undefined);
    expect(c.value!.nodes.has('trigger:manual')).to.equal(false);
    expect(c.value!.nodes.has('fetch')).to.equal(true);
  });

  it('keeps the work of a superseded layout in the cache', async () => {
    const cache = createLayoutCache();
    const engine = make({ cache });
    const first = outcome(engine.layout(branchFlow()));
    await engine.layout(everyKindFlow());
    expect(isLayoutStale((await first).error)).to.equal(true);
    expect(cache.size).to.equal(2);
  });

  it('answers a cache hit without ELK, also after a rename', async () => {
    const cache = createLayoutCache();
    const engine = make({ cache });
    const first = await engine.layout(branchFlow());
    const renamed = await engine.layout({ ...branchFlow(), name: 'Another name' });
    expect(renamed).to.equal(first);
    const other = make({
      cache,
      workerFactory: () => {
        throw new Error('never needed');
      },
    });
    expect(await other.layout(branchFlow())).to.equal(first);
  });

  it('peeks synchronously at a cached or recorded layout, and at nothing else', async () => {
    const engine = make({ mainThread: true });
    expect(engine.peek!(branchFlow()), 'not laid out yet').to.equal(undefined);
    expect(engine.peek!({ nodes: 'not a flow' }), 'unusable: layout() says why').to.equal(
      undefined,
    );
    const first = await engine.layout(branchFlow());
    expect(engine.peek!({ ...branchFlow(), name: 'Renamed' })).to.equal(first);
    const longer = {
      ...branchFlow(),
      nodes: [...branchFlow().nodes, { id: 'extra', type: 'log' }],
    };
    expect(engine.peek!(longer), 'another structure').to.equal(undefined);
    // A fresh engine with its own cache: the layout recorded in the flow answers.
    const key = layoutKey(branchFlow());
    expect(first.key).to.equal(key);
    const recorded = recordLayout(branchFlow(), key, first).flow;
    const fresh = make({ mainThread: true });
    const peeked = fresh.peek!(recorded);
    expect(peeked?.key).to.equal(key);
    expect([...peeked!.nodes.keys()]).to.deep.equal([...first.nodes.keys()]);
    expect(fresh.requests).to.equal(0);
  });

  it('peeks without an engine, and without starting a worker', async () => {
    const first = await make({ mainThread: true }).layout(branchFlow());
    const recorded = recordLayout(branchFlow(), first.key!, first).flow;
    const RealWorker = globalThis.Worker;
    let started = 0;
    globalThis.Worker = class extends RealWorker {
      constructor(...args: ConstructorParameters<typeof Worker>) {
        super(...args);
        started++;
      }
    };
    try {
      const cache = createLayoutCache();
      const peeked = peekLayout(recorded, undefined, cache);
      expect(peeked?.key).to.equal(first.key);
      expect([...peeked!.nodes.keys()]).to.deep.equal([...first.nodes.keys()]);
      // Now in that cache: the same structure without its record is known too.
      expect(peekLayout({ ...branchFlow(), name: 'Renamed' }, undefined, cache)).to.equal(peeked);
      expect(peekLayout(generateFlow(12), undefined, cache), 'another structure').to.equal(
        undefined,
      );
      expect(peekLayout({ nodes: 'not a flow' }, undefined, cache)).to.equal(undefined);
      expect(started).to.equal(0);
    } finally {
      globalThis.Worker = RealWorker;
    }
  });

  it('falls back to the main thread when the worker factory throws', async () => {
    const reasons: unknown[] = [];
    const engine = make({
      workerFactory: () => {
        throw new TypeError(
          "Failed to construct 'Worker': This document requires 'TrustedScriptURL' assignment.",
        );
      },
      onFallback: (reason) => reasons.push(reason),
    });
    expect(engine.backend).to.equal('main-thread');
    expect(reasons).to.have.length(1);
    const result = await engine.layout(branchFlow());
    expect(result.nodes.get('yes')!.x).to.be.lessThan(result.nodes.get('no')!.x);
  });

  it('falls back to the main thread when the worker script fails to load', async () => {
    const reasons: unknown[] = [];
    const engine = make({
      workerUrl: new URL('/no-such-layout-worker.js', location.href),
      onFallback: (reason) => reasons.push(reason),
    });
    const result = await engine.layout(branchFlow());
    expect(engine.backend).to.equal('main-thread');
    expect(reasons).to.have.length(1);
    expect(result.nodes.size).to.equal(7);
  });

  it('rejects pending requests as stale when disposed', async () => {
    const engine = make();
    const pending = outcome(engine.layout(everyKindFlow()));
    engine.dispose();
    const { error } = await pending;
    expect(isLayoutStale(error)).to.equal(true);
    expect((error as LayoutStaleError).reason).to.equal('disposed');
    const after = await outcome(engine.layout(branchFlow()));
    expect((after.error as LayoutStaleError).reason).to.equal('disposed');
    await engine.warmUp(); // settles: the terminated worker's calls are failed, not left hanging
  });

  // The first test of this file to start the page's shared worker (the ones below reuse it).
  it("starts the idle preload's worker at once, with its options, for a designer that needs it", async () => {
    let made = 0;
    const url = new URL('/packages/designer/src/layout/layout-worker.js', location.href);
    preloadLayoutWhenIdle({
      workerFactory: () => {
        made++;
        return new Worker(url, { type: 'module' });
      },
    });
    expect(made, 'not before the page is idle').to.equal(0);
    const engine = make({ shared: true });
    expect(made, 'the engine started it with the preload factory').to.equal(1);
    const result = await engine.layout(branchFlow());
    expect(engine.backend).to.equal('worker');
    expect(result.nodes.get('yes')!.x).to.be.lessThan(result.nodes.get('no')!.x);
    await new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1000 }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(made, 'the idle preload found it running').to.equal(1);
  });

  it('shares one preloaded worker between engines and keeps it when an engine is disposed', async () => {
    const preloaded = preloadLayout();
    expect(preloaded).to.not.equal(undefined);
    expect(preloadLayout()).to.equal(preloaded);
    const first = make({ shared: true });
    expect(first.backend).to.equal('worker');
    const a = await first.layout(branchFlow());
    first.dispose();
    const second = make({ shared: true });
    const b = await second.layout(branchFlow());
    expect(second.backend).to.equal('worker');
    expect(serializeLayoutResult(b)).to.deep.equal(serializeLayoutResult(a));
    await second.warmUp();
  });

  it('answers a real request that arrives during the warm-up rounds', async () => {
    // A fresh own worker is in its first warm-up round when the request comes.
    const engine = make();
    const result = await engine.layout(everyKindFlow());
    expect(result.nodes.has('guard#catch')).to.equal(true);
    await engine.warmUp(); // the rounds stopped early (a request came) and settle
    expect(engine.backend).to.equal('worker');
  });

  it('lays a large flow out in parts on two workers, as the main thread does it whole', async () => {
    const flow = generateFlow(240);
    const pooled = make({ workers: 2 });
    const inParts = await pooled.layout(flow);
    expect(pooled.backend).to.equal('worker');
    const onMain = await make({ mainThread: true }).layout(flow);
    expect(serializeLayoutResult(inParts)).to.deep.equal(serializeLayoutResult(onMain));
    expect(inParts.nodes.size).to.be.greaterThan(240);
  });
});
