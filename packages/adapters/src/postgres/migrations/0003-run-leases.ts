/**
 * Run ownership (engine: store/run-lease.ts): who executes a run, until when. A claim is one
 * conditional upsert, so two processes claiming the same run at once cannot both win.
 */
export const sql = /* sql */ `
create table millrace_leases (
  tenant     text             not null,
  run_id     text             not null,
  owner      text             not null,
  expires_at double precision not null,
  primary key (tenant, run_id)
);
create index millrace_leases_by_owner on millrace_leases (tenant, owner);
`;
