import type { RecordedEvent } from '@netpulse/domain';

/**
 * A stored event as the schema's `RecordedEvent` shows it: metadata flattened beside the data.
 * Exported for the live area, whose resumable `events` subscription pushes the same type.
 */
export const recordedEventView = (event: RecordedEvent) => ({
  eventId: event.id,
  type: event.type,
  streamId: event.streamId,
  streamVersion: event.streamVersion,
  globalPosition: event.globalPosition,
  checkpoint: event.checkpoint,
  recordedAt: event.recordedAt,
  organizationId: event.metadata.organizationId,
  actor: event.metadata.actor,
  correlationId: event.metadata.correlationId,
  causationId: event.metadata.causationId,
  schemaVersion: event.metadata.schemaVersion,
  hash: event.metadata.hash,
  previousHash: event.metadata.previousHash,
  data: event.data,
});
