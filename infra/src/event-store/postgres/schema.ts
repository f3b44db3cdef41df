import type { Migration } from '../../postgres/migrator.js';

/** Channel that append transactions notify on commit; one per schema so test schemas stay apart. */
export const notifyChannel = (schema: string): string => `np_events_${schema}`.slice(0, 63);

const columns = `
  global_position bigint not null default nextval('__S__.global_position'),
  transaction_id xid8 not null default pg_current_xact_id(),
  event_id uuid not null,
  stream_id text not null,
  stream_version bigint not null,
  category text not null,
  type text not null,
  data jsonb not null,
  metadata jsonb not null,
  recorded_at timestamptz not null default date_trunc('milliseconds', clock_timestamp())`;

/**
 * Decisions (device, alert, rule, organization streams) live in `events` forever. Telemetry
 * (observation and trap streams) lives in `telemetry_events`, range-partitioned by day on the time
 * the producer observed it, so retention drops whole partitions. Both share one global sequence and
 * are read in `(transaction_id, global_position)` order.
 */
export const eventStoreMigrations = (schema: string): Migration[] => [
  {
    id: '0001-event-store',
    sql: (s) =>
      `
create sequence if not exists __S__.global_position;

create table __S__.streams (
  stream_id text primary key,
  category text not null,
  version bigint not null,
  last_hash text not null,
  max_age_seconds integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table __S__.events (
  ${columns},
  constraint events_pkey primary key (global_position),
  constraint events_event_id_key unique (event_id),
  constraint events_stream_version_key unique (stream_id, stream_version)
);
create index events_order_idx on __S__.events (transaction_id, global_position);

create table __S__.telemetry_events (
  ${columns},
  occurred_at timestamptz not null,
  constraint telemetry_events_pkey primary key (global_position, occurred_at),
  constraint telemetry_events_event_id_key unique (event_id, occurred_at)
) partition by range (occurred_at);
create index telemetry_events_order_idx on __S__.telemetry_events (transaction_id, global_position);
create index telemetry_events_stream_idx on __S__.telemetry_events (stream_id, stream_version);

create function __S__.notify_append() returns trigger language plpgsql as $fn$
begin
  perform pg_notify('${notifyChannel(schema)}', '');
  return null;
end
$fn$;
create trigger events_notify after insert on __S__.events
  for each statement execute function __S__.notify_append();
create trigger telemetry_events_notify after insert on __S__.telemetry_events
  for each statement execute function __S__.notify_append();
`.replaceAll('__S__', s),
  },
  {
    // Guards an append planned from known stream heads: when another writer moved one of them, the
    // whole statement fails as a serialization failure (40001) and the writer retries with locks.
    id: '0002-expect-moved',
    sql: (s) => `
create function ${s}.expect_moved(moved bigint, expected bigint) returns boolean language plpgsql as $fn$
begin
  if moved <> expected then
    raise exception 'stream head moved since it was read (% of % as expected)', moved, expected
      using errcode = '40001';
  end if;
  return true;
end
$fn$;
`,
  },
  {
    // Telemetry is the write-hot table: nothing reads it by global position alone (readers use the
    // (transaction_id, global_position) index), so the primary key index was pure write cost.
    id: '0003-telemetry-without-primary-key',
    sql: (s) => `alter table ${s}.telemetry_events drop constraint telemetry_events_pkey;`,
  },
  {
    // The notification names the table appended to (the parent's name for a telemetry partition), so
    // a reader whose filter cannot match that table (every decision-only projection, for each of the
    // thousands of observation appends a second) need not wake up and query for nothing.
    id: '0004-notify-table-name',
    sql: (s) => `
create or replace function ${s}.notify_append() returns trigger language plpgsql as $fn$
begin
  perform pg_notify('${notifyChannel(schema)}', tg_table_name);
  return null;
end
$fn$;
`,
  },
  {
    // Appends notify after their commit, from the store (see notifyAppended), no longer from a
    // trigger inside the append transaction. A transaction that notifies holds a database-wide lock
    // from its pre-commit until its commit record is flushed, so every notifying append in the
    // database queued behind the fsync of the one before it: appends could not share a WAL flush,
    // and readers waited behind that queue (the horizon keeps them below every append in flight).
    id: '0005-notify-after-commit',
    sql: (s) => `
drop trigger if exists events_notify on ${s}.events;
drop trigger if exists telemetry_events_notify on ${s}.telemetry_events;
drop function if exists ${s}.notify_append();
`,
  },
  {
    // Telemetry's payload is written 5,000 times a second and read by every projection, never queried
    // inside by SQL: json keeps the text as it came (a syntax check on the way in, none on the way
    // out), where jsonb parsed it into its binary form on every insert and printed it again on every
    // read. Inserting 50 observations took 3.3 ms with jsonb and 1.6 ms with json (session 10,
    // docs/benchmarks.md). Only a store without telemetry rows is converted here: altering the
    // column rewrites every partition under an exclusive lock. An older store keeps jsonb, which
    // everything here reads and writes alike, until its operator converts it (README, "Event store").
    id: '0006-telemetry-json',
    sql: (s) => `
do $do$
begin
  if not exists (select 1 from ${s}.telemetry_events) then
    alter table ${s}.telemetry_events alter column data type json, alter column metadata type json;
  end if;
end
$do$;
`,
  },
];
