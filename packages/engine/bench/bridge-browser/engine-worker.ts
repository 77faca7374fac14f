// The worker side of worker-bridge.bench.ts: an engine served through exposeEngine.
import { createEngine } from '@millrace/engine';
import { exposeEngine } from '@millrace/engine/worker';

exposeEngine(createEngine());
