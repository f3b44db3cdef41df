import type pg from 'pg';

export type MetricsStorageKind = 'timescaledb' | 'postgresql';

/**
 * Feature detection: TimescaleDB when the extension is installed in the database, or can be (it is
 * available and preloaded); otherwise native partitioning. Never an error: the plain path always works.
 */
export const detectMetricsStorage = async (pool: pg.Pool): Promise<MetricsStorageKind> => {
  const installed = await pool.query(`select 1 from pg_extension where extname = 'timescaledb'`);
  if ((installed.rowCount ?? 0) > 0) return 'timescaledb';
  const available = await pool.query(`select 1 from pg_available_extensions where name = 'timescaledb'`);
  if ((available.rowCount ?? 0) === 0) return 'postgresql';
  try {
    await pool.query('create extension if not exists timescaledb');
    return 'timescaledb';
  } catch {
    // Available but not loadable (not in shared_preload_libraries) or no privilege: plain path.
    return 'postgresql';
  }
};
