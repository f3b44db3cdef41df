import type { EventStore } from '@netpulse/domain';
import type { Config } from '../config/config.js';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import type { Logger } from './logger.js';

export type OpenedEventStore = Readonly<{
  store: EventStore;
  /** Health probe of the engine behind the store. */
  check: () => Promise<void>;
  /** Periodic housekeeping (telemetry retention); resolves to what it did, for the log. */
  maintain: () => Promise<string[]>;
}>;

/** The only place that decides which event store engine runs. */
export const openEventStore = async (
  config: Config,
  databaseUrl: string,
  logger: Logger,
): Promise<OpenedEventStore> => {
  const log = logger.child({ component: 'event-store' });
  if (config.eventStore === 'eventstoredb') {
    throw new Error('EVENT_STORE=eventstoredb is not wired into this build yet');
  }
  const store = await PostgresEventStore.connect({
    connectionString: databaseUrl,
    schema: config.EVENT_STORE_SCHEMA,
    poolSize: config.DATABASE_POOL_SIZE,
    onError: (error) => log.warn({ err: error }, 'event store connection problem; retrying'),
  });
  return {
    store,
    check: async () => {
      await store.pool.query('select 1');
    },
    maintain: () => store.pruneTelemetry(config.OBSERVATION_RETENTION_DAYS),
  };
};
