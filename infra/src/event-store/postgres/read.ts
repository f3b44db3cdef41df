import {
  type EventFilter,
  isTelemetryStream,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type ReadStreamResult,
  telemetryCategories,
  validationFailed,
} from '@netpulse/domain';
import type pg from 'pg';
import { quoteIdent } from '../../postgres/pool.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';
import { type EventRow, eventColumns, toRecordedEvent } from './rows.js';

const MAX_LIMIT = 10_000;
const boundedLimit = (limit: number | undefined, fallback: number): number => {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1)
    throw validationFailed(`limit must be a positive integer, got ${value}`);
  return Math.min(value, MAX_LIMIT);
};

export const readStream = async (
  pool: pg.Pool,
  schema: string,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<ReadStreamResult> => {
  const s = quoteIdent(schema);
  const table = isTelemetryStream(streamId) ? 'telemetry_events' : 'events';
  const backwards = options.direction === 'backwards';
  const conditions = ['e.stream_id = $1'];
  const params: unknown[] = [streamId];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  if (options.from !== undefined)
    add(backwards ? 'e.stream_version <= ?' : 'e.stream_version >= ?', options.from);
  if (options.to !== undefined)
    add(backwards ? 'e.stream_version >= ?' : 'e.stream_version <= ?', options.to);
  if (options.toTimestamp !== undefined) add('e.recorded_at <= ?', options.toTimestamp);
  params.push(boundedLimit(options.limit, MAX_LIMIT));
  // One round trip: the stream head (its version, its retention) joined with the page of events.
  // Like EventStoreDB's $maxAge, expired events are invisible even before their storage is dropped.
  const { rows } = await pool.query<EventRow & { current_version: bigint }>(
    `select h.version as current_version, page.* from ${s}.streams h
     left join lateral (
       select ${eventColumns('e')} from ${s}.${table} e
       where ${conditions.join(' and ')}
         and (h.max_age_seconds is null or e.recorded_at > now() - make_interval(secs => h.max_age_seconds))
       order by e.stream_version ${backwards ? 'desc' : 'asc'} limit $${params.length}
     ) page on true
     where h.stream_id = $1`,
    params,
  );
  const head = rows[0];
  if (!head) return { currentVersion: null, events: [] };
  return {
    currentVersion: head.current_version,
    events: head.event_id === null ? [] : rows.map(toRecordedEvent),
  };
};

const tablesFor = (filter: EventFilter | undefined): string[] => {
  const categories = filter?.categories;
  if (!categories || categories.length === 0) return ['events', 'telemetry_events'];
  const tables: string[] = [];
  if (categories.some((category) => !telemetryCategories.has(category))) tables.push('events');
  if (categories.some((category) => telemetryCategories.has(category))) tables.push('telemetry_events');
  return tables;
};

/**
 * The horizon below which every event row is final: the oldest transaction still appending to this
 * store, or the snapshot's xmax when none is. Appends take a lock on `streams` (FOR UPDATE or the
 * head update) before they write anything, so an in-progress transaction that holds no such lock
 * will never insert an event with its (older) id: readers need not wait for it. That keeps a
 * read-model transaction, a long report or any other writer in the cluster from stalling every
 * reader, where the plain `pg_snapshot_xmin` horizon waits for all of them. A transaction that was in
 * the snapshot but has already gone from pg_locks (it ended between the two reads) counts as an
 * appender: its rows are invisible to this snapshot, so the horizon must stay below it.
 */
const appendHorizon = (streamsTable: string) => `(
  with snap as materialized (select pg_current_snapshot() as s),
  running as materialized (
    select l.transactionid as xid, l.pid from pg_locks l
    where l.locktype = 'transactionid' and l.mode = 'ExclusiveLock'
  ),
  appending as materialized (
    select distinct r.pid from pg_locks r
    where r.locktype = 'relation' and r.relation = to_regclass('${streamsTable}')
      and r.mode in ('RowShareLock', 'RowExclusiveLock')
  )
  select coalesce(
    (select min(x) from snap, pg_snapshot_xip(snap.s) as x
     where not exists (select 1 from running where running.xid = xid(x))
        or exists (select 1 from running join appending using (pid) where running.xid = xid(x))),
    (select pg_snapshot_xmax(s) from snap)
  ))`;

/**
 * Reads the global log after a checkpoint. Only rows below the append horizon are read, so an event
 * whose transaction commits late is never skipped: readers wait for it instead of moving past it.
 */
export const readAll = async (
  pool: pg.Pool,
  schema: string,
  options: ReadAllOptions = {},
): Promise<ReadAllResult> => {
  const s = quoteIdent(schema);
  const after = decodeCheckpoint(options.after);
  const limit = boundedLimit(options.limit, 1_000);
  const params: unknown[] = [after.transactionId.toString(), after.globalPosition.toString(), limit];
  const filters: string[] = [];
  if (options.filter?.eventTypes?.length) {
    params.push(options.filter.eventTypes);
    filters.push(`and type = any($${params.length}::text[])`);
  }
  if (options.filter?.categories?.length) {
    params.push(options.filter.categories);
    filters.push(`and category = any($${params.length}::text[])`);
  }
  // The ORDER BY is qualified: bare, `transaction_id` would name the select list's text cast, so
  // PostgreSQL would sort every remaining row as text (no index; '100000' < '99999' across a digit
  // boundary, so a page's LIMIT could skip events behind its checkpoint).
  const selects = tablesFor(options.filter).map(
    (table) => `(select ${eventColumns()} from ${s}.${table}, horizon
       where (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
         and transaction_id < horizon.h
         ${filters.join(' ')}
       order by ${table}.transaction_id, ${table}.global_position limit $3)`,
  );
  const { rows } = await pool.query<EventRow>(
    `with horizon as materialized (select ${appendHorizon(`${s}.streams`)} as h)
     select * from (${selects.join(' union all ')}) visible order by transaction_id::xid8, global_position limit $3`,
    params,
  );
  const events = rows.map(toRecordedEvent);
  const last = events[events.length - 1];
  return {
    events,
    checkpoint: last ? last.checkpoint : encodeCheckpoint(after),
    caughtUp: events.length < limit,
  };
};
