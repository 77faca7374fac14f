import type { StoredDraft } from './flow-store.ts';

/**
 * Whether a deployed flow's triggers are armed (`active`) or not (`inactive`). Manual starts
 * work in both; only a deleted flow refuses them.
 */
export type FlowStatus = 'active' | 'inactive';

/** One version an alias routes to, with its share of the runs (0–100, all shares sum to 100). */
export interface AliasWeight {
  readonly version: number;
  readonly percent: number;
}

/** A named pointer to versions (`production`, `canary`), as stored. */
export interface StoredAlias {
  readonly versions: readonly AliasWeight[];
  /** Clock time of the last setAlias. */
  readonly updatedAt: number;
}

/**
 * The mutable part of a flow beside its immutable versions: lifecycle status, deletion and
 * aliases. A deployed flow without a stored state is `active` (flows deployed before the
 * lifecycle existed had their triggers armed by deploy).
 */
export interface StoredFlowState {
  readonly id: string;
  readonly status: FlowStatus;
  /** Clock time of deleteFlow: the flow starts no runs and leaves listFlows; its runs stay. */
  readonly deletedAt?: number;
  readonly aliases: Readonly<Record<string, StoredAlias>>;
  /** Clock time of the last change. */
  readonly updatedAt: number;
}

/**
 * What a FlowStore keeps for the lifecycle, aliases and schedules. These methods are optional in
 * the FlowStore interface so stores written before them still compile; the engine keeps the
 * same data in memory for such a store (lost on restart). Every store of this repository
 * implements them, and the conformance suite checks them.
 */
export interface FlowLifecycleStore {
  getFlowState(id: string): Promise<StoredFlowState | undefined>;
  /** Replaces the state of `state.id`. */
  putFlowState(state: StoredFlowState): Promise<void>;
  listFlowStates(): Promise<StoredFlowState[]>;
  /** Every stored draft (listFlows({ status: 'draft' })). */
  listDrafts(): Promise<StoredDraft[]>;
  /** The last fire time recorded for a schedule trigger of a flow. */
  getScheduleFire(flowId: string, triggerId: string): Promise<number | undefined>;
  /** Records a fire time; an earlier time than the stored one leaves it unchanged. */
  recordScheduleFire(flowId: string, triggerId: string, firedAt: number): Promise<void>;
}
