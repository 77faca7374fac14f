/**
 * The flow lifecycle beside the immutable versions (engine: store/flow-state.ts): each flow's
 * status, deletion and aliases as one record, and the last fire time of each schedule trigger.
 */
export const sql = /* sql */ `
create table millrace_flow_states (
  tenant     text             not null,
  id         text             not null,
  state      json             not null,
  updated_at double precision not null,
  primary key (tenant, id)
);

create table millrace_schedule_fires (
  tenant     text             not null,
  flow_id    text             not null,
  trigger_id text             not null,
  fired_at   double precision not null,
  primary key (tenant, flow_id, trigger_id)
);
`;
