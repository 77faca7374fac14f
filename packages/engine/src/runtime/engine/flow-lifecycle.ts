import { MillraceError } from '../../errors/millrace-error.ts';
import type { FlowDefinition } from '../../model/flow.ts';
import type { Clock } from '../../platform/clock.ts';
import type { FlowLifecycleStore, FlowStatus, StoredFlowState } from '../../store/flow-state.ts';
import type { FlowStore, StoredFlow } from '../../store/flow-store.ts';
import { aliasWeights, type AliasTarget } from './aliases.ts';
import type {
  DeployOptions,
  FlowListing,
  FlowListingStatus,
  ListFlowsQuery,
} from './flow-listing.ts';
import type { Triggers } from './triggers.ts';

/** The lifecycle of deployed flows: status, deletion, aliases, and what the triggers arm. */
export interface FlowLifecycle {
  /** After a deploy: applies `activate` and (re-)arms the triggers of an active flow. */
  deployed(stored: StoredFlow, options?: DeployOptions): Promise<void>;
  activate(flowId: string): Promise<void>;
  deactivate(flowId: string): Promise<void>;
  deleteFlow(flowId: string): Promise<void>;
  listFlows(query?: ListFlowsQuery): Promise<FlowListing[]>;
  setAlias(flowId: string, name: string, target: AliasTarget): Promise<void>;
  removeAlias(flowId: string, name: string): Promise<void>;
  /** The stored state of a flow (undefined: deployed before lifecycles, i.e. active). */
  state(flowId: string): Promise<StoredFlowState | undefined>;
  /** The latest version of every active flow (the triggers arm these). */
  armed(): Promise<FlowDefinition[]>;
}

/**
 * Creates the lifecycle part of an engine over its FlowStore (and its lifecycle records). It
 * arms and disarms triggers through `triggers` as statuses change.
 */
