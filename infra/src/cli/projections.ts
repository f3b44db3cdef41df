import { type ProjectionStatus, projectionStatus, rebuildProjections } from '@netpulse/projections';
import type { Config } from '../config/config.js';
import { createPool } from '../postgres/pool.js';
import { openReadModelDatabase } from '../roles/projector/read-model-database.js';
import { openDatabase } from '../runtime/database.js';
import { openEventStore } from '../runtime/event-store.js';
import type { Logger } from '../runtime/logger.js';

export const projectionsUsage = `usage: netpulse projections <command>

commands:
  status            each projection's active (and building) version, checkpoint and lag
  rebuild <name>    fill the next version of a projection from position 0 while the current one
                    keeps serving, then switch readers to it; <name> is one of the names status
                    lists, or "all" (one read of the log feeds every projection)`;

const formatStatus = (status: readonly ProjectionStatus[]): string => {
  const lines = [
    'projection  version  role      applied     lag (events)  lag (s)  last event                checkpoint',
  ];
  for (const projection of status) {
    if (projection.versions.length === 0) lines.push(`${projection.name.padEnd(12)}(never run)`);
    for (const version of projection.versions) {
      lines.push(
        [
          projection.name.padEnd(11),
          `v${version.version}`.padEnd(8),
          version.role.padEnd(9),
          String(version.eventsApplied).padEnd(11),
          `${version.lag.saturated ? '≥' : ''}${version.lag.events}`.padEnd(13),
          version.lag.seconds.toFixed(1).padEnd(8),
          (version.lastEventAt?.toISOString() ?? '-').padEnd(25),
          version.checkpoint,
        ].join(' '),
      );
    }
  }
  return lines.join('\n');
};

/** `netpulse projections status | rebuild <name>`: against the configured databases. */
export const projectionsCommand = async (
  config: Config,
  logger: Logger,
  args: readonly string[],
): Promise<number> => {
  const [sub, name] = args;
  if (sub !== 'status' && sub !== 'rebuild') {
    console.error(projectionsUsage);
    return 2;
  }
  const database = await openDatabase(config, logger);
  const pool = createPool({
    connectionString: database.connectionString,
    max: 16,
    applicationName: 'netpulse-projections-cli',
    // A rebuild batch may hold its transaction longer than a live one.
    idleInTransactionTimeoutMs: 60_000,
  });
  try {
    const { store } = await openEventStore(config, database.connectionString, logger);
    try {
      const readModels = await openReadModelDatabase(pool, config.NETPULSE_READ_MODEL_SCHEMA);
      if (sub === 'status') {
        console.log(
          formatStatus(
            await projectionStatus(store, readModels.registry, readModels.projections, new Date()),
          ),
        );
        return 0;
      }
      const known = readModels.projections.map((projection) => projection.name);
      if (!name || (name !== 'all' && !known.includes(name))) {
        console.error(`rebuild needs a projection name: ${[...known, 'all'].join(', ')}`);
        return 2;
      }
      const selected = readModels.projections.filter(
        (projection) => name === 'all' || projection.name === name,
      );
      const started = Date.now();
      let reported = 0;
      const results = await rebuildProjections({
        store,
        pool,
        registry: readModels.registry,
        projections: selected,
        logger,
        batchSize: 10_000,
        onProgress: (read) => {
          if (read - reported >= 100_000) {
            reported = read;
            logger.info({ eventsRead: read }, 'rebuilding');
          }
        },
      });
      for (const result of results)
        console.log(
          `${result.name}: v${result.from} → v${result.to}, ${result.eventsApplied} events applied`,
        );
      console.log(
        `rebuilt in ${((Date.now() - started) / 1_000).toFixed(1)} s; readers now use the new versions`,
      );
      return 0;
    } finally {
      await store.close();
    }
  } finally {
    await pool.end();
    await database.stop();
  }
};
