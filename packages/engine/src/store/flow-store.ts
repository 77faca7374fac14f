import type { FlowDefinition } from '../model/flow.ts';
import type { FlowLifecycleStore } from './flow-state.ts';

/** One deployed version of a flow. */
export interface StoredFlow {
  readonly id: string;
  readonly version: number;
  readonly definition: FlowDefinition;
  /** Clock time of the deploy. */
  readonly deployedAt: number;
}

/** A flow's editable draft: saved as the user edits, not deployed, not validated. */
export interface StoredDraft {
  readonly id: string;
  readonly definition: FlowDefinition;
  /** Clock time of the save. */
  readonly savedAt: number;
}

export interface FlowSummary {
  readonly id: string;
  readonly name?: string;
  readonly latestVersion: number;
  readonly deployedAt: number;
}

/**
 * Where flows and their versions live. Versions are immutable: a deploy adds the next version,
 * and a run keeps the version it started with.
 */
export interface FlowStore {
  /** Stores `definition` as the next version of its flow and returns it with that version. */
  saveFlow(definition: FlowDefinition, deployedAt: number): Promise<StoredFlow>;
  /** A version of a flow (the latest when `version` is absent). */
  getFlow(id: string, version?: number): Promise<StoredFlow | undefined>;
  listFlows(): Promise<FlowSummary[]>;
  listVersions(id: string): Promise<number[]>;
  /** Stores (replaces) the draft of `definition.id`; deployed versions are not touched. */
  saveDraft(definition: FlowDefinition, savedAt: number): Promise<StoredDraft>;
  getDraft(id: string): Promise<StoredDraft | undefined>;
  deleteDraft(id: string): Promise<void>;

  // Lifecycle, aliases and schedule fire times (flow-state.ts): optional for older stores.
  getFlowState?: FlowLifecycleStore['getFlowState'];
  putFlowState?: FlowLifecycleStore['putFlowState'];
  listFlowStates?: FlowLifecycleStore['listFlowStates'];
  listDrafts?: FlowLifecycleStore['listDrafts'];
  getScheduleFire?: FlowLifecycleStore['getScheduleFire'];
  recordScheduleFire?: FlowLifecycleStore['recordScheduleFire'];
}
