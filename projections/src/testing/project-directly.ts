import type { RecordedEvent } from '@netpulse/domain';
import type pg from 'pg';
import { type Projection, type VersionTables, versionTables } from '../runner/projection.js';
import { withTransaction } from '../sql/transaction.js';

/**
 * Version `version` of a projection's tables and its reader-facing views in `schema`, created
 * directly (no registry, no runner): for tests that apply a projection to real PostgreSQL tables.
 */
export const createTestVersion = async (
  pool: pg.Pool,
  schema: string,
  projection: Projection,
  version = 1,
): Promise<VersionTables> => {
  const tables = versionTables(schema, version);
  for (const statement of projection.createStatements(tables)) await pool.query(statement);
  for (const [view, select] of projection.views(tables))
    await pool.query(`create or replace view "${schema}"."${view}" as ${select}`);
  return tables;
};

/** Applies one batch as the live runner would: in one transaction. */
export const applyBatch = async (
  pool: pg.Pool,
  projection: Projection,
  tables: VersionTables,
  events: readonly RecordedEvent[],
): Promise<void> => {
  await withTransaction(pool, (client) =>
    projection.apply(client, events, { ...tables, mode: 'live', afterCommit: () => {} }),
  );
};
