import type pg from 'pg';
import type { ProjectionLogger } from '../runner/logger.js';
import type { Projection, TransactionRunner, VersionTables } from '../runner/projection.js';
import { withTransaction } from '../sql/transaction.js';

export type FinishInput = Readonly<{
  pool: pg.Pool;
  logger: ProjectionLogger;
  projection: Projection;
  tables: VersionTables;
  /** Secondary indexes left out while the version filled. */
  deferredIndexes: readonly string[];
}>;

/**
 * Builds the deferred secondary indexes and completes what rebuild mode deferred, side by side:
 * neither needs the other (the finish reads the filled tables whole; an index build only blocks
 * writes to its table), so both cores stay busy instead of the finish waiting for the indexes.
 */
export const finishBuild = async (build: FinishInput): Promise<void> => {
  const transaction: TransactionRunner = (work) => withTransaction(build.pool, work);
  const log = (message: string, started: number) =>
    build.logger.info(
      { projection: build.projection.name, seconds: (Date.now() - started) / 1_000 },
      message,
    );
  const started = Date.now();
  const indexes = (async () => {
    for (const statement of build.deferredIndexes)
      await transaction(async (client) => {
        // Sorting a few million index entries in the default 64 MB spills to disk. Not read by
        // anyone yet, re-derivable: no need to wait for the WAL flush either.
        await client.query(`set local maintenance_work_mem = '256MB'; set local synchronous_commit = off`);
        await client.query(statement);
      });
    log('indexes built', started);
  })();
  const derived = (async () => {
    if (!build.projection.finishRebuild) return;
    await build.projection.finishRebuild(transaction, build.tables);
    log('rebuild finished', started);
  })();
  // Both settle before this returns, so a failure in one never leaves the other running unobserved.
  const [indexed, finished] = await Promise.allSettled([indexes, derived]);
  if (indexed.status === 'rejected') throw indexed.reason;
  if (finished.status === 'rejected') throw finished.reason;
};