export function createFlowLifecycle(deps: {
  readonly store: FlowStore;
  readonly records: FlowLifecycleStore;
  readonly clock: Clock;
  readonly triggers: () => Triggers;
}): FlowLifecycle {
  const { store, records, clock } = deps;

  /** The flow's latest version, or E_FLOW_NOT_FOUND / E_FLOW_DELETED. */
  async function deployedFlow(flowId: string) {
    const [latest, state] = await Promise.all([
      store.getFlow(flowId),
      records.getFlowState(flowId),
    ]);
    if (!latest) {
      throw new MillraceError(
        'E_FLOW_NOT_FOUND',
        `No flow "${flowId}" is deployed; call deploy() first.`,
        { details: { flowId } },
      );
    }
    if (state?.deletedAt !== undefined) {
      throw new MillraceError(
        'E_FLOW_DELETED',
        `Flow "${flowId}" was deleted; deploy it again to use it.`,
        { details: { flowId } },
      );
    }
    return { latest, state };
  }

  async function write(
    flowId: string,
    previous: StoredFlowState | undefined,
    change: Partial<StoredFlowState>,
  ) {
    const next: StoredFlowState = {
      id: flowId,
      status: previous?.status ?? 'active',
      aliases: previous?.aliases ?? {},
      ...(previous?.deletedAt === undefined ? {} : { deletedAt: previous.deletedAt }),
      ...change,
      updatedAt: clock.now(),
    };
    await records.putFlowState(next);
    return next;
  }

  return {
    async deployed(stored, options = {}) {
      const previous = await records.getFlowState(stored.id);
      const deleted = previous?.deletedAt !== undefined;
      let status: FlowStatus = 'active';
      if (options.activate === false) {
        // A new flow starts inactive; an existing one keeps its status (one deployed before
        // lifecycles existed, with no record, is active).
        if (deleted || (!previous && stored.version === 1)) status = 'inactive';
        else status = previous?.status ?? 'active';
      }
      if (previous?.deletedAt !== undefined) {
        // A deploy after deleteFlow starts afresh: the next version number, no aliases.
        await records.putFlowState({ id: stored.id, status, aliases: {}, updatedAt: clock.now() });
      } else if ((previous?.status ?? 'active') !== status) {
        await write(stored.id, previous, { status });
      }
      if (status === 'active') await deps.triggers().deployed(stored.definition);
    },
    async activate(flowId) {
      const { latest, state } = await deployedFlow(flowId);
      if (state?.status !== 'active') await write(flowId, state, { status: 'active' });
      await deps.triggers().deployed(latest.definition);
    },
    async deactivate(flowId) {
      const { state } = await deployedFlow(flowId);
      deps.triggers().disarm(flowId);
      if ((state?.status ?? 'active') !== 'inactive')
        await write(flowId, state, { status: 'inactive' });
    },
    async deleteFlow(flowId) {
      const [latest, state, draft] = await Promise.all([
        store.getFlow(flowId),
        records.getFlowState(flowId),
        store.getDraft(flowId),
      ]);
      if ((!latest || state?.deletedAt !== undefined) && !draft) {
        throw new MillraceError('E_FLOW_NOT_FOUND', `No flow "${flowId}" to delete.`, {
          details: { flowId },
        });
      }
      deps.triggers().disarm(flowId);
      // Versions stay in the store: the flow's runs keep pointing at them (getRun, a designer
      // showing a past run). Runs in flight finish on their version.
      if (latest && state?.deletedAt === undefined) {
        await write(flowId, state, { status: 'inactive', deletedAt: clock.now() });
      }
      if (draft) await store.deleteDraft(flowId);
    },
    async listFlows(query = {}) {
      const wanted =
        query.status === undefined ? undefined : ([] as FlowListingStatus[]).concat(query.status);
      const [summaries, states, drafts] = await Promise.all([
        store.listFlows(),
        records.listFlowStates(),
        records.listDrafts(),
      ]);
      const stateOf = new Map(states.map((s) => [s.id, s]));
      const draftOf = new Map(drafts.map((d) => [d.id, d]));
      const out: FlowListing[] = [];
      const aliasesOf = (state: StoredFlowState | undefined) =>
        Object.fromEntries(Object.entries(state?.aliases ?? {}).map(([k, a]) => [k, a.versions]));
      for (const f of summaries) {
        const state = stateOf.get(f.id);
        if (state?.deletedAt !== undefined) continue;
        const draft = draftOf.get(f.id);
        draftOf.delete(f.id);
        out.push({
          id: f.id,
          ...(f.name === undefined ? {} : { name: f.name }),
          status: state?.status ?? 'active',
          latestVersion: f.latestVersion,
          deployedAt: f.deployedAt,
          ...(draft ? { draftSavedAt: draft.savedAt } : {}),
          draftPending: draft !== undefined && draft.savedAt > f.deployedAt,
          aliases: aliasesOf(state),
        });
      }
      for (const draft of draftOf.values()) {
        const name = (draft.definition as { name?: unknown }).name;
        out.push({
          id: draft.id,
          ...(typeof name === 'string' ? { name } : {}),
          status: 'draft',
          latestVersion: 0,
          draftSavedAt: draft.savedAt,
          draftPending: true,
          aliases: {},
        });
      }
      out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      if (!wanted) return out;
      return out.filter((f) =>
        wanted.some((s) => (s === 'draft' ? f.draftPending : f.status === s)),
      );
    },
    async setAlias(flowId, name, target) {
      const { state } = await deployedFlow(flowId);
      const versions = aliasWeights(flowId, name, target, await store.listVersions(flowId));
      await write(flowId, state, {
        aliases: { ...(state?.aliases ?? {}), [name]: { versions, updatedAt: clock.now() } },
      });
    },
    async removeAlias(flowId, name) {
      const { state } = await deployedFlow(flowId);
      if (!state?.aliases[name]) return;
      const aliases = { ...state.aliases };
      delete aliases[name];
      await write(flowId, state, { aliases });
    },
    state: (flowId) => records.getFlowState(flowId),
    async armed() {
      const states = new Map((await records.listFlowStates()).map((s) => [s.id, s]));
      const out: FlowDefinition[] = [];
      for (const summary of await store.listFlows()) {
        const state = states.get(summary.id);
        if (state && (state.status !== 'active' || state.deletedAt !== undefined)) continue;
        const stored = await store.getFlow(summary.id);
        if (stored) out.push(stored.definition);
      }
      return out;
    },
  };
}
