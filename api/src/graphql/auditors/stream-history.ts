import { notFound } from '@netpulse/domain';
import { type ApiContext, authorize } from '../context.js';
import { requestedPageSize } from '../paging/connection.js';
import { ownedStream } from '../tenancy/stream-owner.js';
import { recordedEventView } from './recorded-event-view.js';

type HistoryArgs = Readonly<{ streamId: string; fromVersion?: bigint | null; limit?: number | null }>;

export const streamHistoryQueries = {
  /** One stream's events with who, why (correlation, causation) and their hashes; foreign = empty. */
  streamHistory: async (_root: unknown, args: HistoryArgs, context: ApiContext) => {
    const principal = authorize(context, 'audit:read');
    const limit = requestedPageSize(context, args.limit, 100);
    const { store } = context.ports;
    const owned = await ownedStream(store, args.streamId, principal.organizationId);
    if (!owned) return { streamId: args.streamId, currentVersion: null, events: [] };
    const { events } = await store.readStream(args.streamId, { from: args.fromVersion ?? 0n, limit });
    return {
      streamId: args.streamId,
      currentVersion: owned.currentVersion,
      events: events
        .filter((event) => event.metadata.organizationId === principal.organizationId)
        .map(recordedEventView),
    };
  },

  /** Recomputes the stream's hash chain; only the caller's organization's streams can be checked. */
  verifyStream: async (_root: unknown, args: { streamId: string }, context: ApiContext) => {
    const principal = authorize(context, 'audit:read');
    const { store } = context.ports;
    if (!(await ownedStream(store, args.streamId, principal.organizationId)))
      throw notFound(`stream ${args.streamId} does not exist`);
    const result = await store.verifyStream(args.streamId);
    return {
      streamId: result.streamId,
      ok: result.ok,
      eventsChecked: result.eventsChecked,
      brokenAtVersion: result.ok ? null : result.brokenAtVersion,
      reason: result.ok ? null : result.reason,
    };
  },
};
