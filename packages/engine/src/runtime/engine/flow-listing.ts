import type { AliasWeight, FlowStatus } from '../../store/flow-state.ts';

// The lifecycle's public types (engine-api.ts uses them; flow-lifecycle.ts implements them).

/**
 * A flow's place in the lifecycle, as listFlows reports it: `draft` (saved, never deployed),
 * `active` (deployed, triggers armed) or `inactive` (deployed, triggers disarmed).
 */
export type FlowListingStatus = 'draft' | FlowStatus;

/** One flow in listFlows. */
export interface FlowListing {
  readonly id: string;
  readonly name?: string;
  readonly status: FlowListingStatus;
  /** The latest deployed version; 0 for a flow that is only a draft. */
  readonly latestVersion: number;
  /** Clock time of the latest deploy (absent for a draft). */
  readonly deployedAt?: number;
  /** Clock time of the draft's last save, when the flow has a draft. */
  readonly draftSavedAt?: number;
  /**
   * True when the flow has unpublished edits: a draft and no version, or a draft saved after
   * the latest deploy. listFlows({ status: 'draft' }) lists exactly these.
   */
  readonly draftPending: boolean;
  /** The flow's aliases and the versions they route to. */
  readonly aliases: Readonly<Record<string, readonly AliasWeight[]>>;
}

export interface ListFlowsQuery {
  /**
   * `active`, `inactive`: deployed flows in that state; `draft`: flows with unpublished edits
   * (`draftPending`), deployed or not. Several statuses: any of them. Absent: every flow that is
   * not deleted, drafts included.
   */
  readonly status?: FlowListingStatus | readonly FlowListingStatus[];
}

export interface DeployOptions {
  /**
   * True (the default, as before lifecycles existed): the flow becomes active and its triggers
   * are armed. False: a new flow starts inactive, and an existing one keeps its status (an
   * active flow's triggers then start the `production` alias when it is set, else this version).
   */
  readonly activate?: boolean;
}
