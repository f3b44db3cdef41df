import type { ApplyContext, VersionTables } from '../../runner/projection.js';
import type { Queryable } from '../../sql/queryable.js';
import { devicePointColumns, interfacePointColumns, type MetricPoints, positional } from './metric-points.js';
import { metricViews, rawDdl, rawIndexes, rollups, tiers } from './metrics-tables.js';
import { numericSum, rollupAggregates, rollupKeyList } from './rollup-spec.js';

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * TimescaleDB: raw points in hypertables (1-day chunks), rollups as continuous aggregates with
 * real-time aggregation, so the projector only inserts raw points and TimescaleDB keeps the tiers.
 */
export const timescaleStorage = () => {
  const createStatements = (t: VersionTables): string[] => [
    ...Object.entries(rawDdl).flatMap(([base, columns]) => [
      `create table if not exists ${t.table(base)} (\n    ${columns})`,
      `select create_hypertable(${literal(t.table(base))}, 'time', chunk_time_interval => interval '1 day', if_not_exists => true)`,
    ]),
    ...rawIndexes(t),
    ...rollups.flatMap(([base, spec]) =>
      tiers.flatMap(([tier, interval]) => {
        const keys = rollupKeyList(spec);
        const view = t.table(`${base}_${tier}`);
        return [
          `create materialized view if not exists ${view}
           with (timescaledb.continuous, timescaledb.materialized_only = false) as
           select ${keys}, time_bucket(interval '${interval}', time) as bucket, ${rollupAggregates(spec, numericSum)}
           from ${t.table(`${base}_raw`)} group by ${keys}, bucket with no data`,
          `select add_continuous_aggregate_policy(${literal(view)},
             start_offset => interval '3 days', end_offset => interval '${interval}',
             schedule_interval => interval '${tier === '1m' ? '1 minute' : '15 minutes'}', if_not_exists => true)`,
        ];
      }),
    ),
  ];

  const apply = async (client: Queryable, points: MetricPoints, t: ApplyContext): Promise<void> => {
    if (points.devices.length === 0) return;
    const deviceNames = devicePointColumns.map(([name]) => name).join(', ');
    const interfaceNames = interfacePointColumns.map(([name]) => name).join(', ');
    await client.query(
      `with raw_i as (insert into ${t.table('interface_metrics_raw')} (${interfaceNames})
          select ${positional(interfacePointColumns)} from json_array_elements($2::json) p)
       insert into ${t.table('metrics_raw')} (${deviceNames})
       select ${positional(devicePointColumns)} from json_array_elements($1::json) p`,
      [JSON.stringify(points.devices), JSON.stringify(points.interfaces)],
    );
  };

  return {
    kind: 'timescaledb' as const,
    createStatements,
    views: metricViews,
    dropStatements: (t: VersionTables) => [
      ...rollups.flatMap(([base]) =>
        tiers.map(([tier]) => `drop materialized view if exists ${t.table(`${base}_${tier}`)}`),
      ),
      ...Object.keys(rawDdl).map((base) => `drop table if exists ${t.table(base)}`),
    ],
    apply,
  };
};
