// The options of engine.rerun and engine.replay (their own file: engine-api.ts and
// test-runs.ts both need them, and test-runs.ts needs engine-api.ts).

/** `engine.rerun(runId, options)`. */
export interface RerunOptions {
  /**
   * A node of the flow's top level: it and everything not upstream of it run again; the nodes
   * upstream of it are not executed, their recorded outputs are reused (marked `reused`).
   */
  readonly fromNode: string;
}

/** `engine.replay(runId, options)`. */
export interface ReplayOptions {
  /** The state after the events up to this sequence number (default: the whole log). */
  readonly untilSeq?: number;
}
