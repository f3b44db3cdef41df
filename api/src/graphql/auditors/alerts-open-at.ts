import type { OpenAtCandidate } from '@netpulse/projections';
import type { Principal } from '../../auth/principal.js';
import type { ApiContext } from '../context.js';
import { requestedPageSize } from '../paging/connection.js';
import { alertAsOf } from './time-travel.js';

/** How far a poller's clock may run ahead of the event store's (raise times come from observations). */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Replays run side by side, a few at a time, so one page cannot monopolise the store's pool. */
const REPLAY_CONCURRENCY = 8;

const mapLimited = async <T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

/**
 * Which alerts were open at `at`, as the event store recorded it. The read models narrow the
 * search to instances raised by then and not resolved by then (see alertsOpenCandidates); each
 * candidate is then replayed from its stream as of `at`, which both confirms it against the
 * hash-chained history and shows it as it stood then (acknowledged or not, severity, count).
 * A page holds the confirmed candidates of one candidate page, so it may be shorter than `first`.
 */
export const alertsOpenAt = async (
  context: ApiContext,
  principal: Principal,
  args: Readonly<{ at: Date; first?: number | null; after?: string | null }>,
) => {
  const { organizationId } = principal;
  const page = await context.ports.queries.alertsOpenCandidates({
    organizationId,
    at: args.at,
    clockSkewMs: CLOCK_SKEW_MS,
    limit: requestedPageSize(context, args.first, 100),
    cursor: args.after ?? null,
  });
  const replayed = await mapLimited(page.items, REPLAY_CONCURRENCY, (candidate: OpenAtCandidate) =>
    alertAsOf(context.ports.store, organizationId, candidate, candidate.alertId, { at: args.at }),
  );
  return {
    nodes: replayed.filter((snapshot) => snapshot.exists && snapshot.state !== 'resolved'),
    pageInfo: { endCursor: page.nextCursor, hasNextPage: page.nextCursor !== null },
  };
};
