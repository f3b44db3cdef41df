import type { Checkpoint, RecordedEvent } from '@netpulse/domain';
import type pg from 'pg';
import type { ProjectionRegistry } from '../registry/registry.js';
import { announceStatement } from './change-notice.js';
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
 * Whether the batch's commit waits for its WAL flush. Mostly not: a read model is re-derived from
 * the event store, and the rows and the checkpoint share one transaction, so a server crash before
 * the flush loses whole batches only (rows and checkpoint together, never half). The projector then
 * finds its checkpoint behind where it left it (the compare-and-set fails), starts over from the
 * durable checkpoint and applies those batches again. Other sessions see an unflushed commit at
 * once, as they see a flushed one. A rebuild fills a version nobody reads yet; its switch commits
 * synchronously, which flushes every rebuild commit before it. Read models that gate access
 * (`durableCommits`) still wait, so that a revocation they show cannot vanish again in a crash.
 */
const waitsForFlush = (input: ApplyBatchInput): boolean =>
  input.mode !== 'rebuild' && input.projection.durableCommits === true;

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
    // begin, the checkpoint's compare-and-set, and later the announcement with the commit each share
    // a message: three round trips a batch instead of five (one costs ~80 µs of Node's CPU on a
    // 2-core VM, session 10).
    const begin = waitsForFlush(input) ? 'begin' : 'begin; set local synchronous_commit = off';
    const advanced = (await client.query(
      `${begin}; ${input.registry.advanceStatement({
        name: input.projection.name,
        version: input.tables.version,
        from: input.from,
        to: input.to,
        events: input.events.length,
        lastEventAt: input.lastEventAt,
      })}`,
    )) as unknown as pg.QueryResult[];
    if (advanced[advanced.length - 1]!.rowCount !== 1) {
      await client.query('rollback');
      return 'stale';
    }
    let end = 'commit';
    if (input.events.length > 0) {
      await input.projection.apply(client, input.events, {
        ...input.tables,
        mode: input.mode ?? 'live',
        afterCommit: (effect) => effects.push(effect),
      });
      // A rebuild fills a version nobody reads yet: its switch announces it instead.
      if (input.mode !== 'rebuild')
        end = `${announceStatement(input.registry.schema, input.projection.name)}; commit`;
    }
    await client.query(end);
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
