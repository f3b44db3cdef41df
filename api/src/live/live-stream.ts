import type { RecordedEvent } from '@netpulse/domain';
import { BoundedQueue } from './bounded-queue.js';
import { slowConsumer } from './live-errors.js';
import type { LiveField, LivePorts } from './live-ports.js';

export type LiveStreamOptions<P> = Readonly<{
  field: LiveField;
  live: LivePorts;
  organizationId: string;
  /** A cheap test run on every event of the organization as it arrives: only these are queued. */
  select: (event: RecordedEvent) => boolean;
  /** Turns a queued event into its payload at the pace the client reads; null skips the event. */
  toPayload: (event: RecordedEvent) => P | null | Promise<P | null>;
  /** Unsent bytes on the subscriber's socket. */
  backlog?: () => number;
  /** Told at once when the subscriber falls behind (see BoundedQueue's onOverflow). */
  onOverflow?: (error: Error) => void;
}>;

/**
 * A live view over the feed from now on: events the view selects wait in a bounded queue until the
 * client takes them; a client that falls behind is closed as a slow consumer. Gaps in the feed are
 * not repaired here (the view promises "from now", not completeness; `events` does).
 */
export const openLiveStream = async <P>(options: LiveStreamOptions<P>): Promise<AsyncIterableIterator<P>> => {
  const { field, live, backlog } = options;
  const { queueLimit, maxBufferedBytes } = live.limits;
  let unlisten = () => {};
  const queue = new BoundedQueue<RecordedEvent>({
    limit: queueLimit,
    ...(backlog ? { congested: () => backlog() > maxBufferedBytes } : {}),
    overflowError: (queued) => slowConsumer(field, queued, queueLimit),
    onEnd: () => unlisten(),
    ...(options.onOverflow ? { onOverflow: options.onOverflow } : {}),
  });
  try {
    unlisten = await live.feed.listen(options.organizationId, {
      onEvent: (event) => {
        if (options.select(event)) queue.offer(event);
      },
      onGap: () => {},
    });
  } catch (error) {
    await queue.return();
    throw error;
  }
  if (queue.closed) unlisten();
  return mapQueue(queue, options.toPayload, (error) =>
    live.logger.warn({ err: error, field }, 'a live payload could not be built; skipped'),
  );
};

/** The queue's events as payloads, built one at a time as the consumer pulls. */
export const mapQueue = <T, P>(
  queue: BoundedQueue<T>,
  toPayload: (item: T) => P | null | Promise<P | null>,
  onError: (error: unknown) => void,
): AsyncIterableIterator<P> => {
  const iterator: AsyncIterableIterator<P> = {
    next: async () => {
      for (;;) {
        const item = await queue.next();
        if (item.done) return { value: undefined, done: true };
        try {
          const payload = await toPayload(item.value);
          if (payload !== null) return { value: payload, done: false };
        } catch (error) {
          onError(error);
        }
      }
    },
    return: async () => {
      await queue.return();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
};
