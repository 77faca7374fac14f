import { wrap } from 'comlink';
import '@millrace/designer/define';
import type { FlowDesignerBase } from '@millrace/designer';
import type { EngineWorkerApi } from './engine-worker.ts';
import { sampleFlow } from './sample-flow.ts';

const designer = document.querySelector<FlowDesignerBase>('#designer');
const status = document.querySelector<HTMLElement>('#engine-status');
if (!designer || !status) throw new Error('demo page is missing #designer or #engine-status');

designer.flow = sampleFlow;

const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module' });
const engine = wrap<EngineWorkerApi>(worker);

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
