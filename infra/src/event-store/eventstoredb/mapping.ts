import { type EventData, type JSONType, jsonEvent, type Position } from '@eventstore/db-client';
import type { EventMetadata, RecordedEvent } from '@netpulse/domain';
import { encodeCheckpoint } from './checkpoint.js';

export type StoredMetadata = EventMetadata & { hash: string; previousHash: string };

/** The fields of an ESDB recorded event the adapter reads (both the JSON and binary variants have them). */
export type EsdbRecorded = Readonly<{
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  created: Date;
  position?: Position;
}>;

/** An event of ours, versioned and chained, ready to be written. */
export type ChainedEvent = Readonly<{
  id: string;
  type: string;
  data: unknown;
  metadata: StoredMetadata;
}>;

/** Data and metadata go out as JSON (`application/json`), so ESDB projections and the UI can read them. */
export const toEventData = (event: ChainedEvent): EventData =>
  jsonEvent({
    id: event.id,
    type: event.type,
    // The client JSON-encodes whatever it is given; the port's data is any JSON value.
    data: event.data as JSONType,
    metadata: event.metadata as unknown as JSONType,
  });

const asMetadata = (metadata: unknown): StoredMetadata =>
  (metadata !== null && typeof metadata === 'object' && !(metadata instanceof Uint8Array)
    ? metadata
    : {}) as StoredMetadata;

/**
 * ESDB record → port event: the revision is the stream version (both 0-based), the commit position
 * the global position, `{commit, prepare}` the checkpoint, and `created` the recording time.
 */
export const toRecordedEvent = (event: EsdbRecorded): RecordedEvent => {
  const position = event.position;
  if (!position) {
    throw new Error(
      `EventStoreDB returned event ${event.id} of ${event.streamId} without its $all position (server 22.6 or later is required)`,
    );
  }
  return {
    id: event.id.toLowerCase(),
    type: event.type,
    data: event.data as RecordedEvent['data'],
    streamId: event.streamId,
    streamVersion: event.revision,
    globalPosition: position.commit,
    checkpoint: encodeCheckpoint(position),
    recordedAt: event.created,
    metadata: asMetadata(event.metadata),
  };
};
