import {
  MillraceError,
  type CacheEntry,
  type ClaimOnceOptions,
  type FlowDefinition,
  type FlowStore,
  type FlowSummary,
  type LoadedRun,
  type RunEvent,
  type RunLeaseStore,
  type RunQuery,
  type RunStateSnapshot,
  type RunStore,
  type RunSummary,
  type StoredDraft,
  type StoredFlow,
  type StoredFlowState,
  type WaitingEntry,
  type WaitInfo,
  memoryLeases,
} from '@millrace/engine';
import type { SqlClient } from './sql-client.ts';
import { createGroupCommit } from './group-commit.ts';

export interface PostgresStore
  extends FlowStore, Omit<RunStore, keyof RunLeaseStore>, RunLeaseStore {
  readonly client: SqlClient;
  claimOnce(key: string, options: ClaimOnceOptions): Promise<boolean>;
  /** The tenant whose rows this store reads and writes. */
  readonly tenant: string;
  /** The same database seen as another tenant's store. */
  forTenant(tenant: string): PostgresStore;
  /** How many live leases `owner` holds at `now`, in every tenant (a graceful stop waits for them). */
  countLeases(owner: string, now: number): Promise<number>;
  /** Closes the database connection (every tenant's view of it). */
  close(): Promise<void>;
}

/** Postgres's unique_violation: another writer got there first. */
const UNIQUE_VIOLATION = '23505';

const FINISHED = ['succeeded', 'failed', 'cancelled'];

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function conflict(runId: string, expected: number, got: number): MillraceError {
  return new MillraceError(
    'E_STORE_CONFLICT',
    `Run "${runId}": append starts at seq ${got} but the log does not end at ${expected}; another engine wrote to this run.`,
    { details: { runId, expected: expected + 1, got } },
  );
}

/** One append as a single statement: the run row (checked), its events and its waiting index. */
const APPEND = /* sql */ `
with up as (
  update millrace_runs
     set status = $4, last_seq = $5, next_wake_at = $6, summary = $7::json, flow_id = $8
   where run_id = $1 and tenant = $2 and ($3::int is null or last_seq = $3)
  returning run_id
), ins as (
  insert into millrace_runs (tenant, run_id, flow_id, status, created_at, last_seq, next_wake_at, summary)
  select $2, $1, $8, $4, $9, $5, $6, $7::json where $3::int = 0
  on conflict (tenant, run_id) do nothing
  returning run_id
), ok as (
  select run_id from up union all select run_id from ins
), ev as (
  insert into millrace_events (tenant, run_id, seq, event)
  select $2, $1, (e->>'seq')::int, e from json_array_elements($10::json) e
   where exists (select 1 from ok)
), gone as (
  delete from millrace_waiting w
   where w.tenant = $2 and w.run_id = $1 and exists (select 1 from ok)
     and not (w.token = any($11::text[]))
), parked as (
  insert into millrace_waiting (tenant, token, run_id, flow_id, wait)
  select $2, w->>'token', $1, $8, w from json_array_elements($12::json) w
   where exists (select 1 from ok)
  on conflict (tenant, token) do update
     set run_id = excluded.run_id, flow_id = excluded.flow_id, wait = excluded.wait
)
select count(*)::int as ok from ok`;

/**
 * A FlowStore and RunStore in PostgreSQL, through a SqlClient: a PostgreSQL server (`pg`) or
 * PGlite in this process. The schema is migrate.ts's. Every append is one statement — the run's
 * row updated only where its last sequence number is the one the append continues, then its
 * events and waiting index — so it is atomic, and two engines can never fork a run's log
 * (`E_STORE_CONFLICT`). Every row carries its tenant; this store reads and writes only its own.
 */
/**
 * PGlite's run leases, kept in this process: a PGlite data directory is locked to the one
 * process that opened it (E_STORE_LOCKED), so only engines in this process can share its runs,
 * and a lease in memory guards them as well as a row would — without two statements (claim,
 * release) on PGlite's single connection for every run. One table per database and tenant,
 * shared by every view of it (forTenant); lost with the process, as a lapsed lease would be.
 */
const pgliteLeases = new WeakMap<SqlClient, Map<string, ReturnType<typeof memoryLeases>>>();

