import type { Checkpoint, RecordedEvent } from '@netpulse/domain';
import type pg from 'pg';
import type { ProjectionRegistry } from '../registry/registry.js';
import type { Projection, VersionTables } from './projection.js';

export type BatchOutcome = 'applied' | 'stale';

export type ApplyBatchInput = Readonly<{
  pool: pg.Pool;
  registry: ProjectionRegistry;
  projection: Projection;
  tables: VersionTables;
  from: Checkpoint;
  to: Checkpoint;
  events: readonly RecordedEvent[];
  /** Where the batch ends in the log: the recordedAt of its last event (also of filtered-out ones). */
  lastEventAt: Date;
  mode?: 'live' | 'rebuild';
}>;

/**
 * One transaction: compare-and-set the checkpoint first, then the read-model writes. A crash at any
 * point rolls back both, so a batch is either wholly applied and recorded, or neither; 'stale' means
 * another instance (or a version switch) moved the checkpoint and nothing was written.
 */
export const applyBatch = async (input: ApplyBatchInput): Promise<BatchOutcome> => {
  const effects: Array<() => void> = [];
  const client = await input.pool.connect();
  let broken = false;
  const lost = () => {
    broken = true;
  };
  client.on('error', lost);
  try {
    // A rebuild fills a version nobody reads yet, from a log that still holds every event: after a
    // server crash it resumes from its last durable checkpoint. Its commits need not wait for the
    // WAL flush; an unflushed commit is lost whole (rows and checkpoint together, since they share
    // the transaction), never half. The switch to the new version commits synchronously, which
    // flushes every rebuild commit before it.
    await client.query(input.mode === 'rebuild' ? 'begin; set local synchronous_commit = off' : 'begin');
    const moved = await input.registry.advance(client, {
      name: input.projection.name,
      version: input.tables.version,
      from: input.from,
      to: input.to,
      events: input.events.length,
      lastEventAt: input.lastEventAt,
    });
    if (!moved) {
      await client.query('rollback');
      return 'stale';
    }
    if (input.events.length > 0) {
      await input.projection.apply(client, input.events, {
        ...input.tables,
        mode: input.mode ?? 'live',
        afterCommit: (effect) => effects.push(effect),
      });
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.off('error', lost);
    client.release(broken);
  }
  for (const effect of effects) effect();
  return 'applied';
};
