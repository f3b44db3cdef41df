import type { EventStore } from '@netpulse/domain';
import { measureLag, type Projection, type ProjectionRegistry } from '@netpulse/projections';
import type pg from 'pg';
import { quoteIdent } from '../../../postgres/pool.js';

export const readModelViews = [
  'devices',
  'fleet_summary',
  'metrics_raw',
  'interface_metrics_raw',
  'metrics_1m',
  'metrics_1h',
  'interface_metrics_1m',
  'interface_metrics_1h',
  'outages',
  'alerts',
  'alert_timeline',
  'audit_index',
] as const;

/** Every read model as sorted row texts: equal dumps mean equal tables, row for row, byte for byte. */
export const dumpReadModels = async (pool: pg.Pool, schema: string): Promise<Record<string, string[]>> => {
  const dump: Record<string, string[]> = {};
  for (const view of readModelViews) {
    const { rows } = await pool.query<{ row: string }>(
      `select t::text as row from ${quoteIdent(schema)}.${quoteIdent(view)} t order by 1`,
    );
    dump[view] = rows.map((row) => row.row);
  }
  return dump;
};

/** True once every projection's active version has applied everything visible in the store. */
export const caughtUp = async (
  store: EventStore,
  registry: ProjectionRegistry,
  projections: readonly Projection[],
): Promise<boolean> => {
  for (const projection of projections) {
    const entry = await registry.entry(registry.pool, projection.name);
    if (!entry) return false;
    const row = await registry.checkpoint(projection.name, entry.activeVersion);
    if (!row) return false;
    const lag = await measureLag(store, row.checkpoint, projection.filter, new Date());
    if (lag.events > 0) return false;
  }
  return true;
};
