import type { FlowStore, StoredDraft } from './flow-store.ts';
import type { FlowLifecycleStore, StoredFlowState } from './flow-state.ts';

/**
 * The lifecycle methods of `store`, or for a store written before they existed, the same
 * behaviour in memory (lost on restart), so such a store keeps working with this engine.
 */
export function flowLifecycleStore(store: FlowStore): FlowLifecycleStore {
  if (
    store.getFlowState &&
    store.putFlowState &&
    store.listFlowStates &&
    store.listDrafts &&
    store.getScheduleFire &&
    store.recordScheduleFire
  ) {
    return store as FlowStore & FlowLifecycleStore;
  }
  return memoryLifecycle(() => Promise.resolve([]));
}

/** Lifecycle records in memory (the memory store's, and the fallback above). */
export function memoryLifecycle(drafts: () => Promise<StoredDraft[]>): FlowLifecycleStore & {
  readonly states: Map<string, StoredFlowState>;
  readonly fires: Map<string, number>;
} {
  const states = new Map<string, StoredFlowState>();
  const fires = new Map<string, number>();
  const key = (flowId: string, triggerId: string) => `${flowId}\u0000${triggerId}`;
  return {
    states,
    fires,
    async getFlowState(id) {
      return states.get(id);
    },
    async putFlowState(state) {
      states.set(state.id, state);
    },
    async listFlowStates() {
      return [...states.values()];
    },
    listDrafts: drafts,
    async getScheduleFire(flowId, triggerId) {
      return fires.get(key(flowId, triggerId));
    },
    async recordScheduleFire(flowId, triggerId, firedAt) {
      const k = key(flowId, triggerId);
      const previous = fires.get(k);
      if (previous === undefined || previous < firedAt) fires.set(k, firedAt);
    },
  };
}
