/// <reference lib="webworker" />
import { expose } from 'comlink';
import {
  createEngine,
  type ActionDefinition,
  type Engine,
  type FlowDefinition,
  type RunView,
  type StoredFlow,
} from '@millrace/engine';
import { createIndexedDbStore } from '@millrace/adapters/indexeddb';
import { demoCatalog } from './catalog.ts';
import { sampleFlow } from './sample-flow.ts';

// The engine runs here, off the main thread; the page talks to it through comlink. Flows,
// drafts and runs live in IndexedDB, so they survive a reload; unfinished runs continue on start.

/** The demo's connectors do nothing real: each answers with what a real one would return. */
const demoActions: ActionDefinition[] = demoCatalog.map((d) => ({
  ...d,
  async run(input: unknown) {
    const i = (input ?? {}) as Record<string, unknown>;
    switch (d.type) {
      case 'slack.post':
        return { ts: String(Date.now() / 1000), channel: i['channel'] };
      case 'jira.createIssue':
        return { key: `${String(i['project'] ?? 'OPS')}-42`, url: 'https://jira.example/OPS-42' };
      default:
        return { id: `msg-${Date.now()}` };
    }
  },
}));

async function deploySample(engine: Engine): Promise<StoredFlow> {
  const current = await engine.getFlow(sampleFlow.id);
  const { version: _v, ...wanted } = sampleFlow;
  if (current) {
    const { version: _cv, ...stored } = current.definition;
    if (JSON.stringify(stored) === JSON.stringify(wanted)) return current;
  }
  return engine.deploy(sampleFlow as unknown as FlowDefinition);
}

// No top-level await before expose(): messages posted before comlink listens would be lost.
const ready = (async () => {
  const engine = createEngine({
    store: await createIndexedDbStore({ name: 'millrace-demo' }),
    actions: demoActions,
  });
  await engine.recover();
  return { engine, flow: await deploySample(engine) };
})();

/** Lets a run reach its end or its first parked node. */
async function settleRun(engine: Engine, runId: string): Promise<RunView | undefined> {
  for (let i = 0; i < 50; i++) {
    const view = await engine.getRun(runId);
    if (view && view.status !== 'running') return view;
    await new Promise((r) => setTimeout(r, 0));
  }
  return engine.getRun(runId);
}

const api = {
  async ping(): Promise<{ ok: true; flowVersion: number }> {
    const { flow } = await ready;
    return { ok: true, flowVersion: flow.version };
  },
  /** The flow to edit: the saved draft when there is one, else the latest deployed version. */
  async openFlow(): Promise<{ flow: FlowDefinition; draft: boolean }> {
    const { engine, flow } = await ready;
    const draft = await engine.getDraft(flow.id);
    if (draft) return { flow: draft.definition, draft: true };
    const latest = (await engine.getFlow(flow.id)) ?? flow;
    return { flow: latest.definition, draft: false };
  },
  async saveDraft(definition: FlowDefinition): Promise<number> {
    const { engine } = await ready;
    return (await engine.saveDraft(definition)).savedAt;
  },
  async discardDraft(): Promise<void> {
    const { engine, flow } = await ready;
    await engine.discardDraft(flow.id);
  },
  /** Deploys the draft as the next version; invalid drafts come back with the engine's error. */
  async deploy(
    definition: FlowDefinition,
  ): Promise<{ ok: true; version: number } | { ok: false; code: string; message: string }> {
    const { engine } = await ready;
    try {
      const stored = await engine.deploy(definition);
      await engine.discardDraft(definition.id);
      return { ok: true, version: stored.version };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return { ok: false, code: e.code ?? 'E_UNKNOWN', message: e.message ?? String(error) };
    }
  },
  /** Whether the flow's triggers are armed (`active`) or not (`inactive`). */
  async flowStatus(): Promise<'active' | 'inactive'> {
    const { engine, flow } = await ready;
    const listed = (await engine.listFlows({ status: ['active', 'inactive'] })).find(
      (f) => f.id === flow.id,
    );
    return listed?.status === 'inactive' ? 'inactive' : 'active';
  },
  /** Arms or disarms the flow's triggers (the flow lifecycle of the engine). */
  async setActive(active: boolean): Promise<'active' | 'inactive'> {
    const { engine, flow } = await ready;
    if (active) await engine.activate(flow.id);
    else await engine.deactivate(flow.id);
    return active ? 'active' : 'inactive';
  },
  /** Starts the latest deployed version; small amounts finish at once, large ones wait for an approval. */
  async runSample(amount: number): Promise<RunView | undefined> {
    const { engine } = await ready;
    const run = await engine.start(sampleFlow.id, { amount });
    return settleRun(engine, run.id);
  },
};

export type EngineWorkerApi = typeof api;

expose(api);
