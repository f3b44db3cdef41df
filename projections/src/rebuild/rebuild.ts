import type { Checkpoint, EventStore, RecordedEvent, Subscription } from '@netpulse/domain';
import type pg from 'pg';
import type { ProjectionRegistry } from '../registry/registry.js';
import { AdvisoryLock } from '../runner/advisory-lock.js';
import { applyBatch } from '../runner/apply-batch.js';
import type { ProjectionLogger } from '../runner/logger.js';
import { type Projection, versionTables } from '../runner/projection.js';
import { createVersion, dropVersion, switchVersion } from '../runner/version-setup.js';
import { combinedFilter } from './combined-filter.js';
import { finishBuild } from './finish-build.js';
import { routeEvents } from './route-events.js';

export type RebuildOptions = Readonly<{
  store: EventStore;
  pool: pg.Pool;
  registry: ProjectionRegistry;
  projections: readonly Projection[];
  logger: ProjectionLogger;
  batchSize?: number;
  /** Called after each batch with the events read so far (progress reports). */
  onProgress?: (eventsRead: number) => void;
}>;

export type RebuildResult = Readonly<{
  name: string;
  from: number;
  to: number;
  eventsApplied: number;
}>;

type Build = {
  projection: Projection;
  from: number;
  to: number;
  lock: AdvisoryLock;
  checkpoint: Checkpoint;
  applied: number;
  deferredIndexes: string[];
};

/**
 * Blue-green rebuild: fills each projection's next version from the start of the log while the
 * active version keeps serving, then switches readers to it and drops the old one. Several
 * projections share one read of the log (the bulk of a rebuild's cost is reading it) and apply
 * each batch in parallel, each in its own transaction with its own compare-and-set. An interrupted
 * rebuild resumes from the building version's checkpoint.
 */
export const rebuildProjections = async (options: RebuildOptions): Promise<RebuildResult[]> => {
  const { pool, registry, logger } = options;
  const builds: Build[] = [];
  try {
    for (const projection of options.projections) {
      const entry = await registry.ensure(projection.name);
      const to = await registry.beginBuild(projection.name);
      const lock = new AdvisoryLock(
        pool,
        `netpulse-projection:${registry.schema}`,
        `${projection.name}:${to}`,
      );
      const acquired = await lock.tryAcquire((error) =>
        logger.warn({ projection: projection.name, err: error }, 'lost the rebuild lock connection'),
      );
      if (!acquired) throw new Error(`${projection.name} v${to} is being built by another process`);
      const stored = await registry.checkpoint(projection.name, to);
      builds.push({
        projection,
        from: entry.activeVersion,
        to,
        lock,
        checkpoint: stored?.checkpoint ?? 'start',
        applied: 0,
        deferredIndexes: await createVersion(pool, projection, versionTables(registry.schema, to), {
          deferIndexes: true,
        }),
      });
      logger.info({ projection: projection.name, from: entry.activeVersion, to }, 'rebuild started');
    }
    // Builds resumed from different checkpoints cannot share a read; group those that can.
    const groups = new Map<Checkpoint, Build[]>();
    for (const build of builds)
      groups.set(build.checkpoint, [...(groups.get(build.checkpoint) ?? []), build]);
    const started = Date.now();
    await Promise.all([...groups.entries()].map(([after, group]) => feed(options, after, group)));
    logger.info({ seconds: (Date.now() - started) / 1_000 }, 'rebuild caught up; finishing');
    await Promise.all(
      builds.map((build) =>
        finishBuild({
          pool,
          logger,
          projection: build.projection,
          tables: versionTables(registry.schema, build.to),
          deferredIndexes: build.deferredIndexes,
        }),
      ),
    );
    for (const build of builds) {
      const from = versionTables(registry.schema, build.from);
      await switchVersion(pool, registry, build.projection, from, versionTables(registry.schema, build.to));
      await dropVersion(pool, build.projection, from);
      logger.info({ projection: build.projection.name, version: build.to }, 'rebuild switched');
    }
    return builds.map((build) => ({
      name: build.projection.name,
      from: build.from,
      to: build.to,
      eventsApplied: build.applied,
    }));
  } finally {
    for (const build of builds) await build.lock.release();
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies one batch to every build of a group, retrying transient failures; a build skips a batch it has. */
const applyToGroup = async (
  options: RebuildOptions,
  group: Build[],
  events: readonly RecordedEvent[],
  next: Checkpoint,
): Promise<void> => {
  const lastEventAt = events[events.length - 1]!.recordedAt;
  const shares = routeEvents(
    group.map((build) => build.projection.filter),
    events,
  );
  for (let attempt = 1; ; attempt++) {
    try {
      await Promise.all(
        group
          .map((build, index) => [build, shares[index]!] as const)
          .filter(([build]) => build.checkpoint !== next)
          .map(async ([build, mine]) => {
            const outcome = await applyBatch({
              pool: options.pool,
              registry: options.registry,
              projection: build.projection,
              tables: versionTables(options.registry.schema, build.to),
              from: build.checkpoint,
              to: next,
              events: mine,
              lastEventAt,
              mode: 'rebuild',
            });
            if (outcome === 'stale')
              throw new StaleBuildError(`${build.projection.name} v${build.to} was moved by another process`);
            build.checkpoint = next;
            build.applied += mine.length;
          }),
      );
      return;
    } catch (error) {
      if (error instanceof StaleBuildError || attempt >= 5) throw error;
      options.logger.warn({ err: error, attempt }, 'rebuild batch failed; retrying');
      await sleep(100 * 2 ** attempt);
    }
  }
};

class StaleBuildError extends Error {
  override readonly name = 'StaleBuildError';
}

/**
 * Reads the log once for a group of builds until it has caught up with the head. Reading the next
 * batch overlaps applying the current one (one batch in flight): the read and the writes then use
 * both cores. A failure that survives the retries ends the rebuild; run it again to resume.
 */
const feed = async (options: RebuildOptions, after: Checkpoint, group: Build[]): Promise<void> => {
  let read = 0;
  let subscription: Subscription | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  await new Promise<void>((resolve, reject) => {
    subscription = options.store.subscribe({
      after,
      filter: combinedFilter(group.map((build) => build.projection.filter)),
      batchSize: options.batchSize ?? 10_000,
      onBatch: async (events: readonly RecordedEvent[], next: Checkpoint) => {
        await inFlight;
        inFlight = applyToGroup(options, group, events, next);
        inFlight.catch(reject);
        read += events.length;
        options.onProgress?.(read);
      },
      onError: (error) => options.logger.warn({ err: error }, 'rebuild read failed; retrying'),
      onCaughtUp: () => {
        inFlight.then(resolve, reject);
      },
    });
  }).finally(() => subscription?.close());
  // A batch read after the catch-up signal may still be applying: it must land before the finish.
  await inFlight;
};
