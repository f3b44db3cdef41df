import type { CheckpointStore } from '@netpulse/commands';
import { type Checkpoint, type EventStore, type RecordedEvent, START } from '@netpulse/domain';
import type { Logger } from '../../../runtime/logger.js';
import { encodeFeedMessage } from './feed-wire.js';
import type { LiveTransport } from './live-transport.js';

export type FeedPublisherOptions = Readonly<{
  store: EventStore;
  transport: LiveTransport;
  /** Where the publisher keeps how far it published, so a successor continues from there. */
  positions: CheckpointStore;
  name: string;
  logger: Logger;
  /** A message every so often even when nothing happens, so receivers notice what they missed. */
  heartbeatMs: number;
  /** Events older than this when the publisher starts are history, not news: they are not published. */
  maxBacklogAgeMs: number;
  maxEventsPerMessage: number;
  saveEveryMs: number;
  onPublished?: (events: number) => void;
}>;

export type FeedPublisher = Readonly<{ stop: () => Promise<void> }>;

/**
 * Follows the event store with one subscription and publishes every event, in global order, as
 * contiguous messages chained by checkpoint. It resumes where the last publisher saved its position
 * (a hand-over loses nothing), skips a backlog too old to be news (receivers see the chain jump and
 * re-read the store when they need completeness), and retries a failed publication from the batch's
 * start (receivers drop what they already have).
 */
export const startFeedPublisher = async (options: FeedPublisherOptions): Promise<FeedPublisher> => {
  const { store, transport, positions, name, logger } = options;
  let position: Checkpoint = (await positions.load(name)) ?? START;
  let saved = position;
  let savedAt = Date.now();
  let lastSentAt = 0;
  let skipping = true;
  let skipped = 0;
  const newsSince = Date.now() - options.maxBacklogAgeMs;

  const send = async (prev: Checkpoint, events: readonly RecordedEvent[]) => {
    let after = prev;
    for (let start = 0; start < events.length; start += options.maxEventsPerMessage) {
      const chunk = events.slice(start, start + options.maxEventsPerMessage);
      await transport.publish(encodeFeedMessage({ prev: after, events: chunk }));
      after = chunk[chunk.length - 1]!.checkpoint;
    }
    lastSentAt = Date.now();
    options.onPublished?.(events.length);
  };

  const save = async (force: boolean) => {
    if (position === saved || (!force && Date.now() - savedAt < options.saveEveryMs)) return;
    const target = position;
    savedAt = Date.now();
    try {
      await positions.save(name, target);
      saved = target;
    } catch (error) {
      logger.warn({ err: error }, 'live feed: could not save the publisher position; will retry');
    }
  };

  const onBatch = async (events: readonly RecordedEvent[], checkpoint: Checkpoint) => {
    let first = 0;
    if (skipping) {
      first = events.findIndex((event) => event.recordedAt.getTime() >= newsSince);
      if (first === -1) first = events.length;
      else skipping = false;
      skipped += first;
    }
    if (first < events.length)
      await send(first === 0 ? position : events[first - 1]!.checkpoint, events.slice(first));
    position = checkpoint;
    await save(false);
  };

  const subscription = store.subscribe({
    after: position,
    batchSize: 500,
    onBatch,
    onError: (error) => logger.warn({ err: error }, 'live feed: publishing failed; retrying the batch'),
    onCaughtUp: () => {
      if (!skipping) return;
      skipping = false;
      if (skipped > 0) logger.info({ skipped }, 'live feed: skipped a backlog too old to publish live');
    },
  });

  const heartbeat = setInterval(() => {
    if (Date.now() - lastSentAt < options.heartbeatMs) return;
    lastSentAt = Date.now();
    transport
      .publish(encodeFeedMessage({ prev: position, events: [] }))
      .catch((error: unknown) => logger.debug({ err: error }, 'live feed: heartbeat not sent'));
  }, options.heartbeatMs);
  heartbeat.unref();

  logger.info({ after: position }, 'live feed publisher started');
  return {
    stop: async () => {
      clearInterval(heartbeat);
      await subscription.close();
      await save(true);
    },
  };
};
