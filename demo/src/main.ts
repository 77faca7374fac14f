import '@millrace/designer/define';
import type { FlowDesignerBase } from '@millrace/designer';
import type { Engine, FlowDefinition, RunView } from '@millrace/engine';
import { connectEngine } from '@millrace/engine/worker';
import { createHttpClient } from '@millrace/adapters/http';
import { demoCatalog } from './catalog.ts';
import { remoteApi } from './remote-api.ts';
import { sampleFlow } from './sample-flow.ts';
import { startEngineWorker } from './start-engine-worker.ts';
import { watchRun, type WatchedRun } from './watch-run.ts';

const $ = <T extends HTMLElement>(selector: string): T => {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`The demo page is missing ${selector} (see demo/index.html).`);
  return found;
};
const designer = $<FlowDesignerBase>('#designer');
const modeLabel = $('#engine-mode');
const status = $('#engine-status');
const saved = $('#draft-status');
const deployButton = $<HTMLButtonElement>('#deploy');
const resetButton = $<HTMLButtonElement>('#reset');
const activateButton = $<HTMLButtonElement>('#activate');
const flowState = $('#flow-state');
const runButton = $<HTMLButtonElement>('#run');
const amountInput = $<HTMLInputElement>('#amount');

// A failure to start (no worker, a server that refuses or is gone) is shown, not only logged.
const showFailure = (error: unknown): void => {
  const e = (error ?? {}) as { code?: string; message?: string };
  const hint =
    e.code === 'E_HTTP_UNAUTHORIZED'
      ? ' Open the page with ?token=<the --token of the server>.'
      : '';
  status.textContent = `The engine failed: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}${hint}`;
};
addEventListener('unhandledrejection', (e) => showFailure(e.reason));
addEventListener('error', (e) => showFailure(e.error ?? e.message));

// The page served by `millrace serve` carries the API's address (a meta tag); anywhere else the
// engine runs in a Web Worker over IndexedDB. Both are the same `Engine`: nothing below differs.
const remote = remoteApi(document, location);
modeLabel.textContent = remote ? `remote: ${remote.baseUrl}` : 'local: IndexedDB + worker';
modeLabel.dataset['mode'] = remote ? 'remote' : 'local';
const engine: Engine = remote ? createHttpClient(remote) : connectEngine(await startEngineWorker());
const where = remote ? 'on the server' : 'in this browser';

/**
 * The flow to edit: the saved draft when there is one, else the latest deployed version; the
 * sample is deployed first where the flow does not exist yet. Asked through the listing, so a
 * fresh server answers no 404s (which a browser reports as console errors).
 */
async function openFlow(): Promise<{ flow: FlowDefinition; draft: boolean }> {
  const listed = (await engine.listFlows()).find((f) => f.id === sampleFlow.id);
  const draft = listed?.draftSavedAt === undefined ? undefined : await engine.getDraft(listed.id);
  if (draft) return { flow: draft.definition, draft: true };
  const deployed =
    (listed && listed.latestVersion > 0 ? await engine.getFlow(listed.id) : undefined) ??
    (await engine.deploy(sampleFlow as unknown as FlowDefinition));
  return { flow: deployed.definition, draft: false };
}

designer.catalog = demoCatalog;
const opened = await openFlow();
designer.flow = opened.flow;
saved.textContent = opened.draft ? `Draft restored from ${where}.` : 'No unsaved changes.';

// Every edit (and the layout the designer records) is saved as a draft, a moment after the
// last change, so a reload brings the work back.
let pending: ReturnType<typeof setTimeout> | undefined;
// An edit waits to be saved (the layout the designer records afterwards is saved with it).
let editPending = false;
designer.addEventListener('flow-change', (e) => {
  const { flow, change } = (e as CustomEvent<{ flow: FlowDefinition; change: { kind: string } }>)
    .detail;
  clearTimeout(pending);
  if (change.kind !== 'layout-recorded') {
    editPending = true;
    saved.textContent = 'Saving draft…';
  }
  pending = setTimeout(() => {
    engine.saveDraft(flow).then(
      () => {
        if (editPending) saved.textContent = `Draft saved ${where}.`;
        editPending = false;
      },
      (error: unknown) => {
        saved.textContent = `Draft not saved: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  }, 300);
});

deployButton.addEventListener('click', async () => {
  try {
    const stored = await engine.deploy(designer.flow as FlowDefinition);
    await engine.discardDraft(stored.definition.id);
    saved.textContent = `Deployed as version ${stored.version}.`;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    saved.textContent = `Not deployed (${e.code ?? 'E_UNKNOWN'}): ${e.message ?? String(error)}`;
  }
});
resetButton.addEventListener('click', async () => {
  await engine.discardDraft(sampleFlow.id);
  designer.flow = (await openFlow()).flow;
  saved.textContent = 'Back to the deployed flow.';
});

// The flow's lifecycle: its triggers armed (active) or not.
const showState = (state: 'active' | 'inactive'): void => {
  flowState.textContent =
    state === 'active' ? 'Active: triggers armed.' : 'Inactive: triggers off.';
  activateButton.textContent = state === 'active' ? 'Deactivate' : 'Activate';
};
const flowStatus = async (): Promise<'active' | 'inactive'> => {
  const listed = (await engine.listFlows({ status: ['active', 'inactive'] })).find(
    (f) => f.id === sampleFlow.id,
  );
  return listed?.status === 'inactive' ? 'inactive' : 'active';
};
showState(await flowStatus());
activateButton.addEventListener('click', async () => {
  if (activateButton.textContent === 'Activate') await engine.activate(sampleFlow.id);
  else await engine.deactivate(sampleFlow.id);
  showState(await flowStatus());
});

// Runs: the designer overlays the run shown (each card's status and duration, the timeline),
// kept current by the engine's live events until the run ends.
let watched: WatchedRun | undefined;
const showRun = (view: RunView): void => {
  designer.run = view;
  const logged = view.nodes.find((n) => n.nodeId === 'notify')?.logs[0]?.message;
  status.textContent = `Run ${view.runId} ${view.status} ${where} (flow version ${view.flowVersion})${logged ? `: ${logged}` : ''}.`;
  status.dataset['runId'] = view.runId;
  status.dataset['runStatus'] = view.status;
};
const follow = (runId: string): Promise<RunView> => {
  watched?.stop();
  watched = watchRun(engine, runId, showRun);
  return watched.settled;
};
/** Starts the latest deployed version; small amounts finish at once, large ones wait for an approval. */
const startRun = async (amount: number): Promise<RunView> =>
  follow((await engine.start(sampleFlow.id, { amount })).id);
runButton.addEventListener('click', () => {
  startRun(Number(amountInput.value) || 0).catch((error: unknown) => {
    status.textContent = `Run not started: ${error instanceof Error ? error.message : String(error)}`;
  });
});

// The latest run of the flow, or a first one: a small expense goes straight through.
const [latest] = await engine.listRuns({ flowId: sampleFlow.id, limit: 1 });
await (latest ? follow(latest.runId) : startRun(120));
await designer.layoutComplete;
// The screenshot step of CI (and the demo's browser tests) wait for this marker.
document.body.dataset['ready'] = 'true';
