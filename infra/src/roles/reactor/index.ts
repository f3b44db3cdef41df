export { type AdvisoryLockOptions, PostgresAdvisoryLock } from './advisory-lock.js';
export { createNotificationMetrics } from './notification-metrics.js';
export {
  NotificationsConfigError,
  NotificationsEnvSchema,
  type NotificationsSetup,
  notificationsFromEnv,
} from './notifications-config.js';
export { PostgresReactorCheckpoints, reactorCheckpointMigrations } from './postgres-checkpoints.js';
export { createReactorMetrics } from './prom-metrics.js';
export {
  ReactorConfig,
  ReactorConfigError,
  type ReactorConfigInput,
  type ReactorEnv,
  ReactorEnvSchema,
  reactorConfigFromEnv,
} from './reactor-config.js';
export {
  type ReactorRole,
  type ReactorRoleDeps,
  roleReactors,
  startReactorRole,
} from './start-reactor-role.js';
