import type { EventStoreDBClient } from '@eventstore/db-client';

/** The part of the EventStoreDB client the adapter uses (the tests substitute an in-memory fake). */
export type EsdbClient = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'setStreamMetadata' | 'dispose'
>;
