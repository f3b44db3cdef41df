import type { AllStreamResolvedEvent, Filter } from '@eventstore/db-client';
import {
  type Checkpoint,
  type EventFilter,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  validationFailed,
} from '@netpulse/domain';
import { sleep } from '../abortable-sleep.js';
import { decodeCheckpoint, type EsdbFrom, isAfter } from './checkpoint.js';
import { EventFeed, type FeedSource } from './feed.js';
import { matchesFilter, serverFilter } from './filter.js';
import { toRecordedEvent } from './mapping.js';

/** Opens one catch-up subscription to `$all` after `from` (exclusive), filtered on the server. */
export type OpenSubscription = (from: EsdbFrom, filter: Filter, highWaterMark: number) => FeedSource;

export type SubscriptionSettings = Readonly<{
  /** During catch-up, how long a partial batch waits for more events before it is delivered. */
  lingerMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}>;

/**
 * Takes the feed's buffered events into `batch` (up to `size`): events already seen (a server that
 * re-sends the start position) and events outside the filter are dropped, the others mapped.
 */
export const takeInto = (
  feed: EventFeed,
  batch: RecordedEvent[],
  size: number,
  state: { lastSeen: EsdbFrom },
  filter: EventFilter | undefined,
): void => {
  while (batch.length < size) {
    const resolved: AllStreamResolvedEvent | undefined = feed.take();
    if (resolved === undefined) return;
    const event = resolved.event;
    if (!event?.position || !isAfter(event.position, state.lastSeen)) continue;
    state.lastSeen = event.position;
    if (matchesFilter(filter, event.streamId, event.type)) batch.push(toRecordedEvent(event));
  }
};

/**
 * One catch-up subscription to `$all` from the checkpoint, filtered on the server, for all the
 * streams the filter selects. Batches go to `onBatch` one at a time and nothing more is taken from
 * the subscription until the handler settles (the paused readable holds the server back). A batch
 * whose handler throws is retried in place after a back-off, topped up with events that arrived
 * meanwhile, never skipped. Any other failure (connection lost, server ended the subscription)
 * resubscribes from the last accepted checkpoint, with back-off, forever, until closed.
 */
export const startSubscription = (
  open: OpenSubscription,
  options: SubscribeOptions,
  settings: SubscriptionSettings = {},
): Subscription => {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw validationFailed(`batchSize must be a positive integer, got ${batchSize}`);
  }
  let position = decodeCheckpoint(options.after);
  let checkpoint: Checkpoint = options.after;
  const lingerMs = settings.lingerMs ?? 10;
  const initialBackoffMs = settings.initialBackoffMs ?? 50;
  const maxBackoffMs = settings.maxBackoffMs ?? 5_000;
  let backoffMs = initialBackoffMs;
  let closed = false;
  let wakeOnClose = () => {};
  const closing = new Promise<void>((resolve) => {
    wakeOnClose = resolve;
  });

  const report = (error: unknown) => {
    try {
      options.onError?.(error);
    } catch {
      // A failing error callback must not stop the subscription.
    }
  };

  const backOff = async () => {
    await sleep(backoffMs, closing);
    backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
  };

  /** Delivers one batch, retrying it until accepted; false when closed first. */
  const deliver = async (feed: EventFeed, batch: RecordedEvent[], state: { lastSeen: EsdbFrom }) => {
    for (;;) {
      const last = batch[batch.length - 1]!;
      try {
        await options.onBatch([...batch], last.checkpoint);
        checkpoint = last.checkpoint;
        position = decodeCheckpoint(last.checkpoint);
        backoffMs = initialBackoffMs;
        return true;
      } catch (error) {
        if (closed) return false;
        report(error);
        await backOff();
        if (closed) return false;
        takeInto(feed, batch, batchSize, state, options.filter);
      }
    }
  };

  const pump = async (feed: EventFeed) => {
    const state = { lastSeen: position };
    let reportedCaughtUp = false;
    while (!closed) {
      const batch: RecordedEvent[] = [];
      takeInto(feed, batch, batchSize, state, options.filter);
      // While catching up more events are on their way: let a partial batch fill a little.
      if (batch.length > 0 && batch.length < batchSize && !feed.caughtUp) {
        await Promise.race([feed.wait(lingerMs), closing]);
        takeInto(feed, batch, batchSize, state, options.filter);
      }
      if (batch.length > 0) {
        if (!(await deliver(feed, batch, state))) return;
        reportedCaughtUp = false;
      }
      if (feed.caughtUp && feed.buffered === 0 && !reportedCaughtUp) {
        reportedCaughtUp = true;
        try {
          options.onCaughtUp?.(checkpoint);
        } catch (error) {
          report(error);
        }
      }
      if (feed.buffered === 0) {
        feed.throwIfBroken();
        await Promise.race([feed.wait(), closing]);
        if (options.gatherMs && feed.caughtUp && !closed) await sleep(options.gatherMs, closing);
      }
    }
  };

  const run = async () => {
    while (!closed) {
      let feed: EventFeed | null = null;
      try {
        feed = new EventFeed(open(position, serverFilter(options.filter), batchSize), batchSize);
        await pump(feed);
      } catch (error) {
        if (closed) break;
        report(error);
        await backOff();
      } finally {
        await feed?.close();
      }
    }
  };

  const loop = run();
  return {
    get checkpoint() {
      return checkpoint;
    },
    async close() {
      closed = true;
      wakeOnClose();
      await loop;
    },
  };
};
