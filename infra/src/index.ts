export * from './event-store/eventstoredb/eventstoredb-event-store.js';
export * from './event-store/postgres/postgres-event-store.js';
export * from './kafka/index.js';
export * from './postgres/migrator.js';
export * from './postgres/pool.js';
export * from './roles/projector/index.js';
export * from './roles/reactor/index.js';

import {
  PostgresEventStore,
  type PostgresEventStoreOptions,
} from './event-store/postgres/postgres-event-store.js';

/** Opens the PostgreSQL event store and applies its migrations. */
export const createPostgresEventStore = (options: PostgresEventStoreOptions): Promise<PostgresEventStore> =>
  PostgresEventStore.connect(options);
