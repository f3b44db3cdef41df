import { randomUUID } from 'node:crypto';
import { type ApiPorts, buildServer, type Principal } from '@netpulse/api';
import { createCommandBus } from '@netpulse/commands';
import { type EventToAppend, type RecordedEvent, START, systemClock } from '@netpulse/domain';
import { readModelQueries } from '@netpulse/projections';
import { dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { Registry } from 'prom-client';
import { PostgresEventStore } from '../../../../event-store/postgres/postgres-event-store.js';
import { createPool } from '../../../../postgres/pool.js';
import { testRedisUrl } from '../../../../testing/redis.js';
import { createLivePorts, type LiveRuntime, type LiveTuning } from '../../live.js';
import { namedCallerIdentity } from '../../testing/named-caller-identity.js';

export { detectRedis, testRedisUrl } from '../../../../testing/redis.js';

/** Who the tests call as: `Authorization: Bearer <name>`. */
export const liveCallers = {
  'integrator-a': {
    kind: 'api-key',
    id: 'key-a',
    organizationId: 'org-a',
    roles: ['integrator'],
    displayName: null,
  },
  'viewer-a': {
    kind: 'user',
    id: 'victor',
    organizationId: 'org-a',
    roles: ['viewer'],
    displayName: 'Victor',
  },
  'integrator-b': {
    kind: 'api-key',
    id: 'key-b',
    organizationId: 'org-b',
    roles: ['integrator'],
    displayName: null,
  },
} as const satisfies Record<string, Principal>;
export type LiveCaller = keyof typeof liveCallers;

export type LiveProcess = Readonly<{
  url: string;
  app: FastifyInstance;
  live: LiveRuntime;
  registry: Registry;
  stop: () => Promise<void>;
}>;

export type LiveDeploymentOptions = Readonly<{
  redis: boolean;
  queueLimit?: number;
  tuning?: Partial<LiveTuning>;
  /** Who the tests call as (default liveCallers); a test may change it to revoke a token. */
  callers?: Readonly<Record<string, Principal>>;
}>;

/**
 * One deployment as NetPulse composes its API: a real PostgreSQL event store in a fresh schema and
 * any number of API "processes" (server instances, each with its own store client, pool, live feed
 * and Redis connections) sharing it, and Redis when asked.
 */
export const createLiveDeployment = async (label: string, options: LiveDeploymentOptions) => {
  const eventSchema = uniqueSchemaName(`${label}_es`);
  const readSchema = uniqueSchemaName(`${label}_rm`);
  const store = await PostgresEventStore.connect({
    connectionString: testDatabaseUrl(),
    schema: eventSchema,
    pollIntervalMs: 50,
  });
  const processes = new Set<LiveProcess>();
  const logger = pino({ level: process.env.LIVE_TEST_LOG ?? 'silent' });

  const startProcess = async (): Promise<LiveProcess> => {
    const processStore = await PostgresEventStore.connect({
      connectionString: testDatabaseUrl(),
      schema: eventSchema,
      pollIntervalMs: 50,
    });
    const pool = createPool({ connectionString: testDatabaseUrl(), max: 4 });
    const registry = new Registry();
    const queueLimit = options.queueLimit ?? 1_000;
    const live = await createLivePorts({
      config: {
        REDIS_URL: options.redis ? testRedisUrl() : undefined,
        SUBSCRIPTION_QUEUE_LIMIT: queueLimit,
        EVENT_STORE_SCHEMA: eventSchema,
      },
      store: processStore,
      pool,
      logger,
      registry,
      tuning: { heartbeatMs: 200, standbyRetryMs: 200, ...options.tuning },
    });
    const queries = readModelQueries(pool, readSchema);
    const ports: ApiPorts = {
      bus: createCommandBus({ store: processStore, locateAlert: queries.locateAlert }),
      queries,
      store: processStore,
      identity: namedCallerIdentity(options.callers ?? liveCallers),
      live: live.ports,
      rateLimiter: { consume: async () => ({ allowed: true, retryAfterSeconds: 0 }) },
      clock: systemClock,
      newId: randomUUID,
    };
    const app = await buildServer({
      logger,
      checks: live.checks,
      isStarted: () => true,
      registry,
      graphql: {
        ports,
        graphiql: false,
        limits: { maxDepth: 10, maxCost: 1_000_000, maxPageSize: 500, subscriptionQueueLimit: queueLimit },
      },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    let stopped = false;
    const handle: LiveProcess = {
      url: `http://127.0.0.1:${port}`,
      app,
      live,
      registry,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        processes.delete(handle);
        await app.close();
        await live.stop();
        await processStore.close();
        await pool.end();
      },
    };
    processes.add(handle);
    return handle;
  };

  /** Appends `count` events (of `type`) to one stream of `organizationId`. */
  const append = (
    organizationId: string,
    streamId: string,
    count: number,
    data: Record<string, unknown> = {},
    type = 'LiveTested',
  ) => {
    const events: EventToAppend[] = Array.from({ length: count }, (_, n) => ({
      id: randomUUID(),
      type,
      data: { n, ...data },
      metadata: {
        organizationId,
        actor: { kind: 'system', id: 'live-test' },
        correlationId: 'live-test',
        causationId: 'live-test',
        schemaVersion: 1,
      },
    }));
    return store.appendToStream(streamId, events, { expectedVersion: 'any' });
  };

  /** Every stored event of `organizationId` after `after`, in global order. */
  const stored = async (organizationId: string, after = START): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    let checkpoint = after;
    for (;;) {
      const page = await store.readAll({ after: checkpoint, limit: 1_000 });
      events.push(...page.events.filter((event) => event.metadata.organizationId === organizationId));
      checkpoint = page.checkpoint;
      if (page.caughtUp) return events;
    }
  };

  /**
   * The first `count` stored events of `organizationId`, once that many are visible: readers of the
   * PostgreSQL store see a committed event only when no older append is still in flight.
   */
  const storedAtLeast = async (organizationId: string, count: number, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const events = await stored(organizationId);
      if (events.length >= count) return events.slice(0, count);
      if (Date.now() > deadline) throw new Error(`only ${events.length} of ${count} events became visible`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  return {
    store,
    eventSchema,
    startProcess,
    append,
    stored,
    storedAtLeast,
    dispose: async () => {
      for (const running of [...processes]) await running.stop();
      await store.close();
      await dropSchema(eventSchema);
    },
  };
};

export type LiveDeployment = Awaited<ReturnType<typeof createLiveDeployment>>;

/** A live metric's value for one subscription field in `process` (0 when it has none yet). */
export const liveFieldMetric = async (process: LiveProcess, name: string, field: string): Promise<number> => {
  const values = (await process.registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.find((value) => value.labels.field === field)?.value ?? 0;
};

/** Polls until `condition` holds, or fails naming `what`. */
export const eventually = async (
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
  state?: () => string,
) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${state ? `: ${state()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
