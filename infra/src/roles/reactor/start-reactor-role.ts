import {
  createAlertingReactor,
  createHealthReactor,
  createIntegrationReactor,
  type Reactor,
  type ReactorLogger,
  type ReactorRunner,
  type ReactorRunnerStatus,
  startReactorRunner,
} from '@netpulse/commands';
import type { Clock, EventStore } from '@netpulse/domain';
import type { Registry } from 'prom-client';
import type { KafkaConfig } from '../../kafka/kafka-config.js';
import { KafkaIntegrationPublisher } from '../../kafka/kafka-publisher.js';
import { createPool } from '../../postgres/pool.js';
import { PostgresAdvisoryLock } from './advisory-lock.js';
import type { NotificationsSetup } from './notifications-config.js';
import { configuredNotificationsReactor } from './notifications-reactor-setup.js';
import { PostgresReactorCheckpoints } from './postgres-checkpoints.js';
import { createReactorMetrics } from './prom-metrics.js';
import type { ReactorConfig } from './reactor-config.js';

export type ReactorRoleDeps = Readonly<{
  store: EventStore;
  /** PostgreSQL holding the reactor checkpoints and locks (the event store's, or the read models'). */
  connectionString: string;
  /** Schema of the checkpoint table; also namespaces the locks. Default `netpulse`. */
  schema?: string;
  /** A pino logger fits: only `(obj, msg)` calls are made. */
  logger: ReactorLogger;
  registry: Registry;
  clock: Clock;
  /** `kafka` set: the integration publisher runs too (a reactor like the others). */
  config: ReactorConfig &
    Readonly<{
      kafka?: KafkaConfig | null;
      /** Set (NETPULSE_NOTIFICATIONS_FILE): the notifications reactor runs too. */
      notifications?: NotificationsSetup | null;
    }>;
}>;

export type ReactorRole = Readonly<{
  stop(): Promise<void>;
  status(): Readonly<Record<string, ReactorRunnerStatus>>;
}>;

/** The reactors this role runs, each with its own runner, lock and checkpoint. */
export const roleReactors = (config: ReactorConfig): Reactor[] => [
  createHealthReactor({ thresholds: config.health, batchSize: config.batchSize }),
  createAlertingReactor({
    escalation: config.escalation,
    sweepIntervalMs: config.escalationSweepMs,
    batchSize: config.batchSize,
  }),
];

/**
 * Starts the reactor role: the device health and alerting reactors, and the Kafka integration
 * publisher when `config.kafka` is set (it connects on activation, so a broker that is down delays
 * publishing, never the start), and the notifications reactor when `config.notifications` is set.
 * Several processes may run it;
 * per reactor one is active and the others stand by. Resolves once the checkpoint table exists and
 * the runners are started (active or standing by); `stop()` finishes the batches in flight and
 * releases the locks.
 */
export const startReactorRole = async (deps: ReactorRoleDeps): Promise<ReactorRole> => {
  const schema = deps.schema ?? 'netpulse';
  const pool = createPool({
    connectionString: deps.connectionString,
    max: 4,
    applicationName: 'netpulse-reactors',
  });
  try {
    await PostgresReactorCheckpoints.migrate(pool, schema);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const checkpoints = new PostgresReactorCheckpoints(pool, schema);
  const lock = new PostgresAdvisoryLock({ connectionString: deps.connectionString, namespace: schema });
  const metrics = createReactorMetrics(deps.registry);
  const runners = new Map<string, ReactorRunner>();
  const kafka = deps.config.kafka;
  const publisher = kafka
    ? new KafkaIntegrationPublisher({ ...kafka, logger: deps.logger, registry: deps.registry })
    : null;
  const reactors = roleReactors(deps.config);
  if (kafka && publisher) {
    reactors.push(
      createIntegrationReactor({
        publisher,
        topicPrefix: kafka.topicPrefix,
        publishObservations: kafka.publishObservations,
        batchSize: kafka.batchSize,
      }),
    );
  }
  const notifications = deps.config.notifications;
  if (notifications) reactors.push(configuredNotificationsReactor(notifications, deps));
  for (const reactor of reactors) {
    runners.set(
      reactor.name,
      startReactorRunner({
        reactor,
        store: deps.store,
        checkpoints,
        lock,
        clock: deps.clock,
        logger: deps.logger,
        metrics,
        standbyRetryMs: deps.config.standbyRetryMs,
      }),
    );
  }
  let stopping: Promise<void> | undefined;
  return {
    status: () => Object.fromEntries([...runners].map(([name, runner]) => [name, runner.status()])),
    stop: () => {
      stopping ??= (async () => {
        await Promise.all([...runners.values()].map((runner) => runner.stop()));
        await publisher?.close();
        await pool.end();
      })();
      return stopping;
    },
  };
};
