import {
  type Checkpoint,
  type EventFilter,
  isTelemetryStream,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  telemetryCategories,
  validationFailed,
} from '@netpulse/domain';
import { prepared } from '@netpulse/projections';
import pg from 'pg';
import { forEachRow } from '../../postgres/for-each-row.js';
import { quoteIdent } from '../../postgres/pool.js';
import { decodeCheckpoint, encodeCheckpoint, type PgPosition } from './checkpoint.js';
import { type EventTuple, eventColumns, tupleToRecordedEvent } from './rows.js';

const { escapeLiteral } = pg;

const MAX_LIMIT = 10_000;
const rawColumns =
  'global_position, transaction_id, event_id, stream_id, stream_version, type, data::text as data, metadata::text as metadata, recorded_at';
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
  // Named, so each connection plans it once: the read is two index lookups, and planning them anew
  // for every command's load cost PostgreSQL ten times the execution (0.15 against 0.01 ms).
  // The page's columns first and the head's version last, as arrays: each row is an EventTuple
  // for the one row converter the log reads use, with the version after it.
  const { rows } = await pool.query<[...EventTuple, bigint]>({
    ...prepared(
      `select page.*, h.version as current_version from ${s}.streams h
     left join lateral (
       select ${eventColumns('e')} from ${s}.${table} e
       where ${conditions.join(' and ')}
         and (h.max_age_seconds is null or e.recorded_at > now() - make_interval(secs => h.max_age_seconds))
       order by e.stream_version ${backwards ? 'desc' : 'asc'} limit $${params.length}
     ) page on true
     where h.stream_id = $1`,
      params,
    ),
    rowMode: 'array',
  });
  const head = rows[0];
  if (!head) return { currentVersion: null, events: [] };
  return {
    currentVersion: head[9],
    events: head[2] === null ? [] : rows.map((row) => tupleToRecordedEvent(row as unknown as EventTuple)),
  };
};

/** The tables (unqualified names, as notifications name them) a filter can match rows of. */
export const tablesFor = (filter: EventFilter | undefined): string[] => {
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
        or exists (select 1 from running join appending using (pid) where running.xid = xid(x))
        -- A committing transaction releases its locks in no set order: once it has dropped its
        -- streams lock but not yet its xid lock it looks running-but-not-appending, so its status
        -- decides (committed rows it wrote are still outside our snapshot and must be waited for).
        or pg_xact_status(x) <> 'in progress'),
    (select pg_snapshot_xmax(s) from snap)
  ))`;

/** A page of the log, and whether an append still in flight may hide events past it. */
export type LogPage = Readonly<{ result: ReadAllResult; heldBack: boolean }>;

/**
 * Reads the global log after a checkpoint. Only rows below the append horizon are read, so an event
 * whose transaction commits late is never skipped: readers wait for it instead of moving past it.
 */
export const readAll = async (
  pool: pg.Pool,
  schema: string,
  options: ReadAllOptions = {},
): Promise<ReadAllResult> => (await readPage(pool, schema, options)).result;

/**
 * readAll, also telling whether the horizon was below the snapshot's end: then rows of a transaction
 * still appending (to any table) hide what follows, and the reader must wake up again when any
 * append commits, not only one to the tables it reads.
 */
export const readPage = async (
  pool: pg.Pool,
  schema: string,
  options: ReadAllOptions = {},
): Promise<LogPage> => {
  const s = quoteIdent(schema);
  const after = decodeCheckpoint(options.after);
  const limit = boundedLimit(options.limit, 1_000);
  // Values go inline (as checked numbers and escaped literals): the statement travels in one
  // simple-protocol message with the SET LOCAL below, which takes no parameters.
  const filters: string[] = [];
  const list = (values: readonly string[]) =>
    `array[${values.map((value) => escapeLiteral(value)).join(', ')}]::text[]`;
  if (options.filter?.eventTypes?.length) filters.push(`and type = any(${list(options.filter.eventTypes)})`);
  if (options.filter?.categories?.length)
    filters.push(`and category = any(${list(options.filter.categories)})`);
  // Each branch returns its page already in log order (its order index) and the outer ORDER BY
  // names those same raw columns, so PostgreSQL merges the branches (Merge Append) and stops after
  // `limit` rows. Casting `transaction_id` to text inside a branch would hide that order: the planner
  // then fetched `limit` rows from every table and sorted them all (on disk past work_mem), which
  // cost 6x the page's own scan. The text cast (pg has no xid8 parser) happens last, outside.
  const selects = tablesFor(options.filter).map(
    (table) => `(select ${rawColumns} from ${s}.${table}
       where (transaction_id, global_position) > ('${after.transactionId}'::xid8, ${after.globalPosition}::bigint)
         and transaction_id < (select h from horizon)
         ${filters.join(' ')}
       order by transaction_id, global_position limit ${limit})`,
  );
  // Sorts and bitmap scans off for this statement only (SET LOCAL inside the message's implicit
  // transaction): without statistics on a young partition (before autoanalyze, or with autovacuum
  // off) the planner underestimates the rows after a checkpoint, collects every one of them (bitmap
  // or sequential scan) and sorts them to return the first `limit`. A reader that fell behind then
  // paid for its whole backlog on every page, fell further behind, and never caught up. The ordered
  // index scan stops after `limit` rows whatever the statistics say. JIT off as well: a disabled
  // node still in the plan (the sort over an empty branch, before the day's first telemetry
  // partition exists) counts 10^10 in the plan's cost, which made PostgreSQL JIT-compile a
  // 500-row read for 1.4 s, holding a lock that stalled the partition's creation and every append.
  // The page, then one sentinel row (event id null) saying whether the horizon held anything back.
  const events: RecordedEvent[] = [];
  let heldBack = false;
  let horizon = after.transactionId;
  await forEachRow<PageRow>(
    pool,
    `set local enable_bitmapscan = off; set local enable_sort = off; set local jit = off;
     with horizon as materialized (
       select ${appendHorizon(`${s}.streams`)} as h, pg_snapshot_xmax(pg_current_snapshot()) as x)
     (select ${eventColumns('visible')}, null::boolean from (${selects.join(' union all ')}) visible
      order by visible.transaction_id, visible.global_position limit ${limit})
     union all
     select null, h::text, null, null, null, null, null, null, null, h < x from horizon`,
    (row) => {
      if (row[2] === null) {
        heldBack = row[9] === true;
        horizon = BigInt(row[1] as string);
      } else events.push(tupleToRecordedEvent(row as unknown as EventTuple));
    },
  );
  const last = events[events.length - 1];
  return {
    result: {
      events,
      checkpoint: last ? last.checkpoint : scannedTo(after, horizon),
      caughtUp: events.length < limit,
    },
    heldBack,
  };
};

/**
 * Where a read that found nothing resumes: past every row below the horizon, all of them final and
 * none of them matching. Staying at `after` made a reader whose filter rarely matches (alert rules,
 * organizations) walk the whole log since its last match on every read: the only index is the log
 * order, so the filter is applied row by row, and that walk grew with the fleet's history.
 * (h, 0) is before every row of transaction h (global positions start at 1) and after every row of
 * an older one.
 */
const scannedTo = (after: PgPosition, horizon: bigint): Checkpoint =>
  horizon > after.transactionId
    ? encodeCheckpoint({ transactionId: horizon, globalPosition: 0n })
    : encodeCheckpoint(after);

/** An event row plus the held-back flag, or the sentinel: the horizon, other event columns null, flag set. */
type PageRow = [...EventTuple, boolean | null] | [null, string, ...null[], boolean | null];
