/**
 * The first schema: flows and drafts, runs with their event logs, snapshots, the waiting index
 * and the step cache. Every row belongs to a tenant; a store only ever reads its own tenant's.
 * SQL that PostgreSQL 15 (Debian's server) and PGlite (PostgreSQL 18) both accept.
 *
 * Values the engine reads back whole (definitions, events, summaries, snapshots) are `json`,
 * not `jsonb`: they are never queried inside, and `json` keeps their text as written (key
 * order included) and costs no conversion on insert. What is queried has its own column.
 */
export const sql = /* sql */ `
create table millrace_flows (
  tenant      text             not null,
  id          text             not null,
  version     integer          not null,
  definition  json             not null,
  deployed_at double precision not null,
  primary key (tenant, id, version)
);

create table millrace_drafts (
  tenant     text             not null,
  id         text             not null,
  definition json             not null,
  saved_at   double precision not null,
  primary key (tenant, id)
);

create table millrace_runs (
  tenant        text             not null,
  run_id        text             not null,
  flow_id       text             not null,
  status        text             not null,
  created_at    double precision not null,
  last_seq      integer          not null,
  next_wake_at  double precision,
  summary       json             not null,
  primary key (tenant, run_id)
);
create index millrace_runs_by_tenant on millrace_runs (tenant, created_at desc, run_id desc);
create index millrace_runs_by_flow on millrace_runs (tenant, flow_id, created_at desc, run_id desc);
create index millrace_runs_unfinished on millrace_runs (tenant)
  where status not in ('succeeded', 'failed', 'cancelled');

create table millrace_events (
  tenant text    not null,
  run_id text    not null,
  seq    integer not null,
  event  json    not null,
  primary key (tenant, run_id, seq)
);

create table millrace_snapshots (
  tenant text    not null,
  run_id text    not null,
  seq    integer not null,
  state  json    not null,
  primary key (tenant, run_id)
);

create table millrace_waiting (
  tenant  text not null,
  token   text not null,
  run_id  text not null,
  flow_id text not null,
  wait    json not null,
  primary key (tenant, token)
);
create index millrace_waiting_by_run on millrace_waiting (tenant, run_id);
create index millrace_waiting_by_flow on millrace_waiting (tenant, flow_id);

create table millrace_cache (
  tenant     text             not null,
  key        text             not null,
  value      json             not null,
  expires_at double precision not null,
  primary key (tenant, key)
);
`;
