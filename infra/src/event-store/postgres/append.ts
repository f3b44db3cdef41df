import {
  type AppendResult,
  type ExpectedVersion,
  isTelemetryStream,
  type StreamAppend,
  streamCategory,
  VersionConflictError,
} from '@netpulse/domain';
import type pg from 'pg';
import { quoteIdent } from '../../postgres/pool.js';
import { type ChainedEvent, chainEvents, GENESIS_HASH, type HashableEvent } from '../hash-chain.js';
import { appendTopic } from './append-topics.js';
import { encodeCheckpoint } from './checkpoint.js';
import type { KnownHead } from './head-cache.js';
import { occurredAt } from './telemetry.js';

type Head = { version: bigint; hash: string; inDatabase: boolean };
type StoredRef = { streamId: string; streamVersion: bigint; transactionId: bigint; globalPosition: bigint };

export type AppendMode = Readonly<{
  /** Look up already-stored event ids first (the retry path after a duplicate id was detected). */
  checkExisting: boolean;
  now: Date;
  /** Open the transaction here; otherwise the caller already has. */
  begin: boolean;
}>;

const expectationHolds = (expected: ExpectedVersion, head: Head | undefined): boolean => {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return head === undefined;
  if (expected === 'exists') return head !== undefined;
  return head !== undefined && head.version === expected;
};

export type AppendOutcome = Readonly<{
  results: AppendResult[];
  /** Every touched stream's head after the append, for the head cache. */
  heads: ReadonlyMap<string, KnownHead>;
  /** What received events (append-topics.ts): what to notify readers of once committed. */
  written: ReadonlySet<string>;
}>;

const writtenTopics = (planned: Plan): Set<string> =>
  new Set(
    planned.pending.filter((append) => append.appended > 0).map((append) => appendTopic(append.streamId)),
  );

/**
 * Appends within one transaction (opened here when `mode.begin`, committed by the caller): stream
 * heads are locked in stream-id order (no deadlock between batches touching the same streams), then
 * versions and hash chains are computed from what was locked.
 */
export const appendLocked = async (
  client: pg.ClientBase,
  schema: string,
  appends: readonly StreamAppend[],
  mode: AppendMode,
): Promise<AppendOutcome> => {
  const s = quoteIdent(schema);
  const streamIds = [...new Set(appends.map((append) => append.streamId))].sort();
  const lockHeads = `select stream_id, version, last_hash from ${s}.streams
     where stream_id = any(array[${streamIds.map((id) => client.escapeLiteral(id)).join(',')}]::text[])
     order by stream_id for update`;
  // Opening the transaction in the same round trip as the lock saves one network exchange per append.
  const headRows = (
    mode.begin
      ? ((await client.query(`begin; ${lockHeads}`)) as unknown as pg.QueryResult[])[1]!
      : await client.query(lockHeads)
  ) as pg.QueryResult<{ stream_id: string; version: bigint; last_hash: string }>;
  const lockedHeads = new Map<string, Head>(
    headRows.rows.map((row) => [
      row.stream_id,
      { version: row.version, hash: row.last_hash, inDatabase: true },
    ]),
  );
  let existing = mode.checkExisting ? await storedEvents(client, s, appends) : null;
  let planned: Plan;
  try {
    planned = plan(appends, lockedHeads, existing ?? new Map(), mode.now);
  } catch (error) {
    // A conflicting expectation may just be the retry of an append that is already stored.
    if (!(error instanceof VersionConflictError) || existing) throw error;
    existing = await storedEvents(client, s, appends);
    planned = plan(appends, lockedHeads, existing, mode.now);
  }
  return {
    results: await writePlan(client, s, planned, lockedHeads),
    heads: planned.heads,
    written: writtenTopics(planned),
  };
};

/**
 * The optimistic path: with every head already known, one autocommit statement moves the heads
 * (only where version and hash are still what we knew) and inserts the events. When a head moved
 * meanwhile, the statement fails as a serialization failure and changes nothing; returns null when
 * the known heads cannot serve this append at all.
 */
export const appendWithKnownHeads = async (
  client: pg.ClientBase,
  schema: string,
  appends: readonly StreamAppend[],
  known: (streamId: string) => KnownHead | undefined,
  now: Date,
): Promise<AppendOutcome | null> => {
  const heads = new Map<string, Head>();
  for (const append of appends) {
    if (heads.has(append.streamId)) continue;
    const head = known(append.streamId);
    if (!head || append.expectedVersion === 'no-stream') return null;
    if (typeof append.expectedVersion === 'bigint' && append.expectedVersion !== head.version) return null;
    heads.set(append.streamId, { ...head, inDatabase: true });
  }
  const planned = plan(appends, heads, new Map(), now);
  return {
    results: await writePlan(client, quoteIdent(schema), planned, heads),
    heads: planned.heads,
    written: writtenTopics(planned),
  };
};