function inProcessLeases(client: SqlClient, tenant: string): ReturnType<typeof memoryLeases> {
  let tenants = pgliteLeases.get(client);
  if (!tenants) pgliteLeases.set(client, (tenants = new Map()));
  let leases = tenants.get(tenant);
  if (!leases) tenants.set(tenant, (leases = memoryLeases()));
  return leases;
}

export function createPostgresStore(
  client: SqlClient,
  options: { readonly tenant?: string } = {},
): PostgresStore {
  const tenant = options.tenant ?? 'default';
  const q = client.query.bind(client);
  // A server commits concurrent appends together; PGlite (one connection) runs them in turn.
  const appendRow =
    client.kind === 'pg'
      ? createGroupCommit(client, APPEND, { lanes: client.lanes, maxBatch: 32 })
      : async (params: readonly unknown[]) =>
          (await q<{ ok: number }>(APPEND, params)).rows[0]?.ok ?? 0;

  const local = client.kind === 'pglite' ? inProcessLeases(client, tenant) : undefined;

  const store: PostgresStore = {
    client,
    tenant,
    forTenant: (other) => createPostgresStore(client, { tenant: other }),
    close: () => client.close(),

    async saveFlow(definition: FlowDefinition, deployedAt: number): Promise<StoredFlow> {
      // The next version; a deploy of the same flow elsewhere at the same moment takes it first
      // (primary key), and this one tries the one after.
      for (let attempt = 0; ; attempt++) {
        const { rows } = await q<{ next: number }>(
          'select coalesce(max(version), 0) + 1 as next from millrace_flows where tenant = $1 and id = $2',
          [tenant, definition.id],
        );
        const version = rows[0]!.next;
        const stored: StoredFlow = {
          id: definition.id,
          version,
          definition: { ...definition, version },
          deployedAt,
        };
        try {
          await q(
            'insert into millrace_flows (tenant, id, version, definition, deployed_at) values ($1, $2, $3, $4::json, $5)',
            [tenant, definition.id, version, JSON.stringify(stored.definition), deployedAt],
          );
          return stored;
        } catch (error) {
          if (sqlState(error) !== UNIQUE_VIOLATION || attempt >= 20) throw error;
        }
      }
    },
    async getFlow(id, version) {
      const { rows } = await q<{
        version: number;
        definition: FlowDefinition;
        deployed_at: number;
      }>(
        version === undefined
          ? 'select version, definition, deployed_at from millrace_flows where tenant = $1 and id = $2 order by version desc limit 1'
          : 'select version, definition, deployed_at from millrace_flows where tenant = $1 and id = $2 and version = $3',
        version === undefined ? [tenant, id] : [tenant, id, version],
      );
      const row = rows[0];
      return row
        ? { id, version: row.version, definition: row.definition, deployedAt: row.deployed_at }
        : undefined;
    },
    async listFlows(): Promise<FlowSummary[]> {
      const { rows } = await q<{
        id: string;
        version: number;
        name: string | null;
        deployed_at: number;
      }>(
        `select distinct on (id) id, version, definition->>'name' as name, deployed_at
           from millrace_flows where tenant = $1 order by id, version desc`,
        [tenant],
      );
      return rows.map((r) => ({
        id: r.id,
        latestVersion: r.version,
        deployedAt: r.deployed_at,
        ...(r.name === null ? {} : { name: r.name }),
      }));
    },
    async listVersions(id) {
      const { rows } = await q<{ version: number }>(
        'select version from millrace_flows where tenant = $1 and id = $2 order by version',
        [tenant, id],
      );
      return rows.map((r) => r.version);
    },
    async saveDraft(definition, savedAt): Promise<StoredDraft> {
      await q(
        `insert into millrace_drafts (tenant, id, definition, saved_at) values ($1, $2, $3::json, $4)
         on conflict (tenant, id) do update set definition = excluded.definition, saved_at = excluded.saved_at`,
        [tenant, definition.id, JSON.stringify(definition), savedAt],
      );
      return { id: definition.id, definition, savedAt };
    },
    async getDraft(id) {
      const { rows } = await q<{ definition: FlowDefinition; saved_at: number }>(
        'select definition, saved_at from millrace_drafts where tenant = $1 and id = $2',
        [tenant, id],
      );
      const row = rows[0];
      return row ? { id, definition: row.definition, savedAt: row.saved_at } : undefined;
    },
    async deleteDraft(id) {
      await q('delete from millrace_drafts where tenant = $1 and id = $2', [tenant, id]);
    },

    async listDrafts() {
      const { rows } = await q<{ id: string; definition: FlowDefinition; saved_at: number }>(
        'select id, definition, saved_at from millrace_drafts where tenant = $1 order by id',
        [tenant],
      );
      return rows.map((r) => ({ id: r.id, definition: r.definition, savedAt: r.saved_at }));
    },
    async getFlowState(id) {
      const { rows } = await q<{ state: StoredFlowState }>(
        'select state from millrace_flow_states where tenant = $1 and id = $2',
        [tenant, id],
      );
      return rows[0]?.state;
    },
    async putFlowState(state) {
      await q(
        `insert into millrace_flow_states (tenant, id, state, updated_at) values ($1, $2, $3::json, $4)
         on conflict (tenant, id) do update set state = excluded.state, updated_at = excluded.updated_at`,
        [tenant, state.id, JSON.stringify(state), state.updatedAt],
      );
    },
    async listFlowStates() {
      const { rows } = await q<{ state: StoredFlowState }>(
        'select state from millrace_flow_states where tenant = $1 order by id',
        [tenant],
      );
      return rows.map((r) => r.state);
    },
    async getScheduleFire(flowId, triggerId) {
      const { rows } = await q<{ fired_at: number }>(
        'select fired_at from millrace_schedule_fires where tenant = $1 and flow_id = $2 and trigger_id = $3',
        [tenant, flowId, triggerId],
      );
      return rows[0]?.fired_at;
    },
    async recordScheduleFire(flowId, triggerId, firedAt) {
      // Never moves back: a late writer with an older fire time leaves the newer one.
      await q(
        `insert into millrace_schedule_fires (tenant, flow_id, trigger_id, fired_at) values ($1, $2, $3, $4)
         on conflict (tenant, flow_id, trigger_id) do update set fired_at = excluded.fired_at
          where millrace_schedule_fires.fired_at < excluded.fired_at`,
        [tenant, flowId, triggerId, firedAt],
      );
    },

    async append(runId: string, events: readonly RunEvent[], summary: RunSummary) {
      const first = events[0];
      const previous = first ? first.seq - 1 : null;
      let ok: number;
      try {
        ok = await appendRow([
          runId,
          tenant,
          previous,
          summary.status,
          summary.lastSeq,
          summary.nextWakeAt ?? null,
          JSON.stringify(summary),
          summary.flowId,
          summary.createdAt,
          JSON.stringify(events),
          summary.waiting.map((w) => w.token),
          JSON.stringify(summary.waiting),
        ]);
      } catch (error) {
        if (sqlState(error) === UNIQUE_VIOLATION && first)
          throw conflict(runId, previous!, first.seq);
        throw error;
      }
      if (ok === 1) return;
      if (!first) {
        throw new MillraceError('E_INVALID_ARGUMENT', `Run "${runId}" does not exist.`, {
          details: { runId },
        });
      }
      throw conflict(runId, previous!, first.seq);
    },
    async load(runId): Promise<LoadedRun | undefined> {
      const { rows } = await q<{
        summary: RunSummary;
        snap_seq: number | null;
        state: RunStateSnapshot | null;
        events: RunEvent[] | null;
      }>(
        `select r.summary, s.seq as snap_seq, s.state,
                (select json_agg(e.event order by e.seq) from millrace_events e
                  where e.tenant = r.tenant and e.run_id = r.run_id
                    and e.seq > coalesce(s.seq, 0)) as events
           from millrace_runs r
           left join millrace_snapshots s on s.tenant = r.tenant and s.run_id = r.run_id
          where r.run_id = $1 and r.tenant = $2`,
        [runId, tenant],
      );
      const row = rows[0];
      if (!row) return undefined;
      const events = row.events ?? [];
      return row.snap_seq !== null && row.state !== null
        ? { summary: row.summary, snapshot: { seq: row.snap_seq, state: row.state }, events }
        : { summary: row.summary, events };
    },
    async readEvents(runId, afterSeq = 0) {
      const { rows } = await q<{ event: RunEvent }>(
        'select event from millrace_events where tenant = $2 and run_id = $1 and seq > $3 order by seq',
        [runId, tenant, afterSeq],
      );
      return rows.map((r) => r.event);
    },
    async saveSnapshot(runId, seq, state) {
      const { rowCount } = await q(
        `insert into millrace_snapshots (tenant, run_id, seq, state)
         select $4, $1, $2, $3::json where exists (select 1 from millrace_runs where run_id = $1 and tenant = $4)
         on conflict (tenant, run_id) do update set seq = excluded.seq, state = excluded.state
          where millrace_snapshots.seq < excluded.seq`,
        [runId, seq, JSON.stringify(state), tenant],
      );
      if (rowCount === 0 && !(await store.getSummary(runId))) {
        throw new MillraceError(
          'E_INVALID_ARGUMENT',
          `Cannot snapshot run "${runId}": it has no events.`,
          { details: { runId } },
        );
      }
    },
    async getSummary(runId) {
      const { rows } = await q<{ summary: RunSummary }>(
        'select summary from millrace_runs where run_id = $1 and tenant = $2',
        [runId, tenant],
      );
      return rows[0]?.summary;
    },
    async listRuns(query: RunQuery = {}) {
      const statuses =
        query.status === undefined ? null : ([] as string[]).concat(query.status as string);
      const { rows } = await q<{ summary: RunSummary }>(
        `select summary from millrace_runs
          where tenant = $1 and ($2::text is null or flow_id = $2)
            and ($3::text[] is null or status = any($3::text[]))
            and ($4::double precision is null or created_at < $4)
            and ($6::double precision is null or created_at >= $6)
          order by created_at desc, run_id desc limit $5`,
        [
          tenant,
          query.flowId ?? null,
          statuses,
          query.before ?? null,
          query.limit ?? 50,
          query.since ?? null,
        ],
      );
      return rows.map((r) => r.summary);
    },
    async listUnfinished() {
      const { rows } = await q<{ summary: RunSummary }>(
        'select summary from millrace_runs where tenant = $1 and status <> all($2::text[])',
        [tenant, FINISHED],
      );
      return rows.map((r) => r.summary);
    },
    async findWaiting(token): Promise<WaitingEntry | undefined> {
      const { rows } = await q<{ wait: WaitInfo; run_id: string; flow_id: string }>(
        'select wait, run_id, flow_id from millrace_waiting where token = $1 and tenant = $2',
        [token, tenant],
      );
      const row = rows[0];
      return row ? { ...row.wait, runId: row.run_id, flowId: row.flow_id } : undefined;
    },
    async listWaiting(query = {}) {
      const { rows } = await q<{ wait: WaitInfo; run_id: string; flow_id: string }>(
        `select wait, run_id, flow_id from millrace_waiting
          where tenant = $1 and ($2::text is null or flow_id = $2) order by token`,
        [tenant, query.flowId ?? null],
      );
      return rows.map((r) => ({ ...r.wait, runId: r.run_id, flowId: r.flow_id }));
    },
    async claimRun(runId, owner, now, until) {
      if (local) return local.claimRun(runId, owner, now, until);
      // Free, lapsed or already the caller's: one upsert decides, whoever else claims at once.
      const { rows } = await q<{ owner: string }>(
        `insert into millrace_leases (tenant, run_id, owner, expires_at) values ($1, $2, $3, $5)
         on conflict (tenant, run_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
          where millrace_leases.owner = excluded.owner or millrace_leases.expires_at <= $4
         returning owner`,
        [tenant, runId, owner, now, until],
      );
      return rows.length === 1;
    },
    async renewRuns(owner, runIds, until) {
      if (local) return local.renewRuns(owner, runIds, until);
      if (runIds.length === 0) return [];
      const { rows } = await q<{ run_id: string }>(
        `update millrace_leases set expires_at = $3
          where tenant = $1 and owner = $2 and run_id = any($4::text[]) returning run_id`,
        [tenant, owner, until, [...runIds]],
      );
      const kept = new Set(rows.map((r) => r.run_id));
      return runIds.filter((id) => kept.has(id));
    },
    async claimDue(owner, now, until, limit) {
      if (local) {
        // Due runs oldest first, leaving out those with a live lease here (as many more rows as
        // there are leases, so `limit` free ones are found), claimed in memory.
        const { rows } = await q<{ run_id: string }>(
          `select run_id from millrace_runs
            where tenant = $1
              and (status in ('queued', 'running') or (status = 'waiting' and next_wake_at <= $2))
            order by created_at, run_id limit $3`,
          [tenant, now, limit + local.leases.size],
        );
        const claimed: string[] = [];
        for (const { run_id: runId } of rows) {
          if (claimed.length >= limit) break;
          const held = local.leases.get(runId);
          if (held && held.until > now) continue;
          if (await local.claimRun(runId, owner, now, until)) claimed.push(runId);
        }
        return claimed;
      }
      // Due runs without a live lease, locked with SKIP LOCKED so processes polling at the same
      // moment each take different runs instead of queueing on the same rows; the upsert's
      // condition still decides if a lease was renewed meanwhile.
      const { rows } = await q<{ run_id: string }>(
        `with due as (
           select r.run_id, r.created_at from millrace_runs r
            where r.tenant = $1
              and (r.status in ('queued', 'running')
                   or (r.status = 'waiting' and r.next_wake_at <= $3))
              and not exists (select 1 from millrace_leases l
                               where l.tenant = r.tenant and l.run_id = r.run_id
                                 and l.expires_at > $3)
            order by r.created_at, r.run_id
            limit $5
            for update of r skip locked
         )
         insert into millrace_leases (tenant, run_id, owner, expires_at)
         select $1, run_id, $2, $4 from due
         on conflict (tenant, run_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
          where millrace_leases.owner = excluded.owner or millrace_leases.expires_at <= $3
         returning run_id`,
        [tenant, owner, now, until, limit],
      );
      return rows.map((r) => r.run_id);
    },
    async releaseRun(runId, owner) {
      if (local) return local.releaseRun(runId, owner);
      await q('delete from millrace_leases where tenant = $1 and run_id = $2 and owner = $3', [
        tenant,
        runId,
        owner,
      ]);
    },
    async countLeases(owner, now) {
      if (local) {
        let n = 0;
        for (const leases of pgliteLeases.get(client)?.values() ?? []) {
          for (const lease of leases.leases.values()) {
            if (lease.owner === owner && lease.until > now) n++;
          }
        }
        return n;
      }
      const { rows } = await q<{ n: number }>(
        'select count(*)::int as n from millrace_leases where owner = $1 and expires_at > $2',
        [owner, now],
      );
      return rows[0]?.n ?? 0;
    },

    async getCache(key, now): Promise<CacheEntry | undefined> {
      const { rows } = await q<{ value: unknown; expires_at: number }>(
        'select value, expires_at from millrace_cache where tenant = $1 and key = $2',
        [tenant, key],
      );
      const row = rows[0];
      if (!row) return undefined;
      if (row.expires_at <= now) {
        await q('delete from millrace_cache where tenant = $1 and key = $2 and expires_at <= $3', [
          tenant,
          key,
          now,
        ]);
        return undefined;
      }
      return { value: row.value, expiresAt: row.expires_at };
    },
    async putCache(key, entry: CacheEntry) {
      await q(
        `insert into millrace_cache (tenant, key, value, expires_at) values ($1, $2, $3::json, $4)
         on conflict (tenant, key) do update set value = excluded.value, expires_at = excluded.expires_at`,
        [tenant, key, JSON.stringify(entry.value), entry.expiresAt],
      );
    },
    async claimOnce(key, { now, expiresAt }) {
      // One upsert decides: the insert wins on a free key, the update only over an expired
      // entry; a claim that finds a live one returns no row. Concurrent claims of one key
      // queue on its row (or its unique index), so exactly one of them sees it free.
      const { rows } = await q(
        `insert into millrace_cache (tenant, key, value, expires_at) values ($1, $2, 'true', $4)
         on conflict (tenant, key) do update set value = excluded.value, expires_at = excluded.expires_at
          where millrace_cache.expires_at <= $3
         returning 1`,
        [tenant, key, now, expiresAt],
      );
      return rows.length === 1;
    },
  };
  return store;
}
