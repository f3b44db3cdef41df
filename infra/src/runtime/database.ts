import type { Config } from '../config/config.js';
import { startEmbeddedPostgres } from '../postgres/embedded.js';
import type { Logger } from './logger.js';

export type Database = Readonly<{ connectionString: string; embedded: boolean; stop: () => Promise<void> }>;

/** DATABASE_URL when set; otherwise the embedded PostgreSQL in the data folder. */
export const openDatabase = async (config: Config, logger: Logger): Promise<Database> => {
  if (config.DATABASE_URL)
    return { connectionString: config.DATABASE_URL, embedded: false, stop: async () => {} };
  const log = logger.child({ component: 'embedded-postgres' });
  log.info(
    { dataDir: config.NETPULSE_DATA_DIR, port: config.EMBEDDED_PG_PORT },
    'starting embedded PostgreSQL',
  );
  const running = await startEmbeddedPostgres({
    dataDir: config.NETPULSE_DATA_DIR,
    port: config.EMBEDDED_PG_PORT,
    log: (message) => log.debug(message),
  });
  return { connectionString: running.connectionString, embedded: true, stop: running.stop };
};
