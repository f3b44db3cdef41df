import { ReadModelCache, readModelChannel } from '@netpulse/projections';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { PgNotifier } from '../../event-store/postgres/notifier.js';
import type { Logger } from '../../runtime/logger.js';

export type ReadCacheDeps = Readonly<{
  pool: Pool;
  /** The read models' schema, whose projectors announce their commits (NETPULSE_READ_MODEL_SCHEMA). */
  schema: string;
  /** Pages kept at most; 0 = none (READ_CACHE_ENTRIES). */
  entries: number;
  logger: Pick<Logger, 'warn'>;
  registry: Registry;
}>;

/**
 * The API process's cache of read-model pages, told of every projector commit by a LISTEN on the
 * read models' channel. Until that connection is up (and while it reconnects) pages are read from
 * PostgreSQL, so a commit the process could not hear of is never hidden behind a kept page.
 */
export const createReadCache = (
  deps: ReadCacheDeps,
): Readonly<{ cache: ReadModelCache | undefined; stop: () => Promise<void> }> => {
  const { pool, logger } = deps;
  const connectionString = pool.options.connectionString;
  if (deps.entries === 0 || !connectionString) return { cache: undefined, stop: async () => {} };
  const notifier = new PgNotifier({
    connectionString,
    channel: readModelChannel(deps.schema),
    onError: (error) =>
      logger.warn(
        { err: error },
        'read cache: not listening for read-model changes; reading PostgreSQL meanwhile',
      ),
  });
  notifier.start();
  return {
    cache: new ReadModelCache({ changes: notifier, maxEntries: deps.entries, registry: deps.registry }),
    stop: () => notifier.stop(),
  };
};
