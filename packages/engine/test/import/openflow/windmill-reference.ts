import { runInNewContext } from 'node:vm';

/**
 * A model of how Windmill runs an OpenFlow document, for differential tests of the importer:
 * the same document run here and, imported, by the reference interpreter (simulate.ts) must
 * give the same result. It covers what the fuzzer generates — deno scripts called by parameter
 * name, identity, for and while loops (skip_failures, breaks), branchone, branchall,
 * stop_after_if, stop_after_all_iters_if, skip_if, mock, continue_on_error — following
 * Windmill's worker (worker_flow.rs, 1.5xx): branches and loop iterations run as sub-flows of
 * the flow input (plus `iter`), an early stop in a sub-flow stops its parent (a loop: breaks),
 * an empty branchone branch yields [], an empty branchall branch its input.
 */

type Json = Record<string, unknown>;

export class WindmillFailure extends Error {}

interface Outcome {
  readonly result: unknown;
  readonly stopped: boolean;
}

export interface WindmillRun {
  readonly status: 'succeeded' | 'failed';
  readonly output: unknown;
}

export function runWindmill(doc: Json, input: Json, maxWhileIterations = 20): WindmillRun {
  const value = doc['value'] as Json;
  const modules = (value['modules'] as Json[]) ?? [];
  try {
    const out = runModules(modules, input, input, maxWhileIterations);
    return { status: 'succeeded', output: modules.length === 0 ? input : out.result };
  } catch (err) {
    if (err instanceof WindmillFailure) return { status: 'failed', output: undefined };
    throw err;
  }
}

function runModules(modules: readonly Json[], args: Json, previous: unknown, max: number): Outcome {
  let prev = previous;
  for (const m of modules) {
    const out = runModule(m, args, prev, max);
    if (out.stopped) return out;
    prev = out.result;
  }
  return { result: prev, stopped: false };
}

function evalJs(expr: string, vars: Json): unknown {
  return runInNewContext(`(${expr})`, {
    ...vars,
    Array,
    Object,
    JSON,
    Number,
    String,
    Boolean,
    Math,
  });
}

function evalTransform(t: Json, vars: Json): unknown {
  return t['type'] === 'static' ? structuredClone(t['value']) : evalJs(t['expr'] as string, vars);
}

function runModule(m: Json, args: Json, prev: unknown, max: number): Outcome {
  const value = (m['value'] ?? {}) as Json;
  const type = value['type'];
  const vars = {
    flow_input: args,
    previous_result: prev,
    result: prev,
    resume: null,
    resumes: [],
    approvers: [],
  };
  let result: unknown;
  const mock = m['mock'] as Json | undefined;
  const skip = m['skip_if'] as Json | undefined;
  if (mock?.['enabled'] === true) result = mock['return_value'] ?? null;
  else if (skip && Boolean(evalJs(skip['expr'] as string, vars))) result = prev;
  else {
    const out = runValue(m, value, args, prev, max);
    if (out.stopped) return out;
    result = out.result;
  }
  // A mocked step runs as an identity job: its stop_after_if is a plain early stop.
  const mocked = mock?.['enabled'] === true;
  const isLoop = type === 'forloopflow' || type === 'whileloopflow';
  const stop = (
    !mocked && (isLoop || type === 'branchall') ? m['stop_after_all_iters_if'] : m['stop_after_if']
  ) as Json | undefined;
  if (
    stop &&
    Boolean(evalJs(stop['expr'] as string, { flow_input: args, result, previous_result: result }))
  ) {
    if (typeof stop['error_message'] === 'string') throw new WindmillFailure(stop['error_message']);
    return { result, stopped: true };
  }
  return { result, stopped: false };
}