/** One statement: create and move heads (guarded on the heads the plan started from), insert the rows. */
const writePlan = async (
  client: pg.ClientBase,
  s: string,
  planned: Plan,
  startedFrom: ReadonlyMap<string, Head>,
): Promise<AppendResult[]> => {
  const { heads, decisions, telemetry, pending, results } = planned;
  if (pending.length === 0) return results as AppendResult[];
  const created = [...heads].filter(([, head]) => !head.inDatabase);
  const moved = [...heads].filter(([, head]) => head.inDatabase);
  const movedFrom = moved.map(([id]) => startedFrom.get(id)!);
  const params: unknown[] = [
    JSON.stringify(
      created.map(([id, head]) => ({
        stream_id: id,
        category: streamCategory(id),
        version: head.version.toString(),
        last_hash: head.hash,
      })),
    ),
    moved.map(([id]) => id),
    moved.map(([, head]) => head.version.toString()),
    moved.map(([, head]) => head.hash),
    movedFrom.map((was) => was.version.toString()),
    movedFrom.map((was) => was.hash),
    moved.length,
  ];
  // Only tables that get rows are inserted into (no empty insert to plan and run).
  const inserts: string[] = [];
  if (decisions.size > 0) {
    params.push(decisions.toJson());
    inserts.push(`decisions as (
       insert into ${s}.events (event_id, stream_id, stream_version, category, type, data, metadata)
       select event_id, stream_id, stream_version, category, type, data, metadata
       from json_to_recordset($${params.length}::json)
         as r(event_id uuid, stream_id text, stream_version bigint, category text, type text, data jsonb, metadata jsonb)
       cross join guard
       returning event_id::text, transaction_id::text, global_position
     )`);
  }
  if (telemetry.size > 0) {
    params.push(telemetry.toJson());
    inserts.push(`telemetry as (
       insert into ${s}.telemetry_events (event_id, stream_id, stream_version, category, type, data, metadata, occurred_at)
       select event_id, stream_id, stream_version, category, type, data, metadata, occurred_at
       from json_to_recordset($${params.length}::json)
         as r(event_id uuid, stream_id text, stream_version bigint, category text, type text, data json, metadata json, occurred_at timestamptz)
       cross join guard
       returning event_id::text, transaction_id::text, global_position
     )`);
  }
  // The moved heads come as arrays, not a JSON document: PostgreSQL sizes unnest() by its arrays but
  // guesses 100 rows for json_to_recordset(), and for that guess it hashed the whole streams table
  // (a sequential scan of every device and observation stream, 5 ms at 10,000 devices) to move the
  // one or two heads of a command. `= any(ids)` keeps the heads on the primary key whatever the join.
  const { rows } = await client.query<{ event_id: string; transaction_id: string; global_position: bigint }>(
    `with new_heads as (
       insert into ${s}.streams (stream_id, category, version, last_hash)
       select stream_id, category, version, last_hash from json_to_recordset($1::json)
         as r(stream_id text, category text, version bigint, last_hash text)
     ), moved_heads as (
       update ${s}.streams h set version = u.version, last_hash = u.last_hash, updated_at = now()
       from unnest($2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::text[])
         as u(stream_id, version, last_hash, was_version, was_hash)
       where h.stream_id = any($2::text[])
         and h.stream_id = u.stream_id and h.version = u.was_version and h.last_hash = u.was_hash
       returning h.stream_id
     ), guard as (
       select ${s}.expect_moved((select count(*) from moved_heads), $7::bigint) as ok
     ), ${inserts.join(', ')}
     ${inserts.map((insert) => `select * from ${insert.slice(0, insert.indexOf(' as ('))}`).join(' union all ')}`,
    params,
  );
  const positions = new Map(rows.map((row) => [row.event_id, row]));
  for (const entry of pending) {
    const row = positions.get(entry.lastEventId)!;
    results[entry.index] = {
      streamId: entry.streamId,
      nextExpectedVersion: entry.nextExpectedVersion,
      appended: entry.appended,
      checkpoint: encodeCheckpoint({
        transactionId: BigInt(row.transaction_id),
        globalPosition: row.global_position,
      }),
    };
  }
  return results as AppendResult[];
};

