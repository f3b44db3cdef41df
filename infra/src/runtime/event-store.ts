import type { EventStore } from '@netpulse/domain';
import type { Config } from '../config/config.js';
import { createEventStoreDbEventStore } from '../event-store/eventstoredb/eventstoredb-event-store.js';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import type { Logger } from './logger.js';

export type OpenedEventStore = Readonly<{
  store: EventStore;
  /** Health probe of the engine behind the store. */
  check: () => Promise<void>;
  /** Periodic housekeeping (telemetry retention); resolves to what it did, for the log. */
  maintain: () => Promise<string[]>;
}>;

/**
 * The only place that decides which event store engine runs. With EventStoreDB the read models and
 * checkpoints still live in PostgreSQL (`databaseUrl`).
 */
export const openEventStore = async (
  config: Config,
  databaseUrl: string,
  logger: Logger,
  /** Connections to PostgreSQL; default DATABASE_POOL_SIZE. */
  poolSize = config.DATABASE_POOL_SIZE,
): Promise<OpenedEventStore> => {
  const log = logger.child({ component: 'event-store' });
  const onError = (error: unknown) => log.warn({ err: error }, 'event store connection problem; retrying');
  if (config.eventStore === 'eventstoredb' && config.EVENTSTORE_URL) {
    const store = await createEventStoreDbEventStore({
      connectionString: config.EVENTSTORE_URL,
      observationMaxAgeSeconds: config.OBSERVATION_RETENTION_DAYS * 86_400,
      onError,
    });
    return {
      store,
      check: async () => {
        await store.readStream('$health-check', { limit: 1 });
      },
      // EventStoreDB expires observations itself ($maxAge, then scavenging).
      maintain: async () => [],
    };
  }
  const store = await PostgresEventStore.connect({
    connectionString: databaseUrl,
    schema: config.EVENT_STORE_SCHEMA,
    poolSize,
    onError,
  });
  return {
    store,
    check: async () => {
      await store.pool.query('select 1');
    },
    maintain: () => store.pruneTelemetry(config.OBSERVATION_RETENTION_DAYS),
  };
};
