import { randomUUID } from 'node:crypto';
import { buildServer } from '@netpulse/api';
import { createCommandBus } from '@netpulse/commands';
import { systemClock } from '@netpulse/domain';
import { locateAlert } from '@netpulse/projections';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type Config, describeConfig } from '../config/config.js';
import { createPool } from '../postgres/pool.js';
import { startApiRole } from '../roles/api/start-api-role.js';
import { type RegisterDeviceInput, seedDemoFleet, startPollerRole } from '../roles/poller/index.js';
import { startProjectorRole } from '../roles/projector/index.js';
import { startReactorRole } from '../roles/reactor/index.js';
import { openDatabase } from '../runtime/database.js';
import { openEventStore } from '../runtime/event-store.js';
import type { Logger } from '../runtime/logger.js';
import { type ApiWorkerLink, linkToPrimary } from './api-worker-link.js';
import { startApiWorkers } from './api-workers.js';

export const roleNames = ['api', 'poller', 'reactor', 'projector'] as const;
export type RoleName = (typeof roleNames)[number];

export type StartOptions = Readonly<{
  /** Roles this process runs: all of them for `netpulse start`, one for `netpulse <role>`. */
  roles: ReadonlySet<RoleName>;
  demo: boolean;
  /** An API worker forked by a primary with API_WORKERS > 1: this process runs the API only. */
  apiWorker?: boolean;
}>;

const HOUR_MS = 3_600_000;

type StopReason = NodeJS.Signals | 'primary gone';
type Part = { name: string; stop: () => Promise<unknown> };

class StopDuringStartUp extends Error {
  constructor(readonly reason: StopReason) {
    super(`stop asked for during start-up (${reason})`);
  }
}