type Plan = {
  heads: Map<string, Head>;
  decisions: Rows;
  telemetry: Rows;
  pending: {
    index: number;
    streamId: string;
    lastEventId: string;
    nextExpectedVersion: bigint;
    appended: number;
  }[];
  results: (AppendResult | undefined)[];
};

/** Decides versions and hashes for every append, or throws the first version conflict. */
const plan = (
  appends: readonly StreamAppend[],
  lockedHeads: ReadonlyMap<string, Head>,
  existing: ReadonlyMap<string, StoredRef>,
  now: Date,
): Plan => {
  const heads = new Map(lockedHeads);

  const decisions = new Rows();
  const telemetry = new Rows();
  const pending: Plan['pending'] = [];
  const results: (AppendResult | undefined)[] = [];

  appends.forEach((append, index) => {
    const stored = append.events.map((event) => existing.get(event.id));
    const fresh = append.events.filter((_, i) => stored[i] === undefined);
    if (fresh.length === 0) {
      // Every event is already stored: an idempotent retry, answered with what was stored.
      const last = stored.reduce((a, b) => (a && b && a.globalPosition > b.globalPosition ? a : b))!;
      results[index] = {
        streamId: append.streamId,
        nextExpectedVersion: last.streamVersion,
        appended: 0,
        checkpoint: encodeCheckpoint(last),
      };
      return;
    }
    const head = heads.get(append.streamId);
    // Part of the append already stored: only an append that accepts any version may complete it.
    const partial = fresh.length < append.events.length;
    if (partial ? append.expectedVersion !== 'any' : !expectationHolds(append.expectedVersion, head)) {
      throw new VersionConflictError(
        append.streamId,
        String(append.expectedVersion),
        head?.version ?? 'no-stream',
      );
    }
    const first = head === undefined ? 0n : head.version + 1n;
    const { events, lastHash } = chainEvents(
      head?.hash ?? GENESIS_HASH,
      fresh.map((event, i) => ({ ...event, streamId: append.streamId, streamVersion: first + BigInt(i) })),
    );
    const target = isTelemetryStream(append.streamId) ? telemetry : decisions;
    for (const event of events) target.add(event, streamCategory(append.streamId), occurredAt(event, now));
    const last = events[events.length - 1]!;
    heads.set(append.streamId, {
      version: last.streamVersion,
      hash: lastHash,
      inDatabase: head?.inDatabase ?? false,
    });
    pending.push({
      index,
      streamId: append.streamId,
      lastEventId: last.id,
      nextExpectedVersion: last.streamVersion,
      appended: events.length,
    });
  });

  return { heads, decisions, telemetry, pending, results };
};

/**
 * The rows of one multi-row insert as a single JSON document, read back with `json_to_recordset`:
 * one parameter instead of an escaped array per column, and the canonical data JSON computed for the
 * hash is embedded as it is.
 */
class Rows {
  private readonly rows: string[] = [];

  get size(): number {
    return this.rows.length;
  }

  add(event: ChainedEvent<HashableEvent>, category: string, occurredAt: Date): void {
    this.rows.push(
      `{"event_id":"${event.id}","stream_id":${JSON.stringify(event.streamId)},"stream_version":${event.streamVersion},"category":${JSON.stringify(category)},"type":${JSON.stringify(event.type)},"occurred_at":"${occurredAt.toISOString()}","data":${event.dataJson},"metadata":${JSON.stringify(event.metadata)}}`,
    );
  }

  toJson(): string {
    return `[${this.rows.join(',')}]`;
  }
}

const storedEvents = async (
  client: pg.ClientBase,
  s: string,
  appends: readonly StreamAppend[],
): Promise<Map<string, StoredRef>> => {
  const ids = appends.flatMap((append) => append.events.map((event) => event.id));
  const { rows } = await client.query<{
    event_id: string;
    stream_id: string;
    stream_version: bigint;
    transaction_id: string;
    global_position: bigint;
  }>(
    `select event_id::text, stream_id, stream_version, transaction_id::text, global_position from ${s}.events where event_id = any($1::uuid[])
     union all
     select event_id::text, stream_id, stream_version, transaction_id::text, global_position from ${s}.telemetry_events where event_id = any($1::uuid[])`,
    [ids],
  );
  return new Map(
    rows.map((row) => [
      row.event_id,
      {
        streamId: row.stream_id,
        streamVersion: row.stream_version,
        transactionId: BigInt(row.transaction_id),
        globalPosition: row.global_position,
      },
    ]),
  );
};
