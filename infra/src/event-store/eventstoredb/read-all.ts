import type { Position } from '@eventstore/db-client';
import { type ReadAllOptions, type ReadAllResult, type RecordedEvent, START } from '@netpulse/domain';
import { comparePositions, decodeCheckpoint, encodeCheckpoint, FROM_START, isAfter } from './checkpoint.js';
import { EventFeed } from './feed.js';
import { serverFilter } from './filter.js';
import { boundedLimit } from './reads.js';
import { type OpenSubscription, takeInto } from './subscription.js';

export type ReadAllDeps = Readonly<{
  open: OpenSubscription;
  /** Position of the last record of `$all` (any stream), or null when the log is empty. */
  headPosition: () => Promise<Position | null>;
}>;

/**
 * A bounded, filtered read of `$all` after a checkpoint. The client's `readAll` (6.x) cannot filter
 * on the server, so this opens a catch-up subscription (the same gRPC read, with a server-side
 * filter), takes at most `limit` matching events and stops as soon as everything visible when the
 * read began has been searched: the server's caught-up signal, or an event or filter checkpoint at
 * or past the head of the log read first. `caughtUp` is true when fewer than `limit` came back.
 */
export const readAllFiltered = async (
  deps: ReadAllDeps,
  options: ReadAllOptions = {},
): Promise<ReadAllResult> => {
  const after = decodeCheckpoint(options.after);
  const limit = boundedLimit(options.limit, 1_000);
  const unchanged = after === FROM_START ? (options.after ?? START) : encodeCheckpoint(after);
  const head = await deps.headPosition();
  if (head === null || !isAfter(head, after)) return { events: [], checkpoint: unchanged, caughtUp: true };

  let searched: Position | null = null;
  let feed: EventFeed | null = null;
  const filter = serverFilter(options.filter, {
    checkpointReached: (_subscription, position) => {
      searched = position;
      feed?.notify();
    },
  });
  feed = new EventFeed(deps.open(after, filter, Math.min(limit, 1_000)), Math.min(limit, 1_000));
  const events: RecordedEvent[] = [];
  const state = { lastSeen: after };
  const reachedHead = () =>
    (state.lastSeen !== FROM_START && comparePositions(state.lastSeen, head) >= 0) ||
    (searched !== null && comparePositions(searched, head) >= 0);
  try {
    while (events.length < limit) {
      takeInto(feed, events, limit, state, options.filter);
      if (events.length >= limit || (feed.buffered === 0 && (feed.caughtUp || reachedHead()))) break;
      if (feed.buffered === 0) {
        feed.throwIfBroken();
        await feed.wait();
      }
    }
  } finally {
    await feed.close();
  }
  const last = events[events.length - 1];
  return { events, checkpoint: last ? last.checkpoint : unchanged, caughtUp: events.length < limit };
};
