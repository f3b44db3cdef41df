import type { Checkpoint, Clock, EventStore, RecordedEvent, Subscription } from '@netpulse/domain';
import type pg from 'pg';
import type { ProjectionRegistry } from '../registry/registry.js';
import { AdvisoryLock } from './advisory-lock.js';
import { applyBatch } from './apply-batch.js';
import { measureLag } from './lag.js';
import type { ProjectionLogger } from './logger.js';
import type { ProjectionMetrics } from './metrics.js';
import { type Projection, versionTables } from './projection.js';
import { createVersion, ensureViews } from './version-setup.js';

export type ProjectionRunnerOptions = Readonly<{
  store: EventStore;
  /** The read-model database; the runner holds one connection of it for its advisory lock. */
  pool: pg.Pool;
  registry: ProjectionRegistry;
  projection: Projection;
  logger: ProjectionLogger;
  clock: Clock;
  metrics?: ProjectionMetrics;
  /** `active` follows the active version across switches; a number pins one version (a rebuild). */
  version?: 'active' | number;
  batchSize?: number;
  /** Once caught up, how long new events may gather before they are read (SubscribeOptions.gatherMs). */
  gatherMs?: number;
  /** How often a standby tries to take over. */
  standbyRetryMs?: number;
  /** How often lag is sampled; 0 turns sampling off. */
  lagSampleMs?: number;
  onCaughtUp?: (version: number, checkpoint: Checkpoint) => void;
}>;

export type RunnerState = Readonly<{
  role: 'starting' | 'active' | 'standby' | 'stopped';
  version: number | null;
  checkpoint: Checkpoint | null;
}>;

export type ProjectionRunner = Readonly<{
  state(): RunnerState;
  /** Stops reading; resolves once the batch in flight has committed or rolled back. */
  stop(): Promise<void>;
}>;

/** Raised inside a batch when the compare-and-set finds the checkpoint moved by someone else. */
export class StaleCheckpointError extends Error {
  override readonly name = 'StaleCheckpointError';
}

const lastOf = (events: readonly RecordedEvent[]): RecordedEvent => events[events.length - 1]!;

/**
 * Runs one projection: competes for its advisory lock (standing by while another instance holds
 * it), then catches up from the stored checkpoint and follows the log live. Every batch commits
 * with its checkpoint (compare-and-set). When the checkpoint moved under it (another instance, or a
 * blue-green switch retired its version) it stops and starts over from the registry.
 */
export const startProjectionRunner = (options: ProjectionRunnerOptions): ProjectionRunner => {
  const { projection, registry, logger, metrics } = options;
  const label = { projection: projection.name };
  const log = { projection: projection.name };
  let stopped = false;
  let state: RunnerState = { role: 'starting', version: null, checkpoint: null };
  let wake = () => {};
  let signalStop = () => {};
  const stopSignal = new Promise<void>((resolve) => {
    signalStop = resolve;
  });
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Runs while this instance holds the lock; resolves when it must let go. */
  /** Runs while this instance holds the lock; 'retired' when its version no longer exists. */
  const serve = async (version: number, lost: Promise<void>): Promise<'released' | 'retired'> => {
    const tables = versionTables(registry.schema, version);
    await createVersion(options.pool, projection, tables);
    await ensureViews(options.pool, registry, projection, tables);
    const stored = await registry.checkpoint(projection.name, version);
    if (!stored) return 'retired';
    let checkpoint = stored.checkpoint;
    state = { role: 'active', version, checkpoint };
    metrics?.active.set(label, 1);
    metrics?.version.set(label, version);
    logger.info({ ...log, version, checkpoint }, 'projection active');

    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const subscription: Subscription = options.store.subscribe({
      after: checkpoint,
      filter: projection.filter,
      batchSize: projection.batchSize ?? options.batchSize ?? 500,
      ...(options.gatherMs ? { gatherMs: options.gatherMs } : {}),
      onBatch: async (events, next) => {
        const outcome = await applyBatch({
          pool: options.pool,
          registry,
          projection,
          tables,
          from: checkpoint,
          to: next,
          events,
          lastEventAt: lastOf(events).recordedAt,
        });
        if (outcome === 'stale') throw new StaleCheckpointError(`checkpoint of ${projection.name} moved`);
        checkpoint = next;
        state = { role: 'active', version, checkpoint };
        metrics?.eventsApplied.inc(label, events.length);
        metrics?.batchesApplied.inc(label);
      },
      onError: (error) => {
        if (error instanceof StaleCheckpointError) {
          logger.info({ ...log, version }, 'checkpoint moved elsewhere; starting over from the registry');
          release();
        } else {
          logger.warn({ ...log, version, err: error }, 'projection batch failed; retrying');
        }
      },
      onCaughtUp: (at) => {
        metrics?.lagEvents.set(label, 0);
        metrics?.lagSeconds.set(label, 0);
        options.onCaughtUp?.(version, at);
      },
    });

    const sampleEvery = options.lagSampleMs ?? 5_000;
    let sampling = false;
    const sampler =
      sampleEvery > 0 && metrics
        ? setInterval(() => {
            if (sampling) return;
            sampling = true;
            measureLag(options.store, checkpoint, projection.filter, options.clock.now())
              .then((lag) => {
                metrics.lagEvents.set(label, lag.events);
                metrics.lagSeconds.set(label, lag.seconds);
              })
              .catch((error: unknown) => logger.debug({ ...log, err: error }, 'lag sample failed'))
              .finally(() => {
                sampling = false;
              });
          }, sampleEvery)
        : null;
    await Promise.race([done, lost, stopSignal]);
    if (sampler) clearInterval(sampler);
    await subscription.close();
    return 'released';
  };

  const loop = async (): Promise<void> => {
    let backoffMs = 100;
    while (!stopped) {
      try {
        const entry = await registry.ensure(projection.name);
        const version =
          options.version === undefined || options.version === 'active'
            ? entry.activeVersion
            : options.version;
        const lock = new AdvisoryLock(
          options.pool,
          `netpulse-projection:${registry.schema}`,
          `${projection.name}:${version}`,
        );
        let signalLost = () => {};
        const lost = new Promise<void>((resolve) => {
          signalLost = resolve;
        });
        const acquired = await lock.tryAcquire((error) => {
          logger.warn({ ...log, version, err: error }, 'lost the projection lock connection');
          signalLost();
        });
        if (!acquired) {
          if (state.role !== 'standby')
            logger.info({ ...log, version }, 'another instance is active; standing by');
          state = { role: 'standby', version, checkpoint: null };
          metrics?.active.set(label, 0);
          await sleep(options.standbyRetryMs ?? 2_000);
          continue;
        }
        try {
          const outcome = await serve(version, lost);
          if (outcome === 'retired' && typeof options.version === 'number') {
            logger.info({ ...log, version }, 'version retired; runner stops');
            stopped = true;
          }
        } finally {
          metrics?.active.set(label, 0);
          await lock.release();
        }
        backoffMs = 100;
      } catch (error) {
        logger.error({ ...log, err: error }, 'projection runner failed; retrying');
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
    state = { role: 'stopped', version: state.version, checkpoint: state.checkpoint };
  };

  const running = loop();
  return {
    state: () => state,
    async stop() {
      stopped = true;
      signalStop();
      wake();
      await running;
    },
  };
};
