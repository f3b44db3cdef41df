import type { Checkpoint, RecordedEvent } from '@netpulse/domain';

/**
 * One message of the change feed: the events right after `prev` in the global log, contiguous and in
 * order, so a receiver whose last event is at or past `prev` knows it missed nothing. A message with
 * no events is a heartbeat: "the log up to `prev` has been published".
 */
export type FeedMessage = Readonly<{ prev: Checkpoint; events: readonly RecordedEvent[] }>;

type WireEvent = Omit<RecordedEvent, 'streamVersion' | 'globalPosition' | 'recordedAt'> & {
  streamVersion: string;
  globalPosition: string;
  recordedAt: string;
};
type Wire = { v: 1; prev: Checkpoint; events: WireEvent[] };

/** JSON, with the event's bigints as decimal strings and its date as ISO-8601. */
export const encodeFeedMessage = (message: FeedMessage): string =>
  JSON.stringify({
    v: 1,
    prev: message.prev,
    events: message.events.map((event) => ({
      ...event,
      streamVersion: event.streamVersion.toString(),
      globalPosition: event.globalPosition.toString(),
      recordedAt: event.recordedAt.toISOString(),
    })),
  } satisfies Wire);

/** The message, or null for anything that is not one (another version, another sender). */
export const decodeFeedMessage = (body: string): FeedMessage | null => {
  let wire: Wire;
  try {
    wire = JSON.parse(body) as Wire;
  } catch {
    return null;
  }
  if (wire?.v !== 1 || typeof wire.prev !== 'string' || !Array.isArray(wire.events)) return null;
  return {
    prev: wire.prev,
    events: wire.events.map((event) => ({
      ...event,
      streamVersion: BigInt(event.streamVersion),
      globalPosition: BigInt(event.globalPosition),
      recordedAt: new Date(event.recordedAt),
    })),
  };
};
