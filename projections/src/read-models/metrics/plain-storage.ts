import type { ApplyContext, TransactionRunner, VersionTables } from '../../runner/projection.js';
import type { Queryable } from '../../sql/queryable.js';
import { devicePointColumns, interfacePointColumns, type MetricPoints, positional } from './metric-points.js';
import { metricViews, rawDdl, rawIndexes, rollups, tiers } from './metrics-tables.js';
import { rollupAggregates, rollupColumnsDdl, rollupMerge, rollupOfRollups } from './rollup-spec.js';

const DAY_MS = 86_400_000;

export const dayOf = (time: string): Date => {
  const at = new Date(time);
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
};
export const partitionSuffix = (day: Date): string =>
  `_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;

/**
 * Native PostgreSQL: raw points in tables range-partitioned by day (retention drops whole days),
 * rollups kept by the projector in the batch's own transaction.
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
    primary key (${spec.keys
      .map(([name]) => name)
      .filter((name) => name !== 'organization_id')
      .join(', ')}, bucket))`,
      ),
    ),
  ];

  const ensurePartitions = async (client: Queryable, points: MetricPoints, t: ApplyContext) => {
    const days = new Map<number, Date>();
    for (const point of points.devices) {
      const day = dayOf(point[2]);
      days.set(day.getTime(), day);
    }
    for (const point of points.interfaces) {
      const day = dayOf(point[4]);
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
    const deviceNames = devicePointColumns.map(([name]) => name).join(', ');
    const interfaceNames = interfacePointColumns.map(([name]) => name).join(', ');
    // A rebuild defers the rollups to finishRebuild: one aggregation over all raw rows instead of
    // an upsert per batch. Exact (numeric) sums make both ways give identical rows.
    const rollupWrites =
      t.mode === 'rebuild'
        ? []
        : rollups.flatMap(([base, spec]) => {
            const source = base === 'metrics' ? 'd' : 'i';
            const keys = spec.keys.map(([name]) => name).join(', ');
            const conflict = spec.keys
              .map(([name]) => name)
              .filter((name) => name !== 'organization_id')
              .join(', ');
            return tiers.map(
              ([tier, unit]) => `${base}_${tier} as (
          insert into ${t.table(`${base}_${tier}`)} as t
          select ${keys}, date_trunc('${unit}', time, 'UTC') as bucket, ${rollupAggregates(spec)}
          from ${source} group by ${keys}, bucket
          on conflict (${conflict}, bucket) do update set ${rollupMerge(spec)})`,
            );
          });
    // One round trip: the points are parsed once and feed the raw tables and all four rollups.
    await client.query(
      `with d as materialized (select ${positional(devicePointColumns)} from json_array_elements($1::json) p),
        i as materialized (select ${positional(interfacePointColumns)} from json_array_elements($2::json) p),
        raw_d as (insert into ${t.table('metrics_raw')} (${deviceNames}) select ${deviceNames} from d),
        raw_i as (insert into ${t.table('interface_metrics_raw')} (${interfaceNames}) select ${interfaceNames} from i)
        ${rollupWrites.map((write) => `,\n        ${write}`).join('')}
      select 1`,
      [JSON.stringify(points.devices), JSON.stringify(points.interfaces)],
    );
  };

  /**
   * Rollups of every raw row, computed at once (after a rebuild filled the raw tables): the finest
   * tier from raw rows, each coarser tier from the one below (exact, and far fewer rows to read).
   */
  const finishRebuild = async (transaction: TransactionRunner, t: VersionTables): Promise<void> => {
    // Device and interface rollups are independent: one transaction each, in parallel.
    await Promise.all(
      rollups.map(([base, spec]) =>
        transaction(async (client) => {
          // Hash aggregation of millions of raw rows spills to disk at the default 4 MB.
          await client.query(`set local work_mem = '256MB'`);
          const keys = spec.keys.map(([name]) => name).join(', ');
          let source = { table: t.table(`${base}_raw`), column: 'time', aggregates: rollupAggregates(spec) };
          for (const [tier, unit] of tiers) {
            const target = t.table(`${base}_${tier}`);
            await client.query(`delete from ${target}`);
            await client.query(
              `insert into ${target}
               select ${keys}, date_trunc('${unit}', ${source.column}, 'UTC') as bucket, ${source.aggregates}
               from ${source.table} group by ${keys}, date_trunc('${unit}', ${source.column}, 'UTC')`,
            );
            source = { table: target, column: 'bucket', aggregates: rollupOfRollups(spec) };
          }
        }),
      ),
    );
  };

  return {
    kind: 'postgresql' as const,
    finishRebuild,
    createStatements,
    views: metricViews,
    dropStatements: (t: VersionTables) => [
      ...Object.keys(rawDdl).map((base) => `drop table if exists ${t.table(base)}`),
      ...rollups.flatMap(([base]) =>
        tiers.map(([tier]) => `drop table if exists ${t.table(`${base}_${tier}`)}`),
      ),
    ],
    apply,
  };
};
