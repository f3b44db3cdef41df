import type { Checkpoint, EventFilter, EventStore } from '@netpulse/domain';

/** The most events a lag sample reads; a lag at this value means "at least this many". */
export const LAG_SAMPLE_LIMIT = 10_000;

export type Lag = Readonly<{
  /** Events the projection would still have to apply (its filter, visible now), capped. */
  events: number;
  saturated: boolean;
  /** Age of the oldest of those events; 0 when caught up. */
  seconds: number;
}>;

/**
 * Lag is measured through the EventStore port, so it means the same on PostgreSQL and EventStoreDB:
 * count the events after the checkpoint that match the projection's filter (opaque checkpoints allow
 * no position arithmetic), and the age of the first one. Seconds, not "now − last applied", so an
 * idle, caught-up projection reads 0 rather than a growing number.
 */
export const measureLag = async (
  store: EventStore,
  checkpoint: Checkpoint,
  filter: EventFilter,
  now: Date,
): Promise<Lag> => {
  const { events } = await store.readAll({ after: checkpoint, filter, limit: LAG_SAMPLE_LIMIT });
  const first = events[0];
  return {
    events: events.length,
    saturated: events.length >= LAG_SAMPLE_LIMIT,
    seconds: first ? Math.max(0, (now.getTime() - first.recordedAt.getTime()) / 1_000) : 0,
  };
};
