import type { Checkpoint, EventFilter, EventStore, RecordedEvent } from '@netpulse/domain';
import type { BoundedQueue } from './bounded-queue.js';
import type { LiveFeed, LiveLogger } from './live-ports.js';
import { ReplayLiveMerge } from './replay-live-merge.js';

export type ResumableEventsOptions = Readonly<{
  store: Pick<EventStore, 'readAll' | 'compareCheckpoints'>;
  feed: LiveFeed;
  organizationId: string;
  /** START, a checkpoint the client received, or null for live only. */
  after: Checkpoint | null;
  filter?: EventFilter;
  pageSize: number;
  /** Where delivered events go; its limit bounds the live buffer too. */
  queue: BoundedQueue<RecordedEvent>;
  bufferLimit: number;
  logger: LiveLogger;
}>;

const matches = (event: RecordedEvent, organizationId: string, filter: EventFilter | undefined): boolean => {
  if (event.metadata.organizationId !== organizationId) return false;
  if (filter?.eventTypes?.length && !filter.eventTypes.includes(event.type)) return false;
  if (filter?.categories?.length) {
    const dash = event.streamId.indexOf('-');
    const category = dash === -1 ? event.streamId : event.streamId.slice(0, dash);
    if (!filter.categories.includes(category)) return false;
  }
  return true;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Feeds `queue` with the organization's events after `after`: replayed page by page at the pace the
 * consumer takes them, then live with no gap and no duplicate. Resolves once the live listener is
 * registered (before the first replay read, which is what makes the switch safe); the replay runs on
 * until the queue closes, and again whenever the live feed reports a gap. A failing read is retried
 * with back-off for as long as the subscriber stays.
 */
export const startResumableEvents = async (options: ResumableEventsOptions): Promise<void> => {
  const { store, queue, filter, organizationId, logger } = options;
  const merge = new ReplayLiveMerge({
    after: options.after,
    compare: (a, b) => store.compareCheckpoints(a, b),
    bufferLimit: options.bufferLimit,
    accepts: (event) => matches(event, organizationId, filter),
  });
  let wake = () => {};
  const unlisten = await options.feed.listen(organizationId, {
    onEvent: (event) => {
      const now = merge.onLive(event);
      if (now) queue.offer(now);
    },
    onGap: () => {
      merge.onGap();
      wake();
    },
  });
  if (queue.closed) {
    unlisten();
    return;
  }

  const replay = async () => {
    let failures = 0;
    while (!queue.closed) {
      if (!merge.replaying) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      await queue.whenRoom();
      if (queue.closed) break;
      const read = merge.nextRead();
      try {
        const page = await store.readAll({
          after: read.after,
          limit: options.pageSize,
          ...(filter ? { filter } : {}),
        });
        failures = 0;
        for (const event of merge.onPage(read, page)) queue.push(event);
      } catch (error) {
        failures += 1;
        if (failures === 1 || failures % 20 === 0)
          logger.warn({ err: error, organizationId, failures }, 'events replay read failed; retrying');
        await sleep(Math.min(100 * 2 ** failures, 5_000));
      }
    }
  };
  // The queue's end (client gone, slow consumer) releases a replay loop parked between gaps.
  void queue.ended.then(() => wake());
  void replay().finally(unlisten);
};
