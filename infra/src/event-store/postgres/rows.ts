import type { EventMetadata, RecordedEvent } from '@netpulse/domain';

type StoredMetadata = EventMetadata & { hash: string; previousHash: string };

/**
 * The select list that `tupleToRecordedEvent` reads, optionally qualified by a table alias. The payload
 * is selected as text: the same type from both tables (a union of jsonb and json has none), free for
 * json, and for jsonb the printing its output needed anyway.
 */
export const eventColumns = (alias?: string): string => {
  const a = alias ? `${alias}.` : '';
  return `${a}global_position, ${a}transaction_id::text as transaction_id, ${a}event_id::text as event_id, ${a}stream_id, ${a}stream_version, ${a}type, ${a}data::text as data, ${a}metadata::text as metadata, ${a}recorded_at`;
};

/** `eventColumns()` fetched with rowMode 'array': no object per row for pg to build. The only row form. */
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
