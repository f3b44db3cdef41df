import type { ApplyContext } from '../../runner/projection.js';
import { copyRows } from '../../sql/copy-from.js';
import type { Queryable } from '../../sql/queryable.js';
import { beforeOpenRange, openFromMs } from './hour-tier.js';
import { devicePointColumns, interfacePointColumns, type MetricPoints, positional } from './metric-points.js';
import { rollups, tiers } from './metrics-tables.js';
import { rollupInsert } from './rollup-insert.js';

const deviceNames = devicePointColumns.map(([name]) => name);
const interfaceNames = interfacePointColumns.map(([name]) => name);

/** Raw points only, by COPY: what a rebuild batch writes. */
export const copyRawPoints = async (client: Queryable, points: MetricPoints, t: ApplyContext) => {
  await copyRows(client, t.table('metrics_raw'), devicePointColumns, points.devices);
  await copyRows(client, t.table('interface_metrics_raw'), interfacePointColumns, points.interfaces);
};

/**
 * Raw points and the batch's partial aggregates merged into the 1-minute tiers, and into the 1-hour
 * tiers for late points only (hour-tier.ts), in one round trip:
 * the points are expanded once and feed the raw tables and all four rollups. They travel as jsonb,
 * whose elements PostgreSQL parses once; `->>` on a `json` element re-parsed its text per column,
 * which made this statement 2x slower. Returns where the open range of the 1-hour tiers starts.
 */
export const insertWithRollups = async (
  client: Queryable,
  points: MetricPoints,
  t: ApplyContext,
): Promise<number> => {
  const rollupWrites = rollups.flatMap(([base, spec]) =>
    tiers.map(
      ([tier, interval]) =>
        `${base}_${tier} as (${rollupInsert({
          target: t.table(`${base}_${tier}`),
          source: base === 'metrics' ? 'd' : 'i',
          from: 'raw',
          spec,
          interval,
          ...(tier === '1h' ? { where: beforeOpenRange(t, 'time') } : {}),
          merge: true,
        })})`,
    ),
  );
  const { rows } = await client.query<{ open_from: number }>(
    `with d as materialized (select ${positional(devicePointColumns)} from jsonb_array_elements($1::jsonb) p),
        i as materialized (select ${positional(interfacePointColumns)} from jsonb_array_elements($2::jsonb) p),
        raw_d as (insert into ${t.table('metrics_raw')} (${deviceNames.join(', ')}) select ${deviceNames.join(', ')} from d),
        raw_i as (insert into ${t.table('interface_metrics_raw')} (${interfaceNames.join(', ')}) select ${interfaceNames.join(', ')} from i)
        ${rollupWrites.map((write) => `,\n        ${write}`).join('')}
      select ${openFromMs(t)} as open_from`,
    [JSON.stringify(points.devices), JSON.stringify(points.interfaces)],
  );
  return rows[0]!.open_from;
};
