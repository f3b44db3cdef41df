import type { ApplyContext, VersionTables } from '../../runner/projection.js';
import type { Queryable } from '../../sql/queryable.js';
import { foldClosedSteps, HOUR_WATERMARK, hourTierStatements, hourTierView } from './hour-tier.js';
import type { MetricPoints } from './metric-points.js';
import { metricViews, ROLLUP_FILLFACTOR, rawDdl, rawIndexes, rollups, tiers } from './metrics-tables.js';
import { copyRawPoints, insertWithRollups } from './plain-writes.js';
import { fillRollups } from './rollup-fill.js';
import { rollupColumnsDdl, rollupPrimaryKey } from './rollup-spec.js';

const DAY_MS = 86_400_000;

const UTC_STAMP = /^\d{4}-\d{2}-\d{2}T[^+-]*Z$/;

export const dayOf = (time: string): Date => {
  // A UTC ISO stamp names its day in its first ten characters: no Date parse per point.
  if (UTC_STAMP.test(time)) return new Date(`${time.slice(0, 10)}T00:00:00.000Z`);
  const at = new Date(time);
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
};
export const partitionSuffix = (day: Date): string =>
  `_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;

/**
 * Native PostgreSQL: raw points in tables range-partitioned by day (retention drops whole days),
 * rollups kept by the projector in the batch's own transaction (the 1-hour tiers from the 1-minute
 * ones, see hour-tier.ts).
 */
export const plainStorage = () => {
  /** Partitions known to exist (committed), by table name. */
  const known = new Set<string>();

  const createStatements = (t: VersionTables): string[] => [
    ...Object.entries(rawDdl).map(
      ([base, columns]) =>
        `create table if not exists ${t.table(base)} (\n    ${columns}) partition by range (time)`,
    ),
    ...rawIndexes(t),
    ...rollups.flatMap(([base, spec]) =>
      tiers.map(
        ([tier]) =>
          `create table if not exists ${t.table(`${base}_${tier}`)} (
    ${rollupColumnsDdl(spec)},
    primary key (${rollupPrimaryKey(spec).join(', ')})) with (fillfactor = ${ROLLUP_FILLFACTOR})`,
      ),
    ),
    ...hourTierStatements(t),
  ];

  const ensurePartitions = async (client: Queryable, points: MetricPoints, t: ApplyContext) => {
    // Points of one batch share a handful of stamps: each distinct stamp is looked at once. An
    // interface sample carries its observation's stamp, so the device points name every day, and
    // runs of one stamp (a poll round) skip the set's hashing.
    const stamps = new Set<string>();
    let previous: string | undefined;
    for (const point of points.devices) {
      if (point[2] === previous) continue;
      previous = point[2];
      stamps.add(previous);
    }
    const days = new Map<number, Date>();
    for (const stamp of stamps) {
      const day = dayOf(stamp);
      days.set(day.getTime(), day);
    }
    for (const day of days.values()) {
      for (const base of Object.keys(rawDdl)) {
        const partition = `${t.name(base)}${partitionSuffix(day)}`;
        if (known.has(`${t.schema}.${partition}`)) continue;
        const to = new Date(day.getTime() + DAY_MS);
        await client.query(
          `create table if not exists ${t.schema}."${partition}" partition of ${t.table(base)}
           for values from ('${day.toISOString()}') to ('${to.toISOString()}')`,
        );
        // Only once committed: a rolled-back batch takes its partition with it.
        t.afterCommit(() => known.add(`${t.schema}.${partition}`));
      }
    }
  };

  const apply = async (client: Queryable, points: MetricPoints, t: ApplyContext): Promise<void> => {
    if (points.devices.length === 0) return;
    await ensurePartitions(client, points, t);
    // A rebuild defers the rollups to finishRebuild (one aggregation over all raw rows instead of
    // an upsert per batch; exact numeric sums make both ways give identical rows), so its batches
    // only copy raw points.
    try {
      if (t.mode === 'rebuild') await copyRawPoints(client, points, t);
      else await foldClosedSteps(client, t, points, await insertWithRollups(client, points, t));
    } catch (error) {
      // A live batch commits without waiting for the disk: a server crash can take back the
      // commit that created a partition remembered here. The failed batch is retried from the
      // durable checkpoint, and then asks the database again instead of trusting the memory.
      known.clear();
      throw error;
    }
  };

  return {
    kind: 'postgresql' as const,
    // A rebuild's batches wrote raw points only: every rollup is computed from them at once.
    finishRebuild: fillRollups,
    createStatements,
    // The 1-hour views add the open range to the stored hours (hour-tier.ts).
    views: (t: VersionTables) =>
      metricViews(t).map(([view, select]) => {
        const rollup = rollups.find(([base]) => view === `${base}_1h`);
        return [view, rollup ? hourTierView(t, ...rollup) : select] as const;
      }),
    dropStatements: (t: VersionTables) => [
      ...Object.keys(rawDdl).map((base) => `drop table if exists ${t.table(base)}`),
      ...rollups.flatMap(([base]) =>
        tiers.map(([tier]) => `drop table if exists ${t.table(`${base}_${tier}`)}`),
      ),
      `drop table if exists ${t.table(HOUR_WATERMARK)}`,
    ],
    apply,
  };
};
