import { type DependencyCheck, defaultLiveLimits, type LiveLimits, type LivePorts } from '@netpulse/api';
import type { EventStore } from '@netpulse/domain';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../runtime/logger.js';
import { PostgresAdvisoryLock } from '../reactor/advisory-lock.js';
import { PostgresReactorCheckpoints } from '../reactor/postgres-checkpoints.js';
import { FeedHub } from './live/feed-hub.js';
import { startFeedPublisher } from './live/feed-publisher.js';
import { createLiveMetrics } from './live/live-prom-metrics.js';
import { createInProcessTransport, createRedisTransport } from './live/live-transport.js';
import { runPublisherElection } from './live/publisher-election.js';

/** Knobs with production defaults; tests and benchmarks turn them. */
export type LiveTuning = Readonly<{
  /** Keeps deployments (and test schemas) sharing a Redis and a database apart. Default: the event store schema. */
  namespace: string;
  heartbeatMs: number;
  standbyRetryMs: number;
  maxBacklogAgeMs: number;
  maxEventsPerMessage: number;
  /** The live feed counts as down after this long without a message. */
  staleAfterMs: number;
  /** Where the publisher lock is taken; default: the pool's own connection string. */
  lockConnectionString: string;
  /** Subscriber limits beyond the configured queue limit. */
  limits: Partial<LiveLimits>;
}>;

export type LivePortsDeps = Readonly<{
  config: Pick<Config, 'REDIS_URL' | 'SUBSCRIPTION_QUEUE_LIMIT' | 'EVENT_STORE_SCHEMA'>;
  store: EventStore;
  /** Holds the publisher's saved position (beside the reactors' checkpoints). */
  pool: Pool;
  logger: Logger;
  registry: Registry;
  tuning?: Partial<LiveTuning>;
}>;

export type LiveRuntime = Readonly<{
  ports: LivePorts;
  checks: readonly DependencyCheck[];
  /** Whether this process is the deployment's feed publisher right now. */
  publisherActive: () => boolean;
  stop: () => Promise<void>;
}>;

const PUBLISHER = 'api-live-feed';

/**
 * The live feed of one API process. With REDIS_URL, one publisher per deployment (the holder of a
 * PostgreSQL advisory lock; the other processes stand by to take over) publishes every event on
 * Redis and every process hears it; without, each process publishes to itself in memory.
 */
export const createLivePorts = async (deps: LivePortsDeps): Promise<LiveRuntime> => {
  const { config, store, pool, registry } = deps;
  const logger = deps.logger.child({ part: 'live' });
  const namespace = deps.tuning?.namespace ?? config.EVENT_STORE_SCHEMA;
  const heartbeatMs = deps.tuning?.heartbeatMs ?? 1_000;
  const topic = `netpulse/live/${namespace}`;
  const metrics = createLiveMetrics(registry);
  const transport = config.REDIS_URL
    ? createRedisTransport({
        url: config.REDIS_URL,
        topic,
        connectionName: `netpulse-live:${namespace}`,
        logger,
      })
    : createInProcessTransport(topic);

  await PostgresReactorCheckpoints.migrate(pool, config.EVENT_STORE_SCHEMA);
  const positions = new PostgresReactorCheckpoints(pool, config.EVENT_STORE_SCHEMA);
  const hub = new FeedHub({
    transport,
    compare: (a, b) => store.compareCheckpoints(a, b),
    logger,
    metrics,
    staleAfterMs: deps.tuning?.staleAfterMs ?? Math.max(15_000, 10 * heartbeatMs),
  });
  const subscribed = hub.start();
  // A Redis that is down at start-up must not keep the API from serving: subscriptions wait for it.
  const connectedInTime = await Promise.race([
    subscribed.then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 5_000).unref()),
  ]);
  if (!connectedInTime) logger.warn({}, 'live feed: not connected yet; live subscriptions wait for it');

  let lock: PostgresAdvisoryLock | null = null;
  if (transport.distributed) {
    const connectionString = deps.tuning?.lockConnectionString ?? pool.options.connectionString;
    if (!connectionString) throw new Error('live feed: the publisher lock needs a connection string');
    lock = new PostgresAdvisoryLock({ connectionString, namespace });
  }
  const election = runPublisherElection({
    lock,
    lockName: PUBLISHER,
    standbyRetryMs: deps.tuning?.standbyRetryMs ?? 2_000,
    logger,
    onActive: (active) => metrics.publisherActive(active),
    start: () =>
      startFeedPublisher({
        store,
        transport,
        positions,
        name: PUBLISHER,
        logger,
        heartbeatMs,
        maxBacklogAgeMs: deps.tuning?.maxBacklogAgeMs ?? 60_000,
        maxEventsPerMessage: deps.tuning?.maxEventsPerMessage ?? 100,
        saveEveryMs: 1_000,
        onPublished: (events) => metrics.published(events),
      }),
  });
  logger.info({ transport: transport.distributed ? 'redis' : 'in-process', namespace }, 'live feed started');

  return {
    ports: {
      feed: hub,
      metrics,
      logger,
      limits: { ...defaultLiveLimits, queueLimit: config.SUBSCRIPTION_QUEUE_LIMIT, ...deps.tuning?.limits },
    },
    checks: [
      {
        name: 'liveFeed',
        check: async () => {
          await transport.check();
          hub.check();
        },
      },
    ],
    publisherActive: election.active,
    stop: async () => {
      await election.stop();
      await transport.close();
    },
  };
};
