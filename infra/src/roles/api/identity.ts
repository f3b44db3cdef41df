import { randomUUID } from 'node:crypto';
import {
  createIdentityService,
  createMemoryRateLimiter,
  createTokenService,
  type DependencyCheck,
  type IdentityPorts,
  type RateLimiter,
} from '@netpulse/api';
import type { CommandBus } from '@netpulse/commands';
import type { Clock, EventStore } from '@netpulse/domain';
import { identityQueries } from '@netpulse/projections';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { type Config, redactUrl } from '../../config/config.js';
import type { Logger } from '../../runtime/logger.js';
import { bootstrapFirstAdmin, FIRST_ADMIN_ID } from './bootstrap-admin.js';
import { migrateIdentityTables } from './identity-migrations.js';
import { loadJwtSecret } from './jwt-secret.js';
import { PostgresCredentialStore } from './postgres-credential-store.js';
import { PostgresRefreshTokens } from './postgres-refresh-tokens.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';

const MINUTE_MS = 60_000;
/** How long start-up waits for the projector to show a newly created first administrator. */
const ADMIN_VISIBLE_TIMEOUT_MS = 10_000;
/** Password attempts per e-mail address per minute, whatever the caller's IP. */
const LOGIN_ATTEMPTS_PER_MINUTE = 10;

export type IdentityConfig = Pick<
  Config,
  | 'NODE_ENV'
  | 'NETPULSE_DATA_DIR'
  | 'NETPULSE_ORGANIZATION_ID'
  | 'EVENT_STORE_SCHEMA'
  | 'NETPULSE_READ_MODEL_SCHEMA'
  | 'JWT_SECRET'
  | 'JWT_PREVIOUS_SECRET'
  | 'JWT_ACCESS_TTL_SECONDS'
  | 'JWT_REFRESH_TTL_SECONDS'
  | 'NETPULSE_ADMIN_EMAIL'
  | 'NETPULSE_ADMIN_PASSWORD'
>;

export type IdentityDeps = Readonly<{
  config: IdentityConfig;
  /** The database of the read models; the credential tables go into EVENT_STORE_SCHEMA there. */
  pool: pg.Pool;
  store: EventStore;
  bus: CommandBus;
  clock: Clock;
  logger: Logger;
  /** Shared across API processes when Redis is configured (see createRateLimiter); else per process. */
  loginLimiter?: RateLimiter;
  /** Create the organization and its first administrator when missing (default true). */
  bootstrap?: boolean;
  /**
   * How long start-up waits for the projector to show a first administrator it just created
   * (default 10 s; then it goes on with a warning).
   */
  adminVisibleTimeoutMs?: number;
  /** How long a looked-up user or key is trusted (default 5 s). */
  identityCacheTtlMs?: number;
}>;

/**
 * The identity ports of the API role: migrates the credential tables, loads (or generates) the JWT
 * secret, bootstraps the first administrator, and wires the identity service to the identities
 * read model and the PostgreSQL stores.
 */
export const createIdentityPorts = async (
  deps: IdentityDeps,
): Promise<Readonly<{ ports: IdentityPorts; stop: () => Promise<void> }>> => {
  const { config, pool, clock } = deps;
  const log = deps.logger.child({ component: 'identity' });
  await migrateIdentityTables(pool, config.EVENT_STORE_SCHEMA);
  const credentials = new PostgresCredentialStore(pool, config.EVENT_STORE_SCHEMA);
  const secret = await loadJwtSecret({
    configured: config.JWT_SECRET,
    nodeEnv: config.NODE_ENV,
    dataDir: config.NETPULSE_DATA_DIR,
    logger: log,
  });
  const adminCreated =
    deps.bootstrap !== false &&
    (
      await bootstrapFirstAdmin({
        store: deps.store,
        bus: deps.bus,
        credentials,
        clock,
        logger: log,
        organizationId: config.NETPULSE_ORGANIZATION_ID,
        email: config.NETPULSE_ADMIN_EMAIL,
        password: config.NETPULSE_ADMIN_PASSWORD,
        dataDir: config.NETPULSE_DATA_DIR,
      })
    ).adminCreated;
  const ports = createIdentityService({
    directory: identityQueries(pool, config.NETPULSE_READ_MODEL_SCHEMA),
    credentials,
    refreshTokens: new PostgresRefreshTokens(pool, config.EVENT_STORE_SCHEMA),
    tokens: createTokenService({
      secret,
      ...(config.JWT_PREVIOUS_SECRET ? { previousSecrets: [config.JWT_PREVIOUS_SECRET] } : {}),
      accessTtlSeconds: config.JWT_ACCESS_TTL_SECONDS,
      refreshTtlSeconds: config.JWT_REFRESH_TTL_SECONDS,
      clock,
      newId: randomUUID,
    }),
    clock,
    newId: randomUUID,
    loginLimiter:
      deps.loginLimiter ?? createMemoryRateLimiter({ limit: LOGIN_ATTEMPTS_PER_MINUTE, windowMs: MINUTE_MS }),
    ...(deps.identityCacheTtlMs !== undefined ? { cacheTtlMs: deps.identityCacheTtlMs } : {}),
  });
  // Login reads the identities read model, and the first login tends to follow start-up at once:
  // a process that says it is ready must let the administrator it just created log in.
  if (adminCreated) {
    const identity = {
      kind: 'user',
      organizationId: config.NETPULSE_ORGANIZATION_ID,
      userId: FIRST_ADMIN_ID,
    } as const;
    const timeoutMs = deps.adminVisibleTimeoutMs ?? ADMIN_VISIBLE_TIMEOUT_MS;
    if (!(await ports.awaitVisible(identity, timeoutMs)))
      log.warn(
        { seconds: timeoutMs / 1_000 },
        'the first administrator is not in the identities read model yet (is a projector running?): login fails until it is',
      );
  }
  return { ports, stop: async () => {} };
};

