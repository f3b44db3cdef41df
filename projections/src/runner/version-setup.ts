import { createHash } from 'node:crypto';
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

/** What a view's comment records of the select it was made from, to tell when the code changed it. */
const definitionTag = (select: string) =>
  `netpulse:${createHash('sha256').update(select).digest('hex').slice(0, 32)}`;

const replaceViews = async (client: pg.ClientBase, projection: Projection, tables: VersionTables) => {
  for (const [view, select] of projection.views(tables)) {
    await client.query(`drop view if exists ${tables.view(view)}`);
    await client.query(`create view ${tables.view(view)} as ${select}`);
    await client.query(`comment on view ${tables.view(view)} is '${definitionTag(select)}'`);
  }
};

/**
 * Creates the reader-facing views of the active version on first start, and again when the code
 * defines them differently (an upgrade that changed a view over the same tables, such as the
 * metrics 1-hour views that add the open range). Never points them at another version: a switch does.
 */
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
      const { rows } = await client.query<{ stale: boolean }>(
        `select bool_or(to_regclass(v) is null or obj_description(to_regclass(v), 'pg_class') is distinct from tag)
           as stale
         from unnest($1::text[], $2::text[]) as u(v, tag)`,
        [views.map(([view]) => tables.view(view)), views.map(([, select]) => definitionTag(select))],
      );
      if (rows[0]?.stale) await replaceViews(client, projection, tables);
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
