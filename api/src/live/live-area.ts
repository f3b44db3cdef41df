import { type Checkpoint, type RecordedEvent, type Severity, START, severityRank } from '@netpulse/domain';
import type { IResolvers } from 'mercurius';
import type { Permission } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { ApiError } from '../graphql/api-error.js';
import type { ApiArea } from '../graphql/area.js';
import { storeCategories } from '../graphql/auditors/event-categories.js';
import { recordedEventView } from '../graphql/auditors/recorded-event-view.js';
import { type ApiContext, authorize } from '../graphql/context.js';
import { forgetRequestLoaders } from '../graphql/loaders/request-loaders.js';
import { liveTypeDefs } from '../graphql/schema/live.js';
import { ownedStream } from '../graphql/tenancy/stream-owner.js';
import { type AlertFacts, AlertFactsCache } from './alert-facts.js';
import { BoundedQueue } from './bounded-queue.js';
import { watchFleetSummary } from './fleet-summary-watch.js';
import { FreshReads } from './fresh-reads.js';
import { LatestValue } from './latest-value.js';
import { slowConsumer, toLiveError } from './live-errors.js';
import {
  type AlertChangePayload,
  alertChangePayload,
  alertChanges,
  type DeviceStatusPayload,
  deviceStatusPayload,
  eventData,
  liveMetricsPayload,
} from './live-payloads.js';
import type { LiveField } from './live-ports.js';
import { mapQueue, openLiveStream } from './live-stream.js';
import { processShared } from './process-shared.js';
import { startResumableEvents } from './resumable-events.js';
import { socketBacklog } from './socket-backlog.js';

type Open<A> = (
  args: A,
  context: ApiContext,
  principal: Principal,
) => Promise<AsyncIterableIterator<unknown>>;

/** Each event is resolved with fresh loaders (see forgetRequestLoaders). */
const freshLoadersPerEvent = <T>(
  stream: AsyncIterableIterator<T>,
  context: object,
): AsyncIterableIterator<T> => {
  const wrapped: AsyncIterableIterator<T> = {
    next: async () => {
      const result = await stream.next();
      forgetRequestLoaders(context);
      return result;
    },
    return: async () => (await stream.return?.()) ?? { value: undefined, done: true },
    [Symbol.asyncIterator]: () => wrapped,
  };
  return wrapped;
};

export type LiveSubscriptionPolicy = Readonly<{
  permission: Permission;
  /**
   * Whether subscribers asking the same (same caller, document and variables) may share one
   * execution per event: true where what a subscriber receives depends only on events from the
   * moment it joins. A field that starts with a value of its own (fleetSummary) or replays from the
   * caller's position (events) runs once per subscriber, at that subscriber's pace.
   */
  shared: boolean;
}>;

/** What each subscription field requires, read by the transport that runs subscriptions. */
export const liveSubscriptionPolicies: Readonly<Record<LiveField, LiveSubscriptionPolicy>> = {
  deviceStatusChanged: { permission: 'live:subscribe', shared: true },
  alertChanged: { permission: 'live:subscribe', shared: true },
  deviceMetrics: { permission: 'live:subscribe', shared: true },
  fleetSummary: { permission: 'live:subscribe', shared: false },
  events: { permission: 'events:read', shared: false },
};

/**
 * A subscription field. The transport keeps it open only while its caller stays authorized (see
 * watchAuthorization). Errors raised while it starts keep their code (LiveError).
 */
const subscription = <A>(field: LiveField, open: Open<A>) => ({
  subscribe: async (_root: unknown, args: A, context: ApiContext) => {
    try {
      const principal = authorize(context, liveSubscriptionPolicies[field].permission);
      return freshLoadersPerEvent(await open(args, context, principal), context);
    } catch (error) {
      throw toLiveError(error, field, context.ports.live.logger);
    }
  },
  resolve: (payload: unknown) => payload,
});

/** Where a stream reports falling behind (set by the transport when it runs the subscription). */
const overflowReport = (context: ApiContext) =>
  context.liveStreamFailed ? { onOverflow: context.liveStreamFailed } : {};

/** What every live view of `field` says about whom it serves and how its subscriber keeps up. */
const streamOf = (field: LiveField, context: ApiContext, principal: Principal) => ({
  field,
  live: context.ports.live,
  organizationId: principal.organizationId,
  backlog: socketBacklog(context),
  ...overflowReport(context),
});

const freshReads = (context: ApiContext) =>
  processShared(
    context.ports,
    'fresh-reads',
    () => new FreshReads({ waitMs: context.ports.live.limits.readModelWaitMs }),
  );
const alertFacts = (context: ApiContext) =>
  processShared(context.ports, 'alert-facts', () => new AlertFactsCache());

const atLeast = (value: Date | null | undefined, at: string): boolean =>
  value instanceof Date && value.getTime() >= Date.parse(at);

type AlertFilterArgs = { deviceId?: string | null; minSeverity?: Severity | null };

const passes = (facts: AlertFacts, args: AlertFilterArgs): boolean =>
  (!args.deviceId || facts.deviceId === args.deviceId) &&
  (!args.minSeverity || severityRank(facts.severity as Severity) <= severityRank(args.minSeverity));

/** What the event itself says about its alert (raises carry both facts, repeats the new severity). */
const factsInEvent = (event: RecordedEvent, cache: AlertFactsCache): AlertFacts | undefined => {
  const data = eventData(event);
  if (event.type === 'AlertRaised')
    return { deviceId: String(data.deviceId), severity: String(data.severity) };
  const known = cache.known(String(data.alertId));
  if (event.type === 'AlertRepeated' && known) return { ...known, severity: String(data.severity) };
  return known;
};

