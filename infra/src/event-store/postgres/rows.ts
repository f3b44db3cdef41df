import type { EventMetadata, RecordedEvent } from '@netpulse/domain';
import { encodeCheckpoint } from './checkpoint.js';

export type EventRow = {
  global_position: bigint;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_version: bigint;
  type: string;
  data: unknown;
  metadata: EventMetadata & { hash: string; previousHash: string };
  recorded_at: Date;
};

export const EVENT_COLUMNS =
  'global_position, transaction_id::text as transaction_id, event_id::text as event_id, stream_id, stream_version, type, data, metadata, recorded_at';

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  type: row.type,
  data: row.data as RecordedEvent['data'],
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  globalPosition: row.global_position,
  checkpoint: encodeCheckpoint({
    transactionId: BigInt(row.transaction_id),
    globalPosition: row.global_position,
  }),
  recordedAt: row.recorded_at,
  metadata: row.metadata,
});
