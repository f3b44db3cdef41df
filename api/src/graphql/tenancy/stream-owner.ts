import type { EventStore } from '@netpulse/domain';

export type OwnedStream = Readonly<{ streamId: string; currentVersion: bigint }>;

/**
 * The stream, when it exists and its events belong to `organizationId`; otherwise null, the same
 * null for "missing" and "someone else's", so no caller can learn that another tenant's id exists.
 * Every event of a stream carries the organization of the entity, so the oldest readable one
 * decides (telemetry streams may have lost their first events to retention).
 */
export const ownedStream = async (
  store: EventStore,
  streamId: string,
  organizationId: string,
): Promise<OwnedStream | null> => {
  const { currentVersion, events } = await store.readStream(streamId, { limit: 1 });
  const first = events[0];
  if (currentVersion === null || !first || first.metadata.organizationId !== organizationId) return null;
  return { streamId, currentVersion };
};
