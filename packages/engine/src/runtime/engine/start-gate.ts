import { MillraceError } from '../../errors/millrace-error.ts';
import type { IdSource } from '../../platform/ids.ts';
import type { StoredFlowState } from '../../store/flow-state.ts';
import type { CompiledFlow } from '../compile-flow.ts';
import { pickVersion } from './aliases.ts';
import type { RunHandle, StartOptions } from './engine-api.ts';
import { checkStartInput } from './start-input.ts';

/** The alias triggers start through when a flow has it. */
export const TRIGGER_ALIAS = 'production';

/** What stands before the run supervisor: lifecycle, version or alias, input schema. */
export interface StartGate {
  /**
   * `engine.start`: E_FLOW_DELETED for a deleted flow; `version` or `alias` picks the version
   * (the latest otherwise); the input is checked against that version's `input` schema
   * (E_INPUT_INVALID, nothing stored).
   */
  start(flowId: string, input: unknown, options: StartOptions): Promise<RunHandle>;
  /**
   * A trigger's start (schedule, event): nothing for a flow that is not active (another engine
   * on the store deactivated or deleted it); the `production` alias when the flow has one,
   * else the latest version. Trigger payloads are not checked against the input schema.
   */
  startTriggered(
    flowId: string,
    input: unknown,
    options: StartOptions,
  ): Promise<RunHandle | undefined>;
}

export function createStartGate(deps: {
  readonly state: (flowId: string) => Promise<StoredFlowState | undefined>;
  readonly compiled: (flowId: string, version?: number) => Promise<CompiledFlow>;
  readonly ids: IdSource;
  readonly start: (flowId: string, input: unknown, options: StartOptions) => Promise<RunHandle>;
}): StartGate {
  /** The options with the alias resolved to a version (a split picks by the run's id). */
  function route(
    flowId: string,
    state: StoredFlowState | undefined,
    name: string,
    options: StartOptions,
  ): StartOptions {
    const alias = state?.aliases[name];
    if (!alias) {
      const known = Object.keys(state?.aliases ?? {});
      throw new MillraceError(
        'E_ALIAS_NOT_FOUND',
        `Flow "${flowId}" has no alias "${name}" (${known.length ? `it has ${known.map((k) => `"${k}"`).join(', ')}` : 'it has none'}); set it with setAlias().`,
        { details: { flowId, alias: name } },
      );
    }
    // The run id is fixed before the version is chosen, so the same id always takes the same
    // version (a re-run, or a second engine starting the same scheduled fire).
    const runId = options.runId ?? (alias.versions.length > 1 ? deps.ids.runId() : undefined);
    return {
      ...options,
      version: pickVersion(alias.versions, runId ?? ''),
      alias: name,
      ...(runId === undefined ? {} : { runId }),
    };
  }

  return {
    async start(flowId, input, options) {
      if (options.version !== undefined && options.alias !== undefined) {
        throw new MillraceError(
          'E_INVALID_ARGUMENT',
          `start("${flowId}"): give a version or an alias, not both.`,
        );
      }
      const state = await deps.state(flowId);
      if (state?.deletedAt !== undefined) {
        throw new MillraceError(
          'E_FLOW_DELETED',
          `Flow "${flowId}" was deleted; it starts no runs (its runs stay readable).`,
          { details: { flowId } },
        );
      }
      const routed =
        options.alias === undefined ? options : route(flowId, state, options.alias, options);
      const flow = await deps.compiled(flowId, routed.version);
      const schema = flow.def.input;
      if (schema !== undefined && schema !== true) {
        checkStartInput(flowId, schema, input === undefined ? {} : input);
      }
      // Pinned to the version just checked, even if a deploy lands before the run is created.
      return deps.start(flowId, input, { ...routed, version: flow.version });
    },
    async startTriggered(flowId, input, options) {
      const state = await deps.state(flowId);
      if (state && (state.status !== 'active' || state.deletedAt !== undefined)) return undefined;
      const routed = state?.aliases[TRIGGER_ALIAS]
        ? route(flowId, state, TRIGGER_ALIAS, options)
        : options;
      return deps.start(flowId, input, routed);
    },
  };
}
