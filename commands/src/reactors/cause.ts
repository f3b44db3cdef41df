import type { CommandMetadata, RecordedEvent } from '@netpulse/domain';
import { deterministicId } from '@netpulse/domain';

/** The event (or standing fact, for periodic sweeps) a reactor's command answers. */
export type Cause = Readonly<{ eventId: string; correlationId: string; organizationId: string }>;

export const causeOf = (event: RecordedEvent): Cause => ({
  eventId: event.id,
  correlationId: event.metadata.correlationId,
  organizationId: event.metadata.organizationId,
});

/**
 * Metadata of a reactor's command. The command id, and so every event id it produces, derives from
 * the reactor, the cause and the purpose: handling the same cause again (a replay after a crash, a
 * second sweep) produces the same ids, which the store and the replay guard recognise.
 */
export const reactorMetadata = (
  reactorName: string,
  cause: Cause,
  purpose: string,
  now: Date,
): CommandMetadata => ({
  commandId: deterministicId(reactorName, cause.eventId, purpose),
  now,
  organizationId: cause.organizationId,
  actor: { kind: 'system', id: reactorName },
  correlationId: cause.correlationId,
  causationId: cause.eventId,
});