/** Runs the chosen roles in this process until SIGINT/SIGTERM; resolves with the exit code. */
export const startCommand = async (
  config: Config,
  logger: Logger,
  options: StartOptions,
): Promise<number> => {
  const { roles } = options;
  // API_WORKERS > 1: the API runs in worker processes forked below, the other roles stay here.
  const apiWorkers =
    roles.has('api') && !options.apiWorker && config.API_WORKERS > 1 ? config.API_WORKERS : 0;
  const apiHere = roles.has('api') && apiWorkers === 0;
  let started = false;
  let worker: ApiWorkerLink | undefined;
  const stack: Part[] = [];
  const shutdown = async () => {
    for (const { name, stop } of stack.reverse()) {
      await stop().catch((error: unknown) =>
        logger.error({ err: error, part: name }, 'error while stopping'),
      );
    }
  };

  // Listening from the first moment: a stop asked for during start-up (an orchestrator giving up on a
  // slow start) is honoured once the part starting then is up. Listening only afterwards lost it: the API
  // workers' supervisor listened to SIGTERM too, so Node no longer ended the process on it, and the
  // process then waited for a second signal that never came. This is the process's only listener;
  // the parts that need to know ask `stopAsked`.
  let stopAsked: StopReason | null = null;
  let requestStop: (reason: StopReason) => void = () => {};
  const stopRequested = new Promise<StopReason>((resolve) => {
    requestStop = (reason) => {
      stopAsked ??= reason;
      resolve(reason);
    };
  });
  const stopListening = () => {
    process.off('SIGINT', requestStop);
    process.off('SIGTERM', requestStop);
  };
  process.once('SIGINT', requestStop);
  process.once('SIGTERM', requestStop);
  /** Each part, once started, is stopped at the end; start-up goes no further once a stop is asked. */
  const keep = (part: Part) => {
    stack.push(part);
    if (stopAsked) throw new StopDuringStartUp(stopAsked);
  };

  try {
    const database = await openDatabase(config, logger);
    keep({ name: 'database', stop: database.stop });
    const events = await openEventStore(config, database.connectionString, logger);
    keep({ name: 'event store', stop: () => events.store.close() });
    const checks = [{ name: 'eventStore', check: events.check }];

    // One process (or one replica group) looks after telemetry retention: the one that writes telemetry.
    if (roles.has('poller')) {
      const maintain = () =>
        events
          .maintain()
          .then(
            (dropped) => dropped.length && logger.info({ dropped }, 'dropped expired telemetry partitions'),
          )
          .catch((error: unknown) =>
            logger.warn({ err: error }, 'event store maintenance failed; will retry'),
          );
      await maintain();
      const timer = setInterval(maintain, HOUR_MS);
      keep({ name: 'maintenance', stop: async () => clearInterval(timer) });
    }

    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    if (options.apiWorker) {
      worker = linkToPrimary(registry);
      void worker.primaryGone.then(() => requestStop('primary gone'));
    }

    let readModelPool: Pool | undefined;
    if (roles.has('projector') || apiHere) {
      // Read models live in their own schema of the same PostgreSQL (also when EventStoreDB holds the events).
      readModelPool = createPool({
        connectionString: database.connectionString,
        max: 2 * config.NETPULSE_PROJECTIONS.length + config.DATABASE_POOL_SIZE,
        applicationName: 'netpulse-read-models',
      });
      const pool = readModelPool;
      keep({ name: 'read-model pool', stop: () => pool.end() });
    }

    if (roles.has('projector') && readModelPool) {
      const projector = await startProjectorRole({
        store: events.store,
        pool: readModelPool,
        schema: config.NETPULSE_READ_MODEL_SCHEMA,
        logger: logger.child({ role: 'projector' }),
        registry,
        clock: systemClock,
        config,
      });
      keep({ name: 'projector', stop: () => projector.stop() });
    }

    if (roles.has('reactor')) {
      const reactors = await startReactorRole({
        store: events.store,
        connectionString: database.connectionString,
        schema: config.EVENT_STORE_SCHEMA,
        logger: logger.child({ role: 'reactor' }),
        registry,
        clock: systemClock,
        config: config.reactor,
      });
      keep({ name: 'reactors', stop: () => reactors.stop() });
    }

    let url = `http://${config.HOST}:${config.PORT}`;
    if (apiHere && readModelPool) {
      // The live feed's own connections (two: a page read ahead while it catches up), used only
      // while this process publishes the feed; a standby's go idle and close.
      const feed = await openEventStore(config, database.connectionString, logger, 2);
      keep({ name: 'live feed store', stop: () => feed.store.close() });
      const api = await startApiRole({
        config,
        store: events.store,
        feedStore: feed.store,
        pool: readModelPool,
        logger,
        registry,
        clock: systemClock,
        checks: worker ? [...checks, worker.check] : checks,
        isStarted: () => started,
        ...(worker ? { metrics: worker.groupMetrics } : {}),
      });
      keep({ name: 'api', stop: api.stop });
      url = api.url;
    } else if (apiWorkers > 0) {
      const workers = await startApiWorkers({
        count: apiWorkers,
        // The workers use the database this process opened (the embedded one has no URL of its own).
        env: { DATABASE_URL: database.connectionString },
        registry,
        logger,
        stopAsked: () => stopAsked !== null,
      });
      keep({ name: 'api workers', stop: workers.stop });
    } else {
      // Every process answers /health, /ready and /metrics, so orchestrators can probe and scrape it.
      const app = await buildServer({ logger, checks, isStarted: () => started, registry });
      keep({ name: 'http', stop: () => app.close() });
      await app.listen({ host: config.HOST, port: config.PORT });
    }

    if (roles.has('poller')) {
      const poller = await startPollerRole({
        store: events.store,
        config: config.poller,
        logger: logger.child({ role: 'poller' }),
        registry,
        clock: systemClock,
        group: config.pollerGroup,
      });
      keep({ name: 'poller', stop: () => poller.stop() });
    }

    // The demo fleet belongs to the embedded profile (every role here) or an explicit --demo.
    if (readModelPool && (options.demo || roles.size === roleNames.length)) {
      const pool = readModelPool;
      const bus = createCommandBus({
        store: events.store,
        locateAlert: (alertId, organizationId) =>
          locateAlert(pool, config.NETPULSE_READ_MODEL_SCHEMA, alertId, organizationId),
      });
      const registerDevice = (input: RegisterDeviceInput) =>
        bus.execute(
          { type: 'RegisterDevice', data: { deviceId: input.deviceId, ...input.profile } },
          {
            commandId: randomUUID(),
            now: systemClock.now(),
            organizationId: config.NETPULSE_ORGANIZATION_ID,
            actor: { kind: 'system', id: 'demo-fleet' },
          },
        );
      await seedDemoFleet({
        store: events.store,
        registerDevice,
        logger: logger.child({ role: 'demo' }),
        force: options.demo,
        apiPort: config.PORT,
      });
    }

    started = true;
    worker?.ready();
    logger.info(
      { ...describeConfig(config), roles: [...roles], ...(apiWorkers > 0 ? { apiWorkers } : {}) },
      `NetPulse is running on ${url}`,
    );
  } catch (error) {
    stopListening();
    if (error instanceof StopDuringStartUp) {
      logger.info({ signal: error.reason }, 'stop asked for during start-up; stopping what has started');
      await shutdown();
      return 0;
    }
    logger.error({ err: error }, 'start-up failed');
    await shutdown();
    return 1;
  }

  const signal = await stopRequested;
  stopListening();
  logger.info({ signal }, 'shutting down');
  started = false;
  await shutdown();
  worker?.close();
  return 0;
};