export type RateLimiterDeps = Readonly<{
  config: Pick<Config, 'REDIS_URL' | 'RATE_LIMIT_PER_MINUTE' | 'EVENT_STORE_SCHEMA'>;
  logger: Logger;
}>;

export type RateLimiters = Readonly<{
  /** GraphQL operations per identity (or per IP before login): RATE_LIMIT_PER_MINUTE. */
  limiter: RateLimiter;
  /** Password attempts per e-mail: pass to createIdentityPorts so every process counts together. */
  loginLimiter: RateLimiter;
  checks: readonly DependencyCheck[];
  stop: () => Promise<void>;
}>;

/** Logs a Redis failure at most once per interval: a Redis outage must not flood the log. */
const throttledWarning = (logger: Logger, message: string, intervalMs = 30_000) => {
  let last = Number.NEGATIVE_INFINITY;
  return (error: unknown) => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    logger.warn({ err: error }, message);
  };
};

/**
 * Rate limiters: shared by every API process through Redis when REDIS_URL is set (falling back to
 * per-process counting while Redis is unreachable), otherwise in memory.
 */
export const createRateLimiter = async (deps: RateLimiterDeps): Promise<RateLimiters> => {
  const { config } = deps;
  const perMinute = { limit: config.RATE_LIMIT_PER_MINUTE, windowMs: MINUTE_MS };
  const logins = { limit: LOGIN_ATTEMPTS_PER_MINUTE, windowMs: MINUTE_MS };
  const local = createMemoryRateLimiter(perMinute);
  const localLogins = createMemoryRateLimiter(logins);
  if (!config.REDIS_URL)
    return { limiter: local, loginLimiter: localLogins, checks: [], stop: async () => {} };

  const log = deps.logger.child({ component: 'rate-limit', redis: redactUrl(config.REDIS_URL) });
  // Fail fast while disconnected (the fallback answers) instead of queueing requests behind Redis.
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    connectionName: 'netpulse-rate-limit',
    // Every request spends one hit: the hits of requests arriving together leave in one write.
    enableAutoPipelining: true,
  });
  redis.on('error', throttledWarning(log, 'Redis connection problem; retrying'));
  try {
    await redis.connect();
  } catch (error) {
    log.warn({ err: error }, 'Redis unreachable at start; limiting per process until it answers');
  }
  const onError = throttledWarning(log, 'Redis rate limiter failed; limiting per process meanwhile');
  // Counters are per deployment (named by its event store, as the live feed's topic is): two
  // NetPulse installations sharing one Redis must not spend each other's budgets.
  const namespace = config.EVENT_STORE_SCHEMA;
  return {
    limiter: createRedisRateLimiter({
      ...perMinute,
      redis,
      prefix: `netpulse:${namespace}:rate:`,
      fallback: local,
      onError,
    }),
    loginLimiter: createRedisRateLimiter({
      ...logins,
      redis,
      prefix: `netpulse:${namespace}:login:`,
      fallback: localLogins,
      onError,
    }),
    checks: [
      {
        name: 'redis',
        check: async () => {
          await redis.ping();
        },
      },
    ],
    stop: async () => {
      redis.disconnect();
    },
  };
};
