import { randomUUID } from 'node:crypto';
import { type ApiPorts, buildServer, defaultLiveLimits, type LivePorts, type Principal } from '@netpulse/api';
import { createCommandBus } from '@netpulse/commands';
import { type Actor, type CommandMetadata, systemClock } from '@netpulse/domain';
import { type ReadModelQueries, readModelQueries, silentProjectionLogger } from '@netpulse/projections';
import { dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { Registry } from 'prom-client';
import { PostgresEventStore } from '../../../event-store/postgres/postgres-event-store.js';
import { createPool } from '../../../postgres/pool.js';
import { loadProjectorConfig } from '../../projector/projector-config.js';
import { type ProjectorRole, startProjectorRole } from '../../projector/start-projector-role.js';
import { caughtUp } from '../../projector/testing/read-model-dump.js';
import { createReadCache } from '../read-cache.js';
import { namedCallerIdentity } from './named-caller-identity.js';

/** Who the tests call as: `Authorization: Bearer <name>`. */
export const callers = {
  'operator-a': {
    kind: 'user',
    id: 'alice',
    organizationId: 'org-a',
    roles: ['operator'],
    displayName: 'Alice',
  },
  'operator-b': { kind: 'user', id: 'bob', organizationId: 'org-b', roles: ['operator'], displayName: 'Bob' },
  'viewer-a': {
    kind: 'user',
    id: 'victor',
    organizationId: 'org-a',
    roles: ['viewer'],
    displayName: 'Victor',
  },
  'auditor-a': {
    kind: 'user',
    id: 'audrey',
    organizationId: 'org-a',
    roles: ['auditor'],
    displayName: 'Audrey',
  },
  'auditor-b': { kind: 'user', id: 'otto', organizationId: 'org-b', roles: ['auditor'], displayName: 'Otto' },
  'integrator-a': {
    kind: 'api-key',
    id: 'key-a',
    organizationId: 'org-a',
    roles: ['integrator'],
    displayName: null,
  },
} as const satisfies Record<string, Principal>;
export type Caller = keyof typeof callers;

const quietLive: LivePorts = {
  feed: { listen: async () => () => {} },
  metrics: {
    subscriptionOpened: () => {},
    subscriptionClosed: () => {},
    executionStarted: () => {},
    executionStopped: () => {},
    slowConsumerClosed: () => {},
  },
  limits: defaultLiveLimits,
  logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
};

/** Counts calls per read-model query, to prove a list is answered without one query per item. */
const counted = (queries: ReadModelQueries) => {
  const calls = new Map<string, number>();
  const wrapped = Object.fromEntries(
    Object.entries(queries).map(([name, query]) => [
      name,
      (...args: unknown[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return (query as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as ReadModelQueries;
  return { queries: wrapped, calls };
};

export type GraphqlResponse<T> = {
  data?: T | null;
  errors?: {
    message: string;
    path?: string[];
    extensions?: { code?: string; details?: Record<string, unknown> };
  }[];
};

/**
 * The GraphQL API as NetPulse composes it (buildServer, every area), over a real PostgreSQL event
 * store, the real command bus and the real projector keeping the read models in fresh schemas.
 */
export const createGraphqlFixture = async (
  label: string,
  options: Readonly<{ maxPageSize?: number }> = {},
) => {
  const eventSchema = uniqueSchemaName(`${label}_es`);
  const readSchema = uniqueSchemaName(`${label}_rm`);
  const store = await PostgresEventStore.connect({
    connectionString: testDatabaseUrl(),
    schema: eventSchema,
    pollIntervalMs: 50,
  });
  const pool = createPool({ connectionString: testDatabaseUrl(), max: 16 });
  let projector: ProjectorRole | undefined;
  let app: FastifyInstance | undefined;
  const metrics = new Registry();
  const logger = pino({ level: process.env.TEST_API_LOG ?? 'silent' });
  const readCache = createReadCache({ pool, schema: readSchema, entries: 1_000, logger, registry: metrics });
  try {
    projector = await startProjectorRole({
      store,
      pool,
      schema: readSchema,
      logger: silentProjectionLogger,
      registry: new Registry(),
      clock: systemClock,
      config: loadProjectorConfig({
        NETPULSE_PROJECTIONS: 'devices,metrics,outages,alerts,audit,alert-rules',
        NETPULSE_PROJECTOR_BATCH_SIZE: '200',
        NETPULSE_PROJECTOR_STANDBY_RETRY_MS: '100',
        NETPULSE_PROJECTOR_LAG_SAMPLE_MS: '0',
      }),
    });
    const { queries, calls } = counted(readModelQueries(pool, readSchema, { cache: readCache.cache }));
    const bus = createCommandBus({ store, locateAlert: queries.locateAlert });
    const ports: ApiPorts = {
      bus,
      queries,
      store,
      identity: namedCallerIdentity(callers),
      live: quietLive,
      rateLimiter: { consume: async () => ({ allowed: true, retryAfterSeconds: 0 }) },
      clock: systemClock,
      newId: randomUUID,
    };
    app = await buildServer({
      logger,
      checks: [],
      isStarted: () => true,
      registry: metrics,
      graphql: {
        ports,
        graphiql: false,
        limits: {
          maxDepth: 10,
          maxCost: 1_000_000,
          maxPageSize: options.maxPageSize ?? 100,
          subscriptionQueueLimit: 100,
        },
      },
    });
    await app.ready();
    const server = app;
    const role = projector;

    /**
     * Waits until every projection has applied everything the store shows now. Twice in a row, a
     * moment apart: a reader may briefly not see a committed event while another append in the
     * cluster is committing (the store's append horizon), and a single look would call that caught up.
     */
    const settle = async (timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      const isCaughtUp = () => caughtUp(store, role.readModels.registry, role.readModels.projections);
      for (let confirmations = 0; confirmations < 2; ) {
        if (await isCaughtUp()) confirmations += 1;
        else confirmations = 0;
        if (Date.now() > deadline) throw new Error('projections did not catch up');
        await new Promise((resolve) => setTimeout(resolve, confirmations === 0 ? 25 : 150));
      }
    };

    const gql = async <T = Record<string, unknown>>(
      caller: Caller | null,
      query: string,
      variables: Record<string, unknown> = {},
    ): Promise<GraphqlResponse<T>> => {
      const response = await server.inject({
        method: 'POST',
        url: '/graphql',
        headers: caller ? { authorization: `Bearer ${caller}` } : {},
        payload: { query, variables },
      });
      return response.json() as GraphqlResponse<T>;
    };

    /** A command straight through the bus, as a reactor sends it (alerts are raised by reactors). */
    const command = (organizationId: string, body: { type: string; data: object }, actor: Actor = system) => {
      const metadata: CommandMetadata = { commandId: randomUUID(), now: new Date(), organizationId, actor };
      return bus.execute(body, metadata);
    };

    return {
      store,
      pool,
      app: server,
      eventSchema,
      readSchema,
      calls,
      /** The API's prom-client registry (the read cache counts its reads there). */
      metrics,
      settle,
      gql,
      command,
      dispose: async () => {
        await server.close();
        await readCache.stop();
        await role.stop();
        await store.close();
        await pool.end();
        await dropSchema(eventSchema);
        await dropSchema(readSchema);
      },
    };
  } catch (error) {
    await app?.close();
    await readCache.stop();
    await projector?.stop();
    await store.close();
    await pool.end();
    throw error;
  }
};

const system: Actor = { kind: 'system', id: 'alerting-reactor' };

export type GraphqlFixture = Awaited<ReturnType<typeof createGraphqlFixture>>;

/** The codes of a response's errors, in order. */
export const codes = (response: GraphqlResponse<unknown>): (string | undefined)[] =>
  (response.errors ?? []).map((error) => error.extensions?.code);