function runValue(m: Json, value: Json, args: Json, prev: unknown, max: number): Outcome {
  const vars = {
    flow_input: args,
    previous_result: prev,
    result: prev,
    resume: null,
    resumes: [],
    approvers: [],
  };
  switch (value['type']) {
    case 'rawscript': {
      const inputs: Json = {};
      for (const [k, t] of Object.entries((value['input_transforms'] ?? {}) as Json))
        inputs[k] = structuredClone(evalTransform(t as Json, vars));
      try {
        return { result: callByName(value['content'] as string, inputs), stopped: false };
      } catch (err) {
        if (m['continue_on_error'] === true)
          return { result: { error: { message: (err as Error).message } }, stopped: false };
        throw new WindmillFailure((err as Error).message);
      }
    }
    case 'identity':
      return { result: prev, stopped: false };
    case 'forloopflow':
    case 'whileloopflow': {
      const body = (value['modules'] as Json[]) ?? [];
      const isWhile = value['type'] === 'whileloopflow';
      const items = isWhile ? undefined : evalTransform(value['iterator'] as Json, vars);
      if (!isWhile && !Array.isArray(items))
        throw new WindmillFailure('Expected an array value in the iterator expression');
      if (body.length === 0) return { result: [], stopped: false };
      const results: unknown[] = [];
      const loopStop = m['stop_after_if'] as Json | undefined;
      const parallel = value['parallel'] === true;
      let broke = false;
      for (let i = 0; isWhile ? i < max : i < (items as unknown[]).length; i++) {
        const iterArgs = withIter(args, { index: i, value: isWhile ? i : (items as unknown[])[i] });
        const start = isSimple(body) ? prev : iterArgs;
        let out: Outcome;
        try {
          out = runModules(body, iterArgs, start, max);
        } catch (err) {
          if (!(err instanceof WindmillFailure) || value['skip_failures'] !== true) throw err;
          results.push({ error: { message: err.message } });
          continue;
        }
        results.push(out.result);
        if (out.stopped && !parallel) {
          broke = true;
          break;
        }
        if (
          loopStop &&
          !parallel &&
          Boolean(
            evalJs(loopStop['expr'] as string, {
              flow_input: args,
              result: out.result,
              previous_result: out.result,
            }),
          )
        ) {
          broke = true;
          break;
        }
      }
      // Windmill has no cap; the imported loop's maxWhileIterations fails the run when reached.
      if (isWhile && !broke) throw new WindmillFailure('maxIterations reached');
      return { result: results, stopped: false };
    }
    case 'branchone': {
      const branches = (value['branches'] as Json[]) ?? [];
      const taken = branches.find((b) => Boolean(evalJs(b['expr'] as string, vars)));
      const modules = ((taken ? taken['modules'] : value['default']) as Json[]) ?? [];
      if (modules.length === 0) return { result: [], stopped: false };
      return runModules(modules, args, args, max);
    }
    case 'branchall': {
      // Each branch is a sub-flow: an early stop ends that branch with the step's result, the
      // other branches still run, and the parent stops after the branchall with all results.
      const results: unknown[] = [];
      let stopped = false;
      for (const b of (value['branches'] as Json[]) ?? []) {
        const modules = (b['modules'] as Json[]) ?? [];
        if (modules.length === 0) {
          results.push(args);
          continue;
        }
        try {
          const out = runModules(modules, args, args, max);
          if (out.stopped) stopped = true;
          results.push(out.result);
        } catch (err) {
          if (!(err instanceof WindmillFailure) || b['skip_failure'] !== true) throw err;
          results.push({ error: { message: err.message } });
        }
      }
      return { result: results, stopped };
    }
    default:
      throw new Error(`the Windmill model cannot run ${String(value['type'])}`);
  }
}

/** Windmill adds `iter` to a loop body's input, renaming an enclosing loop's to `iter_parent`. */
function withIter(args: Json, iter: Json): Json {
  const out: Json = { ...args };
  const push = (key: string, v: unknown): void => {
    if (key in out) push(`${key}_parent`, out[key]);
    out[key] = v;
  };
  push('iter', iter);
  return out;
}

/** Windmill runs a one-step body without options directly (with the loop's previous result). */
function isSimple(body: readonly Json[]): boolean {
  if (body.length !== 1) return false;
  const m = body[0] as Json;
  const type = (m['value'] as Json | undefined)?.['type'];
  if (type !== 'rawscript' && type !== 'script' && type !== 'flow') return false;
  const options = [
    'sleep',
    'suspend',
    'cache_ttl',
    'retry',
    'stop_after_if',
    'stop_after_all_iters_if',
    'skip_if',
  ];
  return (
    !options.some((o) => m[o] !== undefined && m[o] !== null) &&
    (m['mock'] as Json | undefined)?.['enabled'] !== true
  );
}

function callByName(content: string, inputs: Json): unknown {
  const source = content.replace(/\bexport\s+(?=(async\s+)?function\b)/g, '');
  const main = runInNewContext(`${source}\n;main`, { Error }) as (...a: unknown[]) => unknown;
  const params = /^[^(]*\(([^)]*)\)/.exec(main.toString())?.[1] ?? '';
  const names = params
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return structuredClone(main(...names.map((n) => inputs[n])));
}
