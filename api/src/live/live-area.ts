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
import { type LiveError, slowConsumer, toLiveError } from './live-errors.js';
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
import { whileAuthorized } from './while-authorized.js';

type Open<A> = (
  args: A,
  context: ApiContext,
  principal: Principal,
) => Promise<AsyncIterableIterator<unknown>>;

/** How often an open subscription checks that its caller still holds the credentials and the permission. */
const RECHECK_MS = 5_000;

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

/** The socket's credentials authenticated again, and the permission checked: null while both hold. */
const recheckOf =
  (context: ApiContext, permission: Permission, field: LiveField) => async (): Promise<LiveError | null> => {
    try {
      authorize({ ...context, principal: (await context.reauthenticate?.()) ?? null }, permission);
      return null;
    } catch (error) {
      if (error instanceof ApiError) return toLiveError(error, field, context.ports.live.logger);
      throw error;
    }
  };

/**
 * A subscription field, open only while its caller is authorized (see whileAuthorized). Errors
 * raised while it starts reach the client without the API's error formatter (mercurius sends them
 * straight to the socket), so they are given their code here.
 */
const subscription = <A>(field: LiveField, permission: Permission, open: Open<A>) => ({
  subscribe: async (_root: unknown, args: A, context: ApiContext) => {
    try {
      const principal = authorize(context, permission);
      const stream = await open(args, context, principal);
      return whileAuthorized(
        freshLoadersPerEvent(stream, context),
        {
          ...(principal.credentialsExpireAt ? { expiresAt: principal.credentialsExpireAt } : {}),
          ...(context.reauthenticate ? { recheck: recheckOf(context, permission, field) } : {}),
          recheckMs: RECHECK_MS,
        },
        () => context.ports.clock.now().getTime(),
      );
    } catch (error) {
      throw toLiveError(error, field, context.ports.live.logger);
    }
  },
  resolve: (payload: unknown) => payload,
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
  'live:subscribe',
  async (args, context, principal) => {
    const deviceId = args.deviceId ?? null;
    return openLiveStream({
      field: 'deviceStatusChanged',
      live: context.ports.live,
      organizationId: principal.organizationId,
      backlog: socketBacklog(context),
      select: (event) =>
        event.type === 'DeviceStatusChanged' && (deviceId === null || eventData(event).deviceId === deviceId),
      toPayload: deviceStatusPayload,
    });
  },
);

const alertChanged = subscription<AlertFilterArgs>(
  'alertChanged',
  'live:subscribe',
  async (args, context, principal) => {
    const cache = alertFacts(context);
    const filtered = Boolean(args.deviceId || args.minSeverity);
    const { queries, store } = context.ports;
    return openLiveStream({
      field: 'alertChanged',
      live: context.ports.live,
      organizationId: principal.organizationId,
      backlog: socketBacklog(context),
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
            factsInEvent(event, cache) ??
            (await cache.of(event, principal.organizationId, { queries, store }));
          if (!facts || !passes(facts, args)) return null;
        }
        return alertChangePayload(event);
      },
    });
  },
);

const deviceMetrics = subscription<{ deviceId: string }>(
  'deviceMetrics',
  'live:subscribe',
  async (args, context, principal) => {
    const owned = await ownedStream(context.ports.store, `device-${args.deviceId}`, principal.organizationId);
    if (!owned) throw new ApiError('NOT_FOUND', `device ${args.deviceId} not found`);
    const observations = `observations-${args.deviceId}`;
    return openLiveStream({
      field: 'deviceMetrics',
      live: context.ports.live,
      organizationId: principal.organizationId,
      backlog: socketBacklog(context),
      select: (event) => event.type === 'DeviceObserved' && event.streamId === observations,
      toPayload: liveMetricsPayload,
    });
  },
);

const fleetSummary = subscription<Record<string, never>>(
  'fleetSummary',
  'live:subscribe',
  async (_args, context, principal) => {
    const { live } = context.ports;
    let stop: (() => void) | null = null;
    let returned = false;
    const latest = new LatestValue<unknown>(() => {
      returned = true;
      stop?.();
      live.metrics.subscriptionClosed('fleetSummary');
    });
    live.metrics.subscriptionOpened('fleetSummary');
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

const events = subscription<EventsArgs>('events', 'events:read', async (args, context, principal) => {
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
    onEnd: (end) => {
      live.metrics.subscriptionClosed('events');
      if (end === 'overflow') live.metrics.slowConsumerClosed('events');
    },
  });
  live.metrics.subscriptionOpened('events');
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
