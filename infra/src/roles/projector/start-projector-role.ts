import type { Clock, EventStore } from '@netpulse/domain';
import {
  type ProjectionLogger,
  type ProjectionRunner,
  projectionMetrics,
  pruneMetrics,
  type RunnerState,
  startProjectionRunner,
} from '@netpulse/projections';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { ProjectorConfig } from './projector-config.js';
import { openReadModelDatabase, type ReadModelDatabase } from './read-model-database.js';
import { keepReadModelStatistics } from './read-model-statistics.js';

export type ProjectorRoleDeps = Readonly<{
  store: EventStore;
  /** The read-model PostgreSQL (checkpoints live there whichever event store runs). Needs one
   * connection per projection for its lock, plus one per batch in flight: size it ≥ 2 × projections. */
  pool: pg.Pool;
  schema: string;
  logger: ProjectionLogger;
  registry: Registry;
  clock: Clock;
  config: ProjectorConfig;
}>;

export type ProjectorRole = Readonly<{
  readModels: ReadModelDatabase;
  status(): Record<string, RunnerState>;
  stop(): Promise<void>;
}>;

/**
 * Starts one runner per configured projection (each active here or standing by for another
 * instance) and the metrics retention timer. Resolves once migrations are applied and runners run.
 */
export const startProjectorRole = async (deps: ProjectorRoleDeps): Promise<ProjectorRole> => {
  const { config } = deps;
  const readModels = await openReadModelDatabase(deps.pool, deps.schema, config.NETPULSE_PROJECTIONS);
  const metrics = projectionMetrics(deps.registry);
  const runners = new Map<string, ProjectionRunner>();
  for (const projection of readModels.projections) {
    runners.set(
      projection.name,
      startProjectionRunner({
        store: deps.store,
        pool: deps.pool,
        registry: readModels.registry,
        projection,
        logger: deps.logger,
        clock: deps.clock,
        metrics,
        batchSize: config.NETPULSE_PROJECTOR_BATCH_SIZE,
        gatherMs: config.NETPULSE_PROJECTOR_GATHER_MS,
        standbyRetryMs: config.NETPULSE_PROJECTOR_STANDBY_RETRY_MS,
        lagSampleMs: config.NETPULSE_PROJECTOR_LAG_SAMPLE_MS,
      }),
    );
  }
  const prune = async () => {
    try {
      const done = await pruneMetrics(
        deps.pool,
        readModels.registry,
        readModels.storage,
        {
          rawDays: config.NETPULSE_METRICS_RAW_RETENTION_DAYS,
          oneMinuteDays: config.NETPULSE_METRICS_1M_RETENTION_DAYS,
          oneHourDays: config.NETPULSE_METRICS_1H_RETENTION_DAYS,
        },
        deps.clock.now(),
      );
      if (done.length > 0) deps.logger.info({ removed: done }, 'metrics retention applied');
    } catch (error) {
      deps.logger.warn({ err: error }, 'metrics retention failed; next run retries');
    }
  };
  const pruning = readModels.projections.some((projection) => projection.name === 'metrics')
    ? setInterval(() => void prune(), config.NETPULSE_METRICS_PRUNE_INTERVAL_MS)
    : null;
  pruning?.unref();
  const stopStatistics = keepReadModelStatistics(
    deps.pool,
    deps.schema,
    deps.logger,
    config.NETPULSE_READ_MODEL_ANALYZE_INTERVAL_MS,
  );
  deps.logger.info(
    { projections: [...runners.keys()], metricsStorage: readModels.storage, schema: deps.schema },
    'projector started',
  );
  return {
    readModels,
    status: () => Object.fromEntries([...runners].map(([name, runner]) => [name, runner.state()])),
    async stop() {
      if (pruning) clearInterval(pruning);
      await stopStatistics();
      await Promise.all([...runners.values()].map((runner) => runner.stop()));
    },
  };
};
