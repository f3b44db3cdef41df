import type pg from 'pg';
import type { ProjectionRegistry } from '../../registry/registry.js';
import { versionTables } from '../../runner/projection.js';
import type { MetricsStorageKind } from './detect-timescale.js';
import { rollups, tiers } from './metrics-tables.js';

/** How long each metrics tier is kept, in days. */
export type MetricsRetention = Readonly<{ rawDays: number; oneMinuteDays: number; oneHourDays: number }>;

export const defaultMetricsRetention: MetricsRetention = { rawDays: 7, oneMinuteDays: 30, oneHourDays: 365 };

const DAY_MS = 86_400_000;

/**
 * Applies the retention tiers to every live version of the metrics projection: raw days dropped as
 * whole partitions (or TimescaleDB chunks), rollup rows older than their tier deleted (or their
 * continuous-aggregate chunks dropped). Returns what it removed, for the log.
 */
export const pruneMetrics = async (
  pool: pg.Pool,
  registry: ProjectionRegistry,
  storage: MetricsStorageKind,
  retention: MetricsRetention,
  now: Date,
): Promise<string[]> => {
  const entry = (await registry.entries()).find((candidate) => candidate.name === 'metrics');
  if (!entry) return [];
  const done: string[] = [];
  const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const tierDays = { '1m': retention.oneMinuteDays, '1h': retention.oneHourDays } as const;
  for (const version of [entry.activeVersion, entry.buildingVersion]) {
    if (version === null) continue;
    const t = versionTables(registry.schema, version);
    if (storage === 'timescaledb') {
      for (const base of ['metrics_raw', 'interface_metrics_raw']) {
        await pool.query(`select drop_chunks($1::regclass, older_than => $2::timestamptz)`, [
          t.table(base),
          cutoff(retention.rawDays),
        ]);
      }
      for (const [base] of rollups)
        for (const [tier] of tiers)
          await pool.query(`select drop_chunks($1::regclass, older_than => $2::timestamptz)`, [
            t.table(`${base}_${tier}`),
            cutoff(tierDays[tier]),
          ]);
      done.push(`metrics v${version}: chunks older than the retention tiers dropped`);
      continue;
    }
    const rawCutoff = cutoff(retention.rawDays).getTime();
    const { rows } = await pool.query<{ name: string }>(
      `select c.relname as name from pg_inherits i
       join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
       join pg_namespace n on n.oid = p.relnamespace
       where n.nspname = $1 and p.relname = any($2::text[])`,
      [registry.schema, [t.name('metrics_raw'), t.name('interface_metrics_raw')]],
    );
    for (const { name } of rows) {
      const match = /_p(\d{4})(\d{2})(\d{2})$/.exec(name);
      if (!match) continue;
      const dayEnd = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + DAY_MS;
      if (dayEnd <= rawCutoff) {
        await pool.query(`drop table if exists ${t.schema}."${name}"`);
        done.push(name);
      }
    }
    for (const [base] of rollups)
      for (const [tier] of tiers) {
        const { rowCount } = await pool.query(`delete from ${t.table(`${base}_${tier}`)} where bucket < $1`, [
          cutoff(tierDays[tier]),
        ]);
        if (rowCount) done.push(`${rowCount} rows of ${t.name(`${base}_${tier}`)}`);
      }
  }
  return done;
};
