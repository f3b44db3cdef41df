import { loadPollerConfig, type PollerConfig, PollerConfigError } from '@netpulse/pollers';
import { z } from 'zod';
import { type KafkaConfig, KafkaConfigError, kafkaConfigFromEnv } from '../kafka/kafka-config.js';
import {
  type PollerGroupConfig,
  PollerGroupConfigError,
  pollerGroupConfigFromEnv,
} from '../kafka/poller-group/poller-group-config.js';
import { ApiConfigSchema } from '../roles/api/api-config.js';
import { ProjectorConfigSchema } from '../roles/projector/projector-config.js';
import {
  NotificationsConfigError,
  type NotificationsSetup,
  notificationsFromEnv,
} from '../roles/reactor/notifications-config.js';
import {
  type ReactorConfig,
  ReactorConfigError,
  reactorConfigFromEnv,
} from '../roles/reactor/reactor-config.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
const port = z.coerce.number().int().min(1).max(65_535);
const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/**
 * Every environment variable NetPulse reads, validated once at start-up. README.md's
 * "Configuration" table mirrors this schema; keep them in step.
 */
export const ConfigSchema = z
  .object({
    /** NODE_ENV: `production` turns off development conveniences. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** LOG_LEVEL: pino level. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** HOST / PORT: where the HTTP API (GraphQL, dashboard, /health, /metrics) listens. */
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(4000),
    /** DATABASE_URL: PostgreSQL for the event store and read models; unset = embedded PostgreSQL. */
    DATABASE_URL: z.preprocess(blankAsUndefined, z.url().optional()),
    /** NETPULSE_DATA_DIR: where the embedded profile keeps its PostgreSQL data. */
    NETPULSE_DATA_DIR: z.string().min(1).default('.netpulse'),
    /** EMBEDDED_PG_PORT: loopback port of the embedded PostgreSQL. */
    EMBEDDED_PG_PORT: port.default(54329),
    /** EVENT_STORE: `postgres` or `eventstoredb`; defaults to eventstoredb when EVENTSTORE_URL is set. */
    EVENT_STORE: z.preprocess(blankAsUndefined, z.enum(['postgres', 'eventstoredb']).optional()),
    /** EVENTSTORE_URL: EventStoreDB connection string (esdb://…) for distributed deployments. */
    EVENTSTORE_URL: z.preprocess(blankAsUndefined, z.string().startsWith('esdb').optional()),
    /** EVENT_STORE_SCHEMA: PostgreSQL schema of the event store tables. */
    EVENT_STORE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,40}$/)
      .default('netpulse'),
    /** DATABASE_POOL_SIZE: connections per process to PostgreSQL. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
    /** OBSERVATION_RETENTION_DAYS: how long raw observations stay in the event store. */
    OBSERVATION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
    /** NETPULSE_DEMO: register loopback demo devices on start even when the fleet is not empty. */
    NETPULSE_DEMO: z.preprocess(blankAsUndefined, bool.optional()).default(false),
    /** NETPULSE_ORGANIZATION_ID: the organization the embedded profile's own devices belong to. */
    NETPULSE_ORGANIZATION_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,128}$/)
      .default('default'),
  })
  // The projector's variables (read-model schema, batch size, metrics retention tiers) are documented
  // in infra/src/roles/projector/projector-config.ts.
  .extend(ProjectorConfigSchema.shape)
  // The API's variables (JWT, Redis, limits, first administrator): infra/src/roles/api/api-config.ts.
  .extend(ApiConfigSchema.shape);

/**
 * The process configuration: the variables above plus the poller's and the reactors' sections (their
 * variables are documented in pollers/src/config.ts and infra/src/roles/reactor/reactor-config.ts),
 * validated together by `loadConfig`.
 */
export type Config = Readonly<z.infer<typeof ConfigSchema>> & {
  readonly eventStore: 'postgres' | 'eventstoredb';
  readonly poller: PollerConfig;
  /** Replicated pollers share the fleet through Kafka (infra/src/kafka/poller-group); null = no Kafka. */
  readonly pollerGroup: PollerGroupConfig | null;
  /** `kafka`: the integration publisher (infra/src/kafka/kafka-config.ts), null when KAFKA_BROKERS is unset. */
  readonly reactor: ReactorConfig & { readonly kafka: KafkaConfig | null } & {
    /** NETPULSE_NOTIFICATIONS_FILE and its secrets (roles/reactor/notifications-config.ts); null = off. */
    readonly notifications: NotificationsSetup | null;
  };
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const loadConfig = (env: Readonly<Record<string, string | undefined>> = process.env): Config => {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  const config = parsed.data;
  const eventStore = config.EVENT_STORE ?? (config.EVENTSTORE_URL ? 'eventstoredb' : 'postgres');
  if (eventStore === 'eventstoredb' && !config.EVENTSTORE_URL) {
    throw new ConfigError('invalid configuration:\n  EVENTSTORE_URL: required when EVENT_STORE=eventstoredb');
  }
  if (config.API_WORKERS > 1 && !config.REDIS_URL) {
    throw new ConfigError(
      'invalid configuration:\n  API_WORKERS: more than one API process needs REDIS_URL (the live feed and rate limits must be shared by the processes)',
    );
  }
  try {
    return {
      ...config,
      eventStore,
      poller: loadPollerConfig(env),
      pollerGroup: pollerGroupConfigFromEnv(env),
      reactor: {
        ...reactorConfigFromEnv(env),
        kafka: kafkaConfigFromEnv(env),
        notifications: notificationsFromEnv(env),
      },
    };
  } catch (error) {
    // These messages name paths only, never values, so no secret reaches the console.
    if (
      error instanceof PollerConfigError ||
      error instanceof ReactorConfigError ||
      error instanceof KafkaConfigError ||
      error instanceof PollerGroupConfigError ||
      error instanceof NotificationsConfigError
    ) {
      throw new ConfigError(error.message);
    }
    throw error;
  }
};

/** What may be logged: URLs without credentials, no secrets. */
export const describeConfig = (config: Config): Record<string, unknown> => ({
  env: config.NODE_ENV,
  listen: `${config.HOST}:${config.PORT}`,
  database: config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : 'embedded',
  eventStore: config.eventStore,
  eventStoreUrl: config.EVENTSTORE_URL ? redactUrl(config.EVENTSTORE_URL) : undefined,
});

export const redactUrl = (value: string): string => {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable url>';
  }
};
