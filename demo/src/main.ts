import { wrap } from 'comlink';
import '@millrace/designer/define';
import type { FlowDesignerBase } from '@millrace/designer';
import type { FlowDefinition } from '@millrace/engine';
import type { EngineWorkerApi } from './engine-worker.ts';
import { demoCatalog } from './catalog.ts';

const designer = document.querySelector<FlowDesignerBase>('#designer');
const status = document.querySelector<HTMLElement>('#engine-status');
const saved = document.querySelector<HTMLElement>('#draft-status');
const deployButton = document.querySelector<HTMLButtonElement>('#deploy');
const resetButton = document.querySelector<HTMLButtonElement>('#reset');
const activateButton = document.querySelector<HTMLButtonElement>('#activate');
const flowState = document.querySelector<HTMLElement>('#flow-state');
if (
  !designer ||
  !status ||
  !saved ||
  !deployButton ||
  !resetButton ||
  !activateButton ||
  !flowState
) {
  throw new Error(
    'demo page is missing one of #designer, #engine-status, #draft-status, #deploy, #reset, #activate, #flow-state',
  );
}

const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module' });
const engine = wrap<EngineWorkerApi>(worker);

designer.catalog = demoCatalog;
const opened = await engine.openFlow();
designer.flow = opened.flow;
saved.textContent = opened.draft ? 'Draft restored from this browser.' : 'No unsaved changes.';

// Every edit (and the layout the designer records) is saved as a draft in IndexedDB, a moment
// after the last change, so a reload brings the work back.
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
        if (editPending) saved.textContent = 'Draft saved in this browser.';
        editPending = false;
      },
      (error: unknown) => {
        saved.textContent = `Draft not saved: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  }, 300);
});

deployButton.addEventListener('click', async () => {
  const result = await engine.deploy(designer.flow as FlowDefinition);
  saved.textContent = result.ok
    ? `Deployed as version ${result.version}.`
    : `Not deployed (${result.code}): ${result.message}`;
});
resetButton.addEventListener('click', async () => {
  await engine.discardDraft();
  const fresh = await engine.openFlow();
  designer.flow = fresh.flow;
  saved.textContent = 'Back to the deployed flow.';
});

// The flow's lifecycle: its triggers armed (active) or not.
const showState = (state: 'active' | 'inactive'): void => {
  flowState.textContent =
    state === 'active' ? 'Active: triggers armed.' : 'Inactive: triggers off.';
  activateButton.textContent = state === 'active' ? 'Deactivate' : 'Activate';
};
showState(await engine.flowStatus());
activateButton.addEventListener('click', async () => {
  showState(await engine.setActive(activateButton.textContent === 'Activate'));
});

const reply = await engine.ping();
// A first run in the worker: a small expense goes straight through, no approval needed.
const run = await engine.runSample(120);
const logged = run?.nodes.find((n) => n.nodeId === 'notify')?.logs[0]?.message;
// The designer overlays the run: each card's status and duration, and the run timeline.
if (run) designer.run = run;
status.textContent = reply.ok
  ? `Engine ready in a Web Worker (flow version ${reply.flowVersion}). Sample run ${run?.status ?? 'missing'}: ${logged ?? 'no log'}.`
  : 'Engine failed to start.';
await designer.layoutComplete;
// The screenshot step of CI waits for this marker.
document.body.dataset['ready'] = 'true';
