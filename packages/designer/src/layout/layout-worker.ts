import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { expose } from 'comlink';
import { prepareLayout } from '../core/layout-flow.ts';
import { warmUpFlow } from '../core/layout-warm-up.ts';

/**
 * The layout worker: ELK, off the main thread, behind comlink. A module worker started from a
 * same-origin URL (`new URL('./layout-worker.js', import.meta.url)`), so it works under
 * `worker-src 'self'`; never a blob: or data: worker. Only this file and the main-thread
 * fallback import elkjs (~1.5 MB), so it stays out of the designer's main bundle.
 */

const elk = new ELK();
// elk.bundled.js, loaded in a worker, installs `self.onmessage` for its own worker protocol.
// comlink listens with addEventListener; clearing it keeps our messages away from ELK's handler.
self.onmessage = null;

const api = {
  /** Lays out an ELK JSON graph (see core/layout-graph.ts) and returns ELK's answer. */
  layout(graph: ElkNode): Promise<ElkNode> {
    return elk.layout(graph);
  },
  /**
   * One warm-up round (core/layout-warm-up.ts) on a flow of about `size` nodes, built here: the
   * main thread neither builds the graph nor receives ELK's answer, so warming up costs it
   * nothing while a designer draws its first flow.
   */
  async warmUp(size: number): Promise<void> {
    await elk.layout(prepareLayout(warmUpFlow(size)).graph.elk);
  },
};

export type LayoutWorkerApi = typeof api;

expose(api);
