import type { Config } from '../config/config.js';
import { openDatabase } from '../runtime/database.js';
import { openEventStore } from '../runtime/event-store.js';
import type { Logger } from '../runtime/logger.js';

/** Applies every migration (event store now; read models as they arrive) and exits. */
export const migrateCommand = async (config: Config, logger: Logger): Promise<number> => {
  const database = await openDatabase(config, logger);
  try {
    const { store } = await openEventStore(config, database.connectionString, logger);
    await store.close();
    logger.info('migrations applied');
    return 0;
  } finally {
    await database.stop();
  }
};