const deviceStatusChanged = subscription<{ deviceId?: string | null }>(
  'deviceStatusChanged',
  async (args, context, principal) => {
    const deviceId = args.deviceId ?? null;
    return openLiveStream({
      ...streamOf('deviceStatusChanged', context, principal),
      select: (event) =>
        event.type === 'DeviceStatusChanged' && (deviceId === null || eventData(event).deviceId === deviceId),
      toPayload: deviceStatusPayload,
    });
  },
);

const alertChanged = subscription<AlertFilterArgs>('alertChanged', async (args, context, principal) => {
  const cache = alertFacts(context);
  const filtered = Boolean(args.deviceId || args.minSeverity);
  const { queries, store } = context.ports;
  return openLiveStream({
    ...streamOf('alertChanged', context, principal),
    select: (event) => {
      cache.learn(event);
      if (!alertChanges.has(event.type)) return false;
      const facts = filtered ? factsInEvent(event, cache) : undefined;
      // Unknown facts are looked up when the client takes the event, not here on the feed's path.
      return !facts || passes(facts, args);
    },
    toPayload: async (event) => {
      if (filtered) {
        const facts =
          factsInEvent(event, cache) ?? (await cache.of(event, principal.organizationId, { queries, store }));
        if (!facts || !passes(facts, args)) return null;
      }
      return alertChangePayload(event);
    },
  });
});

const deviceMetrics = subscription<{ deviceId: string }>(
  'deviceMetrics',
  async (args, context, principal) => {
    const owned = await ownedStream(context.ports.store, `device-${args.deviceId}`, principal.organizationId);
    if (!owned) throw new ApiError('NOT_FOUND', `device ${args.deviceId} not found`);
    const observations = `observations-${args.deviceId}`;
    return openLiveStream({
      ...streamOf('deviceMetrics', context, principal),
      select: (event) => event.type === 'DeviceObserved' && event.streamId === observations,
      toPayload: liveMetricsPayload,
    });
  },
);

const fleetSummary = subscription<Record<string, never>>(
  'fleetSummary',
  async (_args, context, principal) => {
    let stop: (() => void) | null = null;
    let returned = false;
    const latest = new LatestValue<unknown>(() => {
      returned = true;
      stop?.();
    });
    try {
      stop = await watchFleetSummary(context.ports, principal.organizationId, (summary) =>
        latest.set(summary),
      );
    } catch (error) {
      await latest.return();
      throw error;
    }
    if (returned) stop();
    return latest;
  },
);

/** `after`: omitted = live only, 'start' = everything, else a checkpoint this store issued. */
const resumePoint = (after: string | null | undefined, context: ApiContext): Checkpoint | null => {
  if (after === null || after === undefined) return null;
  if (after === START) return START;
  context.ports.store.compareCheckpoints(after, after);
  return after;
};

type EventsArgs = {
  after?: string | null;
  filter?: { types?: string[] | null; categories?: string[] | null } | null;
};

const events = subscription<EventsArgs>('events', async (args, context, principal) => {
  const { live, store } = context.ports;
  const after = resumePoint(args.after, context);
  const categories = storeCategories(args.filter?.categories ?? []);
  const filter = {
    ...(args.filter?.types?.length ? { eventTypes: args.filter.types } : {}),
    ...(categories.length > 0 ? { categories } : {}),
  };
  const { queueLimit, maxBufferedBytes, replayPageSize } = live.limits;
  const backlog = socketBacklog(context);
  const queue = new BoundedQueue<RecordedEvent>({
    limit: queueLimit,
    congested: () => backlog() > maxBufferedBytes,
    overflowError: (queued) => slowConsumer('events', queued, queueLimit),
    ...overflowReport(context),
  });
  try {
    await startResumableEvents({
      store,
      feed: live.feed,
      organizationId: principal.organizationId,
      after,
      ...(Object.keys(filter).length > 0 ? { filter } : {}),
      pageSize: Math.max(1, Math.min(replayPageSize, Math.floor(queueLimit / 2))),
      queue,
      bufferLimit: queueLimit,
      logger: live.logger,
    });
  } catch (error) {
    await queue.return();
    throw error;
  }
  return mapQueue(queue, recordedEventView, () => {});
});

export const liveArea: ApiArea = {
  typeDefs: liveTypeDefs,
  resolvers: {
    Subscription: { deviceStatusChanged, alertChanged, deviceMetrics, fleetSummary, events },
    DeviceStatusEvent: {
      device: (payload: DeviceStatusPayload, _args: unknown, context: ApiContext) => {
        const principal = authorize(context, 'device:read');
        const input = { organizationId: principal.organizationId, deviceId: payload.deviceId };
        return freshReads(context).read(
          `device:${input.organizationId}:${input.deviceId}:${payload.checkpoint}`,
          () => context.ports.queries.getDevice(input),
          (device) => atLeast(device.statusChangedAt, payload.at),
        );
      },
    },
    AlertEvent: {
      alert: (payload: AlertChangePayload, _args: unknown, context: ApiContext) => {
        const principal = authorize(context, 'alert:read');
        const input = { organizationId: principal.organizationId, alertId: payload.alertId };
        return freshReads(context).read(
          `alert:${input.organizationId}:${input.alertId}:${payload.checkpoint}`,
          () => context.ports.queries.getAlert(input),
          (alert) => atLeast(alert.lastChangedAt, payload.at),
        );
      },
    },
  } as unknown as IResolvers<unknown, ApiContext>,
};
