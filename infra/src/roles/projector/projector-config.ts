import { projectionNames } from '@netpulse/projections';
import { z } from 'zod';

const days = (fallback: number) => z.coerce.number().int().min(1).max(36_500).default(fallback);

/**
 * The projector's environment variables, for the lead to merge into ConfigSchema (infra/src/config):
 *
 * - NETPULSE_READ_MODEL_SCHEMA: PostgreSQL schema of the read models and their checkpoints (default netpulse_read).
 * - NETPULSE_PROJECTIONS: comma-separated projections this process runs (default all:
 *   devices,metrics,outages,alerts,audit). Distributed deployments may split them across processes.
 * - NETPULSE_PROJECTOR_BATCH_SIZE: events per live batch and transaction (default 500: short transactions, since a running one holds back what every reader of the PostgreSQL store may see).
 * - NETPULSE_PROJECTOR_GATHER_MS: once caught up, how long a projector lets new events gather before
 *   reading them (default 0: at once). Under a steady flow of small appends it then reads and
 *   commits fewer, larger batches: at 20 ms PostgreSQL's CPU in the pipeline benchmark fell by about
 *   a sixth, but read models trailed by 15–30 ms more at the median and the p99 got no better
 *   (docs/benchmarks.md, pipeline). With the API in the same process and a changing fleet, 50 ms
 *   halved the device detail query's p99 (docs/benchmarks.md, api). A knob for deployments where
 *   CPU is scarcer than freshness. Reactors and the live feed never wait.
 * - NETPULSE_PROJECTOR_STANDBY_RETRY_MS: how often a standby instance tries to take over (default 2000).
 * - NETPULSE_PROJECTOR_LAG_SAMPLE_MS: how often lag is sampled for /metrics; 0 = never (default 5000).
 * - NETPULSE_METRICS_RAW_RETENTION_DAYS: raw metric points (default 7).
 * - NETPULSE_METRICS_1M_RETENTION_DAYS: 1-minute rollups (default 30).
 * - NETPULSE_METRICS_1H_RETENTION_DAYS: 1-hour rollups (default 365).
 * - NETPULSE_METRICS_PRUNE_INTERVAL_MS: how often retention runs (default 3600000, one hour).
 * - NETPULSE_READ_MODEL_ANALYZE_INTERVAL_MS: when PostgreSQL's autovacuum is off, how often the
 *   projector refreshes the planner statistics of read-model tables that changed (default 5000; 0 never).
 */
export const ProjectorConfigSchema = z.object({
  NETPULSE_READ_MODEL_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,40}$/)
    .default('netpulse_read'),
  NETPULSE_PROJECTIONS: z
    .string()
    .default(projectionNames.join(','))
    .transform((value) =>
      value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(projectionNames)).min(1)),
  NETPULSE_PROJECTOR_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  NETPULSE_PROJECTOR_GATHER_MS: z.coerce.number().int().min(0).max(5_000).default(0),
  NETPULSE_PROJECTOR_STANDBY_RETRY_MS: z.coerce.number().int().min(50).max(600_000).default(2_000),
  NETPULSE_PROJECTOR_LAG_SAMPLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  NETPULSE_METRICS_RAW_RETENTION_DAYS: days(7),
  NETPULSE_METRICS_1M_RETENTION_DAYS: days(30),
  NETPULSE_METRICS_1H_RETENTION_DAYS: days(365),
  NETPULSE_METRICS_PRUNE_INTERVAL_MS: z.coerce.number().int().min(1_000).default(3_600_000),
  NETPULSE_READ_MODEL_ANALYZE_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
});
export type ProjectorConfig = Readonly<z.infer<typeof ProjectorConfigSchema>>;

export const loadProjectorConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): ProjectorConfig => ProjectorConfigSchema.parse(env);
