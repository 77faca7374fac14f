import { runInNewContext } from 'node:vm';
import {
  createEngine,
  settle,
  type CodeRunner,
  type FlowDefinition,
  type RunView,
} from '@millrace/engine';

/**
 * Runs an imported flow on the real engine. Code nodes go through a test code runner that
 * calls `main` with the node input's fields by parameter name, the convention imported code
 * needs (docs/import-openflow.md, "Code steps").
 */
export const byNameRunner: CodeRunner = async ({ code, input }) => {
  const source = code.replace(/\bexport\s+(?=(async\s+)?function\b)/g, '');
  const main = runInNewContext(`${source}\n;main`, { Error, JSON, Array, Object }) as (
    ...args: unknown[]
  ) => unknown;
  const params = /^[^(]*\(([^)]*)\)/.exec(main.toString())?.[1] ?? '';
  const names = params
    .split(',')
    .map((p) => p.trim().split(/[=:]/)[0]?.trim() ?? '')
    .filter((p) => p !== '');
  const args = (input ?? {}) as Record<string, unknown>;
  return main(...names.map((name) => structuredClone(args[name])));
};

export interface EngineRun {
  readonly status: RunView['status'];
  /** What the caller gets: the returned value, else the output (onFailure's for a failed run). */
  readonly output: unknown;
  readonly view: RunView;
}

export async function runOnEngine(flow: FlowDefinition, input: unknown): Promise<EngineRun> {
  const engine = createEngine({ codeRunner: byNameRunner });
  try {
    await engine.deploy(flow);
    const run = await engine.start(flow.id, input);
    for (let i = 0; i < 400; i++) {
      const view = await engine.getRun(run.id);
      if (
        view &&
        (view.status === 'succeeded' || view.status === 'failed' || view.status === 'cancelled')
      ) {
        // A `return` answers early; the caller's result is the run's output.
        const output = view.status === 'succeeded' ? await run.result() : view.output;
        return { status: view.status, output, view };
      }
      await settle(50);
    }
    throw new Error(`run ${run.id} of ${flow.id} did not finish`);
  } finally {
    await engine.close();
  }
}
