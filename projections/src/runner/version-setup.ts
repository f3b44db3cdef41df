import type pg from 'pg';
import type { ProjectionRegistry } from '../registry/registry.js';
import { withTransaction } from '../sql/transaction.js';
import { announceChange } from './change-notice.js';
import type { Projection, VersionTables } from './projection.js';

/**
 * Creates one version's tables. Statement by statement and outside a transaction, because
 * TimescaleDB refuses continuous aggregates inside one; every statement is idempotent.
 */
export const createVersion = async (
  pool: pg.Pool,
  projection: Projection,
  tables: VersionTables,
  options: Readonly<{ deferIndexes?: boolean }> = {},
): Promise<string[]> => {
  const deferred: string[] = [];
  for (const statement of projection.createStatements(tables)) {
    // A rebuild fills tables nobody reads yet: building secondary indexes once at the end is
    // cheaper than maintaining them row by row. Primary keys stay (upserts need them).
    if (options.deferIndexes && isSecondaryIndex(statement)) deferred.push(statement);
    else await pool.query(statement);
  }
  return deferred;
};

const isSecondaryIndex = (statement: string) => /^\s*create (unique )?index /i.test(statement);

export const dropVersion = async (pool: pg.Pool, projection: Projection, tables: VersionTables) => {
  for (const statement of projection.dropStatements(tables)) await pool.query(statement);
};

const replaceViews = async (client: pg.ClientBase, projection: Projection, tables: VersionTables) => {
  for (const [view, select] of projection.views(tables)) {
    await client.query(`drop view if exists ${tables.view(view)}`);
    await client.query(`create view ${tables.view(view)} as ${select}`);
  }
};

/** Creates the reader-facing views on first start; never re-points existing ones (a switch does). */
export const ensureViews = async (
  pool: pg.Pool,
  registry: ProjectionRegistry,
  projection: Projection,
  tables: VersionTables,
): Promise<void> => {
  await withTransaction(pool, async (client) => {
    const entry = await registry.entry(client, projection.name, true);
    const views = projection.views(tables);
    if (entry?.activeVersion === tables.version) {
      const { rows } = await client.query<{ missing: boolean }>(
        'select bool_or(to_regclass(v) is null) as missing from unnest($1::text[]) v',
        [views.map(([view]) => tables.view(view))],
      );
      if (rows[0]?.missing) await replaceViews(client, projection, tables);
    }
  });
};

/**
 * The blue-green switch: views re-pointed, registry updated and the old checkpoint deleted in one
 * transaction, so readers see either the old version or the new one, and the old version's runner
 * fails its next compare-and-set and follows the new active version.
 */
export const switchVersion = async (
  pool: pg.Pool,
  registry: ProjectionRegistry,
  projection: Projection,
  from: VersionTables,
  to: VersionTables,
): Promise<void> => {
  await withTransaction(pool, async (client) => {
    const entry = await registry.entry(client, projection.name, true);
    if (entry?.activeVersion !== from.version || entry.buildingVersion !== to.version) {
      throw new Error(
        `projection ${projection.name} changed during the rebuild (active ${entry?.activeVersion}, building ${entry?.buildingVersion})`,
      );
    }
    await replaceViews(client, projection, to);
    await registry.activate(client, projection.name, from.version, to.version);
    await announceChange(client, registry.schema, projection.name);
  });
};
