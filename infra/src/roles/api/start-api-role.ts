import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type ApiPorts, buildServer, type DependencyCheck, type MetricsText } from '@netpulse/api';
import { createCommandBus } from '@netpulse/commands';
import type { Clock, EventStore } from '@netpulse/domain';
import { readModelQueries } from '@netpulse/projections';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { Config } from '../../config/config.js';
import type { Logger } from '../../runtime/logger.js';
import { createIdentityPorts, createRateLimiter } from './identity.js';
import { createLivePorts } from './live.js';
import { createReadCache } from './read-cache.js';

export type ApiRoleDeps = Readonly<{
  config: Config;
  store: EventStore;
  /**
   * The store the live-feed publisher follows, on connections of its own (default `store`): its
   * reads are what every subscriber waits for, so they must not queue behind the projections' and
   * reactors' reads in a shared pool.
   */
  feedStore?: EventStore;
  /** Read models (and the API's own tables) live in this database. */
  pool: Pool;
  logger: Logger;
  registry: Registry;
  clock: Clock;
  checks: readonly DependencyCheck[];
  isStarted: () => boolean;
  /** `/metrics` from elsewhere than `registry` (an API worker answers for its whole group). */
  metrics?: () => Promise<MetricsText>;
}>;

export type ApiRole = Readonly<{ app: FastifyInstance; url: string; stop: () => Promise<void> }>;

/** The built dashboard, beside this package in the repository (web/dist). */
export const defaultWebRoot = fileURLToPath(new URL('../../../../web/dist', import.meta.url));

/** Composes the GraphQL API from the ports infra knows how to build, and listens on HOST:PORT. */
export const startApiRole = async (deps: ApiRoleDeps): Promise<ApiRole> => {
  const { config, store, pool, logger, registry, clock } = deps;
  const schema = config.NETPULSE_READ_MODEL_SCHEMA;
  const readCache = createReadCache({ pool, schema, entries: config.READ_CACHE_ENTRIES, logger, registry });
  const queries = readModelQueries(pool, schema, { cache: readCache.cache });
  const bus = createCommandBus({ store, locateAlert: queries.locateAlert });
  const stops: (() => Promise<unknown>)[] = [readCache.stop];
  try {
    const rateLimiter = await createRateLimiter({ config, logger });
    stops.push(rateLimiter.stop);
    const identity = await createIdentityPorts({
      config,
      pool,
      store,
      bus,
      clock,
      logger,
      loginLimiter: rateLimiter.loginLimiter,
    });
    stops.push(identity.stop);
    const live = await createLivePorts({ config, store: deps.feedStore ?? store, pool, logger, registry });
    stops.push(live.stop);

    const ports: ApiPorts = {
      bus,
      queries,
      store,
      identity: identity.ports,
      live: live.ports,
      rateLimiter: rateLimiter.limiter,
      clock,
      newId: randomUUID,
    };
    const app = await buildServer({
      logger,
      checks: [...deps.checks, ...live.checks, ...rateLimiter.checks],
      isStarted: deps.isStarted,
      registry,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      graphql: {
        ports,
        graphiql: config.NODE_ENV === 'development',
        limits: {
          maxDepth: config.GRAPHQL_MAX_DEPTH,
          maxCost: config.GRAPHQL_MAX_COST,
          maxPageSize: config.GRAPHQL_MAX_PAGE_SIZE,
          subscriptionQueueLimit: config.SUBSCRIPTION_QUEUE_LIMIT,
        },
      },
      webRoot: defaultWebRoot,
    });
    stops.push(() => app.close());
    await app.listen({ host: config.HOST, port: config.PORT });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    return {
      app,
      url: `http://${config.HOST}:${port}`,
      stop: async () => {
        for (const stop of stops.reverse())
          await stop().catch((error: unknown) => logger.warn({ err: error }, 'api stop'));
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
};
