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
 * Reads the global log after a checkpoint. Only rows of transactions older than every transaction
 * still running are visible, so an event whose transaction commits late is never skipped: readers
 * wait for it instead of moving past it.
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
    (table) => `(select ${eventColumns()} from ${s}.${table}
       where (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
         and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         ${filters.join(' ')}
       order by ${table}.transaction_id, ${table}.global_position limit $3)`,
  );
  const { rows } = await pool.query<EventRow>(
    `select * from (${selects.join(' union all ')}) visible order by transaction_id::xid8, global_position limit $3`,
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
