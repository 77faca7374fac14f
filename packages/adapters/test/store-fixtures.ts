import { foldEvents, type RunEvent, type RunSummary } from '@millrace/engine';

/** Events and summaries for store tests that write a run's log by hand. */
export const T0 = Date.UTC(2026, 0, 1);

export const created = (runId: string): RunEvent => ({
  type: 'RunCreated',
  seq: 1,
  at: T0,
  runId,
  flowId: 'f',
  flowVersion: 1,
  input: null,
  trigger: { kind: 'api' },
  vars: {},
});

export const logged = (seq: number): RunEvent => ({
  type: 'NodeLogged',
  seq,
  at: T0 + seq,
  path: 'a',
  level: 'info',
  message: `m${seq}`,
});

/** The summary the engine would write with `events`. */
export const summaryOf = (events: readonly RunEvent[]): RunSummary => {
  const s = foldEvents(events)!;
  return {
    runId: s.runId,
    flowId: s.flowId,
    flowVersion: s.flowVersion,
    status: s.status,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    waiting: [],
    lastSeq: s.lastSeq,
  };
};
