import type { EventMetadata, RecordedEvent } from '@netpulse/domain';
import { encodeCheckpoint } from './checkpoint.js';

export type EventRow = {
  global_position: bigint;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_version: bigint;
  type: string;
  /** JSON text: decisions keep jsonb, telemetry json, and both travel as text (see eventColumns). */
  data: string;
  metadata: string;
  recorded_at: Date;
};

type StoredMetadata = EventMetadata & { hash: string; previousHash: string };

/**
 * The select list that `toRecordedEvent` reads, optionally qualified by a table alias. The payload
 * is selected as text: the same type from both tables (a union of jsonb and json has none), free for
 * json, and for jsonb the printing its output needed anyway.
 */
export const eventColumns = (alias?: string): string => {
  const a = alias ? `${alias}.` : '';
  return `${a}global_position, ${a}transaction_id::text as transaction_id, ${a}event_id::text as event_id, ${a}stream_id, ${a}stream_version, ${a}type, ${a}data::text as data, ${a}metadata::text as metadata, ${a}recorded_at`;
};

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  type: row.type,
  data: JSON.parse(row.data) as RecordedEvent['data'],
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  globalPosition: row.global_position,
  checkpoint: encodeCheckpoint({
    transactionId: BigInt(row.transaction_id),
    globalPosition: row.global_position,
  }),
  recordedAt: row.recorded_at,
  metadata: JSON.parse(row.metadata) as StoredMetadata,
});

/** `eventColumns()` fetched with rowMode 'array': no object per row for pg to build. */
export type EventTuple = [
  global_position: bigint,
  transaction_id: string,
  event_id: string,
  stream_id: string,
  stream_version: bigint,
  type: string,
  data: string,
  metadata: string,
  recorded_at: Date,
];

/**
 * The hot path of log reads. The checkpoint is the two decimals as PostgreSQL printed them, which
 * is what encodeCheckpoint would rebuild from their parsed values.
 */
export const tupleToRecordedEvent = (row: EventTuple): RecordedEvent => ({
  id: row[2],
  type: row[5],
  data: JSON.parse(row[6]) as RecordedEvent['data'],
  streamId: row[3],
  streamVersion: row[4],
  globalPosition: row[0],
  checkpoint: `${row[1]}:${row[0]}`,
  recordedAt: row[8],
  metadata: JSON.parse(row[7]) as StoredMetadata,
});
